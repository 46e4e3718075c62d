/**
 * The office preferences' "Database" section (issue 20, item 1) through the IPC handlers, against a
 * private PostgreSQL that asks for a password (SCRAM) and the real keychain: saving puts the password in
 * the keychain and never in the office file; the connection test says in words what is wrong; the move
 * copies this desk's outbox and can be run again; and a Kurier started with `database: postgres` delivers
 * through the office database, one copy.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, type ShellAdapter } from '../../../../electron/ipc/handlers';
import { databasePasswordKey } from '../../../../electron/services/data/office-database';
import { postgresMigrations } from '../../../../electron/services/data/postgres-database';
import { readOfficeAtStart } from '../../../../electron/services/prefs/office-file';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import type { Channel } from '../../../../shared/channels';
import type { OutputOf, PayloadOf } from '../../../../shared/contract';
import type { ErrorDetails, Result } from '../../../../shared/errors';
import { createTranslator, describeError } from '../../../../shared/i18n';
import type { DatabasePrefs } from '../../../../shared/prefs';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { deliveries, documentsWithAddress, outboxApp, settle, startBatch, waitUntil } from '../../../support/outbox-fixture';
import { postgresAvailable } from '../../../support/outbox-stores';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server';
import { tempDir } from '../../../support/temp-dir';

const password = 'kancelář-heslo-2026';
const smtpServers = faultyServers();
let server: PostgresServer | undefined;

/** The private server (started before the tests run). */
function office(): PostgresServer {
  if (!server) throw new Error('PostgreSQL did not start');
  return server;
}

beforeAll(async () => {
  if (postgresAvailable) server = await startPostgres({ password });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** The office database settings for a fresh database on the private server. */
async function freshDatabase(): Promise<DatabasePrefs & { kind: 'postgres' }> {
  const url = new URL(await office().createDatabase());
  return {
    kind: 'postgres',
    host: '127.0.0.1',
    port: office().port,
    database: url.pathname.slice(1),
    user: office().user,
    tls: 'off',
    trustedCertificate: '',
  };
}

function ipc(app: AppFixture) {
  const handlers = createHandlers(app.services, { kind: 'web' } as ShellAdapter);
  return async <C extends Channel>(channel: C, input: unknown) =>
    (await dispatch(handlers, channel, input, app.services.logger)) as Result<OutputOf<C>>;
}

async function sqliteApp(): Promise<AppFixture> {
  const smtp = await smtpServers.start();
  return (await outboxApp(smtp, smtpServers.certificate)).app;
}

describe.skipIf(!keyringAvailable || !postgresAvailable)('the office database section (PostgreSQL)', () => {
  test('saving puts the password in the keychain, never in the office file', { timeout: 60_000 }, async () => {
    const app = await sqliteApp();
    const database = await freshDatabase();
    const saved = await ipc(app)('database:save', { database, password: { action: 'set', value: password } });
    expect(saved).toMatchObject({
      ok: true,
      value: { saved: { kind: 'postgres', host: '127.0.0.1', database: database.database }, hasPassword: true },
    });
    expect(await app.secrets.get(databasePasswordKey)).toBe(password);
    const file = await readFile((await app.services.prefs.view()).globalLocation.filePath, 'utf8');
    expect(JSON.parse(file)).toMatchObject({
      prefs: { database: { kind: 'postgres', database: database.database, user: 'kurier' } },
    });
    expect(file).not.toContain(password);
    // The choice applies at once: the running app moves to the office database.
    expect(saved.ok && saved.value.running.kind).toBe('postgres');

    // A server on another computer without TLS is refused by the schema, in main.
    const plain = await ipc(app)('database:save', {
      database: { ...database, host: 'db.kancelar.example' },
      password: { action: 'keep' },
    });
    expect(plain).toEqual({ ok: false, error: { code: 'input.invalid', details: { 'database.tls': 'tlsRequired' } } });
  });

  test('the connection test connects, and says in words what is wrong', { timeout: 60_000 }, async () => {
    const app = await sqliteApp();
    const database = await freshDatabase();
    const call = ipc(app);
    const tested = await call('database:test', { database, password });
    expect(tested.ok && tested.value).toMatchObject({ schemaVersion: 0, schemaLatest: postgresMigrations.length });
    expect(tested.ok && tested.value.serverVersion).toMatch(/^15\./);

    const wrong = await call('database:test', { database, password: 'špatné-heslo' });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.error.code).toBe('database.passwordRejected');
    expect(describeError(createTranslator('cs'), wrong.error).message).toBe(
      'Kancelářská databáze odmítla uživatele kurier nebo jeho heslo.',
    );

    const missing = await call('database:test', { database: { ...database, database: 'neni_tu' }, password });
    expect(missing.ok ? null : missing.error.code).toBe('database.missing');
    const closed = await call('database:test', { database: { ...database, port: 1 }, password });
    expect(closed.ok ? null : closed.error.code).toBe('database.unreachable');

    // Without a typed password the saved one is used.
    await call('database:save', { database, password: { action: 'set', value: password } });
    expect((await call('database:test', { database })).ok).toBe(true);
  });

  test('the password reaches no log line and no office table', { timeout: 60_000 }, async () => {
    const lines: unknown[] = [];
    const app = await createAppFixture({ logSink: (line) => lines.push(line) });
    const database = await freshDatabase();
    const call = ipc(app);
    await call('database:save', { database, password: { action: 'set', value: password } });
    await call('database:test', { database, password: 'špatné-heslo' });
    await call('database:test', { database: { ...database, database: 'neni_tu' }, password });
    expect((await call('database:move', undefined)).ok).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(password);
    expect(logged).not.toContain('špatné-heslo');
    const client = new pg.Client({ connectionString: office().url(database.database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ found: number }>(
        `SELECT count(*)::int AS found FROM (
           SELECT row_to_json(m)::text AS t FROM outbox_messages m UNION ALL
           SELECT row_to_json(b)::text FROM outbox_batches b UNION ALL
           SELECT row_to_json(k)::text FROM kurier_schema k) everything WHERE t LIKE '%' || $1 || '%'`,
        [password],
      );
      expect(rows[0]?.found).toBe(0);
    } finally {
      await client.end();
    }
  });

  test('moving this desk’s outbox reports counts and can be run again', { timeout: 90_000 }, async () => {
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate);
    const batchId = await startBatch(app, documentsWithAddress(app, 2));
    await settle(app, batchId);
    expect(smtp.received).toHaveLength(2);
    const stages: string[] = [];
    app.forwardEvents((event, payload) => {
      if (event === 'database:moveProgressed') stages.push((payload as PayloadOf<'database:moveProgressed'>).stage);
    });
    const call = ipc(app);

    expect(await call('database:move', undefined)).toMatchObject({ ok: false, error: { code: 'database.notChosen' } });
    const database = await freshDatabase();
    await call('database:save', { database, password: { action: 'set', value: password } });
    // The saved choice applies at once; the move starts once this desk is connected to it, as after the
    // Save button's answer. A move started in the same instant as the switch's first connection failed
    // once in a loaded full run (cause not pinned down; the move says why in words and can be run again).
    await expect
      .poll(async () => {
        const status = await call('database:status', undefined);
        return status.ok && status.value.running.kind === 'postgres' ? status.value.running.state : '';
      })
      .toBe('connected');
    expect(await call('database:move', undefined)).toMatchObject({
      ok: true,
      value: { batches: 1, messages: 2, alreadyMoved: 0 },
    });
    expect(stages).toEqual(['connecting', 'copying', 'done']);
    expect(await call('database:move', undefined)).toMatchObject({
      ok: true,
      value: { batches: 0, messages: 0, alreadyMoved: 2 },
    });

    const client = new pg.Client({ connectionString: office().url(database.database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string }>('SELECT status FROM outbox_messages ORDER BY id');
      expect(rows.map((row) => row.status)).toEqual(['sent', 'sent']);
    } finally {
      await client.end();
    }
  });

  test('a Kurier started with the office database delivers through it, one copy', { timeout: 90_000 }, async () => {
    // The administrator saves the choice (office file) and the password (keychain) at one Kurier…
    const first = await sqliteApp();
    const database = await freshDatabase();
    expect((await ipc(first)('database:save', { database, password: { action: 'set', value: password } })).ok).toBe(true);

    // …and the next Kurier started with that office file and keychain sends from PostgreSQL.
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      machinePrefsDir: first.machinePrefsDir,
      secrets: first.secrets,
    });
    await waitUntil(
      () =>
        app.services.officeDatabase().kind === 'postgres' &&
        'state' in app.services.officeDatabase() &&
        (app.services.officeDatabase() as { state: string }).state === 'connected',
      () => app.services.officeDatabase(),
    );
    expect(app.services.outboxRepository.kind).toBe('postgres');
    const batchId = await startBatch(app, documentsWithAddress(app, 1));
    await settle(app, batchId);
    expect([...deliveries(smtp).values()]).toEqual([1]);

    const client = new pg.Client({ connectionString: office().url(database.database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; message_id: string }>(
        'SELECT status, message_id FROM outbox_messages',
      );
      expect(rows).toEqual([{ status: 'sent', message_id: smtp.received[0]?.messageId }]);
    } finally {
      await client.end();
    }
    // This desk's own file holds none of it.
    expect(app.services.outbox.history({ status: 'all', text: '', batchId: null, limit: 100 })).toEqual([]);
  });

  test('a Kurier whose office database is out of reach opens and says so', { timeout: 60_000 }, async () => {
    const first = await sqliteApp();
    const database = { ...(await freshDatabase()), port: 1 };
    await ipc(first)('database:save', { database, password: { action: 'set', value: password } });
    const smtp = await smtpServers.start();
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      machinePrefsDir: first.machinePrefsDir,
      secrets: first.secrets,
    });
    await waitUntil(
      () =>
        'state' in app.services.officeDatabase() && (app.services.officeDatabase() as { state: string }).state === 'unreachable',
      () => app.services.officeDatabase(),
    );
    const status = await ipc(app)('database:status', undefined);
    expect(status.ok && status.value.running.kind === 'postgres' && status.value.running.state === 'unreachable').toBe(true);
    if (!status.ok || status.value.running.kind !== 'postgres' || status.value.running.state !== 'unreachable') return;
    expect(describeError(createTranslator('en'), status.value.running.error).message).toBe(
      `The office database ${database.database} at 127.0.0.1:1 cannot be reached.`,
    );
    // Sending waits: a batch cannot be queued anywhere else, and nothing reaches the server.
    await expect(startBatch(app, documentsWithAddress(app, 1))).rejects.toThrow();
    expect(smtp.received).toHaveLength(0);
  });

  test(
    'a database changed in the office file behind this user’s back waits for their confirmation',
    { timeout: 90_000 },
    async () => {
      // This user has run Kurier before, with the office file saying nothing of a database…
      const desk = await sqliteApp();
      // …then the office file is changed to point at a PostgreSQL (here by another Kurier saving it).
      const admin = await createAppFixture({ machinePrefsDir: desk.machinePrefsDir, secrets: desk.secrets });
      const database = await freshDatabase();
      expect((await ipc(admin)('database:save', { database, password: { action: 'set', value: password } })).ok).toBe(true);

      const smtp = await smtpServers.start();
      const { app } = await outboxApp(smtp, smtpServers.certificate, {
        dataDir: desk.dataDir,
        machinePrefsDir: desk.machinePrefsDir,
        secrets: desk.secrets,
      });
      const state = () => app.services.officeDatabase() as { state?: string; error?: { code: string } };
      await waitUntil(() => state().state === 'unreachable', state);
      expect(state().error?.code).toBe('prefs.officeChangeUnconfirmed');
      const review = await app.services.prefs.officeReview();
      expect(review.holding).toContain('database');

      await app.services.confirmOffice({ database: review.digests.database });
      await waitUntil(() => state().state === 'connected', state, 20_000);
    },
  );

  test(
    'an office file that answers only after start-up with the office database: it applies then, without a restart',
    { timeout: 60_000 },
    async () => {
      const machinePrefsDir = await tempDir('kurier-hung-share-');
      const filePath = path.join(machinePrefsDir, globalPrefsFileName);
      execFileSync('mkfifo', [filePath]);
      const dataDir = await tempDir('kurier-data-');
      const officeStart = await readOfficeAtStart({ dataDir, machinePrefsDir, env: {}, timeoutMs: 300 });
      expect(officeStart.outcome.answered).toBe(false);
      const app = await createAppFixture({ dataDir, machinePrefsDir, officeStart });
      expect(app.services.officeDatabase()).toEqual({ kind: 'sqlite' });
      // Until the office file answers, its choice is not known: nothing is sent from this desk's file.
      expect(app.services.worker.running).toBe(false);

      const database = await freshDatabase();
      const text = `${JSON.stringify({ version: 1, prefs: { database } })}\n`;
      const writer = openSync(filePath, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(writer, text);
      closeSync(writer);
      await writeFile(`${filePath}.tmp`, text);
      await rename(`${filePath}.tmp`, filePath);

      const state = () => app.services.officeDatabase() as { state?: string; error?: { code: string; details: ErrorDetails } };
      await app.secrets.set(databasePasswordKey, password);
      await waitUntil(() => state().state === 'connected', state, 30_000);
      expect(app.services.outboxRepository.kind).toBe('postgres');
      await waitUntil(
        () => app.services.worker.running,
        () => 'the worker started on the office database',
      );
    },
  );
});
