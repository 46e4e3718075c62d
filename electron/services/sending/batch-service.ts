/**
 * Bulk sending as the user meets it: a dry run that lists every recipient (and every document that has
 * none — never silently skipped), sizes against the server's limit, the projected duration and the daily
 * cap; then the batch itself — every PDF exported first, then one outbox row per message committed in one
 * transaction, and the worker takes over. History, retries and the CSV export read the same rows.
 */
import { KurierError, type KurierErrorShape } from '../../../shared/errors';
import { isValidEmailAddress } from '../../../shared/mail-address';
import type {
  BatchProgress,
  BatchStart,
  DryRun,
  DryRunItem,
  DuplicateChoice,
  HistoryQuery,
  OutboxMessageView,
} from '../../../shared/outbox';
import { defaultResendGuardDays } from '../../../shared/prefs';
import type { DocumentRepository } from '../documents/document-repository';
import type { ExportService } from '../export/export-service';
import { csvText } from '../files/csv';
import { needsKsefNumber } from '../einvoice/outgoing';
import { writeNewFile } from '../files/new-file';
import { outboxCompanions } from './outbox-attachments';
import type { Logger } from '../logging/logger';
import { newMessageId } from '../mail/composed-mail';
import { draftMessage } from '../mail/message-draft';
import type { SmtpTimeouts } from '../mail/smtp-transport-options';
import type { PreferencesService, SendingAccount } from '../prefs/preferences-service';
import { earlierCopyKey, type NewMessage } from '../outbox/outbox-store';
import type { OutboxRepository } from '../outbox/outbox-repository';
import { mailboxKey, type OutboxWorker } from '../outbox/outbox-worker';
import { SmtpSession } from '../mail/smtp-session';
import { companyTemplates } from './company-templates';
import type { SendingAccounts } from './sending-accounts';

/** Who each document goes to. */
export type BatchTarget = { readonly kind: 'partner' } | { readonly kind: 'address'; readonly address: string };

/** What starting a batch needs. */
export interface BatchRequest {
  readonly documentIds: readonly number[];
  readonly target: BatchTarget;
  readonly folder: string;
  /** Send the whole batch to the user's own address first. */
  readonly testToMe: boolean;
  /** Stay under the daily cap by scheduling the rest for the following days. */
  readonly spreadOverDays: boolean;
  /**
   * What to do with documents already sent (or on their way) to the same address within the
   * preference's days: `ask` (the default) queues nothing and returns them; `skip` leaves them out;
   * `send` sends them again.
   */
  readonly duplicates?: DuplicateChoice;
}

/** What the service needs. */
export interface BatchServiceOptions {
  readonly store: OutboxRepository;
  readonly worker: OutboxWorker;
  readonly exporter: ExportService;
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly accounts: SendingAccounts;
  readonly logger: Logger;
  readonly timeouts?: SmtpTimeouts;
  readonly now?: () => number;
}

const day = 24 * 60 * 60_000;

/** Base64 grows a file by 4/3, plus line breaks and the message around it. */
const encodedSize = (bytes: number) => Math.ceil((bytes * 4) / 3 / 76) * 78 + 4096;

/**
 * `work` on every item, at most `limit` at once; the results in the items' order. After a failure no
 * further item starts, and it rejects once the items under way have settled (no file is left being
 * written behind the caller).
 */
async function mapInOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  const failed = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}

/** Starts and inspects batches. */
export class BatchService {
  readonly #o: BatchServiceOptions;

  constructor(options: BatchServiceOptions) {
    this.#o = options;
  }

  /** Everything the user sees before sending; nothing is written and no login happens. */
  async dryRun(documentIds: readonly number[], target: BatchTarget): Promise<DryRun> {
    const items = await Promise.all(documentIds.map((id) => this.#item(id, target)));
    // Each document goes through its company's account (its own, else the one in force): the limits,
    // the server's SIZE and the pace are those of the accounts the documents use, each batch in parallel.
    const groups = this.#byAccount(items.filter((item) => item.problem === 'ok'));
    const main = groups[0]?.sending ?? this.#o.prefs.sendingAccount();
    if (!main) throw new KurierError('smtp.notConfigured');
    const sendable = groups.reduce((sum, group) => sum + group.items.length, 0);
    const oversized: number[] = [];
    let sizeLimitBytes = 0;
    let serverCheck: KurierErrorShape | null = null;
    let projectedMs = 0;
    let dailyCap = 0;
    let daysNeeded = 1;
    let overDailyCap = false;
    let perMinute = this.#o.accounts.limitsFor(main.account).perMinute;
    for (const group of groups.length > 0 ? groups : [{ sending: main, items: [] }]) {
      const limits = this.#o.accounts.limitsFor(group.sending.account);
      let size = 0;
      try {
        size = await SmtpSession.probeSize(group.sending.account, this.#o.timeouts);
      } catch (error) {
        serverCheck ??= error instanceof KurierError ? error.toShape() : new KurierError('internal.unexpected').toShape();
      }
      if (size > 0) {
        sizeLimitBytes = sizeLimitBytes === 0 ? size : Math.min(sizeLimitBytes, size);
        for (const item of group.items) if (item.estimatedBytes > size) oversized.push(item.documentId);
      }
      const groupMs = Math.round((Math.max(0, group.items.length - 1) / limits.perMinute) * 60_000);
      const cap = Number.isFinite(limits.perDay) ? limits.perDay : 0;
      if (groupMs >= projectedMs) [projectedMs, perMinute] = [groupMs, limits.perMinute];
      if (cap > 0 && (dailyCap === 0 || cap < dailyCap)) dailyCap = cap;
      if (cap > 0) {
        overDailyCap ||= group.items.length > cap;
        daysNeeded = Math.max(daysNeeded, Math.ceil(group.items.length / cap));
      }
    }
    const { personalEmail } = this.#o.prefs.resolved().effective;
    return {
      items,
      sendable,
      sizeLimitBytes,
      oversized,
      perMinute,
      projectedMs,
      dailyCap,
      overDailyCap,
      daysNeeded,
      testAddress: personalEmail !== '' ? personalEmail : main.account.senderAddress,
      serverCheck,
      defaultFolder: this.#o.exporter.defaultFolder(),
    };
  }

  /** The account a document's message goes out through (see {@link PreferencesService.sendingAccountFor}). */
  #sendingFor(documentId: number): SendingAccount | null {
    const document = this.#o.documents.getDocument(documentId);
    return this.#o.prefs.sendingAccountFor(document ? this.#o.documents.companies.get(document.companyId) : null);
  }

  /** `items` grouped by the account each goes out through, in order; throws when one has no account. */
  #byAccount<T extends { readonly documentId: number }>(
    items: readonly T[],
  ): { readonly sending: SendingAccount; readonly items: T[] }[] {
    const groups = new Map<string, { readonly sending: SendingAccount; readonly items: T[] }>();
    for (const item of items) {
      const sending = this.#sendingFor(item.documentId);
      if (!sending) throw new KurierError('smtp.notConfigured');
      const group = groups.get(sending.scope) ?? { sending, items: [] };
      group.items.push(item);
      groups.set(sending.scope, group);
    }
    return [...groups.values()];
  }

  /**
   * As {@link begin}, for callers that only start (a batch is queued, or this throws): earlier copies
   * that would need an answer throw `outbox.alreadySent`.
   */
  async start(request: BatchRequest): Promise<BatchStart & { readonly batchId: number }> {
    const outcome = await this.begin(request);
    if (outcome.batchId !== null) return { ...outcome, batchId: outcome.batchId };
    if ((request.duplicates ?? 'ask') === 'ask') throw new KurierError('outbox.alreadySent', { count: outcome.earlier.length });
    throw new KurierError('outbox.nothingToSend');
  }

  /**
   * Exports every document, then queues one message per document with a usable address, all in one
   * transaction. Returns the batch and the documents left out (with why) — or, when some documents
   * already went to the same addresses and `duplicates` is `ask`, no batch and those earlier copies.
   */
  async begin(request: BatchRequest): Promise<BatchStart> {
    await this.#o.prefs.assertOfficeConfirmed();
    const items = await Promise.all(request.documentIds.map((id) => this.#item(id, request.target)));
    const skipped = items.filter((item) => item.problem !== 'ok');
    // Every document's account is known before anything is exported or queued.
    const accountGroups = this.#byAccount(items.filter((item) => item.problem === 'ok'));
    if (accountGroups.length === 0 && !this.#o.prefs.sendingAccount()) throw new KurierError('smtp.notConfigured');
    const { personalEmail, templates, sending: sendingPrefs } = this.#o.prefs.resolved().effective;
    // A test to oneself is not a send to the recipients: only real batches are guarded.
    const choice: DuplicateChoice = request.testToMe ? 'send' : (request.duplicates ?? 'ask');
    const guardSince = this.#now() - (sendingPrefs.resendGuardDays ?? defaultResendGuardDays) * day;
    // Looked for before exporting anything, and again when queueing: a start at another desk (or a
    // second click here) may come in between, and only the second look is in the write transaction.
    const sendable = items.filter((item) => item.problem === 'ok');
    const seen = choice === 'send' ? [] : await this.#o.store.earlierCopies(sendable, guardSince);
    if (choice === 'ask' && seen.length > 0) return { batchId: null, skipped, earlier: seen };
    const seenKeys = new Set(seen.map((copy) => earlierCopyKey(copy.documentId, copy.recipient)));
    const now = this.#now();
    // One batch per account the documents go out through (a company's own, or the one in force).
    const queues = new Map<string, { readonly sending: SendingAccount; readonly messages: NewMessage[] }>();
    const fresh = sendable.filter((candidate) => !seenKeys.has(earlierCopyKey(candidate.documentId, candidate.recipient)));
    // Rendering is most of a batch's start: documents go to the renderer (a pool of worker threads in
    // the app) several at a time, and their messages keep the order of the list.
    const files = await mapInOrder(fresh, this.#o.exporter.renderParallelism, (item) =>
      this.#o.exporter.exportFile(item.documentId, request.folder),
    );
    for (const [position, item] of fresh.entries()) {
      const file = files[position];
      if (!file) continue;
      const sending = this.#o.prefs.sendingAccountFor(file.company);
      if (!sending) throw new KurierError('smtp.notConfigured');
      const { account } = sending;
      const queue = queues.get(sending.scope) ?? { sending, messages: [] };
      queues.set(sending.scope, queue);
      const { messages } = queue;
      const testAddress = personalEmail !== '' ? personalEmail : account.senderAddress;
      const cap = this.#o.accounts.limitsFor(account).perDay;
      const draft = draftMessage({
        document: file.document,
        partner: file.partner,
        company: file.company,
        senderName: account.senderName,
        language: file.partner.language,
        templates: companyTemplates(templates, file.company, this.#o.logger),
        reminderLevel: this.#o.documents.reminderLevel(file.document),
      });
      const index = messages.length;
      const dayOffset = request.spreadOverDays && Number.isFinite(cap) && cap > 0 ? Math.floor(index / cap) : 0;
      messages.push({
        documentId: item.documentId,
        recipient: request.testToMe ? testAddress : item.recipient,
        recipientName: request.testToMe || request.target.kind === 'address' ? '' : file.partner.name,
        cc: '',
        bcc: '',
        subject: draft.subject,
        body: draft.body,
        language: file.partner.language,
        attachmentPath: file.filePath,
        attachmentName: file.fileName,
        attachmentSize: file.bytes,
        extraAttachments: await outboxCompanions(file.companion),
        companyId: file.document.companyId,
        messageId: newMessageId(account.senderAddress),
        notBefore: now + dayOffset * day,
      });
    }
    if (queues.size === 0) {
      if (seen.length > 0) return { batchId: null, skipped, earlier: seen };
      throw new KurierError('outbox.nothingToSend');
    }
    // All the batches (one per account) are looked at and queued together: a copy another window or
    // desk queued while this one rendered is asked about before any company's documents are queued.
    const groups = [...queues.values()].map(({ sending, messages }) => ({
      batch: {
        kind: request.testToMe ? ('testToMe' as const) : ('send' as const),
        accountScope: sending.scope,
        now,
        mailbox: mailboxKey(sending.account),
      },
      messages,
    }));
    const { batchIds, earlier: raced } = await this.#o.store.createBatchesGuarded(groups, { since: guardSince, choice });
    const earlier = [...seen, ...raced.filter((copy) => !seenKeys.has(earlierCopyKey(copy.documentId, copy.recipient)))];
    this.#o.logger.info('batchQueued', {
      batchId: batchIds[0] ?? 0,
      batches: batchIds.length,
      messages: batchIds.length === 0 ? 0 : fresh.length - (choice === 'skip' ? raced.length : 0),
      skipped: skipped.length,
      earlier: earlier.length,
      duplicates: choice,
      testToMe: request.testToMe,
    });
    if (batchIds.length > 0) this.#o.worker.wake();
    return { batchId: batchIds[0] ?? null, batchIds, skipped, earlier };
  }

  /**
   * Progress of the batches still active and of those finished in the last day, newest first. Only
   * batches the user started ("Send many…"): a single copy from the export dialog and a notification
   * are one message each and live in the send history, not as batches of their own.
   */
  async recentProgress(): Promise<BatchProgress[]> {
    const since = this.#now() - day;
    const ids = await this.#o.store.recentBatchIds(since);
    const progress = await Promise.all(ids.map((id) => this.#o.worker.progress(id)));
    return progress.filter((item): item is BatchProgress => item !== null && isUserBatch(item));
  }

  /** The send history. */
  history(filter: HistoryQuery): Promise<OutboxMessageView[]> {
    return this.#o.store.history(filter);
  }

  /** Everyone who queued a message, for the history's "Sent by" filter. */
  historyUsers(): Promise<string[]> {
    return this.#o.store.queuedByUsers();
  }

  /** Puts failed, uncertain or cancelled messages back in the queue. */
  async retry(ids: readonly number[]): Promise<number> {
    const changed = await this.#o.store.requeue(ids, this.#now());
    this.#o.worker.wake();
    return changed;
  }

  /** The user confirmed that uncertain messages did arrive. */
  markDelivered(ids: readonly number[]): Promise<number> {
    return this.#o.store.markDelivered(ids, this.#now());
  }

  /**
   * Writes the history (as filtered) as CSV into `folder` — UTF-8 with a BOM and semicolons, which is
   * what Czech and Polish Excel opens correctly — and returns the file's path.
   */
  async exportCsv(
    filter: HistoryQuery,
    folder: string,
    labels: {
      readonly header: readonly string[];
      readonly status: Readonly<Record<string, string>>;
      readonly mayHaveArrivedTwice?: string;
    },
  ): Promise<string> {
    const statusOf = (row: OutboxMessageView) => {
      const status = labels.status[row.status] ?? row.status;
      return row.mayHaveArrivedTwice && row.status === 'sent' && labels.mayHaveArrivedTwice
        ? `${status} (${labels.mayHaveArrivedTwice})`
        : status;
    };
    const rows = await this.#o.store.history({ ...filter, limit: 10_000 });
    const lines = [
      labels.header,
      ...rows.map((row) => [
        new Date(row.updatedAt).toISOString(),
        row.documentNumber,
        row.companyName,
        row.recipientName,
        row.recipient,
        row.subject,
        row.route,
        statusOf(row),
        String(row.attempts),
        row.lastCode,
        row.lastResponse,
        row.messageId,
        row.queuedByUser,
        row.queuedByDesk,
        row.deliveredByDesk,
      ]),
    ];
    const text = csvText(lines);
    return writeNewFile(folder, 'kurier-send-history.csv', text);
  }

  async #item(documentId: number, target: BatchTarget): Promise<DryRunItem> {
    const { document, partner, company } = this.#o.exporter.load(documentId);
    const recipient = target.kind === 'address' ? target.address : partner.email.trim();
    let problem: DryRunItem['problem'] =
      recipient === '' ? 'noAddress' : isValidEmailAddress(recipient) ? 'ok' : 'invalidAddress';
    if (problem === 'ok') {
      try {
        await this.#o.exporter.payslipPassword(document, partner);
      } catch (error) {
        if (!(error instanceof KurierError) || error.code !== 'payslip.passwordMissing') throw error;
        problem = 'noPassword';
      }
    }
    // A rendered PDF of one of our documents is 20–60 KB; the dry run does not render, it estimates.
    return {
      documentId,
      documentNumber: document.number,
      partnerName: partner.name,
      recipient,
      problem,
      needsKsefNumber: needsKsefNumber({
        document,
        company,
        originalXml: this.#o.documents.getOriginal(documentId, 'xml')?.bytes,
      }),
      estimatedBytes: encodedSize(60_000),
    };
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

/** Whether a batch is one the user started as a batch (not a single copy or a notification). */
export function isUserBatch(progress: Pick<BatchProgress, 'kind'>): boolean {
  return progress.kind === 'send' || progress.kind === 'testToMe';
}
