/**
 * A document's copy over SMTP: checked as any route would check it, queued in the outbox (SMTP always
 * goes through it) and awaited — bounded, and cancellable by the dialog — for its first outcome.
 */
import { stat } from 'node:fs/promises';
import type { ExportOutcome, InputOf } from '../../../shared/contract';
import type { AccountingDocument, CompanyRecord, Partner } from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import { splitAddressList } from '../../../shared/prefs';
import { assertSendable, newMessageId } from '../mail/composed-mail';
import type { DocumentSends } from '../outbox/document-sends';
import type { OutboxRepository } from '../outbox/outbox-repository';
import type { OutboxWorker } from '../outbox/outbox-worker';
import { sendThroughOutbox } from '../outbox/send-one';
import { assertNoPasswordIn, type PayslipPasswords } from '../payslips/payslip-passwords';
import type { PreferencesService } from '../prefs/preferences-service';
import { mailAttachments, outboxCompanions, type CopyFiles } from './outbox-attachments';

/** The copy the dialog asks for. */
export type CopyRequest = NonNullable<InputOf<'export:run'>['copy']>;

/** What an SMTP copy needs. */
export interface SmtpCopyOptions {
  readonly prefs: PreferencesService;
  readonly payslips: PayslipPasswords;
  readonly outbox: {
    readonly store: OutboxRepository;
    readonly worker: OutboxWorker;
    readonly sends: DocumentSends;
    readonly now: () => number;
  };
  /** How long the dialog waits for the first outcome before saying the copy stays queued. */
  readonly waitMs?: number;
}

/** Sends documents' copies through the outbox. */
export class SmtpCopy {
  readonly #o: SmtpCopyOptions;
  /** Copies the dialog is waiting for, by document: the dialog's Cancel ends the wait. */
  readonly #waits = new Map<number, AbortController>();

  constructor(options: SmtpCopyOptions) {
    this.#o = options;
  }

  /** The dialog's Cancel: a copy of the document not gone out yet is cancelled. False when none is awaited. */
  cancel(documentId: number): boolean {
    const wait = this.#waits.get(documentId);
    wait?.abort();
    return wait !== undefined;
  }

  /** Queues the copy of `filePath` and waits for its first outcome; errors become the outcome. */
  async send(
    document: AccountingDocument,
    partner: Partner,
    company: CompanyRecord | undefined,
    file: CopyFiles,
    copy: CopyRequest,
    typedPassword: InputOf<'export:run'>['smtpPassword'],
  ): Promise<ExportOutcome['mail']> {
    try {
      const prefs = this.#o.prefs;
      // An office value changed behind this user's back (server, sender, templates…) holds the copy;
      // nothing is queued, so after confirming, sending again delivers it once.
      await prefs.assertOfficeConfirmed();
      // The company's own account when it has one, else the one in force (user's or office's).
      const sending = prefs.sendingAccountFor(company);
      if (!sending) throw new KurierError('smtp.notConfigured');
      const { account, scope } = sending;
      // A password typed in the dialog is bound to the account in force, like one saved in preferences.
      if (typedPassword) {
        await prefs.providePassword(scope, typedPassword.value, {
          remember: typedPassword.remember,
          acceptPlainText: typedPassword.acceptPlainText === true,
        });
      }
      // A payslip's password never travels with it (the same mailbox gets the PDF).
      if (document.kind === 'payslip') assertNoPasswordIn(await this.#o.payslips.get(partner.id), [copy.subject, copy.body]);
      const messageId = newMessageId(account.senderAddress);
      // The composed message is checked here as it would be by any route: no header may break.
      assertSendable(
        {
          from: { name: account.senderName, address: account.senderAddress },
          to: [copy.to],
          cc: splitAddressList(copy.cc),
          bcc: splitAddressList(copy.bcc),
          replyTo: account.replyTo,
          subject: copy.subject,
          text: copy.body,
          attachments: mailAttachments(file),
          messageId,
        },
        { recipientRequired: true },
      );
      const wait = new AbortController();
      this.#waits.set(document.id, wait);
      const message = {
        documentId: document.id,
        recipient: copy.to,
        recipientName: '',
        cc: copy.cc,
        bcc: copy.bcc,
        subject: copy.subject,
        body: copy.body,
        language: partner.language,
        attachmentPath: file.filePath,
        attachmentName: file.fileName,
        attachmentSize: (await stat(file.filePath)).size,
        extraAttachments: [...(await outboxCompanions(file.companion)), ...file.extras],
        companyId: document.companyId,
        messageId,
        notBefore: 0,
      };
      const outcome = await sendThroughOutbox(this.#o.outbox, scope, message, {
        signal: wait.signal,
        ...(this.#o.waitMs ? { timeoutMs: this.#o.waitMs } : {}),
      }).finally(() => {
        if (this.#waits.get(document.id) === wait) this.#waits.delete(document.id);
      });
      if (outcome.status === 'sent') return { ok: true, to: copy.to, messageId: outcome.messageId };
      if (outcome.status === 'pending')
        return { ok: false, to: copy.to, error: outcome.error, pending: { retryAt: outcome.retryAt } };
      return { ok: false, to: copy.to, error: outcome.error, ...(outcome.status === 'uncertain' ? { uncertain: true } : {}) };
    } catch (error) {
      if (!(error instanceof KurierError)) throw error;
      return { ok: false, to: copy.to, error: error.toShape() };
    }
  }
}
