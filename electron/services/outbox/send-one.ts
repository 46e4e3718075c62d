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
  const waiting = message.documentId === null ? null : await deps.sends.takeWaiting(message.documentId, message.recipient, now());
  const batchId = waiting?.batchId ?? (await store.createBatch({ kind: 'copy', accountScope: scope, now: now() }, [message]));
  worker.wake();
  // The worker says when something about the batch changed; the outcome is read then, never polled.
  // In the office database another desk may deliver the copy: its changes are looked at every second.
  return await new Promise<SingleCopyOutcome>((resolve, reject) => {
    let finished = false;
    const stopListening = () => {
      finished = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    };
    const finish = (outcome: SingleCopyOutcome | null) => {
      if (finished || outcome === null) return;
      stopListening();
      resolve(outcome);
    };
    const fail = (error: unknown) => {
      if (finished) return;
      stopListening();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    // One look at a time; a change reported during a look is looked at once that one ends. Cancelling a
    // stopped copy (below) reports a change of its own: that one is not looked at again.
    let looking: Promise<void> | null = null;
    let changes = 0;
    let seen = 0;
    const look = (): Promise<void> => {
      changes += 1;
      if (looking) return looking;
      const running = (async () => {
        try {
          while (seen !== changes && !finished) {
            seen = changes;
            finish(await outcomeNow());
          }
        } catch (error) {
          fail(error);
        }
      })();
      looking = running.finally(() => {
        looking = null;
        // A change reported between the last look and now.
        if (seen !== changes && !finished) void look();
      });
      return looking;
    };
    // Out of time, or cancelled while it is being delivered (or part of a bulk batch): it stays queued.
    const stillQueued = async () => {
      await look();
      finish({ status: 'pending', error: { code: 'outbox.stillQueued', details: {} }, retryAt: null });
    };
    // The user cancelled: what has not gone out yet never will; one under way finishes (see below).
    const onAbort = () => {
      void (async () => {
        if ((await store.batch(batchId))?.kind === 'copy') await worker.cancel(batchId);
        await stillQueued();
      })().catch(fail);
    };
    const unsubscribe = worker.onBatchChanged((changed) => {
      if (changed === batchId) void look();
    });
    const timer = setTimeout(() => void stillQueued(), timeoutMs);
    const poll = store.kind === 'postgres' ? setInterval(() => void look(), 1000) : undefined;
    if (signal?.aborted === true) onAbort();
    else {
      signal?.addEventListener('abort', onAbort, { once: true });
      void look();
    }
  });

  /** The copy's first outcome as the store has it now; null while there is none yet. */
  async function outcomeNow(): Promise<SingleCopyOutcome | null> {
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
    if (row.status === 'retry' && row.attempts > (waiting?.attempts ?? 0))
      return { status: 'pending', error: error(row.lastCode, row.lastDetails), retryAt: await store.nextDue(batchId) };
    return null;
  }
}
