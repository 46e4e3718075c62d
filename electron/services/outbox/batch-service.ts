/**
 * Bulk sending as the user meets it: a dry run that lists every recipient (and every document that has
 * none — never silently skipped), sizes against the server's limit, the projected duration and the daily
 * cap; then the batch itself — every PDF exported first, then one outbox row per message committed in one
 * transaction, and the worker takes over. History, retries and the CSV export read the same rows.
 */
import { KurierError, type KurierErrorShape } from '../../../shared/errors';
import { isValidEmailAddress } from '../../../shared/mail-address';
import type { BatchProgress, DryRun, DryRunItem, HistoryQuery, OutboxMessageView } from '../../../shared/outbox';
import type { AccountScope, SmtpAccount } from '../../../shared/prefs';
import { findProviderByDomain, smtpProviders } from '../autoconfig/provider-table';
import type { DocumentRepository } from '../documents/document-repository';
import { outboxCompanions, type ExportService } from '../export/export-service';
import { csvText } from '../export/csv';
import { writeNewFile } from '../export/new-file';
import type { Logger } from '../logging/logger';
import { newMessageId } from '../mail/composed-mail';
import { draftMessage } from '../mail/message-draft';
import type { SmtpTimeouts } from '../mail/smtp-transport-options';
import type { SmtpLogins } from '../oauth/smtp-logins';
import type { PreferencesService } from '../prefs/preferences-service';
import type { NewMessage, OutboxStore } from './outbox-store';
import type { BatchAccount, OutboxWorker } from './outbox-worker';
import { SmtpSession } from '../mail/smtp-session';

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
}

/** What the service needs. */
export interface BatchServiceOptions {
  readonly store: OutboxStore;
  readonly worker: OutboxWorker;
  readonly exporter: ExportService;
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly logins: SmtpLogins;
  readonly logger: Logger;
  readonly timeouts?: SmtpTimeouts;
  /** SMTP connections per batch (1–3); by default 2 for a provider Kurier knows, 1 otherwise. */
  readonly connections?: number;
  /**
   * Test-only (benchmarks): messages per minute and per day to use instead of the user's bulk
   * preferences, whose schema caps them at 600/min and 100,000/day; Infinity lifts the limit. A known
   * provider's documented limits still apply. The app never sets these.
   */
  readonly perMinute?: number;
  readonly perDay?: number;
  readonly now?: () => number;
}

const day = 24 * 60 * 60_000;

/** Base64 grows a file by 4/3, plus line breaks and the message around it. */
const encodedSize = (bytes: number) => Math.ceil((bytes * 4) / 3 / 76) * 78 + 4096;

/** Starts and inspects batches. */
export class BatchService {
  readonly #o: BatchServiceOptions;

  constructor(options: BatchServiceOptions) {
    this.#o = options;
  }

  /** The limits and connections a batch on `account` keeps to. */
  limitsFor(account: SmtpAccount): Pick<BatchAccount, 'perMinute' | 'perDay' | 'connections'> {
    const { bulk } = this.#o.prefs.resolved().effective;
    const host = account.host.trim().toLowerCase();
    const domain = account.senderAddress.slice(account.senderAddress.lastIndexOf('@') + 1);
    const provider = smtpProviders.find((candidate) => candidate.host === host) ?? findProviderByDomain(domain);
    const limits = provider?.limits;
    const providerDay = Math.min(limits?.perDay ?? Infinity, limits?.recipientsPerDay ?? Infinity);
    return {
      perMinute: Math.min(this.#o.perMinute ?? bulk.messagesPerMinute, limits?.perMinute ?? Infinity),
      perDay: Math.min(this.#o.perDay ?? bulk.messagesPerDay, providerDay),
      connections: this.#o.connections ?? (provider ? Math.min(2, limits?.maxConnections ?? 2) : 1),
    };
  }

  /** The account a batch of `scope` sends with right now. */
  async accountFor(scope: AccountScope): Promise<BatchAccount | null> {
    // Throws prefs.officeChangeUnconfirmed while an office change waits: the worker stops the batch
    // with that reason (its messages stay queued) until the user confirms.
    await this.#o.prefs.assertOfficeConfirmed();
    const sending = this.#o.prefs.sendingAccount();
    const account = sending?.scope === scope ? sending.account : null;
    if (!account) return null;
    return {
      account,
      credential: await this.#o.logins.credential(scope, account),
      loginState: this.#o.logins.guard(scope, account),
      recheck: () => this.#o.prefs.assertOfficeConfirmed(),
      ...this.limitsFor(account),
    };
  }

  /** Everything the user sees before sending; nothing is written and no login happens. */
  async dryRun(documentIds: readonly number[], target: BatchTarget): Promise<DryRun> {
    const sending = this.#o.prefs.sendingAccount();
    if (!sending) throw new KurierError('smtp.notConfigured');
    const items = await Promise.all(documentIds.map((id) => this.#item(id, target)));
    const sendable = items.filter((item) => item.problem === 'ok').length;
    const limits = this.limitsFor(sending.account);
    let sizeLimitBytes = 0;
    let serverCheck: KurierErrorShape | null = null;
    try {
      sizeLimitBytes = await SmtpSession.probeSize(sending.account, this.#o.timeouts);
    } catch (error) {
      serverCheck = error instanceof KurierError ? error.toShape() : new KurierError('internal.unexpected').toShape();
    }
    const oversized =
      sizeLimitBytes > 0
        ? items.filter((item) => item.problem === 'ok' && item.estimatedBytes > sizeLimitBytes).map((item) => item.documentId)
        : [];
    const dailyCap = Number.isFinite(limits.perDay) ? limits.perDay : 0;
    const { personalEmail } = this.#o.prefs.resolved().effective;
    return {
      items,
      sendable,
      sizeLimitBytes,
      oversized,
      perMinute: limits.perMinute,
      projectedMs: Math.round((Math.max(0, sendable - 1) / limits.perMinute) * 60_000),
      dailyCap,
      overDailyCap: dailyCap > 0 && sendable > dailyCap,
      daysNeeded: dailyCap > 0 ? Math.max(1, Math.ceil(sendable / dailyCap)) : 1,
      testAddress: personalEmail !== '' ? personalEmail : sending.account.senderAddress,
      serverCheck,
      defaultFolder: this.#o.exporter.defaultFolder(),
    };
  }

  /**
   * Exports every document, then queues one message per document with a usable address, all in one
   * transaction. Returns the batch and the documents left out (with why).
   */
  async start(request: BatchRequest): Promise<{ batchId: number; skipped: readonly DryRunItem[] }> {
    await this.#o.prefs.assertOfficeConfirmed();
    const sending = this.#o.prefs.sendingAccount();
    if (!sending) throw new KurierError('smtp.notConfigured');
    const { account, scope } = sending;
    const items = await Promise.all(request.documentIds.map((id) => this.#item(id, request.target)));
    const skipped = items.filter((item) => item.problem !== 'ok');
    const { personalEmail, templates } = this.#o.prefs.resolved().effective;
    const testAddress = personalEmail !== '' ? personalEmail : account.senderAddress;
    const cap = this.limitsFor(account).perDay;
    const now = this.#now();
    const messages: NewMessage[] = [];
    for (const item of items.filter((candidate) => candidate.problem === 'ok')) {
      const file = await this.#o.exporter.exportFile(item.documentId, request.folder);
      const draft = draftMessage({
        document: file.document,
        partner: file.partner,
        company: file.company,
        senderName: account.senderName,
        language: file.partner.language,
        templates,
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
    if (messages.length === 0) throw new KurierError('outbox.nothingToSend');
    const batchId = this.#o.store.createBatch(
      { kind: request.testToMe ? 'testToMe' : 'send', accountScope: scope, now },
      messages,
    );
    this.#o.logger.info('batchQueued', {
      batchId,
      messages: messages.length,
      skipped: skipped.length,
      testToMe: request.testToMe,
    });
    this.#o.worker.wake();
    return { batchId, skipped };
  }

  /** Progress of the batches still active and of those finished in the last day, newest first. */
  recentProgress(): BatchProgress[] {
    const since = this.#now() - day;
    return this.#o.store
      .recentBatchIds(since)
      .map((id) => this.#o.worker.progress(id))
      .filter((progress): progress is BatchProgress => progress !== null);
  }

  /** The send history. */
  history(filter: HistoryQuery): OutboxMessageView[] {
    return this.#o.store.history(filter);
  }

  /** Puts failed, uncertain or cancelled messages back in the queue. */
  retry(ids: readonly number[]): number {
    const changed = this.#o.store.requeue(ids, this.#now());
    this.#o.worker.wake();
    return changed;
  }

  /** The user confirmed that uncertain messages did arrive. */
  markDelivered(ids: readonly number[]): number {
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
    const rows = this.#o.store.history({ ...filter, limit: 10_000 });
    const lines = [
      labels.header,
      ...rows.map((row) => [
        new Date(row.updatedAt).toISOString(),
        row.documentNumber,
        row.recipientName,
        row.recipient,
        row.subject,
        row.route,
        statusOf(row),
        String(row.attempts),
        row.lastCode,
        row.lastResponse,
        row.messageId,
      ]),
    ];
    const text = csvText(lines);
    return writeNewFile(folder, 'kurier-send-history.csv', text);
  }

  async #item(documentId: number, target: BatchTarget): Promise<DryRunItem> {
    const { document, partner } = this.#o.exporter.load(documentId);
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
      estimatedBytes: encodedSize(60_000),
    };
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
