/**
 * A batch of two companies' documents on both outbox stores (this desk's SQLite, the office PostgreSQL):
 * company A's messages queue under A's own account (scope `company:<IČO>`, its own mailbox and limits)
 * and reach A's server logged in as A; company B's go through the account in force (here the user's
 * own). Real SMTP servers, the real keychain, a private PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { companyKey } from '../../../../shared/company-identifiers';
import { companyScope } from '../../../../shared/prefs';
import { keyringAvailable } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { outboxApp, settle, waitUntil } from '../../../support/outbox-fixture';
import { outboxStores } from '../../../support/outbox-stores';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';

const smtpServers = faultyServers();
const stores = outboxStores();
let certificate: TestCertificate;
let serverA: SmtpTestServer;
const passwordA = 'heslo-firmy-A-5d1';

beforeAll(async () => {
  certificate = createTestCertificate();
  serverA = await startSmtpTestServer({ certificate, secure: true, users: { 'faktury@firma-a.example': passwordA } });
});
afterAll(async () => {
  await serverA.close();
});

describe.skipIf(!keyringAvailable)("a batch of two companies' documents", () => {
  for (const store of stores) {
    test(`goes out through each company's account (${store.name})`, { timeout: 60_000 }, async () => {
      const officeServer = await smtpServers.start();
      const { app } = await outboxApp(officeServer, smtpServers.certificate, { postgres: await store.database() });
      const [first, second] = app.services.documents.companies.list();
      const a = first && app.services.documents.companies.get(first.id);
      if (!a || !second) throw new Error('the demo data has two companies');
      const keyA = companyKey(a) ?? '';
      const accountA = {
        senderName: 'Firma A – fakturace',
        senderAddress: 'faktury@firma-a.example',
        replyTo: '',
        bccSelf: false,
        host: '127.0.0.1',
        port: serverA.port,
        security: 'ssl' as const,
        cipherStrength: 'default' as const,
        auth: 'password' as const,
        username: 'faktury@firma-a.example',
        trustedCertificate: certificate.cert,
      };
      await app.services.prefs.updateCompanySmtp(keyA, accountA, { action: 'set', value: passwordA });
      const ofCompany = (companyId: number) =>
        app.services.documents
          .listDocuments()
          .filter((doc) => app.services.documents.getDocument(doc.id)?.companyId === companyId && doc.kind !== 'payslip')
          .slice(0, 2)
          .map((doc) => doc.id);
      const idsA = ofCompany(a.id);
      const idsB = ofCompany(second.id);
      expect([idsA.length, idsB.length]).toEqual([2, 2]);
      serverA.received.splice(0);

      const start = await app.services.batches.start({
        documentIds: [idsA[0] ?? 0, idsB[0] ?? 0, idsA[1] ?? 0, idsB[1] ?? 0],
        target: { kind: 'address', address: 'prijemce@klient.example' },
        folder: app.exportDir,
        testToMe: false,
        spreadOverDays: false,
      });
      const batchIds = start.batchIds ?? [];
      expect(batchIds).toHaveLength(2);
      const batches = await Promise.all(batchIds.map((id) => app.services.outboxRepository.batch(id)));
      expect(batches.map((batch) => batch?.accountScope).sort()).toEqual([companyScope(keyA), 'user'].sort());
      for (const id of batchIds) await settle(app, id);
      await waitUntil(
        () => serverA.received.length >= 2 && officeServer.received.length >= 2,
        () => ({ a: serverA.received.length, office: officeServer.received.length }),
      );
      expect(serverA.received.map((message) => message.user)).toEqual(['faktury@firma-a.example', 'faktury@firma-a.example']);
      expect(officeServer.received).toHaveLength(2);
    });

    test(
      `asks about a copy another window queued while it rendered, queueing no company's documents (${store.name})`,
      { timeout: 90_000 },
      async () => {
        const officeServer = await smtpServers.start();
        const { app } = await outboxApp(officeServer, smtpServers.certificate, { postgres: await store.database() });
        const [first, second] = app.services.documents.companies.list();
        const a = first && app.services.documents.companies.get(first.id);
        if (!a || !second) throw new Error('the demo data has two companies');
        const keyA = companyKey(a) ?? '';
        await app.services.prefs.updateCompanySmtp(
          keyA,
          {
            senderName: 'Firma A – fakturace',
            senderAddress: 'faktury@firma-a.example',
            replyTo: '',
            bccSelf: false,
            host: '127.0.0.1',
            port: serverA.port,
            security: 'ssl' as const,
            cipherStrength: 'default' as const,
            auth: 'password' as const,
            username: 'faktury@firma-a.example',
            trustedCertificate: certificate.cert,
          },
          { action: 'set', value: passwordA },
        );
        const ofCompany = (companyId: number) =>
          app.services.documents
            .listDocuments()
            .filter((doc) => app.services.documents.getDocument(doc.id)?.companyId === companyId && doc.kind !== 'payslip')
            .slice(0, 2)
            .map((doc) => doc.id);
        const [a0 = 0, a1 = 0] = ofCompany(a.id);
        const [b0 = 0, b1 = 0] = ofCompany(second.id);
        serverA.received.splice(0);
        const target = { kind: 'address' as const, address: 'prijemce@klient.example' };
        const request = { documentIds: [a0, b0, a1, b1], target, folder: app.exportDir, testToMe: false, spreadOverDays: false };

        // Another window starts A's first document while this start renders (after its first look).
        const { exporter } = app.services;
        const render = exporter.exportFile.bind(exporter);
        const other: { start: Promise<number> | null; rendering: boolean } = { start: null, rendering: false };
        exporter.exportFile = async (...args) => {
          if (other.rendering) return render(...args);
          if (!other.start) {
            other.rendering = true;
            other.start = app.services.batches.start({ ...request, documentIds: [a0] }).then((started) => {
              other.rendering = false;
              return started.batchId;
            });
          }
          await other.start;
          return render(...args);
        };
        const asked = await app.services.batches.begin(request);
        exporter.exportFile = render;
        const otherBatch = await other.start;
        if (otherBatch === null) throw new Error('the other window queued its copy');

        // Nothing of either company is queued: the user is asked about A's copy first.
        expect(asked.batchId).toBeNull();
        expect(asked.batchIds ?? []).toEqual([]);
        expect(asked.earlier.map((copy) => copy.documentId)).toEqual([a0]);
        expect(await app.services.outboxRepository.recentBatchIds(0)).toEqual([otherBatch]);

        // Answered "skip": A's other document and both of B's go, each through its company's account.
        const started = await app.services.batches.start({ ...request, duplicates: 'skip' });
        const batchIds = started.batchIds ?? [];
        expect(batchIds).toHaveLength(2);
        expect(started.earlier.map((copy) => copy.documentId)).toEqual([a0]);
        for (const id of [otherBatch, ...batchIds]) await settle(app, id);
        await waitUntil(
          () => serverA.received.length >= 2 && officeServer.received.length >= 2,
          () => ({ a: serverA.received.length, office: officeServer.received.length }),
        );
        const names = (documentIds: number[]) => documentIds.map((id) => app.services.exporter.load(id).document.number).sort();
        const numbersIn = (texts: string[], documentIds: number[]) =>
          names(documentIds).filter((number) => texts.some((text) => text.includes(number)));
        // A's copy went once (the other window's), A's other document once, both by A's login.
        expect(serverA.received.map((message) => message.user)).toEqual(['faktury@firma-a.example', 'faktury@firma-a.example']);
        expect(
          numbersIn(
            serverA.received.map((message) => message.parsed.subject ?? ''),
            [a0, a1],
          ),
        ).toEqual(names([a0, a1]));
        expect(
          numbersIn(
            officeServer.received.map((message) => message.subject),
            [b0, b1],
          ),
        ).toEqual(names([b0, b1]));
        expect(officeServer.received).toHaveLength(2);
      },
    );
  }
});
