/**
 * The outbox in SQLite: batches and one row per message. Every state change is one statement (or one
 * transaction), committed before the worker acts on it, so a crash at any point leaves rows that say
 * exactly what happened — including `sending`, which after a crash means "may have been delivered" and
 * becomes `uncertain`, never silently queued again.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ErrorCode, ErrorDetails } from '../../../shared/errors';
import type { Language } from '../../../shared/domain';
import type { AccountScope } from '../../../shared/prefs';
import type {
  BatchKind,
  BatchStatus,
  MessageStatus,
  OutboxCounts,
  OutboxMessageView,
  HistoryQuery,
  EarlierCopy,
  DuplicateChoice,
} from '../../../shared/outbox';
import type { DocumentCopy, LastSentCopy, WaitingCopy } from './outbox-repository';
import {
  newestPerDocument,
  rowToBatch,
  rowToHistoryView,
  rowToMessage,
  toDocumentCopy,
  type RawBatchRow,
  type RawCopy,
  type RawMessageRow,
} from './outbox-rows';
import { WalCheckpointer } from './wal-checkpointer';

/** A file sent beside the message's main attachment (an e-invoice beside its PDF). */
export interface OutboxAttachment {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
}

/** A message to queue. */
export interface NewMessage {
  readonly documentId: number | null;
  readonly recipient: string;
  readonly recipientName: string;
  readonly cc: string;
  readonly bcc: string;
  readonly subject: string;
  readonly body: string;
  /** The message's language (the partner's): the HTML part's `lang`. */
  readonly language: Language;
  readonly attachmentPath: string;
  readonly attachmentName: string;
  readonly attachmentSize: number;
  /** Files after the main attachment, in order (none unless given). */
  readonly extraAttachments?: readonly OutboxAttachment[];
  /** The client company the message is sent for (its document's); null for the office's own messages. */
  readonly companyId?: number | null;
  readonly messageId: string;
  /** Not before this time (epoch ms): spreading a batch over days. */
  readonly notBefore: number;
}

/**
 * Who is at this Kurier: the user's name and the desk (computer). Every message queued here records
 * them, and every message this Kurier takes for delivery records its desk. Never a secret.
 */
export interface SenderIdentity {
  readonly user: string;
  readonly desk: string;
}

/** Statuses of a copy that is still going to be delivered. */
const waitingStatuses = "'queued', 'retry', 'sending'";

/** A stored message. */
export interface OutboxRow extends NewMessage {
  readonly extraAttachments: readonly OutboxAttachment[];
  readonly companyId: number | null;
  readonly id: number;
  readonly batchId: number;
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode: string;
  readonly lastResponse: string;
  readonly sentAt: number | null;
  readonly updatedAt: number;
}

/** A stored batch. */
export interface BatchRow {
  readonly id: number;
  readonly createdAt: number;
  readonly kind: BatchKind;
  readonly accountScope: AccountScope;
  readonly status: BatchStatus;
  readonly resumeAt: number | null;
  readonly reasonCode: string;
  readonly reasonDetails: ErrorDetails;
}

/** The part of the database the store uses. */
type Database = Pick<DatabaseSync, 'prepare' | 'exec'>;

/**
 * `db` with each SQL text prepared once: the worker runs a few statements for every message, and
 * preparing one (parsing and planning) cost as much as running it. The store builds its texts from
 * fixed fragments only, so the cache stays small.
 */
function preparingOnce(db: DatabaseSync): Database {
  const statements = new Map<string, StatementSync>();
  return {
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    exec: (sql: string) => {
      db.exec(sql);
    },
  };
}

/** Reads and writes the outbox tables. */
export class OutboxStore {
  readonly #db: Database;
  /**
   * What the daily cap's count is known not to exceed: the count of messages accepted since `since`
   * when it was last read, plus each one marked accepted since. See {@link sentBelow}.
   */
  #sentBound: { since: number; count: number } | null = null;
  /** Moves the log's checkpoints off the main thread while messages are being recorded (see there). */
  readonly #checkpointer: WalCheckpointer;
  readonly #identity: SenderIdentity;

  constructor(db: DatabaseSync, identity: SenderIdentity = { user: '', desk: '' }) {
    this.#db = preparingOnce(db);
    this.#checkpointer = new WalCheckpointer(db);
    this.#identity = identity;
  }

  /** Stops the background checkpoints (the worker calls it when it has nothing to send, and on stop). */
  stopCheckpoints(): Promise<void> {
    return this.#checkpointer.stop();
  }

  /**
   * Queues a notification once per `key` (an event occurrence): the key and the batch are written in one
   * transaction. Returns the batch, or null when that occurrence was already notified.
   */
  createNotificationOnce(
    key: string,
    event: string,
    accountScope: AccountScope,
    now: number,
    message: NewMessage,
  ): number | null {
    return this.#transaction(() => {
      const { changes } = this.#db
        .prepare('INSERT OR IGNORE INTO notifications (key, event, created_at) VALUES (?, ?, ?)')
        .run(key, event, now);
      if (Number(changes) === 0) return null;
      const batchId = this.#insertBatch({ kind: 'notification', accountScope, now }, [message]);
      this.#db.prepare('UPDATE notifications SET batch_id = ? WHERE key = ?').run(batchId, key);
      return batchId;
    });
  }

  /** Records an occurrence that needed no message (a day with nothing new overdue). False when known. */
  recordNotified(key: string, event: string, now: number): boolean {
    const { changes } = this.#db
      .prepare('INSERT OR IGNORE INTO notifications (key, event, created_at) VALUES (?, ?, ?)')
      .run(key, event, now);
    return Number(changes) > 0;
  }

  /** Whether an occurrence was notified (or recorded). */
  notified(key: string): boolean {
    return this.#db.prepare('SELECT 1 FROM notifications WHERE key = ?').get(key) !== undefined;
  }

  /** The newest key starting with `prefix` (the last overdue digest's day). */
  lastNotified(prefix: string): string | null {
    const row = this.#db
      .prepare("SELECT key FROM notifications WHERE key LIKE ? ESCAPE '\\' ORDER BY key DESC LIMIT 1")
      .get(`${prefix}%`) as { key: string } | undefined;
    return row?.key ?? null;
  }

  /** Bulk batches that ended (done or stopped) since `since`. */
  endedBulkBatches(since: number): BatchRow[] {
    return (
      this.#db
        .prepare(
          "SELECT * FROM outbox_batches WHERE kind = 'send' AND status IN ('done', 'stopped') AND created_at >= ? ORDER BY id",
        )
        .all(since) as unknown as RawBatchRow[]
    ).map(rowToBatch);
  }

  /** Messages uncertain since before `before`. */
  uncertainSince(before: number): OutboxRow[] {
    return (
      this.#db
        .prepare("SELECT * FROM outbox_messages WHERE status = 'uncertain' AND updated_at < ? ORDER BY id")
        .all(before) as unknown as RawMessageRow[]
    ).map(rowToMessage);
  }

  /**
   * Creates the batches of one start as {@link createBatch}, after looking — in the same write
   * transaction, so a second start of the same documents (at this desk or another) cannot slip in
   * between — for earlier copies of all their documents to the same addresses: still waiting, or sent
   * since `guard.since`. With `ask`, nothing of any batch is queued while there are any; with `skip`,
   * their messages are left out; with `send`, all go. Batches left without messages are not created.
   */
  createBatchesGuarded(
    batches: readonly { batch: { kind: BatchKind; accountScope: AccountScope; now: number }; messages: readonly NewMessage[] }[],
    guard: { readonly since: number; readonly choice: DuplicateChoice },
  ): { batchIds: number[]; earlier: EarlierCopy[] } {
    return this.#transaction(() => {
      const earlier = this.earlierCopies(
        batches.flatMap((group) => group.messages),
        guard.since,
      );
      if (guard.choice === 'ask' && earlier.length > 0) return { batchIds: [], earlier };
      const batchIds: number[] = [];
      for (const { batch, messages } of guardedMessages(batches, earlier, guard.choice))
        batchIds.push(this.#insertBatch(batch, messages));
      return { batchIds, earlier };
    });
  }

  /**
   * The newest earlier copy of each document in `targets` to its address, among real sends (bulk and
   * the export dialog's copies, not tests to oneself or notifications): one still waiting to be
   * delivered, or one sent — or possibly sent (uncertain) — since `since` (epoch ms); or one handed to
   * a mail program (Outlook, Thunderbird…) since then, which counts as sent.
   */
  earlierCopies(
    targets: readonly { readonly documentId: number | null; readonly recipient: string }[],
    since: number,
  ): EarlierCopy[] {
    const wanted = new Set<string>();
    for (const target of targets) if (target.documentId !== null) wanted.add(earlierCopyKey(target.documentId, target.recipient));
    const ids = [...new Set(targets.flatMap((target) => (target.documentId === null ? [] : [target.documentId])))];
    const found = new Map<string, EarlierCopy>();
    // Chunks keep the statement under SQLite's (and PostgreSQL's) limit on bound parameters.
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = this.#db
        .prepare(
          `SELECT m.document_id, m.recipient, m.status, m.route, m.queued_by_user, m.queued_by_desk,
             COALESCE(m.sent_at, m.created_at) AS at, d.number AS document_number
           FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id LEFT JOIN documents d ON d.id = m.document_id
           WHERE m.document_id IN (${chunk.map(() => '?').join(', ')}) AND b.kind IN ('send', 'copy')
             AND (m.status IN (${waitingStatuses}) OR (m.status IN ('sent', 'uncertain') AND COALESCE(m.sent_at, m.updated_at) >= ?))
           UNION ALL
           SELECT h.document_id, h.recipient, 'sent' AS status, h.route, h.handed_by_user, h.handed_by_desk,
             h.handed_at AS at, d.number AS document_number
           FROM document_handoffs h LEFT JOIN documents d ON d.id = h.document_id
           WHERE h.document_id IN (${chunk.map(() => '?').join(', ')}) AND h.handed_at >= ?
           ORDER BY at DESC`,
        )
        .all(...chunk, since, ...chunk, since) as unknown as {
        document_id: number;
        recipient: string;
        status: MessageStatus;
        route: string;
        queued_by_user: string;
        queued_by_desk: string;
        at: number;
        document_number: string | null;
      }[];
      for (const row of rows) {
        const key = earlierCopyKey(row.document_id, row.recipient);
        if (!wanted.has(key) || found.has(key)) continue;
        found.set(key, {
          documentId: row.document_id,
          documentNumber: row.document_number ?? '',
          recipient: row.recipient,
          status: row.status,
          at: row.at,
          route: row.route,
          queuedByUser: row.queued_by_user,
          queuedByDesk: row.queued_by_desk,
        });
      }
    }
    return [...found.values()].sort((a, b) => a.documentNumber.localeCompare(b.documentNumber) || a.documentId - b.documentId);
  }

  /** Everyone who queued a message here, by name, for the history's filter. */
  /** See {@link OutboxRepository.documentCopies}. */
  documentCopies(documentId: number): DocumentCopy[] {
    const rows = this.#db
      .prepare(
        `SELECT recipient, status, COALESCE(sent_at, updated_at) AS at, message_id, attempts FROM outbox_messages
         WHERE document_id = ? ORDER BY id DESC LIMIT 50`,
      )
      .all(documentId) as unknown as RawCopy[];
    return rows.map(toDocumentCopy);
  }

  /** See {@link OutboxRepository.takeWaitingCopy}. */
  takeWaitingCopy(documentId: number, recipient: string, now: number): WaitingCopy | null {
    const row = this.#db
      .prepare(
        `SELECT m.id, m.batch_id, m.attempts FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
         WHERE m.document_id = ? AND lower(m.recipient) = lower(?) AND m.status IN (${waitingStatuses})
           AND b.status IN ('running', 'paused')
         ORDER BY m.id DESC LIMIT 1`,
      )
      .get(documentId, recipient.trim()) as { id: number; batch_id: number; attempts: number } | undefined;
    if (!row) return null;
    this.#db
      .prepare(
        "UPDATE outbox_messages SET not_before = MIN(not_before, ?), updated_at = ? WHERE id = ? AND status IN ('queued', 'retry')",
      )
      .run(now, now, row.id);
    return { id: row.id, batchId: row.batch_id, attempts: row.attempts };
  }

  /** See {@link OutboxRepository.lastSentCopies}. */
  lastSentCopies(): LastSentCopy[] {
    const rows = this.#db
      .prepare(
        `SELECT document_id, recipient, sent_at AS at, id AS seq FROM outbox_messages
         WHERE status = 'sent' AND document_id IS NOT NULL AND sent_at IS NOT NULL
         ORDER BY document_id, sent_at DESC, id DESC`,
      )
      .all() as unknown as { document_id: number; recipient: string; at: number; seq: number }[];
    return newestPerDocument(
      rows.map((row) => ({ documentId: row.document_id, recipient: row.recipient, at: row.at, seq: row.seq })),
    );
  }

  queuedByUsers(): string[] {
    const rows = this.#db
      .prepare("SELECT DISTINCT queued_by_user AS name FROM outbox_messages WHERE queued_by_user <> '' ORDER BY queued_by_user")
      .all() as unknown as { name: string }[];
    return rows.map((row) => row.name);
  }

  /** Creates a batch and all its messages in one transaction: all queued, or none. */
  createBatch(batch: { kind: BatchKind; accountScope: AccountScope; now: number }, messages: readonly NewMessage[]): number {
    return this.#transaction(() => this.#insertBatch(batch, messages));
  }

  #insertBatch(batch: { kind: BatchKind; accountScope: AccountScope; now: number }, messages: readonly NewMessage[]): number {
    {
      const { lastInsertRowid } = this.#db
        .prepare("INSERT INTO outbox_batches (created_at, kind, account_scope, status) VALUES (?, ?, ?, 'running')")
        .run(batch.now, batch.kind, batch.accountScope);
      const batchId = Number(lastInsertRowid);
      const insert = this.#db.prepare(
        `INSERT INTO outbox_messages (batch_id, document_id, recipient, recipient_name, cc, bcc, subject, body, language,
           attachment_path, attachment_name, attachment_size, extra_attachments, company_id, message_id, status, not_before,
           created_at, updated_at, queued_by_user, queued_by_desk)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      );
      for (const m of messages) {
        insert.run(
          batchId,
          m.documentId,
          m.recipient,
          m.recipientName,
          m.cc,
          m.bcc,
          m.subject,
          m.body,
          m.language,
          m.attachmentPath,
          m.attachmentName,
          m.attachmentSize,
          JSON.stringify(m.extraAttachments ?? []),
          m.companyId ?? null,
          m.messageId,
          m.notBefore,
          batch.now,
          batch.now,
          this.#identity.user,
          this.#identity.desk,
        );
      }
      return batchId;
    }
  }

  /**
   * After a crash or a kill, rows left `sending`: those whose whole message had been handed to the
   * server may have arrived and become `uncertain`; the others cannot have (no final dot was sent) and
   * go back to the queue. Returns how many became uncertain.
   */
  recoverInterrupted(now: number): number {
    const uncertain = this.#db
      .prepare(
        `UPDATE outbox_messages SET status = 'uncertain', last_code = 'outbox.interrupted', last_response = '', updated_at = ?
         WHERE status = 'sending' AND data_sent_at IS NOT NULL`,
      )
      .run(now);
    this.#db.prepare("UPDATE outbox_messages SET status = 'queued', updated_at = ? WHERE status = 'sending'").run(now);
    return Number(uncertain.changes);
  }

  /** The whole message of the current attempt was handed to the server. */
  markDataSent(id: number, now: number): void {
    this.#db.prepare('UPDATE outbox_messages SET data_sent_at = ? WHERE id = ?').run(now, id);
  }

  /** Batches that still have work, oldest first. */
  activeBatches(): BatchRow[] {
    return (
      this.#db
        .prepare("SELECT * FROM outbox_batches WHERE status IN ('running', 'paused') ORDER BY id")
        .all() as unknown as RawBatchRow[]
    ).map(rowToBatch);
  }

  /** Batches still active, or created since `since` (epoch ms), newest first. */
  recentBatchIds(since: number): number[] {
    const rows = this.#db
      .prepare(
        "SELECT id FROM outbox_batches WHERE status IN ('running', 'paused', 'stopped') OR created_at >= ? ORDER BY id DESC",
      )
      .all(since) as unknown as { id: number }[];
    return rows.map((row) => row.id);
  }

  batch(id: number): BatchRow | undefined {
    const raw = this.#db.prepare('SELECT * FROM outbox_batches WHERE id = ?').get(id) as RawBatchRow | undefined;
    return raw && rowToBatch(raw);
  }

  /**
   * Takes the next due message of a batch and marks it `sending` with one more attempt — in one
   * statement, so no two workers take the same row. Undefined when nothing is due.
   */
  claimNext(batchId: number, now: number): OutboxRow | undefined {
    const raw = this.#db
      .prepare(
        `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, data_sent_at = NULL, updated_at = ?,
           delivered_by_desk = ?
         WHERE id = (SELECT id FROM outbox_messages WHERE batch_id = ? AND status IN ('queued', 'retry') AND not_before <= ?
                     ORDER BY not_before, id LIMIT 1)
         RETURNING *`,
      )
      .get(now, this.#identity.desk, batchId, now) as RawMessageRow | undefined;
    return raw && rowToMessage(raw);
  }

  /**
   * Takes the next due message of any running batch of `scope` — the account's connections serve all its
   * batches, so a single copy from the export dialog (due since the epoch) never waits behind a long batch.
   *
   * The earliest queued and the earliest retry are each found in order along the index on
   * (status, not_before) and the earlier of the two is taken: with `status IN (…)` SQLite would instead
   * sort every due row of the account, for every message (milliseconds per claim in a batch of 10,000).
   */
  claimNextForScope(scope: AccountScope, now: number): OutboxRow | undefined {
    const earliest = (status: MessageStatus) =>
      `SELECT * FROM (SELECT m.id, m.not_before FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
         WHERE m.status = '${status}' AND m.not_before <= :now AND b.status = 'running' AND b.account_scope = :scope
         ORDER BY m.not_before, m.id LIMIT 1)`;
    const raw = this.#db
      .prepare(
        `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, data_sent_at = NULL, updated_at = :now,
           delivered_by_desk = :desk
         WHERE id = (SELECT id FROM (${earliest('queued')} UNION ALL ${earliest('retry')}) ORDER BY not_before, id LIMIT 1)
         RETURNING *`,
      )
      .get({ now, scope, desk: this.#identity.desk }) as RawMessageRow | undefined;
    return raw && rowToMessage(raw);
  }

  /** Whether a single copy (batch kind 'copy') of `scope` is due now: it goes ahead of the batches' slow-down. */
  copyDue(scope: AccountScope, now: number): boolean {
    const due = (status: MessageStatus) =>
      this.#db
        .prepare(
          `SELECT 1 FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
           WHERE m.status = ? AND m.not_before <= ? AND b.kind = 'copy' AND b.status = 'running' AND b.account_scope = ? LIMIT 1`,
        )
        .get(status, now, scope) !== undefined;
    return due('queued') || due('retry');
  }

  /** Whether a message of the batch is still waiting or being sent (along the index on batch and status). */
  hasUnsettled(batchId: number): boolean {
    return (
      this.#db
        .prepare("SELECT 1 FROM outbox_messages WHERE batch_id = ? AND status IN ('queued', 'retry', 'sending') LIMIT 1")
        .get(batchId) !== undefined
    );
  }

  /** The earliest time a waiting message of a running batch of `scope` becomes due; null when none waits. */
  nextDueForScope(scope: AccountScope): number | null {
    const row = this.#db
      .prepare(
        `SELECT MIN(m.not_before) AS at FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
         WHERE b.status = 'running' AND b.account_scope = ? AND m.status IN ('queued', 'retry')`,
      )
      .get(scope) as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  /** Running batches of `scope`. */
  runningBatches(scope?: AccountScope): BatchRow[] {
    const rows = (scope === undefined
      ? this.#db.prepare("SELECT * FROM outbox_batches WHERE status = 'running' ORDER BY id").all()
      : this.#db
          .prepare("SELECT * FROM outbox_batches WHERE status = 'running' AND account_scope = ? ORDER BY id")
          .all(scope)) as unknown as RawBatchRow[];
    return rows.map(rowToBatch);
  }

  /**
   * Changes a batch's status only when it is one of `from` (a worker's decision must not undo the
   * user's cancel or pause made meanwhile). Returns whether it changed.
   */
  transition(
    id: number,
    from: readonly BatchStatus[],
    to: BatchStatus,
    reason: { code: string; details: ErrorDetails; resumeAt: number | null } = { code: '', details: {}, resumeAt: null },
  ): boolean {
    const { changes } = this.#db
      .prepare(
        `UPDATE outbox_batches SET status = ?, reason_code = ?, reason_details = ?, resume_at = ?
         WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`,
      )
      .run(to, reason.code, JSON.stringify(reason.details), reason.resumeAt, id, ...from);
    return Number(changes) > 0;
  }

  /** The earliest time a waiting message of the batch becomes due; null when none waits. */
  nextDue(batchId: number): number | null {
    const row = this.#db
      .prepare("SELECT MIN(not_before) AS at FROM outbox_messages WHERE batch_id = ? AND status IN ('queued', 'retry')")
      .get(batchId) as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  markSent(id: number, now: number, response: string): void {
    const { changes } = this.#db
      .prepare(
        "UPDATE outbox_messages SET status = 'sent', sent_at = ?, last_code = '', last_response = ?, updated_at = ? WHERE id = ?",
      )
      .run(now, response.slice(0, 500), now, id);
    this.#countSent(Number(changes));
  }

  /**
   * Records `sent` as accepted (as {@link markSent}) and claims the next due message of `scope` (as
   * {@link claimNextForScope}) in one transaction: one commit instead of two, and the index pages both
   * touch written once.
   */
  markSentAndClaimNext(
    sent: { readonly id: number; readonly response: string; readonly at: number },
    scope: AccountScope,
    now: number,
  ): OutboxRow | undefined {
    return this.#transaction(() => {
      this.markSent(sent.id, sent.at, sent.response);
      return this.claimNextForScope(scope, now);
    });
  }

  /**
   * Records that the whole message `id` goes to the server now (as {@link markDataSent}), together with
   * the previous message's acceptance (`sent`, as {@link markSent}) and the claim of the next due message
   * of `claimFor` (as {@link claimNextForScope}), each when given — in one transaction: the next message
   * is ready to go on the same connection as soon as this one is answered, at one commit per message.
   */
  markDataSentAndClaimNext(
    id: number,
    now: number,
    also: {
      readonly sent: { readonly id: number; readonly response: string; readonly at: number } | null;
      readonly claimFor: AccountScope | null;
    },
  ): OutboxRow | undefined {
    if (!also.sent && also.claimFor === null) {
      this.markDataSent(id, now);
      return undefined;
    }
    return this.#transaction(() => {
      if (also.sent) this.markSent(also.sent.id, also.sent.at, also.sent.response);
      this.markDataSent(id, now);
      return also.claimFor === null ? undefined : this.claimNextForScope(also.claimFor, now);
    });
  }

  /**
   * Gives back a message claimed ahead and then not sent (nothing of its data reached the server): queued
   * and due as before — or cancelled, when its batch was cancelled meanwhile — the attempt not counted.
   */
  releaseClaim(id: number, now: number): void {
    this.#db
      .prepare(
        `UPDATE outbox_messages SET attempts = MAX(0, attempts - 1), updated_at = ?,
           status = CASE WHEN (SELECT b.status FROM outbox_batches b WHERE b.id = batch_id) = 'cancelled' THEN 'cancelled' ELSE 'queued' END
         WHERE id = ? AND status = 'sending' AND data_sent_at IS NULL`,
      )
      .run(now, id);
  }

  /** An attempt that did not deliver: the message's new status and why. */
  markAttempt(
    id: number,
    outcome: {
      status: MessageStatus;
      notBefore?: number;
      code: ErrorCode | 'outbox.interrupted';
      response: string;
      details: ErrorDetails;
      now: number;
    },
  ): void {
    this.#db
      .prepare(
        `UPDATE outbox_messages SET status = ?, not_before = COALESCE(?, not_before), last_code = ?, last_response = ?, last_details = ?,
           updated_at = ? WHERE id = ?`,
      )
      .run(
        outcome.status,
        outcome.notBefore ?? null,
        outcome.code,
        outcome.response.slice(0, 500),
        JSON.stringify(outcome.details),
        outcome.now,
        id,
      );
  }

  /**
   * Makes every message of `scope` waiting to retry due at `now` (the account changed: the old server's
   * backoff says nothing about the new one). Returns how many.
   */
  retryNowForScope(scope: AccountScope, now: number): number {
    const { changes } = this.#db
      .prepare(
        `UPDATE outbox_messages SET not_before = ?, updated_at = ? WHERE status = 'retry' AND not_before > ?
           AND batch_id IN (SELECT id FROM outbox_batches WHERE account_scope = ? AND status IN ('running', 'paused', 'stopped'))`,
      )
      .run(now, now, now, scope);
    return Number(changes);
  }

  /** Puts a message back in the queue (the user asked to retry it), due at `now`. */
  requeue(ids: readonly number[], now: number): number {
    let changed = 0;
    this.#transaction(() => {
      const statement = this.#db.prepare(
        "UPDATE outbox_messages SET status = 'queued', not_before = ?, updated_at = ?, resent_after_uncertain = resent_after_uncertain OR status = 'uncertain' WHERE id = ? AND status IN ('failed', 'uncertain', 'cancelled', 'retry')",
      );
      const reopen = this.#db.prepare(
        "UPDATE outbox_batches SET status = 'running', resume_at = NULL, reason_code = '', reason_details = '{}' WHERE id = (SELECT batch_id FROM outbox_messages WHERE id = ?)",
      );
      for (const id of ids) {
        const { changes } = statement.run(now, now, id);
        if (Number(changes) > 0) {
          changed += 1;
          reopen.run(id);
        }
      }
    });
    return changed;
  }

  /** The user confirmed an uncertain message did arrive. */
  markDelivered(ids: readonly number[], now: number): number {
    let changed = 0;
    for (const id of ids) {
      const { changes } = this.#db
        .prepare("UPDATE outbox_messages SET status = 'sent', sent_at = ?, updated_at = ? WHERE id = ? AND status = 'uncertain'")
        .run(now, now, id);
      changed += Number(changes);
    }
    this.#countSent(changed);
    return changed;
  }

  setBatchStatus(
    id: number,
    status: BatchStatus,
    reason: { code: string; details: ErrorDetails; resumeAt: number | null } = { code: '', details: {}, resumeAt: null },
  ): void {
    this.#db
      .prepare('UPDATE outbox_batches SET status = ?, reason_code = ?, reason_details = ?, resume_at = ? WHERE id = ?')
      .run(status, reason.code, JSON.stringify(reason.details), reason.resumeAt, id);
  }

  /** Cancels every message not yet sent (a `sending` one finishes its attempt first). */
  cancelWaiting(batchId: number, now: number): void {
    this.#db
      .prepare(
        "UPDATE outbox_messages SET status = 'cancelled', updated_at = ? WHERE batch_id = ? AND status IN ('queued', 'retry')",
      )
      .run(now, batchId);
  }

  counts(batchId: number): OutboxCounts {
    const rows = this.#db
      .prepare('SELECT status, COUNT(*) AS n FROM outbox_messages WHERE batch_id = ? GROUP BY status')
      .all(batchId) as unknown as { status: MessageStatus; n: number }[];
    const counts = { queued: 0, sending: 0, sent: 0, retry: 0, failed: 0, uncertain: 0, cancelled: 0, total: 0 };
    for (const row of rows) {
      counts[row.status] = row.n;
      counts.total += row.n;
    }
    return counts;
  }

  /** Messages accepted since `since` (epoch ms), for the daily cap. */
  sentSince(since: number): { count: number; oldest: number | null } {
    const row = this.#db
      .prepare('SELECT COUNT(*) AS n, MIN(sent_at) AS oldest FROM outbox_messages WHERE sent_at >= ?')
      .get(since) as {
      n: number;
      oldest: number | null;
    };
    this.#sentBound = { since, count: row.n };
    return { count: row.n, oldest: row.oldest };
  }

  /**
   * Whether fewer than `limit` messages were accepted since `since` — asked before every message.
   * Counting reads the whole day's index range, so it is not done each time: the count last read plus
   * every message marked accepted since then is an upper bound while the window only moves forward (a
   * later `since` can only drop messages), and the count is read again only when that bound reaches
   * `limit` (or the window moved back). Exact whenever the answer could be no.
   */
  sentBelow(since: number, limit: number): boolean {
    const bound = this.#sentBound;
    if (bound && since >= bound.since && bound.count < limit) return true;
    return this.sentSince(since).count < limit;
  }

  /** `count` more messages have a `sent_at` now: the daily cap's bound grows with them; checkpoints follow them. */
  #countSent(count: number): void {
    if (this.#sentBound) this.#sentBound = { since: this.#sentBound.since, count: this.#sentBound.count + count };
    this.#checkpointer.committed(count);
  }

  message(id: number): OutboxRow | undefined {
    const raw = this.#db.prepare('SELECT * FROM outbox_messages WHERE id = ?').get(id) as RawMessageRow | undefined;
    return raw && rowToMessage(raw);
  }

  /** The send history, newest first, filtered. */
  history(filter: HistoryQuery): OutboxMessageView[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status !== 'all') {
      where.push('m.status = ?');
      params.push(filter.status);
    }
    if (filter.batchId !== null) {
      where.push('m.batch_id = ?');
      params.push(filter.batchId);
    }
    if (filter.user !== undefined && filter.user !== '') {
      where.push('m.queued_by_user = ?');
      params.push(filter.user);
    }
    if (filter.companyId !== undefined && filter.companyId !== null) {
      where.push('m.company_id = ?');
      params.push(filter.companyId);
    }
    if (filter.text !== '') {
      where.push("(m.recipient LIKE ? ESCAPE '\\' OR m.recipient_name LIKE ? ESCAPE '\\' OR m.subject LIKE ? ESCAPE '\\')");
      const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like, like);
    }
    const sql = `SELECT m.*, d.number AS document_number, c.name AS company_name
      FROM outbox_messages m LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN companies c ON c.id = m.company_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY m.updated_at DESC, m.id DESC LIMIT ?`;
    params.push(filter.limit);
    const rows = this.#db.prepare(sql).all(...params) as unknown as (RawMessageRow & {
      delivered_by_desk: string;
      document_number: string | null;
      company_name: string | null;
    })[];
    return rows.map((raw) =>
      rowToHistoryView(raw, {
        documentNumber: raw.document_number ?? '',
        companyName: raw.company_name ?? '',
        deliveredByDesk: raw.delivered_by_desk,
      }),
    );
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** A document and an address as the double-send guard compares them (addresses without case). */
export function earlierCopyKey(documentId: number, recipient: string): string {
  return `${String(documentId)}\u0000${recipient.trim().toLowerCase()}`;
}

/**
 * The batches of a guarded start as they are queued: with `skip`, without the messages that have an
 * earlier copy (and without the batches left empty); otherwise whole.
 */
export function guardedMessages<B extends { readonly messages: readonly NewMessage[] }>(
  batches: readonly B[],
  earlier: readonly EarlierCopy[],
  choice: DuplicateChoice,
): B[] {
  const sentBefore = new Set(earlier.map((copy) => earlierCopyKey(copy.documentId, copy.recipient)));
  const kept = (m: NewMessage) =>
    choice !== 'skip' || m.documentId === null || !sentBefore.has(earlierCopyKey(m.documentId, m.recipient));
  return batches
    .map((group) => ({ ...group, messages: group.messages.filter(kept) }))
    .filter((group) => group.messages.length > 0);
}
