/**
 * The office database in use (issue 20), with two Kurier app services against one private PostgreSQL
 * and one SMTP server: what desk 1 sends shows at desk 2 — the document list's "Sent" column, the
 * export dialog's earlier copies and its reuse of a waiting copy read the office outbox, not the desk's
 * own file — and the database choice applies live, in both directions, without a restart; a server
 * that cannot be reached keeps sending stopped, saying why in words, and never sends from the desk's file.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InputOf, PayloadOf } from '../../../../shared/contract';
import { createTranslator, describeError } from '../../../../shared/i18n';
import type { DatabasePrefs } from '../../../../shared/prefs';
import { keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { deliveries, documentsWithAddress, outboxApp, settle, startBatch, waitUntil } from '../../../support/outbox-fixture';
import { openPostgres } from '../../../../electron/services/data/postgres-database';
import { officeDocuments } from '../../../../electron/services/outbox/office-documents';
import { PgOutboxRepository } from '../../../../electron/services/outbox/pg-outbox-repository';
import { postgresAvailable } from '../../../support/outbox-stores';
import { pdfText } from '../../../support/qr-images';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server';

const smtpServers = faultyServers();
const jana = { user: 'jana', desk: 'stul-1' };
const petr = { user: 'petr', desk: 'stul-2' };
let server: PostgresServer | undefined;

beforeAll(async () => {
  if (postgresAvailable) server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function freshDatabase(): Promise<DatabasePrefs & { kind: 'postgres' }> {
  if (!server) throw new Error('PostgreSQL did not start');
  const url = new URL(await server.createDatabase());
  return {
    kind: 'postgres',
    host: '127.0.0.1',
    port: server.port,
    database: url.pathname.slice(1),
    user: server.user,
    tls: 'off',
    trustedCertificate: '',
  };
}

type State = { kind: string; state?: string; error?: { code: string; details: Record<string, string | number> } };
const stateOf = (app: AppFixture) => app.services.officeDatabase() as State;

async function connected(app: AppFixture): Promise<void> {
  await waitUntil(
    () => stateOf(app).kind === 'postgres' && stateOf(app).state === 'connected' && app.services.worker.running,
    () => stateOf(app),
  );
}

/** The office database's messages, as PostgreSQL has them. */
async function officeRows(database: DatabasePrefs & { kind: 'postgres' }): Promise<{ status: string; message_id: string }[]> {
  const client = new pg.Client({ connectionString: server?.url(database.database) });
  await client.connect();
  try {
    return (
      await client.query<{ status: string; message_id: string }>('SELECT status, message_id FROM outbox_messages ORDER BY id')
    ).rows;
  } finally {
    await client.end();
  }
}

/** This desk's own file's messages. */
function fileRows(app: AppFixture) {
  return app.services.outbox.history({ status: 'all', text: '', batchId: null, limit: 100 });
}

/** The id at `app` of the document numbered as `id` is at `other` (documents stay in each desk's file). */
function sameDocument(other: AppFixture, id: number, app: AppFixture): number {
  const number = other.services.documents.getDocument(id)?.number ?? '';
  const found = app.services.documents.listDocuments().find((doc) => doc.number === number);
  if (!found) throw new Error(`no document ${number}`);
  return found.id;
}

/**
 * Two client companies' invoices numbered alike ("2026-0001" at the Czech demo company A and at the
 * Polish one B), each of its own partner — the same buyer firm, a partner of both, so one address.
 */
function collidingNumbers(app: AppFixture): { a: number; b: number; address: string } {
  const companyOf = (registration: string) =>
    app.services.documents.companies.list().find((company) => company.registrationNumber === registration)?.id;
  const firstOf = (companyId: number | undefined) => {
    const found = app.services.documents
      .listDocuments()
      .find(
        (doc) => doc.companyId === companyId && doc.kind === 'invoice' && app.services.exporter.load(doc.id).partner.email !== '',
      );
    if (!found) throw new Error(`no invoice with an address at company ${String(companyId)}`);
    return found;
  };
  const a = firstOf(companyOf('27082440'));
  const b = firstOf(companyOf('365123458'));
  const address = app.services.exporter.load(a.id).partner.email;
  const db = app.services.db;
  db.prepare('UPDATE documents SET number = ? WHERE id IN (?, ?)').run('2026-0001', a.id, b.id);
  db.prepare('UPDATE partners SET email = ? WHERE id = ?').run(address, b.partnerId);
  expect(a.partnerId).not.toBe(b.partnerId);
  return { a: a.id, b: b.id, address };
}

function copyTo(app: AppFixture, documentId: number, to: string, again = false): InputOf<'export:run'> {
  return {
    documentId,
    format: 'pdf',
    folder: app.exportDir,
    copy: { to, subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp', ...(again ? { again } : {}) },
    smtpPassword: null,
  };
}

describe.skipIf(!keyringAvailable || !postgresAvailable)('the office database in use', () => {
  test(
    'what desk 1 sends shows at desk 2: the Sent column, the earlier copies, the waiting copy reused',
    { timeout: 120_000 },
    async () => {
      const smtp = await smtpServers.start();
      const { app: desk1 } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
      const database = await freshDatabase();
      await desk1.services.databaseSettings.save(database, { action: 'keep' });
      await connected(desk1);
      const { app: desk2 } = await outboxApp(smtp, smtpServers.certificate, {
        identity: petr,
        machinePrefsDir: desk1.machinePrefsDir,
        secrets: desk1.secrets,
      });
      await connected(desk2);

      // Desk 1 sends a document through the office database…
      const [sentAt1 = 0, waitingAt1 = 0] = documentsWithAddress(desk1, 2);
      await settle(desk1, await startBatch(desk1, [sentAt1]));
      expect(smtp.received).toHaveLength(1);
      const address = desk1.services.exporter.load(sentAt1).partner.email;

      // …and desk 2's document list shows it sent, its export dialog lists the copy and asks before another.
      const sentAt2 = sameDocument(desk1, sentAt1, desk2);
      const last = (await desk2.services.sends.lastSends()).find((send) => send.documentId === sentAt2);
      expect(last).toMatchObject({ route: 'smtp', recipient: address });
      expect((await desk2.services.sender.prepare(sentAt2)).sends).toEqual([
        expect.objectContaining({ recipient: address, status: 'sent', messageId: smtp.received[0]?.messageId }),
      ]);
      await expect(desk2.services.sender.run(copyTo(desk2, sentAt2, address))).rejects.toMatchObject({
        code: 'export.alreadySent',
      });
      // Desk 2's own file holds none of it.
      expect(fileRows(desk2)).toEqual([]);
      expect(desk2.services.outbox.documentCopies(sentAt2)).toEqual([]);

      // A copy desk 1 queued for later waits in the office outbox: desk 2's Export again reuses it — the
      // same row and Message-ID, made due now — instead of queueing a second one.
      const waitingAddress = desk1.services.exporter.load(waitingAt1).partner.email;
      const queued = await desk1.services.sender.prepare(waitingAt1);
      const messageId = '<pozdeji.1@kancelar.example>';
      await desk1.services.outboxRepository.createBatch({ kind: 'copy', accountScope: 'user', now: Date.now() }, [
        {
          documentId: waitingAt1,
          recipient: waitingAddress,
          recipientName: '',
          cc: '',
          bcc: '',
          subject: queued.subject,
          body: queued.body,
          language: 'cs',
          attachmentPath: '',
          attachmentName: '',
          attachmentSize: 0,
          messageId,
          notBefore: Date.now() + 3_600_000,
        },
      ]);
      const waitingAt2 = sameDocument(desk1, waitingAt1, desk2);
      expect((await desk2.services.sender.prepare(waitingAt2)).sends).toEqual([
        expect.objectContaining({ recipient: waitingAddress, status: 'queued', messageId }),
      ]);
      const outcome = await desk2.services.sender.run(copyTo(desk2, waitingAt2, waitingAddress.toUpperCase(), true));
      expect(outcome.mail).toMatchObject({ ok: true, messageId });
      expect(smtp.received.map((message) => message.messageId)).toEqual([smtp.received[0]?.messageId, messageId]);
      expect((await officeRows(database)).map((row) => row.status)).toEqual(['sent', 'sent']);
      await waitUntil(
        async () => (await desk2.services.sends.lastSends()).some((send) => send.documentId === waitingAt2),
        () => 'desk 2 shows the reused copy sent',
      );
    },
  );

  test('the database choice applies live, to PostgreSQL and back, without a restart', { timeout: 120_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
    const events: PayloadOf<'database:changed'>[] = [];
    app.forwardEvents((event, payload) => {
      if (event === 'database:changed') events.push(payload as PayloadOf<'database:changed'>);
    });
    const [first = 0, second = 0, third = 0] = documentsWithAddress(app, 3);
    await settle(app, await startBatch(app, [first]));
    expect(fileRows(app)).toHaveLength(1);

    const database = await freshDatabase();
    const saved = await app.services.databaseSettings.save(database, { action: 'keep' });
    expect(saved.running.kind).toBe('postgres');
    await connected(app);
    expect(app.services.outboxRepository.kind).toBe('postgres');
    expect(events.at(-1)).toEqual({ kind: 'postgres', state: 'connected' });
    await settle(app, await startBatch(app, [second]));
    expect(await officeRows(database)).toEqual([{ status: 'sent', message_id: smtp.received[1]?.messageId }]);
    expect(fileRows(app)).toHaveLength(1);

    await app.services.databaseSettings.save({ kind: 'sqlite' }, { action: 'keep' });
    expect(app.services.officeDatabase()).toEqual({ kind: 'sqlite' });
    expect(app.services.outboxRepository.kind).toBe('sqlite');
    expect(events.at(-1)).toEqual({ kind: 'sqlite' });
    await waitUntil(
      () => app.services.worker.running,
      () => 'the worker runs again',
    );
    await settle(app, await startBatch(app, [third]));
    expect(fileRows(app)).toHaveLength(2);
    expect(await officeRows(database)).toHaveLength(1);
    expect([...deliveries(smtp).values()]).toEqual([1, 1, 1]);
  });

  test(
    'an office database out of reach keeps sending stopped, says why, and sends nothing from the file',
    { timeout: 120_000 },
    async () => {
      const smtp = await smtpServers.start();
      const { app } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
      const [first = 0, second = 0] = documentsWithAddress(app, 2);
      const closed = { ...(await freshDatabase()), port: 1 };
      await app.services.databaseSettings.save(closed, { action: 'keep' });
      await waitUntil(
        () => stateOf(app).state === 'unreachable',
        () => stateOf(app),
      );
      expect(app.services.worker.running).toBe(false);
      const error = stateOf(app).error;
      expect(error?.code).toBe('database.unreachable');
      if (error)
        expect(describeError(createTranslator('cs'), { code: 'database.unreachable', details: error.details }).message).toContain(
          '127.0.0.1:1',
        );
      // Nothing can be queued anywhere else, and nothing reaches the server; the user is told why in words.
      await expect(startBatch(app, [first])).rejects.toMatchObject({ code: 'database.unreachable' });
      expect(fileRows(app)).toEqual([]);
      expect(smtp.received).toHaveLength(0);

      // The right port, saved: it connects and sends, without a restart.
      const reachable = { ...closed, port: server?.port ?? 0 };
      await app.services.databaseSettings.save(reachable, { action: 'keep' });
      await connected(app);
      await settle(app, await startBatch(app, [second]));
      expect(await officeRows(reachable)).toEqual([{ status: 'sent', message_id: smtp.received[0]?.messageId }]);
      expect(fileRows(app)).toEqual([]);
    },
  );

  test("client companies' invoices numbered alike are different documents at every desk", { timeout: 120_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app: desk1 } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
    const database = await freshDatabase();
    await desk1.services.databaseSettings.save(database, { action: 'keep' });
    await connected(desk1);
    const { app: desk2 } = await outboxApp(smtp, smtpServers.certificate, {
      identity: petr,
      machinePrefsDir: desk1.machinePrefsDir,
      secrets: desk1.secrets,
    });
    await connected(desk2);
    const at1 = collidingNumbers(desk1);
    const at2 = collidingNumbers(desk2);
    const address = at1.address;

    // Desk 1 sends company A's 2026-0001.
    await settle(desk1, await startBatch(desk1, [at1.a]));
    expect(smtp.received.map((message) => message.envelopeTo)).toEqual([[address]]);

    // At desk 2, A's shows sent (by desk 1) and B's does not: no Sent mark, no earlier copy, no question.
    const lastAt2 = await desk2.services.sends.lastSends();
    expect(lastAt2.find((send) => send.documentId === at2.a)).toMatchObject({ recipient: address });
    expect(lastAt2.find((send) => send.documentId === at2.b)).toBeUndefined();
    expect((await desk2.services.sender.prepare(at2.a)).sends).toEqual([
      expect.objectContaining({ recipient: address, status: 'sent' }),
    ]);
    expect((await desk2.services.sender.prepare(at2.b)).sends).toEqual([]);
    expect(await desk2.services.outboxRepository.earlierCopies([{ documentId: at2.a, recipient: address }], 0)).toEqual([
      expect.objectContaining({ documentId: at2.a, queuedByDesk: jana.desk, queuedByUser: jana.user }),
    ]);
    expect(await desk2.services.outboxRepository.earlierCopies([{ documentId: at2.b, recipient: address }], 0)).toEqual([]);
    await expect(desk2.services.sender.run(copyTo(desk2, at2.a, address))).rejects.toMatchObject({
      code: 'export.alreadySent',
    });

    // A copy of A's waits at desk 1 for later; desk 2's export of B's queues B's own, never A's.
    const queued = await desk1.services.sender.prepare(at1.a);
    const waitingId = '<pozdeji.a@kancelar.example>';
    await desk1.services.outboxRepository.createBatch({ kind: 'copy', accountScope: 'user', now: Date.now() }, [
      {
        documentId: at1.a,
        recipient: address,
        recipientName: '',
        cc: '',
        bcc: '',
        subject: queued.subject,
        body: queued.body,
        language: 'cs',
        attachmentPath: '',
        attachmentName: '',
        attachmentSize: 0,
        messageId: waitingId,
        notBefore: Date.now() + 3_600_000,
      },
    ]);
    expect((await desk2.services.sender.prepare(at2.b)).sends).toEqual([]);
    const outcome = await desk2.services.sender.run(copyTo(desk2, at2.b, address));
    if (!outcome.mail?.ok) throw new Error(`not sent: ${JSON.stringify(outcome.mail)}`);
    const messageId = outcome.mail.messageId;
    expect(messageId).not.toBe(waitingId);
    const received = smtp.received.at(-1);
    expect(smtp.received).toHaveLength(2);
    expect(received?.messageId).toBe(messageId);
    expect(received?.envelopeTo).toEqual([address]);
    const pdf = received?.attachments.find((attachment) => attachment.filename.endsWith('.pdf'));
    const text = await pdfText(pdf?.content ?? new Uint8Array());
    expect(text).toContain('Biuro Rachunkowe');
    expect(text).not.toContain('Bílá & Čížek');
    expect((await officeRows(database)).map((row) => [row.status, row.message_id])).toEqual([
      ['sent', smtp.received[0]?.messageId],
      ['queued', waitingId],
      ['sent', messageId],
    ]);
    await waitUntil(
      async () => (await desk2.services.sends.lastSends()).some((send) => send.documentId === at2.b),
      () => "desk 2 shows B's own copy sent",
    );

    // The office history, filtered by company at desk 2, keeps them apart and names each company.
    const companyOf = (id: number) => desk2.services.documents.getDocument(id)?.companyId ?? 0;
    const historyOf = async (companyId: number) =>
      (await desk2.services.outboxRepository.history({ status: 'all', text: '', batchId: null, limit: 100, companyId })).map(
        (row) => [row.messageId, row.documentNumber, row.companyName, row.queuedByDesk],
      );
    const nameOf = (id: number) => desk2.services.documents.companies.get(companyOf(id))?.name;
    expect(await historyOf(companyOf(at2.b))).toEqual([[messageId, '2026-0001', nameOf(at2.b), petr.desk]]);
    expect((await historyOf(companyOf(at2.a))).sort()).toEqual(
      [
        [smtp.received[0]?.messageId, '2026-0001', nameOf(at2.a), jana.desk],
        [waitingId, '2026-0001', nameOf(at2.a), jana.desk],
      ].sort(),
    );
  });

  test(
    "messages queued before they carried their company's key match at their own desk, and everywhere once it filled them in",
    { timeout: 120_000 },
    async () => {
      const smtp = await smtpServers.start();
      const { app: desk1 } = await outboxApp(smtp, smtpServers.certificate, { identity: jana });
      const database = await freshDatabase();
      await desk1.services.databaseSettings.save(database, { action: 'keep' });
      await connected(desk1);
      const { app: desk2 } = await outboxApp(smtp, smtpServers.certificate, {
        identity: petr,
        machinePrefsDir: desk1.machinePrefsDir,
        secrets: desk1.secrets,
      });
      await connected(desk2);
      const at1 = collidingNumbers(desk1);
      const at2 = collidingNumbers(desk2);
      await settle(desk1, await startBatch(desk1, [at1.a]));
      expect(smtp.received).toHaveLength(1);

      // As an older Kurier wrote it: the number without the company.
      const client = new pg.Client({ connectionString: server?.url(database.database) });
      await client.connect();
      try {
        await client.query("UPDATE outbox_messages SET company_key = ''");
      } finally {
        await client.end();
      }
      // Desk 2 cannot tell whose 2026-0001 it was, so it claims neither.
      const sentAt2 = async () => (await desk2.services.sends.lastSends()).map((send) => send.documentId);
      expect(await sentAt2()).toEqual([]);
      expect((await desk2.services.sender.prepare(at2.b)).sends).toEqual([]);
      expect((await desk1.services.sends.lastSends()).map((send) => send.documentId)).toEqual([at1.a]);

      // Desk 1 (a Kurier of this version, opening the office database) fills the key in for its rows.
      const pool = await openPostgres(server?.url(database.database) ?? '');
      try {
        const reopened = new PgOutboxRepository({
          pool,
          desk: jana.desk,
          ...officeDocuments(() => desk1.services.documents),
        });
        expect((await reopened.lastSentCopies()).map((copy) => copy.documentId)).toEqual([at1.a]);
      } finally {
        await pool.end();
      }
      expect(await sentAt2()).toEqual([at2.a]);
      expect((await desk2.services.sender.prepare(at2.b)).sends).toEqual([]);
    },
  );
});
