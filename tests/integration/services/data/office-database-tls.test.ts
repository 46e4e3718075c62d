/**
 * TLS to the office PostgreSQL with the certificate checked (issue 20): a private server with ssl=on
 * and a certificate issued by an office authority made with openssl. With that authority trusted Kurier
 * connects over TLS (pg_stat_ssl says so for its own connections); without it — or trusting another
 * authority — the connection is refused with a translated error naming the certificate problem, and
 * nothing is sent. Checking is on unless the user trusts that certificate (a self-signed server's own).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresSettings, testOfficeDatabase } from '../../../../electron/services/data/office-database';
import { poolConfig } from '../../../../electron/services/data/postgres-database';
import { KurierError } from '../../../../shared/errors';
import { createTranslator, describeError } from '../../../../shared/i18n';
import type { PostgresDatabasePrefs } from '../../../../shared/prefs';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestAuthority, createTestCertificate } from '../../../support/certificates';
import { waitUntil } from '../../../support/outbox-fixture';
import { postgresAvailable } from '../../../support/outbox-stores';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server';

const password = 'kancelář-heslo-2026';
const authority = postgresAvailable ? createTestAuthority() : null;
let server: PostgresServer | undefined;

beforeAll(async () => {
  if (authority) server = await startPostgres({ password, tls: authority.issue(['IP:127.0.0.1']) });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function database(on: PostgresServer, trustedCertificate: string): Promise<PostgresDatabasePrefs> {
  return {
    kind: 'postgres',
    host: '127.0.0.1',
    port: on.port,
    database: new URL(await on.createDatabase()).pathname.slice(1),
    user: on.user,
    tls: 'verify',
    trustedCertificate,
  };
}

/** Whether every connection of `name` other than this one's is encrypted, and how many there are. */
async function encryptedConnections(on: PostgresServer, name: string): Promise<{ count: number; allSsl: boolean }> {
  const admin = new pg.Client({ ...poolConfig({ ...postgresSettings(await database(on, authority?.cert ?? '')) }, password) });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ count: number; all_ssl: boolean | null }>(
      `SELECT count(*)::int AS count, bool_and(s.ssl) AS all_ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
       WHERE a.datname = $1 AND a.pid <> pg_backend_pid()`,
      [name],
    );
    return { count: rows[0]?.count ?? 0, allSsl: rows[0]?.all_ssl === true };
  } finally {
    await admin.end();
  }
}

async function refused(settings: PostgresDatabasePrefs): Promise<KurierError> {
  const error = await testOfficeDatabase(postgresSettings(settings), password).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof KurierError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe.skipIf(!postgresAvailable)('TLS to the office database', () => {
  test('with the office authority trusted, Kurier connects over TLS', { timeout: 60_000 }, async () => {
    if (!server || !authority) throw new Error('PostgreSQL did not start');
    const settings = await database(server, authority.cert);
    await expect(testOfficeDatabase(postgresSettings(settings), password)).resolves.toMatchObject({ schemaVersion: 0 });
    const pool = new pg.Pool(poolConfig(postgresSettings(settings), password));
    try {
      const { rows } = await pool.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows).toEqual([{ ssl: true }]);
    } finally {
      await pool.end();
    }
  });

  test('an untrusted certificate is refused, saying what is wrong with it, in every language', { timeout: 60_000 }, async () => {
    if (!server || !authority) throw new Error('PostgreSQL did not start');
    for (const trusted of ['', createTestAuthority('Some other CA').cert]) {
      const error = await refused(await database(server, trusted));
      expect(error.code).toBe('database.certificateUntrusted');
      expect(error.details.reason).toBe('unknownIssuer');
      const shape = error.toShape();
      expect(describeError(createTranslator('en'), shape).message).toBe(
        'The office database server 127.0.0.1 presented a certificate Kurier does not trust (issued by an unknown authority).',
      );
      for (const language of ['cs', 'pl'] as const) {
        const message = describeError(createTranslator(language), shape).message;
        expect(message).toContain(createTranslator(language)('certReasons.unknownIssuer'));
        expect(message).not.toContain('{');
      }
    }
    // The server's certificate is checked for its name too: issued for 127.0.0.1, reached as localhost.
    const byName = await refused({ ...(await database(server, authority.cert)), host: 'localhost' });
    expect(byName.code).toBe('database.certificateUntrusted');
    expect(byName.details.reason).toBe('hostnameMismatch');
  });

  test.skipIf(!keyringAvailable)(
    'a Kurier on the office database: its own connections are encrypted; untrusted, it sends nothing',
    { timeout: 90_000 },
    async () => {
      if (!server || !authority) throw new Error('PostgreSQL did not start');
      const state = (app: AppFixture) => app.services.officeDatabase() as { state?: string; error?: { code: string } };
      const trusted = await database(server, authority.cert);
      const app = await createAppFixture();
      await app.services.databaseSettings.save(trusted, { action: 'set', value: password });
      await waitUntil(
        () => state(app).state === 'connected',
        () => state(app),
        30_000,
      );
      const seen = await encryptedConnections(server, trusted.database);
      expect(seen.count).toBeGreaterThan(0);
      expect(seen.allSsl).toBe(true);

      const untrusted = { ...trusted, trustedCertificate: '' };
      await app.services.databaseSettings.save(untrusted, { action: 'keep' });
      await waitUntil(
        () => state(app).state === 'unreachable',
        () => state(app),
        30_000,
      );
      expect(state(app).error?.code).toBe('database.certificateUntrusted');
      expect(app.services.worker.running).toBe(false);
    },
  );

  test('a self-signed server is trusted only when its own certificate is pasted', { timeout: 90_000 }, async () => {
    const certificate = createTestCertificate(['IP:127.0.0.1']);
    const own = await startPostgres({ password, tls: certificate });
    try {
      const error = await refused(await database(own, ''));
      expect(error.details.reason).toBe('selfSigned');
      await expect(testOfficeDatabase(postgresSettings(await database(own, certificate.cert)), password)).resolves.toMatchObject({
        schemaVersion: 0,
      });
    } finally {
      await own.stop();
    }
  });
});
