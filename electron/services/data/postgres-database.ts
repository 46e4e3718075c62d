/**
 * The office PostgreSQL (issue 20): one database shared by every desk of the office for the outbox,
 * the mailboxes' office-wide limits and the send history. Connections go through `pg`'s pool; bigint
 * columns (epoch milliseconds, ids) come back as numbers — every value we store fits in 2^53.
 *
 * Migrations are forward-only and versioned like SQLite's (data/database.ts): entry `i` moves the
 * schema from version `i` to `i + 1`, recorded in `kurier_schema`. Every desk runs them when it opens
 * the database, under a transaction-scoped advisory lock, so two desks starting at once cannot both
 * migrate. Never edit or reorder an entry that has shipped.
 */
import pg from 'pg';

/** Where the office database is. The password comes from the keychain, never from a file. */
export interface PostgresSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** `verify`: TLS with the server's certificate checked (the default); `off`: plain (a test server on 127.0.0.1). */
  readonly tls: 'verify' | 'off';
  /** Extra PEM authorities to trust (the office's own CA). */
  readonly ca?: string;
}

/** The schema, version by version. */
export const postgresMigrations: readonly string[] = [
  // 1: the outbox, as SQLite's migrations 3, 5, 8, 9 and 12 left it, plus what sharing needs: which
  // desk created a batch and which mailbox it sends from; which desk claimed a message and until when
  // (the lease); the document's number (the documents stay in each desk's file). Mailboxes hold their
  // limits for every desk: rate slots (one row per message allowed in a window) and connection slots.
  `
  CREATE TABLE outbox_batches (
    id              bigserial PRIMARY KEY,
    created_at      bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('send', 'testToMe', 'copy', 'notification')),
    account_scope   text NOT NULL CHECK (account_scope IN ('user', 'global')),
    status          text NOT NULL CHECK (status IN ('running', 'paused', 'stopped', 'cancelled', 'done')),
    resume_at       bigint,
    reason_code     text NOT NULL DEFAULT '',
    reason_details  text NOT NULL DEFAULT '{}',
    company_id      bigint,
    mailbox         text NOT NULL DEFAULT '',
    desk            text NOT NULL DEFAULT '',
    created_by      text NOT NULL DEFAULT ''
  );
  CREATE INDEX outbox_batches_by_status ON outbox_batches (status, account_scope);
  CREATE TABLE outbox_messages (
    id              bigserial PRIMARY KEY,
    batch_id        bigint NOT NULL REFERENCES outbox_batches (id),
    document_id     bigint,
    document_number text NOT NULL DEFAULT '',
    recipient       text NOT NULL,
    recipient_name  text NOT NULL,
    cc              text NOT NULL DEFAULT '',
    bcc             text NOT NULL DEFAULT '',
    subject         text NOT NULL,
    body            text NOT NULL,
    language        text NOT NULL DEFAULT 'cs' CHECK (language IN ('cs', 'pl', 'en')),
    attachment_path text NOT NULL,
    attachment_name text NOT NULL,
    attachment_size bigint NOT NULL,
    extra_attachments text NOT NULL DEFAULT '[]',
    company_id      bigint,
    message_id      text NOT NULL UNIQUE,
    route           text NOT NULL DEFAULT 'smtp',
    status          text NOT NULL
                    CHECK (status IN ('queued', 'sending', 'sent', 'retry', 'failed', 'uncertain', 'cancelled')),
    attempts        integer NOT NULL DEFAULT 0,
    not_before      bigint NOT NULL,
    last_code       text NOT NULL DEFAULT '',
    last_response   text NOT NULL DEFAULT '',
    last_details    text NOT NULL DEFAULT '{}',
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    sent_at         bigint,
    data_sent_at    bigint,
    resent_after_uncertain boolean NOT NULL DEFAULT false,
    claimed_by      text,
    lease_until     bigint,
    mailbox         text NOT NULL DEFAULT '',
    rate_slot       integer
  );
  CREATE INDEX outbox_due ON outbox_messages (status, not_before);
  CREATE INDEX outbox_by_batch ON outbox_messages (batch_id, status);
  CREATE INDEX outbox_sent_at ON outbox_messages (mailbox, sent_at);
  CREATE INDEX outbox_leases ON outbox_messages (lease_until) WHERE status = 'sending';
  CREATE TABLE notifications (
    key         text PRIMARY KEY,
    event       text NOT NULL,
    created_at  bigint NOT NULL,
    batch_id    bigint REFERENCES outbox_batches (id)
  );
  CREATE TABLE mailboxes (
    key                  text PRIMARY KEY,
    per_window           integer NOT NULL,
    window_ms            bigint NOT NULL,
    connections          integer NOT NULL,
    hold_until           bigint NOT NULL DEFAULT 0,
    hold_response        text NOT NULL DEFAULT '',
    password_rejected_at bigint,
    updated_at           bigint NOT NULL
  );
  CREATE TABLE mailbox_rate_slots (
    mailbox     text NOT NULL REFERENCES mailboxes (key) ON DELETE CASCADE,
    slot        integer NOT NULL,
    free_at     bigint NOT NULL DEFAULT 0,
    message_id  bigint,
    PRIMARY KEY (mailbox, slot)
  );
  CREATE TABLE mailbox_connections (
    mailbox     text NOT NULL REFERENCES mailboxes (key) ON DELETE CASCADE,
    slot        integer NOT NULL,
    holder      text,
    lease_until bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox, slot)
  );
  `,
  // 2: where a batch came from when a desk moved its SQLite outbox in (data/sqlite-to-postgres.ts):
  // "<desk>:sqlite:<id>", unique, so moving again adds nothing twice.
  `
  ALTER TABLE outbox_batches ADD COLUMN origin text UNIQUE;
  `,
  // 3: who sent it (SQLite's migration 15): the user and desk that queued each message; the desk that
  // delivered it is the one that claimed it (claimed_by). The double-send guard looks documents up by
  // number and address: the documents stay in each desk's file, so their ids differ between desks.
  `
  ALTER TABLE outbox_messages ADD COLUMN queued_by_user text NOT NULL DEFAULT '';
  ALTER TABLE outbox_messages ADD COLUMN queued_by_desk text NOT NULL DEFAULT '';
  CREATE INDEX outbox_by_document_number ON outbox_messages (document_number) WHERE document_number <> '';
  CREATE INDEX outbox_by_document_id ON outbox_messages (document_id, queued_by_desk);
  `,
  // 4: a client company's own SMTP account (SQLite's migration 18): a batch's scope may be `company:<key>`.
  `
  ALTER TABLE outbox_batches DROP CONSTRAINT outbox_batches_account_scope_check;
  ALTER TABLE outbox_batches ADD CONSTRAINT outbox_batches_account_scope_check
    CHECK (account_scope IN ('user', 'global') OR account_scope ~ '^company:[0-9A-Z]+$');
  `,
  // 5: the issuing company's key (shared/company-identifiers.ts companyKey) on every
  // message: an office's client companies number their documents alike ("2026-0001" at A and at B), so
  // desks know a document by company key and number, never by number alone. The companies are in each
  // desk's file, so no statement here can fill the key in: each desk fills it in for the rows it queued
  // (PgOutboxRepository); until then such rows match only at their own desk, by document id.
  `
  ALTER TABLE outbox_messages ADD COLUMN company_key text NOT NULL DEFAULT '';
  DROP INDEX outbox_by_document_number;
  CREATE INDEX outbox_by_document_key ON outbox_messages (company_key, document_number)
    WHERE company_key <> '' AND document_number <> '';
  CREATE INDEX outbox_keyless_by_desk ON outbox_messages (queued_by_desk) WHERE company_key = '' AND document_id IS NOT NULL;
  `,
];

/** `pg` returns bigint (int8) columns and counts as strings by default; ours are all safe integers. */
function numberTypes(): pg.TypeOverrides {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(20, 'text', (value: string) => Number(value));
  return overrides;
}
const types = numberTypes();

/** The pool's settings for `settings` with `password` (from the keychain; null when none is needed). */
export function poolConfig(settings: PostgresSettings, password: string | null): pg.PoolConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    ...(password !== null ? { password } : {}),
    ssl: settings.tls === 'off' ? false : { rejectUnauthorized: true, ...(settings.ca ? { ca: settings.ca } : {}) },
    connectionTimeoutMillis: 10_000,
    // A statement that hangs (a lock held by a desk gone silent) fails instead of holding a lane forever.
    statement_timeout: 30_000,
    max: 10,
    types,
  };
}

/** Opens a pool on `connectionString` (tests; the app uses {@link poolConfig}) and migrates. */
export async function openPostgres(config: pg.PoolConfig | string): Promise<pg.Pool> {
  const pool = new pg.Pool(
    typeof config === 'string' ? { connectionString: config, types, max: 10, connectionTimeoutMillis: 10_000 } : config,
  );
  // An idle connection the server dropped must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await applyPostgresMigrations(pool, postgresMigrations);
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** Arbitrary, fixed: the advisory lock under which a desk migrates. */
const migrationLock = 2020_0020;

/**
 * Runs the migrations the database has not run yet, each in its own transaction with the version bump.
 *
 * @throws when the database was migrated by a newer Kurier.
 */
export async function applyPostgresMigrations(pool: pg.Pool, list: readonly string[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS kurier_schema (version integer NOT NULL)');
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
        const { rows } = await client.query<{ version: number }>('SELECT version FROM kurier_schema');
        const version = rows[0]?.version ?? 0;
        if (version > list.length)
          throw new Error(
            `Office database schema version ${String(version)} is newer than this build knows (${String(list.length)}).`,
          );
        if (version === list.length) {
          await client.query('COMMIT');
          return version;
        }
        await client.query(list[version] ?? '');
        if (rows.length === 0) await client.query('INSERT INTO kurier_schema (version) VALUES (1)');
        else await client.query('UPDATE kurier_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    client.release();
  }
}
