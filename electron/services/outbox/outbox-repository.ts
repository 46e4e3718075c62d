/**
 * The outbox behind one asynchronous interface, with two implementations: the embedded SQLite store of
 * one desk (sqlite-outbox-repository.ts, the default) and an office PostgreSQL shared by every desk
 * (pg-outbox-repository.ts). The worker, the batch service, the single copy and the notifier see only
 * this interface, so the same code — and the same tests — run against both.
 *
 * A few methods exist for the office database only (mailboxes, connection slots, leases); the SQLite
 * store, which one desk owns alone, answers them trivially.
 */
import type { ErrorCode, ErrorDetails } from '../../../shared/errors';
import type { AccountScope } from '../../../shared/prefs';
import type {
  BatchKind,
  BatchStatus,
  DuplicateChoice,
  EarlierCopy,
  HistoryQuery,
  MessageStatus,
  OutboxCounts,
  OutboxMessageView,
} from '../../../shared/outbox';
import type { BatchRow, NewMessage, OutboxRow } from './outbox-store';

/** A message accepted by the server, recorded with the next commit. */
export interface AcceptedMessage {
  readonly id: number;
  readonly response: string;
  readonly at: number;
}

/** A document and the address it is about to go to, as the double-send guard looks for it. */
export interface EarlierCopyTarget {
  readonly documentId: number | null;
  readonly recipient: string;
}

/** A copy of one document in the outbox (the export dialog lists them), newest first. */
export interface DocumentCopy {
  readonly recipient: string;
  readonly status: MessageStatus;
  /** When it was delivered, else when its state last changed (epoch ms). */
  readonly at: number;
  readonly messageId: string;
  readonly attempts: number;
}

/** A copy still waiting to go out, taken for reuse (same row, same Message-ID). */
export interface WaitingCopy {
  readonly id: number;
  readonly batchId: number;
  readonly attempts: number;
}

/** The last copy of a document the server accepted (the document list's "Sent" column). */
export interface LastSentCopy {
  readonly documentId: number;
  readonly recipient: string;
  readonly at: number;
  /** Orders copies accepted in the same millisecond (the row's id). */
  readonly seq: number;
}

/** Why a batch is where it is. */
export interface BatchReason {
  readonly code: string;
  readonly details: ErrorDetails;
  readonly resumeAt: number | null;
}

/** A batch to create. `mailbox`: the account it sends with (see {@link MailboxLimits.key}), when known. */
export interface NewBatch {
  readonly kind: BatchKind;
  readonly accountScope: AccountScope;
  readonly now: number;
  readonly mailbox?: string;
}

/** One batch of a guarded start and its messages. */
export interface GuardedBatch {
  readonly batch: NewBatch;
  readonly messages: readonly NewMessage[];
}

/** A failed attempt's outcome. */
export interface AttemptOutcome {
  readonly status: MessageStatus;
  readonly notBefore?: number;
  readonly code: ErrorCode | 'outbox.interrupted';
  readonly response: string;
  readonly details: ErrorDetails;
  readonly now: number;
}

/**
 * One mailbox's limits as this desk knows them from its preferences. In the office database they are
 * held for every desk at once: `perWindow` messages in any `windowMs` (a minute in production; tests
 * shorten the window, same code), `connections` at a time.
 */
export interface MailboxLimits {
  /** The mailbox: user, host and port of the SMTP account (never a secret). */
  readonly key: string;
  readonly perWindow: number;
  readonly windowMs: number;
  readonly connections: number;
}

/** The office-wide state of a mailbox that holds every desk back. */
export interface MailboxHold {
  /** A rate answer's cooldown or a quota pause: nothing starts before (epoch ms); 0 when none. */
  readonly until: number;
  /** The server rejected the password: no desk logs in until it is entered anew. */
  readonly passwordRejected: boolean;
}

/** Reads and writes the outbox; every method is asynchronous. */
export interface OutboxRepository {
  /** Which store this is (for logs and the preferences). */
  readonly kind: 'sqlite' | 'postgres';
  /** How often a lane renews its connection slot (Infinity: there are none to hold). */
  readonly leaseRenewMs: number;

  createBatch(batch: NewBatch, messages: readonly NewMessage[]): Promise<number>;
  /**
   * Creates the batches of one start (one per account its documents go out through) as
   * {@link createBatch}, all in one transaction, after looking for earlier copies of all their documents
   * to the same addresses (see {@link earlierCopies}) so that no other start — at this desk or another —
   * can slip in between: with `ask`, nothing of any batch is queued while there are any; with `skip`,
   * their messages are left out; with `send`, all go. Only the batches with messages left are created.
   */
  createBatchesGuarded(
    batches: readonly GuardedBatch[],
    guard: { readonly since: number; readonly choice: DuplicateChoice },
  ): Promise<{ batchIds: number[]; earlier: EarlierCopy[] }>;
  /**
   * The newest earlier copy of each document in `targets` to its address among real sends (bulk and the
   * export dialog's copies): one still waiting, or one sent (or possibly sent) since `since`, or one
   * handed to a mail program since then.
   */
  earlierCopies(targets: readonly EarlierCopyTarget[], since: number): Promise<EarlierCopy[]>;
  /**
   * Every copy of the document in the outbox, newest first (at most 50). In the office database the
   * document is known by its company's key and its number at every desk, as in {@link earlierCopies}.
   */
  documentCopies(documentId: number): Promise<DocumentCopy[]>;
  /**
   * The copy of the document to `recipient` still waiting in a live batch — queued at any desk of the
   * office — made due now when it waits for a retry; null when none waits.
   */
  takeWaitingCopy(documentId: number, recipient: string, now: number): Promise<WaitingCopy | null>;
  /** The newest copy the server accepted of every document that has one (this desk's document ids). */
  lastSentCopies(): Promise<LastSentCopy[]>;
  /** Everyone who queued a message, by name, for the history's filter. */
  queuedByUsers(): Promise<string[]>;
  createNotificationOnce(
    key: string,
    event: string,
    accountScope: AccountScope,
    now: number,
    message: NewMessage,
  ): Promise<number | null>;
  recordNotified(key: string, event: string, now: number): Promise<boolean>;
  notified(key: string): Promise<boolean>;
  lastNotified(prefix: string): Promise<string | null>;
  endedBulkBatches(since: number): Promise<BatchRow[]>;
  uncertainSince(before: number): Promise<OutboxRow[]>;

  /**
   * Rows left `sending` by this desk's earlier run (or, in the office database, by any desk whose lease
   * expired): those whose whole message was handed over become `uncertain`, the others go back to the
   * queue. Returns how many became uncertain.
   */
  recoverInterrupted(now: number): Promise<number>;
  /** Like {@link recoverInterrupted}, for expired leases only (other desks' claims); 0 for SQLite. */
  recoverExpired(now: number): Promise<number>;
  markDataSent(id: number, now: number): Promise<void>;
  activeBatches(): Promise<BatchRow[]>;
  recentBatchIds(since: number): Promise<number[]>;
  batch(id: number): Promise<BatchRow | undefined>;
  claimNextForScope(scope: AccountScope, now: number): Promise<OutboxRow | undefined>;
  copyDue(scope: AccountScope, now: number): Promise<boolean>;
  hasUnsettled(batchId: number): Promise<boolean>;
  nextDueForScope(scope: AccountScope): Promise<number | null>;
  runningBatches(scope?: AccountScope): Promise<BatchRow[]>;
  transition(id: number, from: readonly BatchStatus[], to: BatchStatus, reason?: BatchReason): Promise<boolean>;
  nextDue(batchId: number): Promise<number | null>;
  markSent(id: number, now: number, response: string): Promise<void>;
  markSentAndClaimNext(sent: AcceptedMessage, scope: AccountScope, now: number): Promise<OutboxRow | undefined>;
  markDataSentAndClaimNext(
    id: number,
    now: number,
    also: { readonly sent: AcceptedMessage | null; readonly claimFor: AccountScope | null },
  ): Promise<OutboxRow | undefined>;
  releaseClaim(id: number, now: number): Promise<void>;
  markAttempt(id: number, outcome: AttemptOutcome): Promise<void>;
  retryNowForScope(scope: AccountScope, now: number): Promise<number>;
  requeue(ids: readonly number[], now: number): Promise<number>;
  markDelivered(ids: readonly number[], now: number): Promise<number>;
  cancelWaiting(batchId: number, now: number): Promise<void>;
  counts(batchId: number): Promise<OutboxCounts>;
  sentSince(since: number): Promise<{ count: number; oldest: number | null }>;
  sentBelow(since: number, limit: number): Promise<boolean>;
  message(id: number): Promise<OutboxRow | undefined>;
  history(filter: HistoryQuery): Promise<OutboxMessageView[]>;
  /** Background work of the store stops (SQLite's checkpoints); the worker calls it when idle. */
  stopCheckpoints(): Promise<void>;

  /**
   * The account of `scope` on this desk, with its limits: claims of `scope` are for that mailbox (the
   * office database holds its limits for every desk), or null when this desk cannot send with it (no
   * password here): then it claims none of its messages.
   */
  useMailbox(scope: AccountScope, limits: MailboxLimits | null): Promise<void>;
  /** When a message of `scope` that is due could start under the mailbox's office-wide limits; null when not held. */
  limitedUntil(scope: AccountScope, now: number): Promise<number | null>;
  /** Takes (or renews) one of the mailbox's connection slots for `lane`; false when all are taken. */
  holdConnection(scope: AccountScope, lane: string, now: number): Promise<boolean>;
  /** Gives the slot back (the lane closed its connection). */
  releaseConnection(scope: AccountScope, lane: string): Promise<void>;
  /** Holds every desk back from the mailbox of `scope`: a rate answer's cooldown, a quota pause, a rejected password. */
  holdMailbox(scope: AccountScope, hold: MailboxHold, response: string): Promise<void>;
  /** Lets the mailbox go again (the user entered a new password, changed the account). */
  clearMailboxHold(scope: AccountScope): Promise<void>;
  /** Closes connections (the office database's pool); the SQLite file is closed by its owner. */
  close(): Promise<void>;
}
