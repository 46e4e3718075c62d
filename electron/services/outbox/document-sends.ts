/**
 * The outbox seen from one document: every copy of it that was sent or is on its way, and the one
 * still waiting for a recipient — which a second Export must reuse (same row, same Message-ID) instead
 * of queueing another copy beside it.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { DocumentSend, LastSend } from '../../../shared/contract';
import type { HandoffRoute } from '../../../shared/handoff';
import type { EarlierCopy } from '../../../shared/outbox';
import type { OutboxRepository, WaitingCopy } from './outbox-repository';
import { earlierCopyKey, type SenderIdentity } from './outbox-store';

/** Reads (and nudges) the outbox rows of one document, in the outbox in use, and this desk's hand-offs. */
export class DocumentSends {
  readonly #db: Pick<DatabaseSync, 'prepare'>;

  /** Who hands copies to mail programs here (recorded with each hand-off, for the double-send guard). */
  readonly #identity: SenderIdentity;

  /** The outbox in use: this desk's file, or the office database shared by every desk. */
  readonly #outbox: () => OutboxRepository;

  constructor(
    db: Pick<DatabaseSync, 'prepare'>,
    outbox: () => OutboxRepository,
    identity: SenderIdentity = { user: '', desk: '' },
  ) {
    this.#db = db;
    this.#outbox = outbox;
    this.#identity = identity;
  }

  /** Every copy of the document in the outbox, newest first. */
  async of(documentId: number): Promise<DocumentSend[]> {
    return this.#outbox().documentCopies(documentId);
  }

  /** The latest copy of the document to `recipient` that was delivered or may still be, or null. */
  async previous(documentId: number, recipient: string): Promise<DocumentSend | null> {
    const key = recipient.trim().toLowerCase();
    return (
      (await this.of(documentId)).find(
        (send) => send.recipient.toLowerCase() === key && send.status !== 'failed' && send.status !== 'cancelled',
      ) ?? null
    );
  }

  /**
   * The copy of the document to `recipient` still waiting in a live batch, made due now when it waits
   * for a retry: the caller waits for it instead of queueing a second one. Null when none waits.
   */
  takeWaiting(documentId: number, recipient: string, now: number): Promise<WaitingCopy | null> {
    return this.#outbox().takeWaitingCopy(documentId, recipient, now);
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
   * (single copy or batch, at any desk when the office database is in use) or a hand-off to a mail
   * program from this desk, whichever is later.
   */
  async lastSends(): Promise<LastSend[]> {
    const handoffs = this.#db
      .prepare('SELECT document_id, route, recipient, handed_at AS at, id AS seq FROM document_handoffs')
      .all() as unknown as { document_id: number; route: LastSend['route']; recipient: string; at: number; seq: number }[];
    const last = new Map<number, LastSend & { seq: number }>();
    for (const copy of await this.#outbox().lastSentCopies()) last.set(copy.documentId, { ...copy, route: 'smtp' });
    // At the same moment a hand-off counts as the later one.
    for (const row of handoffs) {
      const known = last.get(row.document_id);
      if (known && (known.at > row.at || (known.at === row.at && known.route !== 'smtp' && known.seq > row.seq))) continue;
      last.set(row.document_id, {
        documentId: row.document_id,
        route: row.route,
        recipient: row.recipient,
        at: row.at,
        seq: row.seq,
      });
    }
    return [...last.values()]
      .sort((a, b) => a.documentId - b.documentId)
      .map(({ documentId, route, recipient, at }) => ({ documentId, route, recipient, at }));
  }
}
