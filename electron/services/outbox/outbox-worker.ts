/**
 * Delivers the outbox. One batch at a time, oldest first, over at most `connections` SMTP connections
 * per account (Microsoft 365 allows 3; 1–2 is the safe start). Each connection is a lane that pulls the
 * next due row only when it is free — so memory stays flat however large the batch — and waits for the
 * pacer before every message. Every attempt's outcome is written to the row as soon as it is known; when
 * nothing holds the next message back (pace, daily cap), it is claimed while the current one's data goes
 * out, so that it goes out on the same connection as soon as the current one is answered (see #lane).
 *
 * The outbox alone decides about retries (see delivery-outcome.ts): transient answers come back later
 * with exponential backoff and jitter; a quota pauses the batch until it passes; a rejected password or a
 * wrong setting stops the batch and marks the password rejected (no further logins); a permanent answer
 * fails that one message; a connection lost after the whole message was sent leaves it uncertain.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KurierError, type ErrorCode } from '../../../shared/errors';
import type { BatchProgress, OutboxCounts, WaitReason } from '../../../shared/outbox';
import { splitAddressList, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import { textToHtml } from '../../../shared/templates';
import type { Logger } from '../logging/logger';
import type { LoginGuardState } from '../secrets/login-guard';
import type { SmtpCredential } from '../mail/smtp-credential';
import type { SmtpTimeouts } from '../mail/smtp-transport-options';
import { defaultRetry, dispositionOf, retryDelayMs, type RetryPolicy } from './delivery-outcome';
import { composeMime, normalizeAddress } from './mime-message';
import type { BatchRow, OutboxRow } from './outbox-store';
import type { AcceptedMessage, MailboxLimits, OutboxRepository } from './outbox-repository';
import { Pacer, askedWaitMs, type PacerOptions } from './pacer';
import { SessionFailure, SmtpSession, type SessionMessage } from '../mail/smtp-session';

/** The account a batch sends with, resolved when the batch runs. */
export interface BatchAccount {
  readonly account: SmtpAccount;
  readonly credential: SmtpCredential;
  readonly loginState: LoginGuardState;
  /** Messages per minute and per rolling day never to exceed (Infinity: none), and connections to use. */
  readonly perMinute: number;
  readonly perDay: number;
  readonly connections: number;
  /**
   * Checked again while a lane waits for its pace: throws (a KurierError) when sending with this account
   * must stop now — an office preference changed and waits for the user's confirmation. The account's
   * batches stop with that reason; their messages stay queued.
   */
  readonly recheck?: () => Promise<void>;
}

/** What the worker needs. */
export interface OutboxWorkerOptions {
  readonly store: OutboxRepository;
  readonly accountFor: (scope: AccountScope) => Promise<BatchAccount | null>;
  readonly logger: Logger;
  readonly progressed: (progress: BatchProgress) => void;
  readonly timeouts?: SmtpTimeouts;
  /** The longest one message may take before the connection is cut (a hung server). */
  readonly watchdogMs?: number;
  readonly retry?: RetryPolicy;
  readonly pacer?: Omit<PacerOptions, 'ceilingPerMinute'>;
  /** How long a quota pause lasts when the sent history does not tell (the providers' rolling day). */
  readonly quotaPauseMs?: number;
  /**
   * The window of the messages-per-minute limit: a minute. Tests of the office database shorten it
   * (30 per 2 s instead of 30 per minute): the same code path, a shorter wait.
   */
  readonly rateWindowMs?: number;
  /**
   * How often this desk looks at the office database's active batches for changes made elsewhere
   * (another desk delivering, pausing or cancelling) and reports them like its own (1 s); unused for
   * SQLite, where this desk makes every change itself.
   */
  readonly officeWatchMs?: number;
  readonly now?: () => number;
  readonly random?: () => number;
  /**
   * The sender a document's company wants (issue 15): its display name and Reply-To, each empty when
   * the company leaves it to the office account. The address itself stays the account's (the server
   * would refuse another).
   */
  readonly companySender?: (documentId: number) => { readonly name: string; readonly replyTo: string } | undefined;
  readonly openSession?: (
    account: SmtpAccount,
    credential: SmtpCredential,
    timeouts: SmtpTimeouts | undefined,
  ) => Promise<SmtpSession>;
}

const day = 24 * 60 * 60_000;
/** How often an idle desk looks at the office database for work queued elsewhere. */
const officePollMs = 1_000;
/** How far the desks' clocks may disagree when one looks for batches another created. */
const officeClockMarginMs = 5_000;
/** A lane without a free connection slot looks again after this long. */
const connectionWaitMs = 200;

/** Whether this desk has what it takes to log in (a password in its keychain, or a sign-in). */
function hasSecret(resolved: BatchAccount): boolean {
  const { credential, account } = resolved;
  if (credential.kind === 'oauth2') return credential.withheld !== true;
  return credential.withheld === undefined && (account.username === '' || (credential.password ?? '') !== '');
}

/** The mailbox's limits as this desk's preferences say. */
function mailboxLimits(resolved: BatchAccount, windowMs: number): MailboxLimits {
  const { account } = resolved;
  return {
    key: mailboxKey(account),
    perWindow: resolved.perMinute,
    windowMs,
    connections: Math.max(1, Math.min(3, resolved.connections)),
  };
}

/** The mailbox an account sends from: its user at its server (never a secret). */
export function mailboxKey(account: SmtpAccount): string {
  return `${(account.username || account.senderAddress).toLowerCase()}@${account.host.toLowerCase()}:${String(account.port)}`;
}

/** The outbox's delivery loop. */
export class OutboxWorker {
  readonly #o: OutboxWorkerOptions;
  readonly #pacers = new Map<string, Pacer>();
  /** The server each account's pacer measured (host, port, user): another server starts afresh. */
  readonly #paced = new Map<string, string>();
  readonly #connected = new Set<string>();
  #running: Promise<void> | null = null;
  #stopping = false;
  #wakeUp: (() => void) | null = null;
  /** A wake-up came while the loop was not asleep: its next sleep ends at once. */
  #wokenMeanwhile = false;
  /** Lanes waiting for their pace: new work (a single copy) makes them look again. */
  readonly #laneWaits = new Set<() => void>();
  /** Ends the current account run: a stop, a quota, or the worker stopping. */
  #runAbort: AbortController | null = null;
  #emitTimer: NodeJS.Timeout | undefined;
  readonly #pendingEmits = new Set<number>();
  readonly #attachments = new AttachmentReader();
  /** Told of every recorded outcome and state change, by batch (see {@link onBatchChanged}). */
  readonly #changeListeners = new Set<(batchId: number) => void>();
  readonly #progressListeners = new Set<(progress: BatchProgress) => void>();
  /** Office database: the last seen state of each active batch (see {@link #watchOffice}). */
  readonly #watched = new Map<number, string>();
  /** Office database: batches reported ended, with what was reported (see {@link #watchOffice}). */
  readonly #ended = new Map<number, string>();
  /** Office database: batches created since this time are looked at on the next look. */
  #watchedSince = 0;
  /** The newest progress report asked for, by batch (see {@link #emit}). */
  readonly #reports = new Map<number, number>();
  #watchTimer: NodeJS.Timeout | undefined;
  #watching = false;

  constructor(options: OutboxWorkerOptions) {
    this.#o = options;
  }

  /**
   * Calls `listener` with the batch's id after an attempt's outcome was recorded or the batch changed
   * state (paused, stopped, cancelled, done) — what a caller awaiting a message listens to instead of
   * polling the store. Returns the unsubscribe function.
   */
  onBatchChanged(listener: (batchId: number) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Calls `listener` with each progress report the windows get too; returns the unsubscribe function. */
  onProgressed(listener: (progress: BatchProgress) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  #changed(batchId: number): void {
    for (const listener of [...this.#changeListeners]) listener(batchId);
  }

  /** Whether the worker was started (and not stopped since). */
  get running(): boolean {
    return this.#running !== null;
  }

  /** Starts delivering (rows left `sending` by a crash are first made uncertain or requeued). */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    this.#running = this.#recoverThenLoop();
    if (this.#o.store.kind === 'postgres' && this.#watchTimer === undefined) {
      this.#watchedSince = this.#now() - officeClockMarginMs;
      this.#watchTimer = setInterval(() => {
        void this.#watchOffice();
      }, this.#o.officeWatchMs ?? officePollMs);
      this.#watchTimer.unref();
    }
  }

  /**
   * A batch started at one desk shows its progress at every desk: each active batch of the office
   * database whose state or counts changed since the last look is reported as if this desk had changed
   * it (the windows, the notifier and a waiting single copy hear of it), and once more when it ends.
   */
  async #watchOffice(): Promise<void> {
    if (this.#watching) return;
    this.#watching = true;
    try {
      // Batches created since the last look count too: one that started and ended between two looks
      // (a single copy, a short batch at another desk) is reported once, ended — the document list and
      // the history at this desk show what it sent. A margin allows for the desks' clocks.
      const since = this.#watchedSince;
      this.#watchedSince = this.#now() - officeClockMarginMs;
      const active = (await this.#o.store.activeBatches()).map((batch) => batch.id);
      const recent = (await this.#o.store.recentBatchIds(since)).filter((id) => !this.#ended.has(id));
      const ids = new Set([...this.#watched.keys(), ...active, ...recent]);
      for (const id of ids) {
        const batch = await this.#o.store.batch(id);
        const counts = await this.#o.store.counts(id);
        const seen = `${batch?.status ?? 'gone'} ${JSON.stringify(counts)}`;
        if (this.#watched.get(id) === seen || this.#ended.get(id) === seen) continue;
        if (batch?.status === 'running' || batch?.status === 'paused') {
          this.#watched.set(id, seen);
          this.#ended.delete(id);
        } else {
          this.#watched.delete(id);
          this.#ended.set(id, seen);
          // Only the newest ended batches are remembered (a batch created since the last look is new).
          for (const old of this.#ended.keys()) {
            if (this.#ended.size <= 1_000) break;
            this.#ended.delete(old);
          }
        }
        this.#emit(id);
      }
    } catch (error) {
      this.#o.logger.error('officeWatchFailed', { error });
    } finally {
      this.#watching = false;
    }
  }

  async #recoverThenLoop(): Promise<void> {
    try {
      const recovered = await this.#o.store.recoverInterrupted(this.#now());
      if (recovered > 0) this.#o.logger.warn('interruptedMessagesUncertain', { count: recovered });
    } catch (error) {
      this.#o.logger.error('outboxRecoveryFailed', { error });
    }
    await this.#loop();
  }

  /** New work, a resume, or a changed setting: look again now. */
  wake(): void {
    // The loop may be between looks (awaiting the database): the next sleep must not miss this.
    this.#wokenMeanwhile = true;
    this.#wakeUp?.();
    for (const lookAgain of [...this.#laneWaits]) lookAgain();
  }

  /**
   * The account of `scope` was saved. Messages queued before go to the account now in force — it is
   * read again when delivering — and whatever the old server caused is forgotten: its slow-down
   * (pace, cooldown), the backoff of messages waiting to retry, a quota pause, a stop for a wrong
   * setting. The run under way ends (a message in flight finishes) and the next one starts at once.
   */
  async accountChanged(scope: AccountScope): Promise<void> {
    this.#pacers.delete(scope);
    this.#paced.delete(scope);
    const now = this.#now();
    const retried = await this.#o.store.retryNowForScope(scope, now);
    await this.#o.store.clearMailboxHold(scope);
    for (const batch of await this.#o.store.activeBatches()) {
      if (batch.accountScope === scope && batch.status === 'paused' && batch.reasonCode !== 'outbox.pausedByUser')
        await this.resume(batch.id);
    }
    await this.resumeStopped(scope, (code) => code.startsWith('smtp.'));
    this.#o.logger.info('accountChanged', { scope, retried });
    this.#runAbort?.abort();
    this.wake();
  }

  /** Pauses a batch: no further message of it starts (the one being sent finishes). */
  async pause(batchId: number): Promise<void> {
    if (
      await this.#o.store.transition(batchId, ['running'], 'paused', { code: 'outbox.pausedByUser', details: {}, resumeAt: null })
    )
      this.#emit(batchId);
  }

  /** Resumes a paused or stopped batch. */
  async resume(batchId: number): Promise<void> {
    if (!(await this.#o.store.transition(batchId, ['paused', 'stopped'], 'running'))) return;
    this.#emit(batchId);
    this.wake();
  }

  /** Resumes `scope`'s batches stopped for a reason the user has now dealt with (e.g. a new sign-in). */
  async resumeStopped(scope: AccountScope, dealtWith: (reasonCode: string) => boolean): Promise<void> {
    for (const id of await this.#o.store.recentBatchIds(this.#now())) {
      const batch = await this.#o.store.batch(id);
      if (batch?.status === 'stopped' && batch.accountScope === scope && dealtWith(batch.reasonCode)) await this.resume(id);
    }
  }

  /** The scopes of the batches not finished yet (running, paused or stopped), each once. */
  async unfinishedScopes(): Promise<AccountScope[]> {
    const scopes = new Set<AccountScope>();
    for (const id of await this.#o.store.recentBatchIds(this.#now())) {
      const batch = await this.#o.store.batch(id);
      if (batch && ['running', 'paused', 'stopped'].includes(batch.status)) scopes.add(batch.accountScope);
    }
    return [...scopes];
  }

  /** Cancels every message of the batch not sent yet (one being sent finishes, or is cancelled if it fails). */
  async cancel(batchId: number): Promise<void> {
    if (!(await this.#o.store.transition(batchId, ['running', 'paused', 'stopped'], 'cancelled'))) return;
    await this.#o.store.cancelWaiting(batchId, this.#now());
    this.#emit(batchId);
  }

  /** Stops after the messages in flight; the rest stays queued for the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#watchTimer);
    this.#watchTimer = undefined;
    this.#runAbort?.abort();
    this.wake();
    await this.#running;
    this.#running = null;
    await this.#o.store.stopCheckpoints();
    clearTimeout(this.#emitTimer);
    this.#emitTimer = undefined;
  }

  /** A batch's progress now. */
  async progress(batchId: number): Promise<BatchProgress | null> {
    const batch = await this.#o.store.batch(batchId);
    if (!batch) return null;
    const counts = await this.#o.store.counts(batchId);
    const pacer = this.#pacers.get(batch.accountScope)?.state();
    const perMinute = pacer && Number.isFinite(pacer.perMinute) ? pacer.perMinute : null;
    const remaining = counts.queued + counts.retry + counts.sending;
    const now = this.#now();
    const waiting = await this.#waitReason(batch, counts, now);
    const startFrom = waiting && 'until' in waiting ? Math.max(now, waiting.until) : now;
    return {
      batchId,
      kind: batch.kind,
      status: batch.status,
      counts,
      perMinute,
      ceilingPerMinute: pacer && Number.isFinite(pacer.ceilingPerMinute) ? pacer.ceilingPerMinute : null,
      estimatedFinish:
        remaining === 0 || batch.status === 'done' ? null : perMinute ? startFrom + (remaining / perMinute) * 60_000 : null,
      waiting,
    };
  }

  async #waitReason(batch: BatchRow, counts: OutboxCounts, now: number): Promise<WaitReason | null> {
    if (batch.status === 'stopped') {
      return { kind: 'stopped', error: { code: batch.reasonCode as ErrorCode, details: batch.reasonDetails } };
    }
    if (batch.status === 'paused') {
      if (batch.reasonCode === 'outbox.pausedByUser' || batch.resumeAt === null) return { kind: 'pausedByUser' };
      return { kind: batch.reasonCode === 'outbox.dailyCap' ? 'dailyCap' : 'quota', until: batch.resumeAt };
    }
    if (batch.status !== 'running') return null;
    const pace = this.#pacers.get(batch.accountScope)?.state();
    const cooldown = (batch.kind === 'copy' ? pace?.askedUntil : pace?.cooldownUntil) ?? 0;
    if (cooldown > now) return { kind: 'serverLimit', until: cooldown };
    const due = await this.#o.store.nextDue(batch.id);
    if (counts.sending === 0 && due !== null && due > now) return { kind: 'retryLater', until: due };
    return null;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#wokenMeanwhile = false;
      const now = this.#now();
      try {
        await this.#lookAround(now);
      } catch (error) {
        // The office database is out of reach for a moment: look again a little later.
        this.#o.logger.error('outboxLookFailed', { error });
        await this.#sleep(1_000);
        continue;
      }
      const scopes = this.#scopes;
      for (const scope of scopes) {
        if (this.#isStopping()) break;
        try {
          await this.#runScope(scope);
        } catch (error) {
          // Whatever went wrong (a locked keychain, a bug) stops this account's batches with a reason;
          // the worker itself goes on.
          const reason = error instanceof KurierError ? error : new KurierError('internal.unexpected', {}, { cause: error });
          this.#o.logger.error('outboxRunFailed', { scope, code: reason.code, error });
          await this.#stopScope(scope, reason).catch((stopError: unknown) => {
            this.#o.logger.error('outboxStopFailed', { scope, error: stopError });
          });
        }
        await this.#finishBatches(scope).catch((finishError: unknown) => {
          this.#o.logger.error('outboxFinishFailed', { scope, error: finishError });
        });
      }
      if (this.#isStopping()) break;
      // Nothing to send for now: no checkpoint thread either. Not awaited: a wake-up must find the sleep.
      void this.#o.store.stopCheckpoints();
      let wakeAt: number | null = 1_000;
      try {
        wakeAt = await this.#nextWakeAt(now);
      } catch (error) {
        this.#o.logger.error('outboxLookFailed', { error });
      }
      // Other desks queue, pause and let claims expire in the office database without waking this one.
      if (this.#o.store.kind === 'postgres') wakeAt = Math.min(wakeAt ?? officePollMs, officePollMs);
      await this.#sleep(wakeAt);
    }
  }

  #scopes: AccountScope[] = [];

  /** Ends pauses whose time came, takes over expired claims, and finds the accounts with running batches. */
  async #lookAround(now: number): Promise<void> {
    const recovered = await this.#o.store.recoverExpired(now);
    if (recovered > 0) this.#o.logger.warn('expiredClaimsTakenOver', { uncertain: recovered });
    // A quota or daily-cap pause ends by itself when its time comes; a user's pause does not.
    for (const batch of await this.#o.store.activeBatches()) {
      if (
        batch.status === 'paused' &&
        batch.resumeAt !== null &&
        batch.resumeAt <= now &&
        batch.reasonCode !== 'outbox.pausedByUser'
      ) {
        await this.#o.store.transition(batch.id, ['paused'], 'running');
      }
    }
    this.#scopes = [...new Set((await this.#o.store.runningBatches()).map((batch) => batch.accountScope))];
  }

  /** How long to sleep: until the first waiting message is due or a pause ends (null: until woken). */
  async #nextWakeAt(since: number): Promise<number | null> {
    const times: number[] = [];
    for (const batch of await this.#o.store.activeBatches()) {
      if (batch.status === 'paused' && batch.resumeAt !== null && batch.reasonCode !== 'outbox.pausedByUser')
        times.push(batch.resumeAt);
    }
    for (const scope of new Set((await this.#o.store.runningBatches()).map((batch) => batch.accountScope))) {
      const due = await this.#o.store.nextDueForScope(scope);
      if (due !== null) times.push(due);
    }
    if (times.length === 0) return null;
    return Math.max(0, Math.min(...times) - Math.max(since, this.#now()));
  }

  /** Running batches of `scope` with nothing left to send are done. */
  async #finishBatches(scope: AccountScope): Promise<void> {
    for (const batch of await this.#o.store.runningBatches(scope)) {
      let counts = await this.#o.store.counts(batch.id);
      if (counts.queued + counts.retry > 0) continue;
      if (counts.sending > 0 && this.#runAbort === null) {
        // No lane is left, so a row still `sending` belongs to nobody: settle it, then count again.
        await this.#o.store.recoverInterrupted(this.#now());
        counts = await this.#o.store.counts(batch.id);
        if (counts.queued + counts.retry > 0) continue;
      }
      if (await this.#o.store.transition(batch.id, ['running'], 'done')) {
        this.#o.logger.info('batchDone', { batchId: batch.id, ...counts });
        this.#emit(batch.id);
      }
    }
  }

  /**
   * A running batch whose last message has just settled is done now — not when the account's lanes run
   * out of work, which another batch of the same account could put off for hours (issue 22). The check
   * is one indexed lookup per recorded outcome.
   */
  async #finishIfSettled(batchId: number): Promise<void> {
    this.#changed(batchId);
    if (await this.#o.store.hasUnsettled(batchId)) return;
    if (!(await this.#o.store.transition(batchId, ['running'], 'done'))) return;
    this.#o.logger.info('batchDone', { batchId, ...(await this.#o.store.counts(batchId)) });
    this.#emit(batchId);
  }

  /** Delivers what is due for one account over its connections, until nothing is due now or it halts. */
  async #runScope(scope: AccountScope): Promise<void> {
    const resolved = await this.#o.accountFor(scope);
    if (this.#isStopping()) return;
    if (!resolved) {
      await this.#o.store.useMailbox(scope, null);
      await this.#stopScope(scope, new KurierError('smtp.notConfigured'));
      return;
    }
    // In the office database, a desk without the password (or sign-in) for the account leaves its
    // messages to the desks that have it: it claims none and stops nothing.
    if (this.#o.store.kind === 'postgres' && !hasSecret(resolved)) {
      await this.#o.store.useMailbox(scope, null);
      this.#o.logger.info('noPasswordHere', { scope });
      return;
    }
    if (resolved.loginState.isPasswordRejected()) {
      await this.#stopScope(scope, new KurierError('smtp.passwordRejected'));
      return;
    }
    // Another server than the pacer measured (a setting saved without the hook): its pace starts afresh.
    const server = `${resolved.account.host}:${String(resolved.account.port)}:${resolved.account.username}`;
    if (this.#paced.get(scope) !== server) this.#pacers.delete(scope);
    this.#paced.set(scope, server);
    const windowMs = this.#o.rateWindowMs ?? 60_000;
    await this.#o.store.useMailbox(scope, mailboxLimits(resolved, windowMs));
    // In the office database the mailbox's rate slots hold the limit as the server counts it (messages
    // in any window, every desk together): the pacer spaces messages only after a slow-down.
    const windowed = this.#o.store.kind === 'postgres' && Number.isFinite(resolved.perMinute);
    const pacer = this.#pacerFor(scope, (resolved.perMinute * 60_000) / windowMs, windowed);
    const abort = new AbortController();
    this.#runAbort = abort;
    const lanes = { active: Math.max(1, Math.min(3, resolved.connections)) };
    try {
      const results = await Promise.allSettled(
        Array.from({ length: lanes.active }, (_, index) => this.#lane(scope, resolved, pacer, abort.signal, lanes, index)),
      );
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      this.#runAbort = null;
    }
  }

  /**
   * One connection's loop: pace, claim, send, record — until nothing of the account is due now.
   *
   * Two things save time per message at bulk rates. When the next message may start at once (pace,
   * daily cap), it is claimed right before the current data goes out, in the transaction that records
   * the current `data_sent_at`, so that it goes out on the same connection as soon as the current one
   * is answered (mail/smtp-session.ts). And an acceptance is recorded in the lane's next commit — the
   * next message's `data_sent_at` or claim, which follow within moments — or
   * at once when the lane waits, fails or ends: one commit per message. A crash in between leaves the
   * accepted message uncertain (never sent twice). A message claimed ahead and then not sent (its batch
   * paused or cancelled, the account stopped) goes back.
   *
   * In the office database a lane also holds one of the mailbox's connection slots while its connection
   * is open (renewed as it goes), and a claim takes a slot of the mailbox's rate in the same statement:
   * when the office has used them all, the lane waits for the next one instead of ending.
   */
  async #lane(
    scope: AccountScope,
    resolved: BatchAccount,
    pacer: Pacer,
    signal: AbortSignal,
    lanes: { active: number },
    index: number,
  ): Promise<void> {
    let session: SmtpSession | null = null;
    const laneId = `${String(process.pid)}/${String(index)}`;
    /** When the lane last took or renewed its connection slot (0: it holds none). */
    let heldAt = 0;
    const lane: {
      /** The last message, accepted by the server and not recorded yet (recorded with the next commit). */
      accepted: { readonly id: number; readonly batchId: number; readonly response: string; readonly at: number } | null;
      /** The next message, claimed while the last one's data went out. */
      prepared: { readonly row: OutboxRow; readonly message: SessionMessage } | null;
    } = { accepted: null, prepared: null };
    const recordAccepted = async () => {
      const accepted = lane.accepted;
      lane.accepted = null;
      if (!accepted) return;
      await this.#o.store.markSent(accepted.id, accepted.at, accepted.response);
      await this.#finishIfSettled(accepted.batchId);
    };
    /** The message for `row`, whose data going out records the last acceptance and may claim the next one. */
    const messageFor = (row: OutboxRow): SessionMessage => ({
      ...this.#message(row, resolved.account),
      onDataSent: async () => {
        const now = this.#now();
        const sent: AcceptedMessage | null = lane.accepted;
        const sentBatch = lane.accepted?.batchId;
        // The one going out now and one accepted but not recorded count against the cap already.
        const mayGoOn =
          !signal.aborted &&
          !this.#stopping &&
          pacer.nextStartAt(now) <= now &&
          (!Number.isFinite(resolved.perDay) || (await this.#o.store.sentBelow(now - day, resolved.perDay - 1 - (sent ? 1 : 0))));
        lane.accepted = null;
        const next = await this.#o.store.markDataSentAndClaimNext(row.id, now, { sent, claimFor: mayGoOn ? scope : null });
        if (sentBatch !== undefined) await this.#finishIfSettled(sentBatch);
        if (!next) return;
        pacer.started(now);
        lane.prepared = { row: next, message: messageFor(next) };
      },
    });
    try {
      while (!signal.aborted && !this.#stopping) {
        const now = this.#now();
        // A message claimed ahead passed this check when it was claimed; an accepted one counts already.
        if (
          !lane.prepared &&
          Number.isFinite(resolved.perDay) &&
          !(await this.#o.store.sentBelow(now - day, resolved.perDay - (lane.accepted ? 1 : 0)))
        ) {
          await recordAccepted();
          const { oldest } = await this.#o.store.sentSince(now - day);
          await this.#pauseScope(scope, 'outbox.dailyCap', (oldest ?? now) + day, { perDay: resolved.perDay });
          return;
        }
        // A message claimed ahead was paced when it was claimed: it goes now. A
        // single copy goes ahead of the batches' slow-down: it waits only what the server itself asked.
        let startAt = lane.prepared ? now : pacer.nextStartAt(now);
        if (startAt > now && (await this.#o.store.copyDue(scope, now))) startAt = pacer.nextPriorityStartAt(now);
        // The office's connection slot: taken before connecting, renewed well before its lease ends.
        if (startAt <= now && now - heldAt > this.#o.store.leaseRenewMs) {
          if (await this.#o.store.holdConnection(scope, laneId, now)) heldAt = now;
          else {
            if (heldAt !== 0) {
              // Lost (this desk was away longer than the lease): the connection goes with it.
              session?.close();
              session = null;
              heldAt = 0;
            }
            startAt = now + connectionWaitMs;
          }
        }
        if (startAt > now) {
          await recordAccepted();
          // Nothing waits to be sent: the lane ends now (closing its connection) instead of holding it
          // idle for a pace interval — work queued later starts on a fresh connection and login.
          if ((await this.#o.store.nextDueForScope(scope)) === null) return;
          await this.#wait(startAt - now, signal);
          await resolved.recheck?.();
          continue;
        }
        let current: OutboxRow;
        let message: SessionMessage;
        const prepared = lane.prepared;
        if (prepared) {
          lane.prepared = null;
          // Paused or cancelled while the last message went out: this one goes back (nothing of it was
          // sent; the connection is closed as the lane would close it).
          if ((await this.#o.store.batch(prepared.row.batchId))?.status !== 'running') {
            await recordAccepted();
            await this.#o.store.releaseClaim(prepared.row.id, now);
            session?.close();
            session = null;
            continue;
          }
          current = prepared.row;
          message = prepared.message;
        } else {
          // Nothing due now: the lane ends, and the loop sleeps until something is (or new work wakes it).
          const accepted = lane.accepted;
          lane.accepted = null;
          const row = accepted
            ? await this.#o.store.markSentAndClaimNext(accepted, scope, now)
            : await this.#o.store.claimNextForScope(scope, now);
          if (accepted) await this.#finishIfSettled(accepted.batchId);
          if (!row) {
            // Held back office-wide (every rate slot used, a cooldown another desk met): wait for it here,
            // keeping the connection, rather than end the lane.
            const until = await this.#o.store.limitedUntil(scope, now);
            if (until === null) return;
            await this.#wait(Math.max(1, until - now), signal);
            continue;
          }
          pacer.started(now);
          current = row;
          message = messageFor(row);
        }
        this.#emitSoon(current.batchId);
        let connecting = false;
        try {
          if (!session?.usable) {
            // Connecting can take seconds: the last acceptance is not left unrecorded that long.
            await recordAccepted();
            session?.close();
            session = null;
            connecting = true;
            session = await (this.#o.openSession ?? SmtpSession.open)(resolved.account, resolved.credential, this.#o.timeouts);
            connecting = false;
            this.#connected.add(scope);
          }
          const receipt = await session.send(message, this.#o.watchdogMs ?? 120_000);
          lane.accepted = { id: current.id, batchId: current.batchId, response: receipt.response, at: this.#now() };
          pacer.succeeded(this.#now());
        } catch (error) {
          if (!(error instanceof SessionFailure)) throw error;
          session = null;
          // Outcomes in order: the last message's acceptance, then this one's failure.
          await recordAccepted();
          const throttled = await this.#recordFailure(scope, current, error, resolved, pacer);
          await this.#finishIfSettled(current.batchId);
          // "Too many connections" and its kin while connecting: this lane gives its connection up, so
          // the account goes on with fewer (multiplicative decrease of concurrency, as of the rate).
          if (connecting && throttled && lanes.active > 1) {
            lanes.active -= 1;
            this.#o.logger.info('connectionDropped', { scope, connections: lanes.active });
            return;
          }
        }
        this.#emitSoon(current.batchId);
      }
    } finally {
      await recordAccepted();
      if (lane.prepared) await this.#o.store.releaseClaim(lane.prepared.row.id, this.#now());
      if (heldAt !== 0) {
        await session?.closeAndWait();
        await this.#o.store.releaseConnection(scope, laneId);
      } else session?.close();
    }
  }

  /** Records a failed attempt; returns whether the server asked to slow down (a rate answer). */
  async #recordFailure(
    scope: AccountScope,
    row: OutboxRow,
    failure: SessionFailure,
    resolved: BatchAccount,
    pacer: Pacer,
  ): Promise<boolean> {
    const now = this.#now();
    const { error } = failure.failure;
    const disposition = dispositionOf({ ...failure.failure, everConnected: this.#connected.has(scope) });
    const response = failure.failure.response ?? '';
    const base = { code: error.code, response, details: error.details, now };
    this.#o.logger.warn('deliveryFailed', {
      batchId: row.batchId,
      messageId: row.messageId,
      code: error.code,
      disposition: disposition.kind,
      response,
    });
    // The user cancelled the batch while this message was under way: it goes no further.
    if ((await this.#o.store.batch(row.batchId))?.status === 'cancelled' && disposition.kind !== 'uncertain') {
      await this.#o.store.markAttempt(row.id, { ...base, status: 'cancelled' });
      return disposition.kind === 'retry' && disposition.pace === 'slowDown';
    }
    switch (disposition.kind) {
      case 'retry': {
        pacer.refused(now, disposition.pace, askedWaitMs(response));
        const slowDown = disposition.pace === 'slowDown';
        // The server's cooldown holds every desk of the office back, not just this one.
        if (slowDown)
          await this.#o.store.holdMailbox(scope, { until: pacer.state().cooldownUntil, passwordRejected: false }, response);
        const retry = this.#o.retry ?? defaultRetry;
        if (row.attempts >= retry.maxAttempts) {
          await this.#o.store.markAttempt(row.id, {
            ...base,
            status: 'failed',
            details: { ...error.details, gaveUpAfter: row.attempts },
          });
          return slowDown;
        }
        const delay = retryDelayMs(
          retry,
          disposition.pace,
          row.attempts,
          pacer.refusalsInARow(),
          (this.#o.random ?? Math.random)(),
        );
        await this.#o.store.markAttempt(row.id, { ...base, status: 'retry', notBefore: now + delay });
        return slowDown;
      }
      case 'quota': {
        const { oldest } = await this.#o.store.sentSince(now - day);
        const resumeAt = oldest !== null ? oldest + day : now + (this.#o.quotaPauseMs ?? day);
        await this.#o.store.markAttempt(row.id, { ...base, status: 'retry', notBefore: resumeAt });
        await this.#o.store.holdMailbox(scope, { until: resumeAt, passwordRejected: false }, response);
        await this.#pauseScope(scope, 'outbox.quota', resumeAt, { response });
        return false;
      }
      case 'stop': {
        // Not this message's fault: it goes back to the queue for when the user has fixed the cause.
        await this.#o.store.markAttempt(row.id, { ...base, status: 'queued' });
        if (error.code === 'smtp.authRejected') {
          resolved.loginState.markPasswordRejected(response);
          await this.#o.store.holdMailbox(scope, { until: 0, passwordRejected: true }, response);
        }
        await this.#stopScope(scope, error);
        return false;
      }
      case 'failed':
        await this.#o.store.markAttempt(row.id, { ...base, status: 'failed' });
        return false;
      case 'uncertain':
        await this.#o.store.markAttempt(row.id, { ...base, status: 'uncertain' });
        return false;
    }
  }

  /**
   * The message of `row` as the session sends it: the envelope now, the whole MIME message in one
   * Buffer when the session asks (its attachment read then). An unreadable attachment fails the
   * attempt before any data, like a refused one: classified, retried with backoff, in the end failed.
   */
  #message(row: OutboxRow, account: SmtpAccount): SessionMessage {
    const cc = splitAddressList(row.cc);
    const bcc = splitAddressList(row.bcc);
    if (account.bccSelf && !bcc.some((address) => address.toLowerCase() === account.senderAddress.toLowerCase()))
      bcc.push(account.senderAddress);
    const date = new Date(this.#now());
    const company = row.documentId === null ? undefined : this.#o.companySender?.(row.documentId);
    const data = async () =>
      composeMime({
        from: { name: company?.name || account.senderName, address: account.senderAddress },
        to: { name: row.recipientName, address: row.recipient },
        cc,
        replyTo: company?.replyTo || account.replyTo,
        subject: row.subject,
        text: row.body,
        // The HTML part is the same text, every character escaped: no value can add markup.
        html: textToHtml(row.body, row.language),
        messageId: row.messageId,
        date,
        // Notifications may carry no attachment (empty path) or a CSV; documents carry their PDF, and
        // after it what goes beside it (the e-invoice).
        attachments: [
          ...(row.attachmentPath === ''
            ? []
            : [
                {
                  fileName: row.attachmentName,
                  contentType: row.attachmentName.endsWith('.csv') ? 'text/csv' : 'application/pdf',
                  content: await this.#attachments.read(row.attachmentPath),
                },
              ]),
          ...(await Promise.all(
            row.extraAttachments.map(async (extra) => ({
              fileName: extra.name,
              contentType: extra.contentType,
              content: await this.#attachments.read(extra.path),
            })),
          )),
        ],
      });
    // The envelope: To, Cc and Bcc, each address once (as nodemailer's envelope had them).
    const to = [...new Set([row.recipient, ...cc, ...bcc].map(normalizeAddress).filter((address) => address !== ''))];
    return { from: normalizeAddress(account.senderAddress), to, data };
  }

  #pacerFor(key: string, perMinute: number, windowedCeiling = false): Pacer {
    const existing = this.#pacers.get(key);
    if (existing?.state().ceilingPerMinute === perMinute && existing.windowedCeiling === windowedCeiling) return existing;
    const pacer = new Pacer({
      ...this.#o.pacer,
      ceilingPerMinute: perMinute,
      windowedCeiling,
      ...(this.#o.random ? { random: this.#o.random } : {}),
    });
    this.#pacers.set(key, pacer);
    return pacer;
  }

  /** Pauses every running batch of the account until `resumeAt` (a quota, the daily cap). */
  async #pauseScope(
    scope: AccountScope,
    code: string,
    resumeAt: number,
    details: Record<string, string | number>,
  ): Promise<void> {
    for (const batch of await this.#o.store.runningBatches(scope)) {
      if (await this.#o.store.transition(batch.id, ['running'], 'paused', { code, details, resumeAt })) this.#emit(batch.id);
    }
    this.#o.logger.info('accountPaused', { scope, code, resumeAt });
    this.#runAbort?.abort();
  }

  /** Stops every running batch of the account: nothing will work until the user acts. */
  async #stopScope(scope: AccountScope, error: KurierError): Promise<void> {
    for (const batch of await this.#o.store.runningBatches(scope)) {
      if (
        await this.#o.store.transition(batch.id, ['running'], 'stopped', {
          code: error.code,
          details: error.details,
          resumeAt: null,
        })
      )
        this.#emit(batch.id);
    }
    this.#o.logger.warn('accountStopped', { scope, code: error.code });
    this.#runAbort?.abort();
  }

  #emit(batchId: number): void {
    this.#pendingEmits.delete(batchId);
    this.#changed(batchId);
    // Reads of the office database may finish out of order: only the newest report goes out, so a
    // window never ends on an older state (running, after done).
    const report = (this.#reports.get(batchId) ?? 0) + 1;
    this.#reports.set(batchId, report);
    this.progress(batchId).then(
      (progress) => {
        if (this.#reports.get(batchId) !== report) return;
        if (!progress) return;
        this.#o.progressed(progress);
        for (const listener of [...this.#progressListeners]) listener(progress);
      },
      (error: unknown) => {
        this.#o.logger.error('progressFailed', { batchId, error });
      },
    );
  }

  /**
   * Progress after each message, at most every 250 ms: counting a large batch's rows after every
   * message would cost more than sending it. State changes (pause, stop, done) still go out at once.
   */
  #emitSoon(batchId: number): void {
    this.#pendingEmits.add(batchId);
    if (this.#emitTimer !== undefined) return;
    this.#emitTimer = setTimeout(() => {
      this.#emitTimer = undefined;
      for (const id of [...this.#pendingEmits]) this.#emit(id);
    }, 250);
  }

  /** Waits `ms`, or less when the account's run halts or new work comes (see wake). */
  #wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#laneWaits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#laneWaits.add(done);
    });
  }

  /** Sleeps until woken, or `ms` (null: until woken). */
  #sleep(ms: number | null): Promise<void> {
    if (this.#wokenMeanwhile || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer =
        ms === null
          ? undefined
          : setTimeout(
              () => {
                this.#wakeUp = null;
                resolve();
              },
              Math.max(0, ms),
            );
      this.#wakeUp = () => {
        clearTimeout(timer);
        this.#wakeUp = null;
        resolve();
      };
    });
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  /** Read through a method: `stop()` sets the flag while the loop awaits, which narrowing cannot see. */
  #isStopping(): boolean {
    return this.#stopping;
  }
}

/**
 * Reads attachments. Synchronously while reads are quick: a 60 KB PDF from a local disk takes some
 * 20 µs that way, while an asynchronous read's four thread-pool round trips cost about ten times as
 * much CPU (and on a busy machine the main thread's wake-ups more still) — at bulk rates more than
 * composing the message. A read that takes long (a network folder, a sleeping disk) would hold up the
 * whole main process, so the first file of every folder is read asynchronously and timed: only a
 * folder that answered quickly is read synchronously after that, and after any slow read every later
 * one goes through the thread pool.
 */
class AttachmentReader {
  #async = false;
  /** Folders whose first read was quick. */
  readonly #quickFolders = new Set<string>();

  /** Longer than this, and reading stays asynchronous from then on. */
  static readonly slowMs = 20;

  read(file: string): Buffer | Promise<Buffer> {
    if (this.#async) return readFile(file);
    const folder = path.dirname(file);
    if (!this.#quickFolders.has(folder)) return this.#timed(readFile(file), folder);
    const start = performance.now();
    const content = readFileSync(file);
    if (performance.now() - start > AttachmentReader.slowMs) this.#async = true;
    return content;
  }

  async #timed(reading: Promise<Buffer>, folder: string): Promise<Buffer> {
    const start = performance.now();
    const content = await reading;
    if (performance.now() - start > AttachmentReader.slowMs) this.#async = true;
    else this.#quickFolders.add(folder);
    return content;
  }
}
