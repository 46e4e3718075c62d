/**
 * A document's copy handed to a mail program (Outlook, the system's mail client, Thunderbird, mailto):
 * the user reviews and sends it there. The routes themselves live in handoff/.
 */
import type { ExportOutcome } from '../../../shared/contract';
import type { AccountingDocument, CompanyRecord, Partner } from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import type { HandoffRoute } from '../../../shared/handoff';
import { splitAddressList } from '../../../shared/prefs';
import type { HandoffService } from '../handoff/handoff-service';
import type { OutlookMode } from '../handoff/outlook-com';
import type { Logger } from '../logging/logger';
import type { DocumentSends } from '../outbox/document-sends';
import { assertNoPasswordIn, type PayslipPasswords } from '../payslips/payslip-passwords';
import type { PreferencesService } from '../prefs/preferences-service';
import { mailAttachments, type CopyFiles } from './outbox-attachments';
import type { CopyRequest } from './smtp-copy';

/** What a hand-off copy needs. */
export interface HandoffCopyOptions {
  readonly prefs: PreferencesService;
  readonly payslips: PayslipPasswords;
  readonly logger: Logger;
  /** The routes that hand the copy to a mail program (absent: SMTP only). */
  readonly handoff?: HandoffService;
  /** The document's copies: a hand-off is recorded there too. */
  readonly sends: DocumentSends;
  readonly now?: () => number;
}

/** Hands documents' copies to mail programs. */
export class HandoffCopy {
  readonly #o: HandoffCopyOptions;

  constructor(options: HandoffCopyOptions) {
    this.#o = options;
  }

  /** The hand-off routes on this computer, each with whether it can be used now. */
  async routes(): ReturnType<HandoffService['routes']> {
    return (await this.#o.handoff?.routes()) ?? [];
  }

  /** The route a copy SMTP did not deliver goes to instead: the preferred one when it works here; null: none. */
  async fallback(): Promise<HandoffRoute | null> {
    return (await this.#o.handoff?.fallback(this.#o.prefs.resolved().effective.sending.route)) ?? null;
  }

  /**
   * Hands the copy of `file` (the e-invoice beside it and the files the user added too) to the mail
   * program of `route`, suggesting as its sender the account `company`'s messages go out through (its
   * own, else the one in force) in the company's sender name when it has one.
   */
  async send(
    document: AccountingDocument,
    partner: Partner,
    company: CompanyRecord | undefined,
    file: CopyFiles,
    copy: Omit<CopyRequest, 'route'>,
    route: HandoffRoute,
  ): Promise<ExportOutcome['mail']> {
    try {
      if (!this.#o.handoff) throw new KurierError('handoff.notOnThisSystem', { platform: process.platform });
      if (document.kind === 'payslip') assertNoPasswordIn(await this.#o.payslips.get(partner.id), [copy.subject, copy.body]);
      const sending = this.#o.prefs.sendingAccountFor(company);
      const senderName = company?.senderName || sending?.account.senderName || '';
      const receipt = await this.#o.handoff.handOff(
        route,
        {
          ...(sending ? { from: { name: senderName, address: sending.account.senderAddress } } : {}),
          to: [copy.to],
          cc: splitAddressList(copy.cc),
          bcc: splitAddressList(copy.bcc),
          subject: copy.subject,
          text: copy.body,
          attachments: mailAttachments(file),
        },
        { outlookMode: await this.#outlookMode() },
      );
      this.#o.logger.info('copyHandedOff', { documentId: document.id, route });
      this.#o.sends.recordHandoff(document.id, route, copy.to, (this.#o.now ?? Date.now)());
      return {
        ok: true,
        to: copy.to,
        messageId: '',
        handedOff: {
          route,
          sent: receipt.sent,
          notes: receipt.notes,
          mailtoUrl: receipt.mailtoUrl,
          attachmentPath: receipt.attachmentPath,
        },
      };
    } catch (error) {
      if (!(error instanceof KurierError)) throw error;
      return { ok: false, to: copy.to, error: error.toShape() };
    }
  }

  /**
   * Outlook sends at once only with confirmed office values: while a change waits for confirmation the
   * message is shown for review instead (`display`), so nothing leaves unseen.
   */
  async #outlookMode(): Promise<OutlookMode> {
    // The check reads the office file again, so the mode below is the one on disk now.
    const held = await this.#o.prefs.assertOfficeConfirmed().then(
      () => false,
      (error: unknown) => {
        if (error instanceof KurierError && error.code === 'prefs.officeChangeUnconfirmed') return true;
        throw error;
      },
    );
    return held ? 'display' : this.#o.prefs.resolved().effective.sending.outlookMode;
  }
}
