/**
 * The office PostgreSQL as the preferences choose it (issue 20): its password in the keychain, the
 * connection test the preferences window runs, and what a failure means in the user's words (a closed
 * set of error codes, translated in the windows).
 */
import pg from 'pg';
import { KurierError, type ErrorCode } from '../../../shared/errors';
import type { DatabaseTestResult } from '../../../shared/office-database';
import type { PostgresDatabasePrefs } from '../../../shared/prefs';
import { applyPostgresMigrations, poolConfig, postgresMigrations, type PostgresSettings } from './postgres-database';

/** The keychain entry of the office database's password (one per OS user, like the office SMTP one). */
export const databasePasswordKey = { scope: 'global', id: 'postgres:office' } as const;

/** The settings the pool needs, from the preferences. */
export function postgresSettings(prefs: PostgresDatabasePrefs): PostgresSettings {
  return {
    host: prefs.host,
    port: prefs.port,
    database: prefs.database,
    user: prefs.user,
    tls: prefs.tls,
    ...(prefs.trustedCertificate.trim() !== '' ? { ca: prefs.trustedCertificate } : {}),
  };
}

/** Node's certificate errors, each with what is wrong in the user's words (`certReasons` in the catalogs). */
const untrustedCertificates = new Map([
  ['SELF_SIGNED_CERT_IN_CHAIN', 'selfSignedChain'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'selfSigned'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknownIssuer'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'unknownIssuer'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknownIssuer'],
  ['CERT_HAS_EXPIRED', 'expired'],
  ['CERT_NOT_YET_VALID', 'notYetValid'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'hostnameMismatch'],
]);
const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** What a failure to reach or use the office database means, as one of our error codes. */
export function databaseErrorCode(error: unknown): ErrorCode {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : '';
  if (code === '28P01' || code === '28000') return 'database.passwordRejected';
  if (code === '3D000') return 'database.missing';
  if (untrustedCertificates.has(code)) return 'database.certificateUntrusted';
  if (/does not support SSL/i.test(message)) return 'database.tlsUnavailable';
  if (/password must be a string|no password/i.test(message)) return 'database.passwordMissing';
  if (/newer than this build/i.test(message)) return 'database.newerSchema';
  if (unreachable.has(code) || /timeout|terminated/i.test(message)) return 'database.unreachable';
  return 'database.failed';
}

/** A failure of the office database as a KurierError the windows translate. */
export function databaseError(
  error: unknown,
  settings: Pick<PostgresSettings, 'host' | 'port' | 'database' | 'user'>,
): KurierError {
  if (error instanceof KurierError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = untrustedCertificates.get(code);
  return new KurierError(
    databaseErrorCode(error),
    {
      host: settings.host,
      port: String(settings.port),
      database: settings.database,
      user: settings.user,
      ...(reason ? { reason } : {}),
    },
    { cause: error },
  );
}

/**
 * Connects with TLS as set, runs `SELECT 1`, and reads the schema version without changing anything.
 *
 * @throws KurierError `database.*` saying what went wrong.
 */
export async function testOfficeDatabase(settings: PostgresSettings, password: string | null): Promise<DatabaseTestResult> {
  const client = new pg.Client({ ...poolConfig(settings, password), connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const table = await client.query<{ present: boolean }>("SELECT to_regclass('kurier_schema') IS NOT NULL AS present");
    const version =
      table.rows[0]?.present === true
        ? ((await client.query<{ version: number }>('SELECT version FROM kurier_schema')).rows[0]?.version ?? 0)
        : 0;
    if (version > postgresMigrations.length) throw new Error('Office database schema version is newer than this build knows.');
    return { serverVersion: rows[0]?.server_version ?? '', schemaVersion: version, schemaLatest: postgresMigrations.length };
  } catch (error) {
    throw databaseError(error, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where the office database stands for this running Kurier. */
export type OfficeDatabaseState =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'postgres'; readonly state: 'connecting' | 'connected' }
  | { readonly kind: 'postgres'; readonly state: 'unreachable'; readonly error: KurierError };

/** What the windows show of a state: the same key, nothing new to tell them. */
function stateKey(state: OfficeDatabaseState): string {
  if (state.kind === 'sqlite') return 'sqlite';
  if (state.state !== 'unreachable') return state.state;
  return JSON.stringify([state.state, state.error.code, state.error.details]);
}

/**
 * The pool of the office database chosen at start, migrated in the background: while the server cannot be
 * reached the app runs, says so, and tries again every `retryMs`; `ready` settles once migrated.
 */
export class OfficeDatabase {
  readonly pool: pg.Pool;
  #state: OfficeDatabaseState = { kind: 'postgres', state: 'connecting' };
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #listeners = new Set<(state: OfficeDatabaseState) => void>();
  readonly ready: Promise<void>;

  constructor(
    readonly settings: PostgresSettings,
    options: {
      readonly password: () => Promise<string | null>;
      /** Checked before the first connection (the user confirmed the office file's database); throws when not. */
      readonly guard?: () => Promise<void>;
      readonly retryMs?: number;
    },
  ) {
    const retryMs = options.retryMs ?? 5_000;
    // `pg` asks for the password on every new connection: a password changed in the keychain applies.
    this.pool = new pg.Pool({ ...poolConfig(settings, null), password: async () => (await options.password()) ?? '' });
    this.pool.on('error', () => undefined);
    this.ready = new Promise((resolve) => {
      const attempt = () => {
        if (this.#closed) return;
        const migrated = async () => {
          await options.guard?.();
          await applyPostgresMigrations(this.pool, postgresMigrations);
        };
        migrated().then(
          () => {
            this.#set({ kind: 'postgres', state: 'connected' });
            resolve();
          },
          (error: unknown) => {
            this.#set({ kind: 'postgres', state: 'unreachable', error: databaseError(error, settings) });
            this.#timer = setTimeout(attempt, retryMs);
            this.#timer.unref();
          },
        );
      };
      this.#attempt = attempt;
      attempt();
    });
  }

  #attempt: (() => void) | undefined;

  /** Tries again now instead of at the next retry (the user just confirmed the office file's database). */
  retryNow(): void {
    if (this.#state.kind === 'postgres' && this.#state.state === 'unreachable') {
      clearTimeout(this.#timer);
      this.#attempt?.();
    }
  }

  state(): OfficeDatabaseState {
    return this.#state;
  }

  onState(listener: (state: OfficeDatabaseState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records `state`; the listeners hear of it only when where the database stands changed (not at each retry). */
  #set(state: OfficeDatabaseState): void {
    const same = stateKey(state) === stateKey(this.#state);
    this.#state = state;
    if (same) return;
    for (const listener of this.#listeners) listener(state);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.pool.end().catch(() => undefined);
  }
}
