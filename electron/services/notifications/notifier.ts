/**
 * Event notifications by e-mail, on the same SMTP account, through the outbox (so they are paced, kept
 * and never lost): a bulk batch finished (a summary with the batch's CSV), a batch stopped and needs a
 * person, documents became overdue (a daily digest), messages left uncertain for more than a day.
 *
 * Exactly once: each occurrence has a key (`batchFinished:12`, `overdue:2026-11-23`, `uncertain:<id>`)
 * written in the same transaction as its outbox row, so a second notification of it cannot be queued —
 * also after a restart. {@link sweep} catches up what happened while Kurier was closed.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { computeTotals, type Language } from '../../../shared/domain';
import { describeError, type Translate } from '../../../shared/i18n';
import { isErrorCode } from '../../../shared/errors';
import type { BatchProgress } from '../../../shared/outbox';
import type { NotificationEvent } from '../../../shared/prefs';
import type { DocumentRepository } from '../documents/document-repository';
import { csvText } from '../files/csv';
import type { Logger } from '../logging/logger';
import { newMessageId } from '../mail/composed-mail';
import { formatDate, formatMoney } from '../mail/message-draft';
import type { OutboxRepository } from '../outbox/outbox-repository';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { PreferencesService } from '../prefs/preferences-service';

/** What the notifier needs. */
export interface NotifierOptions {
  readonly store: OutboxRepository;
  readonly worker: OutboxWorker;
  readonly prefs: PreferencesService;
  readonly documents: DocumentRepository;
  /** The translator and language of this user (their UI language). */
  readonly translate: () => { readonly t: Translate; readonly language: Language };
  /** Where the CSV attached to a batch summary is kept. */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly now: () => number;
}

const day = 24 * 60 * 60_000;
/** How far back a catch-up at start looks for ended batches. */
const catchUpMs = 7 * day;

/** Queues notifications for events, once each. */
export class Notifier {
  readonly #o: NotifierOptions;

  constructor(options: NotifierOptions) {
    this.#o = options;
  }

  /** Reacts to a batch's progress: finished or stopped bulk batches are notified. */
  async onProgress(progress: BatchProgress): Promise<void> {
    if (progress.kind !== 'send') return;
    if (progress.status === 'done') await this.#batchFinished(progress.batchId);
    if (progress.status === 'stopped') await this.#batchStopped(progress.batchId);
  }

  /** Catches up: ended batches (last week), messages uncertain for over a day, and today's overdue digest. */
  async sweep(): Promise<void> {
    const now = this.#o.now();
    for (const batch of await this.#o.store.endedBulkBatches(now - catchUpMs)) {
      if (batch.status === 'done') await this.#batchFinished(batch.id);
      else await this.#batchStopped(batch.id);
    }
    await this.#uncertainAged(now);
    await this.#overdueDigest(now);
  }

  /** The recipient of `event`, or null when it is off or nobody is set. */
  #recipient(event: NotificationEvent): string | null {
    const { notifications, personalEmail } = this.#o.prefs.resolved().effective;
    const setting = notifications[event];
    if (!setting.enabled) return null;
    const to = setting.to !== '' ? setting.to : personalEmail;
    return to !== '' ? to : null;
  }

  async #queue(
    key: string,
    event: NotificationEvent,
    subject: string,
    body: string,
    attachment: { path: string; name: string; size: number } | null,
  ): Promise<void> {
    const to = this.#recipient(event);
    const sending = this.#o.prefs.sendingAccount();
    if (to === null || !sending) return;
    const { language } = this.#o.translate();
    const batchId = await this.#o.store.createNotificationOnce(key, event, sending.scope, this.#o.now(), {
      documentId: null,
      recipient: to,
      recipientName: '',
      cc: '',
      bcc: '',
      subject,
      body,
      language,
      attachmentPath: attachment?.path ?? '',
      attachmentName: attachment?.name ?? '',
      attachmentSize: attachment?.size ?? 0,
      messageId: newMessageId(sending.account.senderAddress),
      notBefore: 0,
    });
    if (batchId !== null) {
      this.#o.logger.info('notificationQueued', { key, event, batchId });
      this.#o.worker.wake();
    }
  }

  async #batchFinished(batchId: number): Promise<void> {
    const key = `batchFinished:${String(batchId)}`;
    if ((await this.#o.store.notified(key)) || this.#recipient('batchFinished') === null) return;
    const { t } = this.#o.translate();
    const counts = await this.#o.store.counts(batchId);
    const rows = await this.#o.store.history({ status: 'all', text: '', batchId, limit: 10_000 });
    const problems = rows.filter((row) => row.status === 'failed' || row.status === 'uncertain');
    const lines = problems.map((row) =>
      t('notifications.problemLine', {
        number: row.documentNumber,
        recipient: row.recipient,
        status: t(`history.status.${row.status}`),
        answer: isErrorCode(row.lastCode)
          ? describeError(t, { code: row.lastCode, details: row.lastDetails }).message
          : row.lastResponse,
      }),
    );
    const body = [
      t('notifications.batchFinishedIntro', {
        id: batchId,
        sent: counts.sent,
        failed: counts.failed,
        uncertain: counts.uncertain,
        total: counts.total,
      }),
      ...(lines.length > 0 ? ['', t('notifications.problemsTitle'), ...lines] : []),
      '',
      t('notifications.csvAttached'),
    ].join('\n');
    const folder = path.join(this.#o.dataDir, 'notifications');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, `batch-${String(batchId)}.csv`);
    const text = csvText([
      [
        t('history.csv.time'),
        t('history.csv.document'),
        t('history.csv.recipient'),
        t('history.csv.status'),
        t('history.csv.attempts'),
        t('history.csv.serverAnswer'),
      ],
      ...rows.map((row) => [
        new Date(row.sentAt ?? row.updatedAt).toISOString(),
        row.documentNumber,
        row.recipient,
        t(`history.status.${row.status}`),
        String(row.attempts),
        row.lastResponse,
      ]),
    ]);
    await writeFile(file, text);
    await this.#queue(
      key,
      'batchFinished',
      t('notifications.batchFinishedSubject', { id: batchId, sent: counts.sent, total: counts.total }),
      body,
      {
        path: file,
        name: `kurier-batch-${String(batchId)}.csv`,
        size: Buffer.byteLength(text),
      },
    );
  }

  async #batchStopped(batchId: number): Promise<void> {
    const batch = await this.#o.store.batch(batchId);
    if (!batch) return;
    const { t } = this.#o.translate();
    const reason = isErrorCode(batch.reasonCode)
      ? describeError(t, { code: batch.reasonCode, details: batch.reasonDetails })
      : { message: batch.reasonCode, fix: '' };
    const counts = await this.#o.store.counts(batchId);
    await this.#queue(
      `batchStopped:${String(batchId)}`,
      'batchStopped',
      t('notifications.batchStoppedSubject', { id: batchId }),
      [
        t('notifications.batchStoppedIntro', { id: batchId, sent: counts.sent, waiting: counts.queued + counts.retry }),
        '',
        reason.message,
        reason.fix,
      ].join('\n'),
      null,
    );
  }

  async #uncertainAged(now: number): Promise<void> {
    const aged = [];
    for (const row of await this.#o.store.uncertainSince(now - day)) {
      if (!(await this.#o.store.notified(`uncertain:${row.messageId}`))) aged.push(row);
    }
    if (aged.length === 0) return;
    const { t } = this.#o.translate();
    const body = [
      t('notifications.uncertainIntro', { count: aged.length }),
      '',
      ...aged.map((row) => `${row.recipient} – ${row.subject}`),
      '',
      t('notifications.uncertainFix'),
    ].join('\n');
    // One message for all of them; each message's own key makes sure none is reported twice.
    await this.#queue(
      `uncertain:${aged.map((row) => row.messageId).join(',')}`,
      'uncertainAged',
      t('notifications.uncertainSubject', { count: aged.length }),
      body,
      null,
    );
    if (await this.#o.store.notified(`uncertain:${aged.map((row) => row.messageId).join(',')}`)) {
      for (const row of aged) await this.#o.store.recordNotified(`uncertain:${row.messageId}`, 'uncertainAged', now);
    }
  }

  async #overdueDigest(now: number): Promise<void> {
    const today = new Date(now).toISOString().slice(0, 10);
    const key = `overdue:${today}`;
    if ((await this.#o.store.notified(key)) || this.#recipient('overdueDigest') === null) return;
    const last = (await this.#o.store.lastNotified('overdue:'))?.slice('overdue:'.length) ?? null;
    // Newly overdue: due before today, and (after the first digest) not due before the last digest's day.
    const overdue = this.#o.documents
      .listDocuments()
      .filter(
        (doc) =>
          (doc.kind === 'invoice' || doc.kind === 'paymentReminder') &&
          doc.dueDate < today &&
          (last === null || doc.dueDate >= last),
      );
    if (overdue.length === 0) {
      await this.#o.store.recordNotified(key, 'overdueDigest', now);
      return;
    }
    const { t, language } = this.#o.translate();
    const lines = overdue.map((doc) => {
      const full = this.#o.documents.getDocument(doc.id);
      const amount = full ? formatMoney(computeTotals(full.lines).totalMinor, full.currency, language) : '';
      const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${doc.dueDate}T00:00:00Z`)) / day);
      return t('notifications.overdueLine', {
        partner: doc.partnerName,
        number: doc.number,
        amount,
        days,
        due: formatDate(doc.dueDate, language),
      });
    });
    await this.#queue(
      key,
      'overdueDigest',
      t('notifications.overdueSubject', { count: overdue.length }),
      [t('notifications.overdueIntro'), '', ...lines].join('\n'),
      null,
    );
  }
}
