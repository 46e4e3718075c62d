/**
 * The outbox seen from one document: every copy of it that was sent or is on its way, and the one
 * still waiting for a recipient — which a second Export must reuse (same row, same Message-ID) instead
 * of queueing another copy beside it.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { DocumentSend, LastSend } from '../../../shared/contract';
import type { HandoffRoute } from '../../../shared/handoff';
import type { EarlierCopy, MessageStatus } from '../../../shared/outbox';
import { earlierCopyKey, type SenderIdentity } from './outbox-store';

/** Statuses of a copy that has not reached an end: it is still going to be delivered. */
const waitingStatuses: readonly MessageStatus[] = ['queued', 'retry', 'sending'];

/** Reads (and nudges) the outbox rows of one document. */
export class DocumentSends {
  readonly #db: Pick<DatabaseSync, 'prepare'>;

  /** Who hands copies to mail programs here (recorded with each hand-off, for the double-send guard). */
  readonly #identity: SenderIdentity;

  constructor(db: Pick<DatabaseSync, 'prepare'>, identity: SenderIdentity = { user: '', desk: '' }) {
    this.#db = db;
    this.#identity = identity;
  }

  /** Every copy of the document in the outbox, newest first. */
  of(documentId: number): DocumentSend[] {
    const rows = this.#db
      .prepare(
        `SELECT recipient, status, COALESCE(sent_at, updated_at) AS at, message_id, attempts FROM outbox_messages
         WHERE document_id = ? ORDER BY id DESC LIMIT 50`,
      )
      .all(documentId) as unknown as {
      recipient: string;
      status: MessageStatus;
      at: number;
      message_id: string;
      attempts: number;
    }[];
    return rows.map((row) => ({
      recipient: row.recipient,
      status: row.status,
      at: row.at,
      messageId: row.message_id,
      attempts: row.attempts,
    }));
  }

  /** The latest copy of the document to `recipient` that was delivered or may still be, or null. */
  previous(documentId: number, recipient: string): DocumentSend | null {
    const key = recipient.trim().toLowerCase();
    return (
      this.of(documentId).find(
        (send) => send.recipient.toLowerCase() === key && send.status !== 'failed' && send.status !== 'cancelled',
      ) ?? null
    );
  }

  /**
   * The copy of the document to `recipient` still waiting in a live batch, made due now when it waits
   * for a retry: the caller waits for it instead of queueing a second one. Null when none waits.
   */
  takeWaiting(
    documentId: number,
    recipient: string,
    now: number,
  ): { readonly id: number; readonly batchId: number; readonly attempts: number } | null {
    const row = this.#db
      .prepare(
        `SELECT m.id, m.batch_id, m.attempts FROM outbox_messages m JOIN outbox_batches b ON b.id = m.batch_id
         WHERE m.document_id = ? AND lower(m.recipient) = lower(?) AND m.status IN (${waitingStatuses.map(() => '?').join(', ')})
           AND b.status IN ('running', 'paused')
         ORDER BY m.id DESC LIMIT 1`,
      )
      .get(documentId, recipient.trim(), ...waitingStatuses) as { id: number; batch_id: number; attempts: number } | undefined;
    if (!row) return null;
    this.#db
      .prepare(
        "UPDATE outbox_messages SET not_before = MIN(not_before, ?), updated_at = ? WHERE id = ? AND status IN ('queued', 'retry')",
      )
      .run(now, now, row.id);
    return { id: row.id, batchId: row.batch_id, attempts: row.attempts };
  }

  /** Records a copy handed to a mail program (the user sends it there): the document list shows it. */
  recordHandoff(documentId: number, route: HandoffRoute, recipient: string, at: number): void {
    this.#db
      .prepare(
        'INSERT INTO document_handoffs (document_id, route, recipient, handed_at, handed_by_user, handed_by_desk) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(documentId, route, recipient.trim(), at, this.#identity.user, this.#identity.desk);
  }

  /**
   * Copies of the documents in `targets` handed to a mail program since `since` (epoch ms), to the same
   * addresses (without case), newest first: the office outbox's double-send guard counts them as sent
   * (the hand-offs stay in this desk's file).
   */
  handoffsSince(
    targets: readonly { readonly documentId: number | null; readonly recipient: string }[],
    since: number,
  ): EarlierCopy[] {
    const wanted = new Set(targets.flatMap((t) => (t.documentId === null ? [] : [earlierCopyKey(t.documentId, t.recipient)])));
    const ids = [...new Set(targets.flatMap((t) => (t.documentId === null ? [] : [t.documentId])))];
    const copies: EarlierCopy[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = this.#db
        .prepare(
          `SELECT h.document_id, h.recipient, h.route, h.handed_by_user, h.handed_by_desk, h.handed_at, d.number
           FROM document_handoffs h LEFT JOIN documents d ON d.id = h.document_id
           WHERE h.document_id IN (${chunk.map(() => '?').join(', ')}) AND h.handed_at >= ? ORDER BY h.handed_at DESC`,
        )
        .all(...chunk, since) as unknown as {
        document_id: number;
        recipient: string;
        route: string;
        handed_by_user: string;
        handed_by_desk: string;
        handed_at: number;
        number: string | null;
      }[];
      for (const row of rows) {
        if (!wanted.has(earlierCopyKey(row.document_id, row.recipient))) continue;
        copies.push({
          documentId: row.document_id,
          documentNumber: row.number ?? '',
          recipient: row.recipient,
          status: 'sent',
          at: row.handed_at,
          route: row.route,
          queuedByUser: row.handed_by_user,
          queuedByDesk: row.handed_by_desk,
        });
      }
    }
    return copies;
  }

  /**
   * The last send of every document that has one, by any route: an SMTP copy the server accepted
   * (single copy or batch) or a hand-off to a mail program, whichever is later.
   */
  lastSends(): LastSend[] {
    const rows = this.#db
      .prepare(
        `SELECT document_id, route, recipient, at FROM (
           SELECT document_id, 'smtp' AS route, recipient, sent_at AS at, id AS seq, 1 AS source
             FROM outbox_messages WHERE status = 'sent' AND document_id IS NOT NULL AND sent_at IS NOT NULL
           UNION ALL
           SELECT document_id, route, recipient, handed_at AS at, id AS seq, 2 AS source FROM document_handoffs
         ) ORDER BY document_id, at DESC, source DESC, seq DESC`,
      )
      .all() as unknown as { document_id: number; route: LastSend['route']; recipient: string; at: number }[];
    const last = new Map<number, LastSend>();
    for (const row of rows) {
      if (!last.has(row.document_id))
        last.set(row.document_id, { documentId: row.document_id, route: row.route, recipient: row.recipient, at: row.at });
    }
    return [...last.values()];
  }
}
