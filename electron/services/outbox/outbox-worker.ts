/**
 * Delivers the outbox. One batch at a time, oldest first, over at most `connections` SMTP connections
 * per account (Microsoft 365 allows 3; 1–2 is the safe start). Each connection is a lane that pulls the
 * next due row only when it is free — so memory stays flat however large the batch — and waits for the
 * pacer before every message. Every attempt's outcome is written to the row before the next begins.
 *
 * The outbox alone decides about retries (see delivery-outcome.ts): transient answers come back later
 * with exponential backoff and jitter; a quota pauses the batch until it passes; a rejected password or a
 * wrong setting stops the batch and marks the password rejected (no further logins); a permanent answer
 * fails that one message; a connection lost after the whole message was sent leaves it uncertain.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { KurierError, type ErrorCode } from '../../../shared/errors';
import type { BatchProgress, WaitReason } from '../../../shared/outbox';
import { splitAddressList, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import { textToHtml } from '../../../shared/templates';
import type { Logger } from '../logging/logger';
import type { LoginGuardState } from '../mail/login-guard';
import type { SmtpTimeouts } from '../mail/smtp-transport-options';
import { dispositionOf } from './delivery-outcome';
import type { BatchRow, OutboxRow, OutboxStore } from './outbox-store';
import { Pacer, type PacerOptions } from './pacer';
import { SessionFailure, SmtpSession, type SessionMessage } from './smtp-session';

/** The account a batch sends with, resolved when the batch runs. */
export interface BatchAccount {
  readonly account: SmtpAccount;
  readonly password: string | null;
  readonly loginState: LoginGuardState;
  /** Messages per minute and per rolling day never to exceed (Infinity: none), and connections to use. */
  readonly perMinute: number;
  readonly perDay: number;
  readonly connections: number;
}

/** Retry timing. */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** After this many attempts a transient failure becomes final. */
  readonly maxAttempts: number;
}

/** What the worker needs. */
export interface OutboxWorkerOptions {
  readonly store: OutboxStore;
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
  readonly now?: () => number;
  readonly random?: () => number;
  readonly openSession?: (account: SmtpAccount, password: string | null, timeouts: SmtpTimeouts | undefined) => Promise<SmtpSession>;
}

const day = 24 * 60 * 60_000;
const defaultRetry: RetryPolicy = { baseMs: 30_000, maxMs: 30 * 60_000, maxAttempts: 8 };

/** The outbox's delivery loop. */
export class OutboxWorker {
  readonly #o: OutboxWorkerOptions;
  readonly #pacers = new Map<string, Pacer>();
  readonly #connected = new Set<string>();
  #running: Promise<void> | null = null;
  #stopping = false;
  #wakeUp: (() => void) | null = null;
  #batchAbort: AbortController | null = null;
  #currentBatch: number | null = null;
  #emitTimer: NodeJS.Timeout | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.#o = options;
  }

  /** Starts delivering (rows left `sending` by a crash are made uncertain first). */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    const recovered = this.#o.store.recoverInterrupted(this.#now());
    if (recovered > 0) this.#o.logger.warn('interruptedMessagesUncertain', { count: recovered });
    this.#running = this.#loop().catch((error: unknown) => {
      this.#o.logger.error('outboxWorkerFailed', { error });
    });
  }

  /** New work, a resume, or a changed setting: look again now. */
  wake(): void {
    this.#wakeUp?.();
  }

  /** Pauses a batch; the message being sent finishes first. */
  pause(batchId: number): void {
    const batch = this.#o.store.batch(batchId);
    if (batch?.status !== 'running') return;
    this.#o.store.setBatchStatus(batchId, 'paused', { code: 'outbox.pausedByUser', details: {}, resumeAt: null });
    this.#halt(batchId);
    this.#emit(batchId);
  }

  /** Resumes a paused or stopped batch. */
  resume(batchId: number): void {
    const batch = this.#o.store.batch(batchId);
    if (batch?.status !== 'paused' && batch?.status !== 'stopped') return;
    this.#o.store.setBatchStatus(batchId, 'running');
    this.#emit(batchId);
    this.wake();
  }

  /** Cancels every message of the batch not sent yet. */
  cancel(batchId: number): void {
    const batch = this.#o.store.batch(batchId);
    if (!batch || batch.status === 'done' || batch.status === 'cancelled') return;
    this.#o.store.setBatchStatus(batchId, 'cancelled');
    this.#o.store.cancelWaiting(batchId, this.#now());
    this.#halt(batchId);
    this.#emit(batchId);
  }

  /** Stops after the messages in flight; the rest stays queued for the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#batchAbort?.abort();
    this.wake();
    await this.#running;
    this.#running = null;
    clearTimeout(this.#emitTimer);
    this.#emitTimer = undefined;
  }

  /** A batch's progress now. */
  progress(batchId: number): BatchProgress | null {
    const batch = this.#o.store.batch(batchId);
    if (!batch) return null;
    const counts = this.#o.store.counts(batchId);
    const pacer = this.#pacers.get(batch.accountScope)?.state();
    const perMinute = pacer && Number.isFinite(pacer.perMinute) ? pacer.perMinute : null;
    const remaining = counts.queued + counts.retry + counts.sending;
    const now = this.#now();
    const waiting = this.#waitReason(batch, now);
    const startFrom = waiting && 'until' in waiting ? Math.max(now, waiting.until) : now;
    return {
      batchId,
      kind: batch.kind,
      status: batch.status,
      counts,
      perMinute,
      ceilingPerMinute: pacer && Number.isFinite(pacer.ceilingPerMinute) ? pacer.ceilingPerMinute : null,
      estimatedFinish: remaining === 0 || batch.status === 'done' ? null : perMinute ? startFrom + (remaining / perMinute) * 60_000 : null,
      waiting,
    };
  }

  #waitReason(batch: BatchRow, now: number): WaitReason | null {
    if (batch.status === 'stopped') {
      return { kind: 'stopped', error: { code: batch.reasonCode as ErrorCode, details: batch.reasonDetails } };
    }
    if (batch.status === 'paused') {
      if (batch.reasonCode === 'outbox.pausedByUser' || batch.resumeAt === null) return { kind: 'pausedByUser' };
      return { kind: batch.reasonCode === 'outbox.dailyCap' ? 'dailyCap' : 'quota', until: batch.resumeAt };
    }
    if (batch.status !== 'running') return null;
    const cooldown = this.#pacers.get(batch.accountScope)?.state().cooldownUntil ?? 0;
    if (cooldown > now) return { kind: 'serverLimit', until: cooldown };
    const counts = this.#o.store.counts(batch.id);
    const due = this.#o.store.nextDue(batch.id);
    if (counts.sending === 0 && due !== null && due > now) return { kind: 'retryLater', until: due };
    return null;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      const now = this.#now();
      const batches = this.#o.store.activeBatches();
      // A quota or daily-cap pause ends by itself when its time comes.
      for (const batch of batches) {
        if (batch.status === 'paused' && batch.resumeAt !== null && batch.resumeAt <= now && batch.reasonCode !== 'outbox.pausedByUser') {
          this.#o.store.setBatchStatus(batch.id, 'running');
        }
      }
      const batch = this.#o.store.activeBatches().find((candidate) => candidate.status === 'running');
      if (!batch) {
        const wakeAt = batches.map((b) => b.resumeAt).filter((at): at is number => at !== null).sort((a, b) => a - b)[0];
        await this.#sleep(wakeAt === undefined ? null : wakeAt - now);
        continue;
      }
      await this.#runBatch(batch);
    }
  }

  async #runBatch(batch: BatchRow): Promise<void> {
    const resolved = await this.#o.accountFor(batch.accountScope);
    if (!resolved) {
      this.#stopBatch(batch.id, new KurierError('smtp.notConfigured'));
      return;
    }
    if (resolved.loginState.isPasswordRejected()) {
      this.#stopBatch(batch.id, new KurierError('smtp.passwordRejected'));
      return;
    }
    const pacer = this.#pacerFor(batch.accountScope, resolved.perMinute);
    this.#batchAbort = new AbortController();
    this.#currentBatch = batch.id;
    const lanes = { active: Math.max(1, Math.min(3, resolved.connections)) };
    const signal = this.#batchAbort.signal;
    try {
      await Promise.all(Array.from({ length: lanes.active }, () => this.#lane(batch, resolved, pacer, signal, lanes)));
    } finally {
      this.#batchAbort = null;
      this.#currentBatch = null;
    }
    const after = this.#o.store.batch(batch.id);
    const counts = this.#o.store.counts(batch.id);
    if (after?.status === 'running' && counts.queued + counts.retry === 0) {
      // No lane is left, so a row still `sending` belongs to nobody: it may have gone out.
      if (counts.sending > 0) this.#o.store.recoverInterrupted(this.#now());
      this.#o.store.setBatchStatus(batch.id, 'done');
      this.#o.logger.info('batchDone', { batchId: batch.id, ...counts });
    }
    this.#emit(batch.id);
  }

  /** One connection's loop: pace, claim, send, record — until the batch has nothing due or halts. */
  async #lane(batch: BatchRow, resolved: BatchAccount, pacer: Pacer, signal: AbortSignal, lanes: { active: number }): Promise<void> {
    let session: SmtpSession | null = null;
    const key = batch.accountScope;
    try {
      while (!signal.aborted) {
        const now = this.#now();
        if (Number.isFinite(resolved.perDay)) {
          const { count, oldest } = this.#o.store.sentSince(now - day);
          if (count >= resolved.perDay) {
            this.#pauseBatch(batch.id, 'outbox.dailyCap', (oldest ?? now) + day, { perDay: resolved.perDay });
            return;
          }
        }
        const startAt = pacer.nextStartAt(now);
        if (startAt > now) {
          await this.#wait(startAt - now, signal);
          continue;
        }
        const row = this.#o.store.claimNext(batch.id, now);
        if (!row) {
          const due = this.#o.store.nextDue(batch.id);
          // Nothing due now: end this run when nothing will be (or another lane still sends); else wait.
          if (due === null) return;
          await this.#wait(Math.max(0, due - now), signal);
          continue;
        }
        pacer.started(now);
        this.#emitSoon(batch.id);
        try {
          if (!session?.usable) {
            session?.close();
            session = null;
            session = await (this.#o.openSession ?? SmtpSession.open)(resolved.account, resolved.password, this.#o.timeouts);
            this.#connected.add(key);
          }
          const message = { ...this.#compose(row, resolved.account), onDataSent: () => { this.#o.store.markDataSent(row.id, this.#now()); } };
          const receipt = await session.send(message, this.#o.watchdogMs ?? 120_000);
          this.#o.store.markSent(row.id, this.#now(), receipt.response);
          pacer.succeeded();
        } catch (error) {
          if (!(error instanceof SessionFailure)) throw error;
          const connecting = session === null;
          session = null;
          const throttled = this.#recordFailure(batch, row, error, resolved, pacer);
          // "Too many connections" and its kin while connecting: this lane gives its connection up, so
          // the batch goes on with fewer (multiplicative decrease of concurrency, as of the rate).
          if (connecting && throttled && lanes.active > 1) {
            lanes.active -= 1;
            this.#o.logger.info('connectionDropped', { batchId: batch.id, connections: lanes.active });
            return;
          }
        }
        this.#emitSoon(batch.id);
      }
    } finally {
      session?.close();
    }
  }

  /** Records a failed attempt; returns whether the server asked to slow down. */
  #recordFailure(batch: BatchRow, row: OutboxRow, failure: SessionFailure, resolved: BatchAccount, pacer: Pacer): boolean {
    const now = this.#now();
    const { error } = failure.failure;
    const disposition = dispositionOf({ ...failure.failure, everConnected: this.#connected.has(batch.accountScope) });
    const response = failure.failure.response ?? '';
    const base = { code: error.code, response, details: error.details, now };
    this.#o.logger.warn('deliveryFailed', { batchId: batch.id, messageId: row.messageId, code: error.code, disposition: disposition.kind, response });
    switch (disposition.kind) {
      case 'retry': {
        if (disposition.throttle) pacer.throttled(now);
        const retry = this.#o.retry ?? defaultRetry;
        if (row.attempts >= retry.maxAttempts) {
          this.#o.store.markAttempt(row.id, { ...base, status: 'failed', details: { ...error.details, gaveUpAfter: row.attempts } });
          return disposition.throttle;
        }
        const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (row.attempts - 1));
        const jittered = Math.round(backoff * (0.8 + 0.4 * (this.#o.random ?? Math.random)()));
        this.#o.store.markAttempt(row.id, { ...base, status: 'retry', notBefore: now + jittered });
        return disposition.throttle;
      }
      case 'quota': {
        const { oldest } = this.#o.store.sentSince(now - day);
        const resumeAt = oldest !== null ? oldest + day : now + (this.#o.quotaPauseMs ?? day);
        this.#o.store.markAttempt(row.id, { ...base, status: 'retry', notBefore: resumeAt });
        this.#pauseBatch(batch.id, 'outbox.quota', resumeAt, { response });
        return false;
      }
      case 'stop': {
        // Not this message's fault: it goes back to the queue for when the user has fixed the cause.
        this.#o.store.markAttempt(row.id, { ...base, status: 'queued' });
        if (error.code === 'smtp.authRejected') resolved.loginState.markPasswordRejected(response);
        this.#stopBatch(batch.id, error);
        return false;
      }
      case 'failed':
        this.#o.store.markAttempt(row.id, { ...base, status: 'failed' });
        return false;
      case 'uncertain':
        this.#o.store.markAttempt(row.id, { ...base, status: 'uncertain' });
        return false;
    }
  }

  #compose(row: OutboxRow, account: SmtpAccount): SessionMessage {
    const bcc = splitAddressList(row.bcc);
    if (account.bccSelf && !bcc.some((address) => address.toLowerCase() === account.senderAddress.toLowerCase())) bcc.push(account.senderAddress);
    const composer = new MailComposer({
      from: { name: account.senderName, address: account.senderAddress },
      to: row.recipientName !== '' ? { name: row.recipientName, address: row.recipient } : row.recipient,
      cc: splitAddressList(row.cc),
      bcc,
      ...(account.replyTo !== '' ? { replyTo: account.replyTo } : {}),
      subject: row.subject,
      text: row.body,
      // The HTML part is the same text, every character escaped: no value can add markup.
      html: textToHtml(row.body, row.language),
      messageId: row.messageId,
      attachments: [{ path: row.attachmentPath, filename: row.attachmentName, contentType: 'application/pdf' }],
      disableFileAccess: false,
      disableUrlAccess: true,
    });
    const node = composer.compile();
    const envelope = node.getEnvelope();
    return { from: envelope.from || account.senderAddress, to: envelope.to, raw: node.createReadStream() };
  }

  #pacerFor(key: string, perMinute: number): Pacer {
    const existing = this.#pacers.get(key);
    if (existing?.state().ceilingPerMinute === perMinute) return existing;
    const pacer = new Pacer({ ...this.#o.pacer, ceilingPerMinute: perMinute, ...(this.#o.random ? { random: this.#o.random } : {}) });
    this.#pacers.set(key, pacer);
    return pacer;
  }

  #pauseBatch(batchId: number, code: string, resumeAt: number, details: Record<string, string | number>): void {
    this.#o.store.setBatchStatus(batchId, 'paused', { code, details, resumeAt });
    this.#o.logger.info('batchPaused', { batchId, code, resumeAt });
    this.#halt(batchId);
  }

  #stopBatch(batchId: number, error: KurierError): void {
    this.#o.store.setBatchStatus(batchId, 'stopped', { code: error.code, details: error.details, resumeAt: null });
    this.#o.logger.warn('batchStopped', { batchId, code: error.code });
    this.#halt(batchId);
    this.#emit(batchId);
  }

  /** Ends the current run of `batchId`: lanes finish the message in flight, then leave. */
  #halt(batchId: number): void {
    if (this.#currentBatch === batchId) this.#batchAbort?.abort();
  }

  #emit(batchId: number): void {
    clearTimeout(this.#emitTimer);
    this.#emitTimer = undefined;
    const progress = this.progress(batchId);
    if (progress) this.#o.progressed(progress);
  }

  /**
   * Progress after each message, at most every 250 ms: counting a large batch's rows after every
   * message would cost more than sending it. State changes (pause, stop, done) still go out at once.
   */
  #emitSoon(batchId: number): void {
    if (this.#emitTimer !== undefined) return;
    this.#emitTimer = setTimeout(() => {
      this.#emitTimer = undefined;
      this.#emit(batchId);
    }, 250);
  }

  /** Waits `ms`, or less when the batch halts. */
  #wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Sleeps until woken, or `ms` (null: until woken). */
  #sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? undefined : setTimeout(() => { this.#wakeUp = null; resolve(); }, Math.max(0, ms));
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
}
