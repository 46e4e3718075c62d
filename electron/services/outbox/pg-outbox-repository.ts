/**
 * The outbox in the office PostgreSQL (issue 20): every desk of the office delivers from the same
 * tables, so any running Kurier can send any queued message — exactly once — and a mailbox's limits hold
 * for the whole office, not for each desk alone.
 *
 * - A claim is one statement: it takes the next due message with `FOR UPDATE SKIP LOCKED` (another desk
 *   claiming at the same moment takes the next one, nobody waits) together with one of the mailbox's
 *   rate slots, and marks the message `sending` under a lease. An earlier attempt spent ten round trips
 *   per message and reached a fifth of the limit; here the next claim also rides on the statement that
 *   records the last acceptance and the current point of no return (see markDataSentAndClaimNext).
 * - Rate: the mailbox has one slot row per message allowed in its window. A claim takes a free slot and
 *   holds it for the lease; the acceptance frees it one window after the server accepted, a refusal at
 *   once. So at any moment the messages in flight plus those accepted in the last window never exceed
 *   the limit, across every desk — whichever moment the server counts.
 * - Connections: one slot row per connection the mailbox allows; a lane holds one while its connection
 *   is open, renewing its lease.
 * - A desk that dies leaves its claims to expire: a message whose whole data was handed over becomes
 *   `uncertain` (never sent twice by itself), the others are taken over by the next claim.
 * - The mailbox row also holds what stops every desk: a rate answer's cooldown, a quota pause, a
 *   rejected password (its time; never the password — secrets stay in each desk's keychain).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { AccountScope } from '../../../shared/prefs';
import type {
  BatchStatus,
  DocumentKey,
  DuplicateChoice,
  EarlierCopy,
  HistoryQuery,
  MessageStatus,
  OutboxCounts,
  OutboxMessageView,
} from '../../../shared/outbox';
import { documentKeyText } from '../../../shared/outbox';
import type {
  AcceptedMessage,
  AttemptOutcome,
  BatchReason,
  DocumentCopy,
  EarlierCopyTarget,
  GuardedBatch,
  LastSentCopy,
  MailboxHold,
  MailboxLimits,
  NewBatch,
  OutboxRepository,
  WaitingCopy,
} from './outbox-repository';
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
import {
  earlierCopyKey,
  guardedMessages,
  type BatchRow,
  type NewMessage,
  type OutboxAttachment,
  type OutboxRow,
} from './outbox-store';

/** A row of the office `outbox_messages`: the common columns, the document's number and the desk that claimed it. */
type PgMessageRow = RawMessageRow & { document_number: string; company_key: string; claimed_by: string | null };

/** What the office outbox needs besides the pool. */
export interface PgOutboxOptions {
  readonly pool: pg.Pool;
  /** This desk (computer and user): the holder of its claims. */
  readonly desk: string;
  /** Who is at the desk (the history says who sent what). */
  readonly user?: string;
  /**
   * How long a claim and a connection slot stay this desk's without renewal. At least one message's
   * longest time (the worker's watchdog) plus the rate window: a claim's rate slot is freed when its
   * lease ends, and a message accepted just before its desk died must still count for one window.
   */
  readonly leaseMs?: number;
  /**
   * A document's company key and number: how every desk knows it (documents stay in each desk's file,
   * their ids are the desk's own; the history shows the number).
   */
  readonly documentKey?: (documentId: number) => DocumentKey;
  /** The name of a company (companies stay in each desk's file too). */
  readonly companyName?: (companyId: number) => string;
  /** A company's key at every desk ('' when it has none). */
  readonly companyKey?: (companyId: number) => string;
  /** This desk's company with a key. */
  readonly companyIdByKey?: (key: string) => number | undefined;
  /**
   * Copies of documents this desk handed to a mail program since a time (they stay in the desk's file):
   * the double-send guard counts them as sent.
   */
  readonly handoffs?: (targets: readonly EarlierCopyTarget[], since: number) => EarlierCopy[];
  /**
   * This desk's documents with each of `keys`, by {@link documentKeyText} (the "Sent" column shows
   * copies sent from every desk).
   */
  readonly documentIdsByKey?: (keys: readonly DocumentKey[]) => ReadonlyMap<string, readonly number[]>;
}

/** Arbitrary, fixed: the first key of the advisory lock under which a mailbox's guarded starts take turns. */
const guardLock = 2020_0021;

/** Named parameters (`:name`) to `pg`'s positional ones, each text converted once. */
class Statements {
  readonly #cache = new Map<string, { text: string; names: string[]; name: string }>();

  query(text: string, params: Record<string, unknown>): pg.QueryConfig {
    let entry = this.#cache.get(text);
    if (!entry) {
      const names: string[] = [];
      const converted = text.replace(/(?<!:):([a-zA-Z]\w*)/g, (_, name: string) => {
        let index = names.indexOf(name);
        if (index < 0) index = names.push(name) - 1;
        return `$${String(index + 1)}`;
      });
      // A named statement is parsed and planned once per connection (the claim runs per message); the
      // name is the text's hash, as every repository on the same pool shares its connections.
      entry = { text: converted, names, name: `kurier_${createHash('sha1').update(converted).digest('hex')}` };
      this.#cache.set(text, entry);
    }
    return { name: entry.name, text: entry.text, values: entry.names.map((name) => params[name] ?? null) };
  }
}

/** Rows a desk may claim of `:scope` with the mailbox `:mailbox`: its own without a mailbox, else the mailbox's. */
const claimable = `b.status = 'running' AND b.account_scope = :scope
  AND (b.mailbox = :mailbox OR (b.mailbox = '' AND b.desk = :desk))`;
const dueNow = `((m.status IN ('queued', 'retry') AND m.not_before <= :now)
  OR (m.status = 'sending' AND m.lease_until < :now AND m.data_sent_at IS NULL))`;

/** The claim: a due message and a rate slot, in one statement (see the file's comment). */
function claimStatement(rated: boolean): string {
  return `
  mb AS (SELECT key FROM mailboxes WHERE key = :mailbox AND hold_until <= :now AND password_rejected_at IS NULL),
  ${
    rated
      ? `slot AS (SELECT s.mailbox, s.slot FROM mailbox_rate_slots s JOIN mb ON mb.key = s.mailbox
         WHERE s.free_at <= :now ORDER BY s.free_at, s.slot LIMIT 1 FOR UPDATE OF s SKIP LOCKED),`
      : `slot AS (SELECT key AS mailbox, NULL::integer AS slot FROM mb),`
  }
  pick AS (SELECT m.id FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
    WHERE EXISTS (SELECT 1 FROM slot) AND ${claimable} AND ${dueNow}
    ORDER BY m.not_before, m.id LIMIT 1 FOR UPDATE OF m SKIP LOCKED),
  ${
    rated
      ? `taken AS (UPDATE mailbox_rate_slots s SET free_at = :lease, message_id = (SELECT id FROM pick)
         FROM slot WHERE s.mailbox = slot.mailbox AND s.slot = slot.slot AND EXISTS (SELECT 1 FROM pick) RETURNING s.slot)`
      : `taken AS (SELECT NULL::integer AS slot FROM pick)`
  }
  UPDATE outbox_messages m SET status = 'sending', attempts = m.attempts + 1, data_sent_at = NULL, updated_at = :now,
    claimed_by = :desk, lease_until = :lease, mailbox = :mailbox, rate_slot = (SELECT slot FROM taken)
  FROM pick WHERE m.id = pick.id AND EXISTS (SELECT 1 FROM taken)
  RETURNING m.*`;
}

/** Records an acceptance: the message `sent`, its rate slot free one window after the acceptance. */
const markSentCtes = `
  sent AS (UPDATE outbox_messages SET status = 'sent', sent_at = :sentAt, last_code = '', last_response = :sentResponse,
      updated_at = :sentAt, lease_until = NULL WHERE id = :sentId RETURNING id, mailbox, rate_slot),
  sent_slot AS (UPDATE mailbox_rate_slots s SET free_at = :sentAt + mbx.window_ms, message_id = NULL
      FROM sent, mailboxes mbx WHERE s.mailbox = sent.mailbox AND s.slot = sent.rate_slot AND s.message_id = sent.id
        AND mbx.key = sent.mailbox RETURNING 1)`;

/** {@link OutboxRepository} in the office PostgreSQL. */
export class PgOutboxRepository implements OutboxRepository {
  readonly kind = 'postgres';
  readonly #o: PgOutboxOptions;
  readonly #pool: pg.Pool;
  readonly #statements = new Statements();
  readonly #leaseMs: number;
  /** The mailbox (and limits) of each scope on this desk; null: this desk cannot send with it. */
  readonly #mailboxes = new Map<AccountScope, MailboxLimits | null>();

  constructor(options: PgOutboxOptions) {
    this.#o = options;
    this.#pool = options.pool;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
  }

  /** How often a lane renews its connection slot: a third of the lease. */
  get leaseRenewMs(): number {
    return this.#leaseMs / 3;
  }

  async #rows<T>(text: string, params: Record<string, unknown> = {}, client?: pg.PoolClient): Promise<T[]> {
    const result = await (client ?? this.#pool).query(this.#statements.query(text, params));
    return result.rows as T[];
  }

  async #count(text: string, params: Record<string, unknown> = {}): Promise<number> {
    const result = await this.#pool.query(this.#statements.query(text, params));
    return result.rowCount ?? 0;
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  #mailbox(scope: AccountScope): string | null {
    return this.#mailboxes.get(scope)?.key ?? null;
  }

  async createBatch(batch: NewBatch, messages: readonly NewMessage[]): Promise<number> {
    return this.#transaction((client) => this.#insertBatch(client, batch, messages));
  }

  /**
   * The guarded start for the whole office: the desks starting batches on one mailbox take turns (a
   * transaction-scoped advisory lock keyed on the mailbox), so the second of two desks starting the same
   * payslips at once sees the first one's messages — committed before its lock was released — and asks.
   * A start over several mailboxes takes all their locks, in one order, before it looks; its batches are
   * queued together in the one transaction, or none of them.
   */
  async createBatchesGuarded(
    batches: readonly GuardedBatch[],
    guard: { readonly since: number; readonly choice: DuplicateChoice },
  ): Promise<{ batchIds: number[]; earlier: EarlierCopy[] }> {
    return this.#transaction(async (client) => {
      const mailboxes = [...new Set(batches.map(({ batch }) => batch.mailbox ?? ''))].sort();
      for (const mailbox of mailboxes) await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [guardLock, mailbox]);
      const earlier = await this.#earlierCopies(
        batches.flatMap((group) => group.messages),
        guard.since,
        client,
      );
      if (guard.choice === 'ask' && earlier.length > 0) return { batchIds: [], earlier };
      const batchIds: number[] = [];
      for (const { batch, messages } of guardedMessages(batches, earlier, guard.choice))
        batchIds.push(await this.#insertBatch(client, batch, messages));
      return { batchIds, earlier };
    });
  }

  earlierCopies(targets: readonly EarlierCopyTarget[], since: number): Promise<EarlierCopy[]> {
    return this.#earlierCopies(targets, since);
  }

  /**
   * Earlier copies in the office: a document is known by its company's key and its number at every desk
   * (its id is this desk's; client companies number alike), or by its id among the messages this desk
   * queued when it has no key. Only bulk sends and the export dialog's copies count, as in SQLite.
   */
  async #earlierCopies(targets: readonly EarlierCopyTarget[], since: number, client?: pg.PoolClient): Promise<EarlierCopy[]> {
    const byKey = new Map<string, number>();
    const keys: DocumentKey[] = [];
    const ids = new Set<number>();
    const wanted = new Set<string>();
    for (const target of targets) {
      if (target.documentId === null) continue;
      ids.add(target.documentId);
      wanted.add(earlierCopyKey(target.documentId, target.recipient));
      const key = this.#documentKey(target.documentId);
      if (key.companyKey !== '' && key.number !== '' && !byKey.has(documentKeyText(key))) {
        byKey.set(documentKeyText(key), target.documentId);
        keys.push(key);
      }
    }
    if (ids.size === 0) return [];
    await this.#backfill();
    const rows = await this.#rows<{
      document_id: number | null;
      document_number: string;
      company_key: string;
      recipient: string;
      status: MessageStatus;
      route: string;
      queued_by_user: string;
      queued_by_desk: string;
      at: number;
    }>(
      `SELECT m.document_id, m.document_number, m.company_key, m.recipient, m.status, m.route, m.queued_by_user,
         m.queued_by_desk, COALESCE(m.sent_at, m.created_at) AS at
       FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
       WHERE ((m.company_key, m.document_number) IN (SELECT * FROM unnest(:companyKeys::text[], :numbers::text[]))
           OR (m.document_id = ANY(:ids) AND m.queued_by_desk = :desk))
         AND b.kind IN ('send', 'copy')
         AND (m.status IN ('queued', 'retry', 'sending') OR (m.status IN ('sent', 'uncertain') AND COALESCE(m.sent_at, m.updated_at) >= :since))
       ORDER BY at DESC, m.id DESC`,
      {
        companyKeys: keys.map((key) => key.companyKey),
        numbers: keys.map((key) => key.number),
        ids: [...ids],
        desk: this.#o.desk,
        since,
      },
      client,
    );
    const found = new Map<string, EarlierCopy>();
    for (const row of rows) {
      // This desk's id of the document: by its key, else the row's own (queued here).
      const documentId =
        byKey.get(documentKeyText({ companyKey: row.company_key, number: row.document_number })) ??
        (row.queued_by_desk === this.#o.desk ? row.document_id : null);
      if (documentId === null) continue;
      const key = earlierCopyKey(documentId, row.recipient);
      if (!wanted.has(key) || found.has(key)) continue;
      found.set(key, {
        documentId,
        documentNumber: row.document_number,
        recipient: row.recipient,
        status: row.status,
        at: row.at,
        route: row.route,
        queuedByUser: row.queued_by_user,
        queuedByDesk: row.queued_by_desk,
      });
    }
    // Hand-offs to mail programs (this desk's file) count as sent; the newest copy is the one named.
    for (const copy of this.#o.handoffs?.(targets, since) ?? []) {
      const key = earlierCopyKey(copy.documentId, copy.recipient);
      const known = found.get(key);
      if (wanted.has(key) && (!known || known.at < copy.at)) found.set(key, copy);
    }
    return [...found.values()].sort((a, b) => a.documentNumber.localeCompare(b.documentNumber) || a.documentId - b.documentId);
  }

  #documentKey(documentId: number): DocumentKey {
    return this.#o.documentKey?.(documentId) ?? { companyKey: '', number: '' };
  }

  /**
   * Rows of the document at any desk: by its company's key and number, or by this desk's id (the rows
   * this desk queued, also those without a key).
   */
  #ofDocument(documentId: number): { clause: string; params: Record<string, unknown> } {
    const key = this.#documentKey(documentId);
    const known = key.companyKey !== '' && key.number !== '';
    return {
      clause: `((:known AND m.company_key = :companyKey AND m.document_number = :number)
        OR (m.document_id = :documentId AND m.queued_by_desk = :desk))`,
      params: { known, companyKey: key.companyKey, number: key.number, documentId, desk: this.#o.desk },
    };
  }

  /**
   * Gives the rows this desk queued before messages carried their company's key (office schema 5, or
   * moved from its file) the key of their document's company, once per repository: the documents are
   * in this desk's file, so only this desk can. Until then they match only here, by document id.
   */
  #backfill(): Promise<void> {
    this.#backfilled ??= this.#fillCompanyKeys().catch((error: unknown) => {
      this.#backfilled = null;
      throw error;
    });
    return this.#backfilled;
  }

  #backfilled: Promise<void> | null = null;

  async #fillCompanyKeys(): Promise<void> {
    const documentKey = this.#o.documentKey;
    if (!documentKey) return;
    const rows = await this.#rows<{ document_id: number }>(
      `SELECT DISTINCT document_id FROM outbox_messages
       WHERE company_key = '' AND document_id IS NOT NULL AND queued_by_desk = :desk`,
      { desk: this.#o.desk },
    );
    const known = rows.flatMap((row) => {
      const key = documentKey(row.document_id);
      return key.companyKey === '' ? [] : [{ id: row.document_id, ...key }];
    });
    for (let start = 0; start < known.length; start += 500) {
      const chunk = known.slice(start, start + 500);
      await this.#rows(
        `UPDATE outbox_messages m SET company_key = k.company_key,
           document_number = CASE WHEN m.document_number = '' THEN k.number ELSE m.document_number END
         FROM unnest(:ids::bigint[], :companyKeys::text[], :numbers::text[]) AS k(document_id, company_key, number)
         WHERE m.document_id = k.document_id AND m.queued_by_desk = :desk AND m.company_key = ''`,
        {
          ids: chunk.map((row) => row.id),
          companyKeys: chunk.map((row) => row.companyKey),
          numbers: chunk.map((row) => row.number),
          desk: this.#o.desk,
        },
      );
    }
  }

  async documentCopies(documentId: number): Promise<DocumentCopy[]> {
    await this.#backfill();
    const document = this.#ofDocument(documentId);
    const rows = await this.#rows<RawCopy>(
      `SELECT m.recipient, m.status, COALESCE(m.sent_at, m.updated_at) AS at, m.message_id, m.attempts FROM outbox_messages m
       WHERE ${document.clause} ORDER BY m.id DESC LIMIT 50`,
      document.params,
    );
    return rows.map(toDocumentCopy);
  }

  async takeWaitingCopy(documentId: number, recipient: string, now: number): Promise<WaitingCopy | null> {
    await this.#backfill();
    const document = this.#ofDocument(documentId);
    const [row] = await this.#rows<{ id: number; batch_id: number; attempts: number }>(
      `WITH waiting AS (SELECT m.id, m.batch_id, m.attempts FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
           WHERE ${document.clause} AND lower(m.recipient) = lower(:recipient) AND m.status IN ('queued', 'retry', 'sending')
             AND b.status IN ('running', 'paused')
           ORDER BY m.id DESC LIMIT 1),
         due AS (UPDATE outbox_messages m SET not_before = LEAST(m.not_before, :now), updated_at = :now FROM waiting
           WHERE m.id = waiting.id AND m.status IN ('queued', 'retry') RETURNING 1)
       SELECT id, batch_id, attempts FROM waiting`,
      { ...document.params, recipient: recipient.trim(), now },
    );
    return row ? { id: row.id, batchId: row.batch_id, attempts: row.attempts } : null;
  }

  async lastSentCopies(): Promise<LastSentCopy[]> {
    await this.#backfill();
    const rows = await this.#rows<{
      document_id: number | null;
      document_number: string;
      company_key: string;
      queued_by_desk: string;
      recipient: string;
      at: number;
      seq: number;
    }>(
      `SELECT DISTINCT ON (company_key, document_number, document_id, queued_by_desk) document_id, document_number,
         company_key, queued_by_desk, recipient, sent_at AS at, id AS seq
       FROM outbox_messages
       WHERE status = 'sent' AND sent_at IS NOT NULL
         AND ((company_key <> '' AND document_number <> '') OR (document_id IS NOT NULL AND queued_by_desk = :desk))
       ORDER BY company_key, document_number, document_id, queued_by_desk, sent_at DESC, id DESC`,
      { desk: this.#o.desk },
    );
    const keyed = (row: { company_key: string; document_number: string }) => row.company_key !== '' && row.document_number !== '';
    const keys = new Map<string, DocumentKey>();
    for (const row of rows) {
      const key = { companyKey: row.company_key, number: row.document_number };
      if (keyed(row)) keys.set(documentKeyText(key), key);
    }
    const local = this.#o.documentIdsByKey?.([...keys.values()]) ?? new Map<string, readonly number[]>();
    const copies = rows.flatMap((row) => {
      const ids = keyed(row)
        ? (local.get(documentKeyText({ companyKey: row.company_key, number: row.document_number })) ?? [])
        : row.document_id !== null && row.queued_by_desk === this.#o.desk
          ? [row.document_id]
          : [];
      return ids.map((documentId) => ({ documentId, recipient: row.recipient, at: row.at, seq: row.seq }));
    });
    return newestPerDocument(copies);
  }

  async queuedByUsers(): Promise<string[]> {
    const rows = await this.#rows<{ name: string }>(
      "SELECT DISTINCT queued_by_user AS name FROM outbox_messages WHERE queued_by_user <> '' ORDER BY queued_by_user",
    );
    return rows.map((row) => row.name);
  }

  /** The company key and number a message carries: its document's, else (no document) its company's key. */
  #keyOf(message: NewMessage): [companyKey: string, number: string] {
    if (message.documentId !== null) {
      const key = this.#documentKey(message.documentId);
      return [key.companyKey, key.number];
    }
    const companyId = message.companyId ?? null;
    return [companyId === null ? '' : (this.#o.companyKey?.(companyId) ?? ''), ''];
  }

  async #insertBatch(client: pg.PoolClient, batch: NewBatch, messages: readonly NewMessage[]): Promise<number> {
    const [row] = await this.#rows<{ id: number }>(
      `INSERT INTO outbox_batches (created_at, kind, account_scope, status, mailbox, desk, created_by, company_id)
       VALUES (:now, :kind, :scope, 'running', :mailbox, :desk, :user, :company) RETURNING id`,
      {
        now: batch.now,
        kind: batch.kind,
        scope: batch.accountScope,
        mailbox: batch.mailbox ?? '',
        desk: this.#o.desk,
        user: this.#o.user ?? '',
        company: messages[0]?.companyId ?? null,
      },
      client,
    );
    const batchId = row?.id ?? 0;
    const columns = 22;
    for (let start = 0; start < messages.length; start += 500) {
      const chunk = messages.slice(start, start + 500);
      const values: unknown[] = [];
      const tuples = chunk.map((m, i) => {
        values.push(
          batchId,
          m.documentId,
          ...this.#keyOf(m),
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
          JSON.stringify(m.extraAttachments ?? ([] satisfies OutboxAttachment[])),
          m.companyId ?? null,
          m.messageId,
          m.notBefore,
          batch.now,
          batch.now,
          this.#o.user ?? '',
          this.#o.desk,
        );
        return `(${Array.from({ length: columns }, (_, c) => `$${String(i * columns + c + 1)}`).join(', ')}, 'queued')`;
      });
      await client.query(
        `INSERT INTO outbox_messages (batch_id, document_id, company_key, document_number, recipient, recipient_name, cc, bcc, subject,
           body, language, attachment_path, attachment_name, attachment_size, extra_attachments, company_id, message_id,
           not_before, created_at, updated_at, queued_by_user, queued_by_desk, status) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    return batchId;
  }

  async createNotificationOnce(
    key: string,
    event: string,
    accountScope: AccountScope,
    now: number,
    message: NewMessage,
  ): Promise<number | null> {
    return this.#transaction(async (client) => {
      const inserted = await this.#rows<{ key: string }>(
        'INSERT INTO notifications (key, event, created_at) VALUES (:key, :event, :now) ON CONFLICT DO NOTHING RETURNING key',
        { key, event, now },
        client,
      );
      if (inserted.length === 0) return null;
      const batchId = await this.#insertBatch(client, { kind: 'notification', accountScope, now }, [message]);
      await this.#rows('UPDATE notifications SET batch_id = :batchId WHERE key = :key', { batchId, key }, client);
      return batchId;
    });
  }

  async recordNotified(key: string, event: string, now: number): Promise<boolean> {
    return (
      (await this.#count(
        'INSERT INTO notifications (key, event, created_at) VALUES (:key, :event, :now) ON CONFLICT DO NOTHING',
        {
          key,
          event,
          now,
        },
      )) > 0
    );
  }

  async notified(key: string): Promise<boolean> {
    return (await this.#rows('SELECT 1 FROM notifications WHERE key = :key', { key })).length > 0;
  }

  async lastNotified(prefix: string): Promise<string | null> {
    const rows = await this.#rows<{ key: string }>(
      "SELECT key FROM notifications WHERE key LIKE :pattern ESCAPE '\\' ORDER BY key DESC LIMIT 1",
      { pattern: `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
    );
    return rows[0]?.key ?? null;
  }

  async endedBulkBatches(since: number): Promise<BatchRow[]> {
    return (
      await this.#rows<RawBatchRow>(
        "SELECT * FROM outbox_batches WHERE kind = 'send' AND status IN ('done', 'stopped') AND created_at >= :since ORDER BY id",
        { since },
      )
    ).map(rowToBatch);
  }

  async uncertainSince(before: number): Promise<OutboxRow[]> {
    return (
      await this.#rows<PgMessageRow>(
        "SELECT * FROM outbox_messages WHERE status = 'uncertain' AND updated_at < :before ORDER BY id",
        {
          before,
        },
      )
    ).map(rowToMessage);
  }

  async recoverInterrupted(now: number): Promise<number> {
    // This desk's own connection slots are its lanes' (none runs now: at start, or all ended).
    await this.#rows('UPDATE mailbox_connections SET holder = NULL, lease_until = 0 WHERE starts_with(holder, :prefix)', {
      prefix: `${this.#o.desk}/`,
    });
    return this.#recover(now, 'claimed_by = :desk OR lease_until < :now');
  }

  async recoverExpired(now: number): Promise<number> {
    return this.#recover(now, 'lease_until < :now');
  }

  /** Rows `sending` that nobody holds any more: uncertain when their data went out, else back to the queue. */
  async #recover(now: number, whose: string): Promise<number> {
    const [row] = await this.#rows<{ uncertain: number }>(
      `WITH gone AS (SELECT id, data_sent_at FROM outbox_messages WHERE status = 'sending' AND (${whose}) FOR UPDATE SKIP LOCKED),
       slots AS (UPDATE mailbox_rate_slots s SET
           free_at = CASE WHEN gone.data_sent_at IS NOT NULL THEN :now + mbx.window_ms ELSE :now END, message_id = NULL
         FROM gone, mailboxes mbx WHERE s.message_id = gone.id AND mbx.key = s.mailbox RETURNING 1),
       changed AS (UPDATE outbox_messages m SET
           status = CASE WHEN gone.data_sent_at IS NOT NULL THEN 'uncertain' ELSE 'queued' END,
           last_code = CASE WHEN gone.data_sent_at IS NOT NULL THEN 'outbox.interrupted' ELSE m.last_code END,
           last_response = CASE WHEN gone.data_sent_at IS NOT NULL THEN '' ELSE m.last_response END,
           lease_until = NULL, updated_at = :now
         FROM gone WHERE m.id = gone.id RETURNING m.status)
       SELECT count(*) FILTER (WHERE status = 'uncertain') AS uncertain FROM changed`,
      { now, desk: this.#o.desk },
    );
    return row?.uncertain ?? 0;
  }

  async markDataSent(id: number, now: number): Promise<void> {
    await this.#rows('UPDATE outbox_messages SET data_sent_at = :now WHERE id = :id', { id, now });
  }

  async activeBatches(): Promise<BatchRow[]> {
    return (await this.#rows<RawBatchRow>("SELECT * FROM outbox_batches WHERE status IN ('running', 'paused') ORDER BY id")).map(
      rowToBatch,
    );
  }

  async recentBatchIds(since: number): Promise<number[]> {
    const rows = await this.#rows<{ id: number }>(
      "SELECT id FROM outbox_batches WHERE status IN ('running', 'paused', 'stopped') OR created_at >= :since ORDER BY id DESC",
      { since },
    );
    return rows.map((row) => row.id);
  }

  async batch(id: number): Promise<BatchRow | undefined> {
    const [row] = await this.#rows<RawBatchRow>('SELECT * FROM outbox_batches WHERE id = :id', { id });
    return row && rowToBatch(row);
  }

  #claimParams(scope: AccountScope, now: number): Record<string, unknown> | null {
    const limits = this.#mailboxes.get(scope);
    if (!limits) return null;
    return { scope, now, mailbox: limits.key, desk: this.#o.desk, lease: now + this.#leaseMs };
  }

  #rated(scope: AccountScope): boolean {
    return Number.isFinite(this.#mailboxes.get(scope)?.perWindow ?? Infinity);
  }

  async claimNextForScope(scope: AccountScope, now: number): Promise<OutboxRow | undefined> {
    const params = this.#claimParams(scope, now);
    if (!params) return undefined;
    const [row] = await this.#rows<PgMessageRow>(`WITH ${claimStatement(this.#rated(scope))}`, params);
    return row && rowToMessage(row);
  }

  async copyDue(scope: AccountScope, now: number): Promise<boolean> {
    const params = this.#claimParams(scope, now);
    if (!params) return false;
    const rows = await this.#rows(
      `SELECT 1 FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
       WHERE b.kind = 'copy' AND ${claimable} AND m.status IN ('queued', 'retry') AND m.not_before <= :now LIMIT 1`,
      params,
    );
    return rows.length > 0;
  }

  async hasUnsettled(batchId: number): Promise<boolean> {
    const rows = await this.#rows(
      "SELECT 1 FROM outbox_messages WHERE batch_id = :batchId AND status IN ('queued', 'retry', 'sending') LIMIT 1",
      { batchId },
    );
    return rows.length > 0;
  }

  async nextDueForScope(scope: AccountScope): Promise<number | null> {
    const params = this.#claimParams(scope, 0);
    if (!params) return null;
    // Another desk's expired claim is due too: the next claim takes it over (or its sweep settles it).
    const [row] = await this.#rows<{ at: number | null }>(
      `SELECT MIN(CASE WHEN m.status = 'sending' THEN m.lease_until ELSE m.not_before END) AS at
       FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
       WHERE ${claimable} AND (m.status IN ('queued', 'retry') OR (m.status = 'sending' AND m.claimed_by <> :desk))`,
      params,
    );
    return row?.at ?? null;
  }

  async runningBatches(scope?: AccountScope): Promise<BatchRow[]> {
    if (scope === undefined)
      return (await this.#rows<RawBatchRow>("SELECT * FROM outbox_batches WHERE status = 'running' ORDER BY id")).map(rowToBatch);
    // Of a scope: the batches this desk sends (its mailbox's, or its own), never another user's.
    return (
      await this.#rows<RawBatchRow>(`SELECT * FROM outbox_batches b WHERE ${claimable} ORDER BY id`, {
        scope,
        mailbox: this.#mailbox(scope) ?? null,
        desk: this.#o.desk,
      })
    ).map(rowToBatch);
  }

  async transition(
    id: number,
    from: readonly BatchStatus[],
    to: BatchStatus,
    reason: BatchReason = { code: '', details: {}, resumeAt: null },
  ): Promise<boolean> {
    return (
      (await this.#count(
        `UPDATE outbox_batches SET status = :to, reason_code = :code, reason_details = :details, resume_at = :resumeAt
         WHERE id = :id AND status = ANY(:from)`,
        { to, code: reason.code, details: JSON.stringify(reason.details), resumeAt: reason.resumeAt, id, from: [...from] },
      )) > 0
    );
  }

  async nextDue(batchId: number): Promise<number | null> {
    const [row] = await this.#rows<{ at: number | null }>(
      "SELECT MIN(not_before) AS at FROM outbox_messages WHERE batch_id = :batchId AND status IN ('queued', 'retry')",
      { batchId },
    );
    return row?.at ?? null;
  }

  async markSent(id: number, now: number, response: string): Promise<void> {
    await this.#rows(`WITH ${markSentCtes} SELECT 1`, { sentId: id, sentAt: now, sentResponse: response.slice(0, 500) });
  }

  async markSentAndClaimNext(sent: AcceptedMessage, scope: AccountScope, now: number): Promise<OutboxRow | undefined> {
    const params = this.#claimParams(scope, now);
    if (!params) {
      await this.markSent(sent.id, sent.at, sent.response);
      return undefined;
    }
    const [row] = await this.#rows<PgMessageRow>(`WITH ${markSentCtes}, ${claimStatement(this.#rated(scope))}`, {
      ...params,
      sentId: sent.id,
      sentAt: sent.at,
      sentResponse: sent.response.slice(0, 500),
    });
    return row && rowToMessage(row);
  }

  /**
   * The point of no return of `id`, the last acceptance and the next claim: one statement, one round
   * trip — the lane's only wait on the database per message while its connection is busy.
   */
  async markDataSentAndClaimNext(
    id: number,
    now: number,
    also: { readonly sent: AcceptedMessage | null; readonly claimFor: AccountScope | null },
  ): Promise<OutboxRow | undefined> {
    const params = also.claimFor === null ? null : this.#claimParams(also.claimFor, now);
    const ctes = [
      'data_sent AS (UPDATE outbox_messages SET data_sent_at = :now WHERE id = :dataId RETURNING 1)',
      ...(also.sent ? [markSentCtes] : []),
    ];
    const values = {
      now,
      dataId: id,
      ...(also.sent ? { sentId: also.sent.id, sentAt: also.sent.at, sentResponse: also.sent.response.slice(0, 500) } : {}),
    };
    if (!params || also.claimFor === null) {
      await this.#rows(`WITH ${ctes.join(', ')} SELECT 1`, values);
      return undefined;
    }
    const [row] = await this.#rows<PgMessageRow>(`WITH ${ctes.join(', ')}, ${claimStatement(this.#rated(also.claimFor))}`, {
      ...values,
      ...params,
    });
    return row && rowToMessage(row);
  }

  async releaseClaim(id: number, now: number): Promise<void> {
    await this.#rows(
      `WITH released AS (UPDATE outbox_messages m SET attempts = GREATEST(0, m.attempts - 1), updated_at = :now, lease_until = NULL,
           status = CASE WHEN (SELECT b.status FROM outbox_batches b WHERE b.id = m.batch_id) = 'cancelled' THEN 'cancelled' ELSE 'queued' END
         WHERE m.id = :id AND m.status = 'sending' AND m.data_sent_at IS NULL RETURNING m.id, m.mailbox, m.rate_slot)
       UPDATE mailbox_rate_slots s SET free_at = :now, message_id = NULL FROM released
       WHERE s.mailbox = released.mailbox AND s.slot = released.rate_slot AND s.message_id = released.id`,
      { id, now },
    );
  }

  async markAttempt(id: number, outcome: AttemptOutcome): Promise<void> {
    // Not accepted: the rate slot is free again — after a window when the message may have arrived.
    await this.#rows(
      `WITH tried AS (UPDATE outbox_messages SET status = :status, not_before = COALESCE(:notBefore, not_before), last_code = :code,
           last_response = :response, last_details = :details, updated_at = :now, lease_until = NULL
         WHERE id = :id RETURNING id, mailbox, rate_slot)
       UPDATE mailbox_rate_slots s SET free_at = CASE WHEN :status = 'uncertain' THEN :now + mbx.window_ms ELSE :now END,
           message_id = NULL
       FROM tried, mailboxes mbx WHERE s.mailbox = tried.mailbox AND s.slot = tried.rate_slot AND s.message_id = tried.id
         AND mbx.key = tried.mailbox`,
      {
        id,
        status: outcome.status,
        notBefore: outcome.notBefore ?? null,
        code: outcome.code,
        response: outcome.response.slice(0, 500),
        details: JSON.stringify(outcome.details),
        now: outcome.now,
      },
    );
  }

  async retryNowForScope(scope: AccountScope, now: number): Promise<number> {
    return this.#count(
      `UPDATE outbox_messages SET not_before = :now, updated_at = :now WHERE status = 'retry' AND not_before > :now
         AND batch_id IN (SELECT id FROM outbox_batches WHERE account_scope = :scope AND status IN ('running', 'paused', 'stopped')
           AND (mailbox = :mailbox OR (mailbox = '' AND desk = :desk)))`,
      { now, scope, mailbox: this.#mailbox(scope) ?? null, desk: this.#o.desk },
    );
  }

  async requeue(ids: readonly number[], now: number): Promise<number> {
    const rows = await this.#rows<{ batch_id: number }>(
      `UPDATE outbox_messages SET status = 'queued', not_before = :now, updated_at = :now,
         resent_after_uncertain = resent_after_uncertain OR status = 'uncertain'
       WHERE id = ANY(:ids) AND status IN ('failed', 'uncertain', 'cancelled', 'retry') RETURNING batch_id`,
      { now, ids: [...ids] },
    );
    const batches = [...new Set(rows.map((row) => row.batch_id))];
    if (batches.length > 0)
      await this.#rows(
        "UPDATE outbox_batches SET status = 'running', resume_at = NULL, reason_code = '', reason_details = '{}' WHERE id = ANY(:ids)",
        { ids: batches },
      );
    return rows.length;
  }

  async markDelivered(ids: readonly number[], now: number): Promise<number> {
    return this.#count(
      "UPDATE outbox_messages SET status = 'sent', sent_at = :now, updated_at = :now WHERE id = ANY(:ids) AND status = 'uncertain'",
      { now, ids: [...ids] },
    );
  }

  async cancelWaiting(batchId: number, now: number): Promise<void> {
    await this.#rows(
      "UPDATE outbox_messages SET status = 'cancelled', updated_at = :now WHERE batch_id = :batchId AND status IN ('queued', 'retry')",
      { now, batchId },
    );
  }

  async counts(batchId: number): Promise<OutboxCounts> {
    const rows = await this.#rows<{ status: MessageStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM outbox_messages WHERE batch_id = :batchId GROUP BY status',
      { batchId },
    );
    const counts = { queued: 0, sending: 0, sent: 0, retry: 0, failed: 0, uncertain: 0, cancelled: 0, total: 0 };
    for (const row of rows) {
      counts[row.status] = row.n;
      counts.total += row.n;
    }
    return counts;
  }

  /** Messages of this desk's mailboxes accepted since `since` — by every desk of the office. */
  async sentSince(since: number): Promise<{ count: number; oldest: number | null }> {
    const mailboxes = [...this.#mailboxes.values()].flatMap((limits) => (limits ? [limits.key] : []));
    const [row] = await this.#rows<{ n: number; oldest: number | null }>(
      'SELECT COUNT(*) AS n, MIN(sent_at) AS oldest FROM outbox_messages WHERE mailbox = ANY(:mailboxes) AND sent_at >= :since',
      { mailboxes, since },
    );
    return { count: row?.n ?? 0, oldest: row?.oldest ?? null };
  }

  async sentBelow(since: number, limit: number): Promise<boolean> {
    if (limit <= 0) return false;
    const mailboxes = [...this.#mailboxes.values()].flatMap((entry) => (entry ? [entry.key] : []));
    // Counts no further than the limit: the question is only whether it is reached.
    const [row] = await this.#rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox_messages WHERE mailbox = ANY(:mailboxes) AND sent_at >= :since
         LIMIT :limit) counted`,
      { mailboxes, since, limit },
    );
    return (row?.n ?? 0) < limit;
  }

  async message(id: number): Promise<OutboxRow | undefined> {
    const [row] = await this.#rows<PgMessageRow>('SELECT * FROM outbox_messages WHERE id = :id', { id });
    return row && rowToMessage(row);
  }

  /**
   * The office history, filtered by this desk's company as every desk knows it (its key; company ids
   * are each desk's own), and with the name this desk gives each row's company.
   */
  async history(filter: HistoryQuery): Promise<OutboxMessageView[]> {
    await this.#backfill();
    const companyId = filter.companyId ?? null;
    const companyKey = companyId === null ? '' : (this.#o.companyKey?.(companyId) ?? '');
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.#rows<PgMessageRow>(
      `SELECT * FROM outbox_messages m
       WHERE (:status = 'all' OR m.status = :status) AND (:batchId::bigint IS NULL OR m.batch_id = :batchId)
         AND (:user = '' OR m.queued_by_user = :user) AND (:companyId::bigint IS NULL
           OR (:companyKey <> '' AND m.company_key = :companyKey)
           OR (m.company_key = '' AND m.company_id = :companyId AND m.queued_by_desk = :desk))
         AND (:text = '' OR m.recipient ILIKE :like OR m.recipient_name ILIKE :like OR m.subject ILIKE :like)
       ORDER BY m.updated_at DESC, m.id DESC LIMIT :limit`,
      {
        status: filter.status,
        batchId: filter.batchId,
        user: filter.user ?? '',
        companyId,
        companyKey,
        desk: this.#o.desk,
        text: filter.text,
        like,
        limit: filter.limit,
      },
    );
    return rows.map((raw) => {
      const local = this.#localCompany(raw);
      return rowToHistoryView(raw, {
        documentNumber: raw.document_number,
        companyId: local,
        companyName: local === null ? '' : (this.#o.companyName?.(local) ?? ''),
        deliveredByDesk: raw.claimed_by ?? '',
      });
    });
  }

  /** This desk's id of the row's company: by its key, else the row's own when this desk queued it. */
  #localCompany(row: PgMessageRow): number | null {
    if (row.company_key !== '') return this.#o.companyIdByKey?.(row.company_key) ?? null;
    return row.queued_by_desk === this.#o.desk ? row.company_id : null;
  }

  stopCheckpoints(): Promise<void> {
    return Promise.resolve();
  }

  async useMailbox(scope: AccountScope, limits: MailboxLimits | null): Promise<void> {
    const known = this.#mailboxes.get(scope);
    this.#mailboxes.set(scope, limits);
    if (!limits) return;
    if (
      known &&
      known.key === limits.key &&
      known.perWindow === limits.perWindow &&
      known.windowMs === limits.windowMs &&
      known.connections === limits.connections
    )
      return;
    const perWindow = Number.isFinite(limits.perWindow) ? Math.max(1, Math.floor(limits.perWindow)) : 0;
    // The limits as this desk's preferences say (the last desk to start with other values wins), and
    // one slot row per message of the window and per connection.
    await this.#rows(
      `WITH upsert AS (INSERT INTO mailboxes (key, per_window, window_ms, connections, updated_at)
           VALUES (:key, :perWindow, :windowMs, :connections, :now)
           ON CONFLICT (key) DO UPDATE SET per_window = :perWindow, window_ms = :windowMs, connections = :connections,
             updated_at = :now RETURNING key),
       rate AS (INSERT INTO mailbox_rate_slots (mailbox, slot) SELECT key, n FROM upsert, generate_series(0, :perWindow - 1) n
           ON CONFLICT DO NOTHING RETURNING 1),
       lanes AS (INSERT INTO mailbox_connections (mailbox, slot) SELECT key, n FROM upsert, generate_series(0, :connections - 1) n
           ON CONFLICT DO NOTHING RETURNING 1),
       fewer_rate AS (DELETE FROM mailbox_rate_slots WHERE mailbox = :key AND slot >= :perWindow RETURNING 1),
       fewer_lanes AS (DELETE FROM mailbox_connections WHERE mailbox = :key AND slot >= :connections RETURNING 1)
       SELECT 1`,
      {
        key: limits.key,
        perWindow,
        windowMs: limits.windowMs,
        connections: limits.connections,
        now: Date.now(),
      },
    );
  }

  async limitedUntil(scope: AccountScope, now: number): Promise<number | null> {
    const params = this.#claimParams(scope, now);
    if (!params) return null;
    const [row] = await this.#rows<{ due: boolean; hold: number | null; rejected: boolean; slot: number | null }>(
      `SELECT EXISTS (SELECT 1 FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id WHERE ${claimable} AND ${dueNow}) AS due,
         (SELECT hold_until FROM mailboxes WHERE key = :mailbox) AS hold,
         (SELECT password_rejected_at IS NOT NULL FROM mailboxes WHERE key = :mailbox) AS rejected,
         (SELECT MIN(free_at) FROM mailbox_rate_slots WHERE mailbox = :mailbox) AS slot`,
      params,
    );
    if (!row?.due || row.rejected) return null;
    const until = Math.max(row.hold ?? 0, this.#rated(scope) ? (row.slot ?? 0) : 0);
    // Free now, yet the claim found nothing: others hold the due rows for a moment; look again shortly.
    return Math.max(until, now + 5);
  }

  async holdConnection(scope: AccountScope, lane: string, now: number): Promise<boolean> {
    const mailbox = this.#mailbox(scope);
    if (mailbox === null) return false;
    const [row] = await this.#rows<{ held: number }>(
      `WITH mine AS (UPDATE mailbox_connections SET lease_until = :lease WHERE mailbox = :mailbox AND holder = :lane RETURNING slot),
       free AS (SELECT slot FROM mailbox_connections WHERE mailbox = :mailbox AND (holder IS NULL OR lease_until < :now)
           AND NOT EXISTS (SELECT 1 FROM mine) ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED),
       took AS (UPDATE mailbox_connections c SET holder = :lane, lease_until = :lease FROM free
           WHERE c.mailbox = :mailbox AND c.slot = free.slot RETURNING c.slot)
       SELECT (SELECT COUNT(*) FROM mine) + (SELECT COUNT(*) FROM took) AS held`,
      { mailbox, lane: `${this.#o.desk}/${lane}`, now, lease: now + this.#leaseMs },
    );
    return (row?.held ?? 0) > 0;
  }

  async releaseConnection(scope: AccountScope, lane: string): Promise<void> {
    const mailbox = this.#mailbox(scope);
    if (mailbox === null) return;
    await this.#rows(
      'UPDATE mailbox_connections SET holder = NULL, lease_until = 0 WHERE mailbox = :mailbox AND holder = :lane',
      { mailbox, lane: `${this.#o.desk}/${lane}` },
    );
  }

  async holdMailbox(scope: AccountScope, hold: MailboxHold, response: string): Promise<void> {
    const mailbox = this.#mailbox(scope);
    if (mailbox === null) return;
    await this.#rows(
      `UPDATE mailboxes SET hold_until = GREATEST(hold_until, :until), hold_response = :response,
         password_rejected_at = CASE WHEN :rejected THEN :now ELSE password_rejected_at END WHERE key = :mailbox`,
      { mailbox, until: hold.until, response: response.slice(0, 500), rejected: hold.passwordRejected, now: Date.now() },
    );
  }

  async clearMailboxHold(scope: AccountScope): Promise<void> {
    const mailbox = this.#mailbox(scope);
    if (mailbox === null) return;
    await this.#rows(
      "UPDATE mailboxes SET hold_until = 0, hold_response = '', password_rejected_at = NULL WHERE key = :mailbox",
      { mailbox },
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
