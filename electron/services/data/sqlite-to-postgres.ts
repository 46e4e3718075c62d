/**
 * Moves this desk's SQLite outbox and send history into the office PostgreSQL (issue 20): every batch,
 * every message with its attempts, server answers and who sent it (user, desk, delivering desk), and the
 * notifications already sent. One
 * transaction in PostgreSQL: all of it or nothing. It can be run again at any time and adds nothing
 * twice — a batch is known by its origin (`<desk>:sqlite:<id>`), a message by its Message-ID, a
 * notification by its key — so a move interrupted, or repeated after more was sent from SQLite, loses
 * nothing and duplicates nothing.
 *
 * The moved batches keep no mailbox: only this desk claims their waiting messages (it has the account
 * and its password). A message left `sending` by a crash arrives `uncertain` when its data had been
 * handed over, else queued — the outbox's own rules. The SQLite file is left as it was (read only here).
 */
import type { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import type { DocumentKey } from '../../../shared/outbox';

/** What a move did. */
export interface MoveReport {
  /** Batches and messages added now; those already moved by an earlier run are not counted. */
  readonly batches: number;
  readonly messages: number;
  readonly notifications: number;
  /** Messages found in PostgreSQL already (an earlier move). */
  readonly alreadyMoved: number;
}

interface SqliteBatch {
  id: number;
  created_at: number;
  kind: string;
  account_scope: string;
  status: string;
  resume_at: number | null;
  reason_code: string;
  reason_details: string;
  company_id: number | null;
}

type SqliteMessage = Record<string, string | number | null>;

const messageColumns = [
  'document_id',
  'recipient',
  'recipient_name',
  'cc',
  'bcc',
  'subject',
  'body',
  'language',
  'attachment_path',
  'attachment_name',
  'attachment_size',
  'extra_attachments',
  'company_id',
  'message_id',
  'route',
  'status',
  'attempts',
  'not_before',
  'last_code',
  'last_response',
  'last_details',
  'created_at',
  'updated_at',
  'sent_at',
  'data_sent_at',
  'queued_by_user',
  'queued_by_desk',
] as const;

/** Moves (copies, idempotently) the outbox of `db` into the office database behind `pool`. */
export async function moveSqliteOutboxToPostgres(
  db: DatabaseSync,
  pool: pg.Pool,
  options: { readonly desk: string; readonly documentKey?: (documentId: number) => DocumentKey },
): Promise<MoveReport> {
  const batches = db.prepare('SELECT * FROM outbox_batches ORDER BY id').all() as unknown as SqliteBatch[];
  const messages = db.prepare('SELECT * FROM outbox_messages ORDER BY id').all() as unknown as SqliteMessage[];
  const notifications = db
    .prepare('SELECT key, event, created_at, batch_id FROM notifications ORDER BY key')
    .all() as unknown as {
    key: string;
    event: string;
    created_at: number;
    batch_id: number | null;
  }[];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const batchIds = new Map<number, number>();
    let addedBatches = 0;
    for (const batch of batches) {
      const origin = `${options.desk}:sqlite:${String(batch.id)}`;
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO outbox_batches (created_at, kind, account_scope, status, resume_at, reason_code, reason_details, company_id,
           mailbox, desk, origin)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $10) ON CONFLICT (origin) DO NOTHING RETURNING id`,
        [
          batch.created_at,
          batch.kind,
          batch.account_scope,
          batch.status,
          batch.resume_at,
          batch.reason_code,
          batch.reason_details,
          batch.company_id,
          options.desk,
          origin,
        ],
      );
      let id = inserted.rows[0]?.id;
      if (id === undefined) {
        const existing = await client.query<{ id: number }>('SELECT id FROM outbox_batches WHERE origin = $1', [origin]);
        id = existing.rows[0]?.id ?? 0;
      } else addedBatches += 1;
      batchIds.set(batch.id, id);
    }
    let addedMessages = 0;
    for (const message of messages) {
      const values = messageColumns.map((column) =>
        column === 'extra_attachments' ? (message[column] ?? '[]') : (message[column] ?? null),
      );
      const status = String(message['status']);
      // A row this desk left `sending` (a crash before the move): the outbox's recovery rules.
      if (status === 'sending')
        values[messageColumns.indexOf('status')] = message['data_sent_at'] === null ? 'queued' : 'uncertain';
      const documentId = message['document_id'];
      // How every desk knows the document: its company's key and its number (ids are this desk's).
      const key = typeof documentId === 'number' ? options.documentKey?.(documentId) : undefined;
      const placeholders = messageColumns.map((_, index) => `$${String(index + 6)}`).join(', ');
      // Who delivered it: in the office database, the desk that claimed it.
      const deliveredBy = message['delivered_by_desk'];
      const inserted = await client.query(
        `INSERT INTO outbox_messages (batch_id, document_number, company_key, resent_after_uncertain, claimed_by,
           ${messageColumns.join(', ')})
         VALUES ($1, $2, $3, $4, $5, ${placeholders}) ON CONFLICT (message_id) DO NOTHING`,
        [
          batchIds.get(Number(message['batch_id'])),
          key?.number ?? '',
          key?.companyKey ?? '',
          message['resent_after_uncertain'] === 1,
          typeof deliveredBy === 'string' && deliveredBy !== '' ? deliveredBy : null,
          ...values,
        ],
      );
      addedMessages += inserted.rowCount ?? 0;
    }
    let addedNotifications = 0;
    for (const notification of notifications) {
      const inserted = await client.query(
        'INSERT INTO notifications (key, event, created_at, batch_id) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
        [
          notification.key,
          notification.event,
          notification.created_at,
          notification.batch_id === null ? null : (batchIds.get(notification.batch_id) ?? null),
        ],
      );
      addedNotifications += inserted.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return {
      batches: addedBatches,
      messages: addedMessages,
      notifications: addedNotifications,
      alreadyMoved: messages.length - addedMessages,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
