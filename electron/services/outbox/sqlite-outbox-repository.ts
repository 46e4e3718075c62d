/**
 * The outbox of one desk in its embedded SQLite file, behind the asynchronous {@link OutboxRepository}:
 * each call runs the synchronous {@link OutboxStore} (schema and migrations stay in data/database.ts).
 * One desk owns the file, so the office-wide limits are its worker's own: mailboxes are not held here.
 */
import type { AccountScope } from '../../../shared/prefs';
import type { BatchStatus, DuplicateChoice, HistoryQuery } from '../../../shared/outbox';
import type {
  AcceptedMessage,
  AttemptOutcome,
  BatchReason,
  EarlierCopyTarget,
  GuardedBatch,
  NewBatch,
  OutboxRepository,
} from './outbox-repository';
import type { NewMessage, OutboxStore } from './outbox-store';

/** Runs synchronous work as a promise: its exception becomes a rejection, as from a real database. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** {@link OutboxRepository} over the SQLite {@link OutboxStore}. */
export class SqliteOutboxRepository implements OutboxRepository {
  readonly kind = 'sqlite';
  readonly leaseRenewMs = Infinity;
  readonly #store: OutboxStore;

  constructor(store: OutboxStore) {
    this.#store = store;
  }

  /** The synchronous store underneath (tests and the SQLite-to-PostgreSQL move read it directly). */
  get store(): OutboxStore {
    return this.#store;
  }

  createBatch = (batch: NewBatch, messages: readonly NewMessage[]) => run(() => this.#store.createBatch(batch, messages));
  createBatchesGuarded = (
    batches: readonly GuardedBatch[],
    guard: { readonly since: number; readonly choice: DuplicateChoice },
  ) => run(() => this.#store.createBatchesGuarded(batches, guard));
  earlierCopies = (targets: readonly EarlierCopyTarget[], since: number) => run(() => this.#store.earlierCopies(targets, since));
  documentCopies = (documentId: number) => run(() => this.#store.documentCopies(documentId));
  takeWaitingCopy = (documentId: number, recipient: string, now: number) =>
    run(() => this.#store.takeWaitingCopy(documentId, recipient, now));
  lastSentCopies = () => run(() => this.#store.lastSentCopies());
  queuedByUsers = () => run(() => this.#store.queuedByUsers());
  createNotificationOnce = (key: string, event: string, scope: AccountScope, now: number, message: NewMessage) =>
    run(() => this.#store.createNotificationOnce(key, event, scope, now, message));
  recordNotified = (key: string, event: string, now: number) => run(() => this.#store.recordNotified(key, event, now));
  notified = (key: string) => run(() => this.#store.notified(key));
  lastNotified = (prefix: string) => run(() => this.#store.lastNotified(prefix));
  endedBulkBatches = (since: number) => run(() => this.#store.endedBulkBatches(since));
  uncertainSince = (before: number) => run(() => this.#store.uncertainSince(before));
  recoverInterrupted = (now: number) => run(() => this.#store.recoverInterrupted(now));
  recoverExpired = (): Promise<number> => Promise.resolve(0);
  markDataSent = (id: number, now: number) =>
    run(() => {
      this.#store.markDataSent(id, now);
    });
  activeBatches = () => run(() => this.#store.activeBatches());
  recentBatchIds = (since: number) => run(() => this.#store.recentBatchIds(since));
  batch = (id: number) => run(() => this.#store.batch(id));
  claimNextForScope = (scope: AccountScope, now: number) => run(() => this.#store.claimNextForScope(scope, now));
  copyDue = (scope: AccountScope, now: number) => run(() => this.#store.copyDue(scope, now));
  hasUnsettled = (batchId: number) => run(() => this.#store.hasUnsettled(batchId));
  nextDueForScope = (scope: AccountScope) => run(() => this.#store.nextDueForScope(scope));
  runningBatches = (scope?: AccountScope) => run(() => this.#store.runningBatches(scope));
  transition = (id: number, from: readonly BatchStatus[], to: BatchStatus, reason?: BatchReason) =>
    run(() => this.#store.transition(id, from, to, reason));
  nextDue = (batchId: number) => run(() => this.#store.nextDue(batchId));
  markSent = (id: number, now: number, response: string) =>
    run(() => {
      this.#store.markSent(id, now, response);
    });
  markSentAndClaimNext = (sent: AcceptedMessage, scope: AccountScope, now: number) =>
    run(() => this.#store.markSentAndClaimNext(sent, scope, now));
  markDataSentAndClaimNext = (
    id: number,
    now: number,
    also: { readonly sent: AcceptedMessage | null; readonly claimFor: AccountScope | null },
  ) => run(() => this.#store.markDataSentAndClaimNext(id, now, also));
  releaseClaim = (id: number, now: number) =>
    run(() => {
      this.#store.releaseClaim(id, now);
    });
  markAttempt = (id: number, outcome: AttemptOutcome) =>
    run(() => {
      this.#store.markAttempt(id, outcome);
    });
  retryNowForScope = (scope: AccountScope, now: number) => run(() => this.#store.retryNowForScope(scope, now));
  requeue = (ids: readonly number[], now: number) => run(() => this.#store.requeue(ids, now));
  markDelivered = (ids: readonly number[], now: number) => run(() => this.#store.markDelivered(ids, now));
  cancelWaiting = (batchId: number, now: number) =>
    run(() => {
      this.#store.cancelWaiting(batchId, now);
    });
  counts = (batchId: number) => run(() => this.#store.counts(batchId));
  sentSince = (since: number) => run(() => this.#store.sentSince(since));
  sentBelow = (since: number, limit: number) => run(() => this.#store.sentBelow(since, limit));
  message = (id: number) => run(() => this.#store.message(id));
  history = (filter: HistoryQuery) => run(() => this.#store.history(filter));
  stopCheckpoints = () => this.#store.stopCheckpoints();
  useMailbox = (): Promise<void> => Promise.resolve();
  limitedUntil = (): Promise<number | null> => Promise.resolve(null);
  holdConnection = (): Promise<boolean> => Promise.resolve(true);
  releaseConnection = (): Promise<void> => Promise.resolve();
  holdMailbox = (): Promise<void> => Promise.resolve();
  clearMailboxHold = (): Promise<void> => Promise.resolve();
  close = (): Promise<void> => Promise.resolve();
}
