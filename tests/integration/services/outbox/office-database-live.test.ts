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
import { postgresAvailable } from '../../../support/outbox-stores';
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
});
