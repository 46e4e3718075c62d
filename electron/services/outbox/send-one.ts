/**
 * The export dialog's single copy goes through the outbox too (ARCHITECTURE: SMTP always does), as a
 * batch of one: the row is committed before delivery, the same classification and lockout apply, and a
 * transient failure is retried by the worker instead of being lost when the dialog closes. The dialog
 * waits for the first outcome and tells the user what it was.
 */
import { KurierError, isErrorCode, type KurierErrorShape } from '../../../shared/errors';
import type { AccountScope } from '../../../shared/prefs';
import type { NewMessage } from './outbox-store';
import type { OutboxRepository } from './outbox-repository';
import type { DocumentSends } from './document-sends';
import type { OutboxWorker } from './outbox-worker';

/** What happened to a single copy. `pending`: not delivered yet, the outbox keeps trying (at `retryAt`). */
export type SingleCopyOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'failed' | 'uncertain'; readonly error: KurierErrorShape }
  | { readonly status: 'pending'; readonly error: KurierErrorShape; readonly retryAt: number | null };

/** How long the export dialog waits for a copy's first outcome before it says the copy stays queued. */
export const copyWaitMs = 20_000;

/**
 * Queues one message as its own batch and waits (at most `timeoutMs`) for its first outcome; when the
 * wait ends first, or `signal` cancels it, the copy stays queued (`pending`) — or, cancelled before it
 * went out, is cancelled for good (never a second copy either way). A copy of
 * the same document to the same recipient still waiting in the outbox is reused instead — made due now,
 * same row, same Message-ID — so pressing Export again after "will retry" never queues a second copy.
 */
export async function sendThroughOutbox(
  deps: {
    readonly store: OutboxRepository;
    readonly worker: OutboxWorker;
    readonly sends: DocumentSends;
    readonly now: () => number;
  },
  scope: AccountScope,
  message: NewMessage,
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<SingleCopyOutcome> {
  const { timeoutMs = copyWaitMs, signal } = options;
  const { store, worker, now } = deps;
  const waiting = message.documentId === null ? null : deps.sends.takeWaiting(message.documentId, message.recipient, now());
  const batchId = waiting?.batchId ?? (await store.createBatch({ kind: 'copy', accountScope: scope, now: now() }, [message]));
  worker.wake();
  const deadline = Date.now() + timeoutMs;
  // The user cancelled: what has not gone out yet never will; one under way finishes (see below).
  const cancelled = signal?.aborted === true;
  const onAbort = () => {
    void (async () => {
      if ((await store.batch(batchId))?.kind === 'copy') await worker.cancel(batchId);
    })().catch(() => undefined);
  };
  if (cancelled) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await waitForOutcome();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  async function waitForOutcome(): Promise<SingleCopyOutcome> {
    for (;;) {
      const batch = await store.batch(batchId);
      const row = waiting
        ? (await store.history({ status: 'all', text: message.recipient, batchId, limit: 1000 })).find(
            (candidate) => candidate.id === waiting.id,
          )
        : (await store.history({ status: 'all', text: '', batchId, limit: 1 }))[0];
      if (!batch || !row) throw new KurierError('internal.unexpected', { batchId });
      const error = (code: string, details: KurierErrorShape['details']): KurierErrorShape => ({
        code: isErrorCode(code) ? code : 'internal.unexpected',
        details,
      });
      if (row.status === 'sent') return { status: 'sent', messageId: row.messageId };
      // One being delivered when its batch was cancelled finishes (and may arrive): not reported cancelled.
      if (row.status === 'cancelled' || (batch.status === 'cancelled' && row.status !== 'sending'))
        return { status: 'failed', error: { code: 'outbox.cancelled', details: {} } };
      if (row.status === 'failed' || row.status === 'uncertain')
        return { status: row.status, error: error(row.lastCode, row.lastDetails) };
      if (batch.status === 'stopped') {
        // A stopped single copy is not left to go out later by surprise: the user sends it again.
        if (batch.kind === 'copy') await worker.cancel(batchId);
        return { status: 'failed', error: error(batch.reasonCode, batch.reasonDetails) };
      }
      if (batch.status === 'paused')
        return { status: 'pending', error: error(batch.reasonCode, batch.reasonDetails), retryAt: batch.resumeAt };
      // A reused message still waiting from before has not had its new attempt yet: wait for that one.
      if (row.status === 'retry' && row.attempts > (waiting?.attempts ?? 0)) {
        const due = await store.nextDue(batchId);
        return { status: 'pending', error: error(row.lastCode, row.lastDetails), retryAt: due };
      }
      // Out of time, or cancelled while it is being delivered (or part of a bulk batch): it stays queued.
      if (signal?.aborted === true || Date.now() > deadline)
        return { status: 'pending', error: { code: 'outbox.stillQueued', details: {} }, retryAt: null };
      await pause(40, signal);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
