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
  }
});
