/**
 * Export a document to a file and, when asked, send a copy by e-mail. The file is written beside its
 * final name and renamed into place, so a full disk or a crash never leaves half a PDF under the real
 * name. The e-mail has its own outcome: a saved PDF is reported as saved even when the mail fails.
 */
import { RevealableFiles } from './revealable-files';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportDraft, ExportOutcome, InputOf, TemplatePreview } from '../../../shared/contract';
import { renderTemplate, textToHtml, type Template, type TemplateKind } from '../../../shared/templates';
import {
  documentTotalMinor,
  type AccountingDocument,
  type CompanyRecord,
  type Language,
  type Partner,
} from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import { splitAddressList, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import type { DocumentRepository } from '../documents/document-repository';
import type { HandoffRoute } from '../../../shared/handoff';
import type { Logger } from '../logging/logger';
import { assertSendable, newMessageId } from '../mail/composed-mail';
import type { DocumentSends } from '../outbox/document-sends';
import type { NewMessage, OutboxAttachment } from '../outbox/outbox-store';
import { assertNoPasswordIn, type PayslipPasswords } from '../payslips/payslip-passwords';
import type { SingleCopyOutcome } from '../outbox/send-one';
import { draftMessage, placeholderValues, templateKindOf } from '../mail/message-draft';
import type { PreferencesService } from '../prefs/preferences-service';
import { exportFileName } from './file-names';
import { isTypedForPartner, recipientChoices, type OwnAddresses, type PartnerRecipients } from './partner-recipients';
import type { HandoffService } from '../handoff/handoff-service';
import type { OutlookMode } from '../handoff/outlook-com';
import { writeNewFile } from './new-file';
import { renderDocumentPdf } from './pdf-renderer';
import { embedElectronicInvoice } from './einvoice-files';
import { documentMarks, electronicInvoice } from '../einvoice/outgoing';

/** How many exported files the dialog's hand-off fallback may still refer to. */
const rememberedExports = 200;

/** Progress stages reported while exporting. */
export type ExportStage = 'rendering' | 'writing' | 'sending' | 'done';

/** What the export service needs. */
export interface ExportServiceOptions {
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly fontDir: string;
  readonly defaultFolder: string;
  readonly payslips: PayslipPasswords;
  /** Queues one message in the outbox and waits (bounded, cancellable) for its first outcome (see outbox/send-one.ts). */
  readonly sendCopy: (scope: AccountScope, message: NewMessage, signal: AbortSignal) => Promise<SingleCopyOutcome>;
  readonly progress: (documentId: number, stage: ExportStage) => void;
  readonly logger: Logger;
  /** The routes that hand the copy to a mail program (absent: SMTP only). */
  readonly handoff?: HandoffService;
  /** Addresses the user typed for each partner and sent to. */
  readonly recipients: PartnerRecipients;
  /** The document's copies in the outbox. */
  readonly sends: DocumentSends;
  readonly now?: () => number;
}

/** A document with the partner it is for and the issuing company. */
export interface Loaded {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: CompanyRecord;
}

/** A PDF written by {@link ExportService.exportFile}. */
export interface ExportedFile extends Loaded {
  /** The attachment name: the document's file name (the file on disk may carry a " (2)"). */
  readonly fileName: string;
  readonly filePath: string;
  readonly bytes: number;
  /** The e-invoice written beside the PDF (company preference `separate`), to travel as its own attachment. */
  readonly companion?: { readonly path: string; readonly fileName: string; readonly contentType: string };
}

/** Exports documents and sends copies. */
export class ExportService {
  readonly #o: ExportServiceOptions;
  /** Files of this session whose SMTP copy failed (path → document), the newest {@link rememberedExports}. */
  readonly #exported = new Map<string, number>();
  /** Files a window may ask to show in the file manager (see revealable-files.ts). */
  readonly revealable = new RevealableFiles();
  /** The e-invoice written beside each PDF of this session, handed to mail programs with it. */
  readonly #companions = new Map<string, ExportedFile['companion']>();
  /** Copies the dialog is waiting for, by document: the dialog's Cancel ends the wait. */
  readonly #waits = new Map<number, AbortController>();

  constructor(options: ExportServiceOptions) {
    this.#o = options;
  }

  /** Everything the export dialog shows before the user presses Export. */
  async prepare(documentId: number): Promise<ExportDraft> {
    const { document, partner, company } = this.#load(documentId);
    const prefs = this.#o.prefs;
    const { effective } = prefs.resolved();
    const language = partner.language;
    const { recipients, to } = recipientChoices(partner, this.#o.recipients.chosen(partner.id), this.#ownAddresses());
    const sending = prefs.sendingAccount();
    const draft = draftMessage({
      document,
      partner,
      company,
      senderName: sending?.account.senderName ?? '',
      language,
      templates: effective.templates,
      reminderLevel: this.#o.documents.reminderLevel(document),
    });
    return {
      document: summarize(document, partner, company),
      language,
      folder: this.defaultFolder(),
      fileName: exportFileName(document, partner, language),
      recipients,
      to,
      subject: draft.subject,
      body: draft.body,
      cc: effective.sending.cc,
      bcc: effective.sending.bcc,
      // No address of this partner to preselect: the copy starts off, and the dialog says why.
      sendCopy: effective.sending.sendCopy && to !== '',
      smtpConfigured: sending !== null,
      smtpPasswordNeeded: sending ? await this.#passwordNeeded(sending.scope, sending.account) : null,
      routes: [
        sending
          ? { route: 'smtp', available: true, notes: [] }
          : { route: 'smtp', available: false, reason: { code: 'smtp.notConfigured', details: {} }, notes: [] },
        ...((await this.#o.handoff?.routes()) ?? []),
      ],
      defaultRoute: effective.sending.route,
      sends: this.#o.sends.of(document.id),
    };
  }

  /**
   * The account in force needs a password typed here: none saved yet, the saved one was rejected, or it
   * was saved for another server, port, security or user name (then the dialog says what changed).
   */
  async #passwordNeeded(scope: AccountScope, account: SmtpAccount): Promise<ExportDraft['smtpPasswordNeeded']> {
    // A sign-in has no password to ask for: each user signs in in preferences.
    if (account.username === '' || account.auth !== 'password') return null;
    const asked = { scope, username: account.username, unencrypted: account.security === 'none' };
    if (this.#o.prefs.loginState(scope).isPasswordRejected()) return { ...asked, reason: 'rejected', withheld: null };
    const lookup = await this.#o.prefs.smtpLogin(scope, account);
    if (lookup.status === 'missing') return { ...asked, reason: 'missing', withheld: null };
    if (lookup.status === 'withheld') return { ...asked, reason: 'withheld', withheld: lookup.withheld };
    return null;
  }

  /** The dialog's Cancel: a copy of the document not gone out yet is cancelled. False when none is awaited. */
  cancelCopy(documentId: number): boolean {
    const wait = this.#waits.get(documentId);
    wait?.abort();
    return wait !== undefined;
  }

  /** Writes the PDF and sends the copy when one is asked for. */
  async run(input: InputOf<'export:run'>): Promise<ExportOutcome> {
    // The same document to the same address again is the user's decision, asked before anything happens.
    const previous = input.copy && input.copy.again !== true ? this.#o.sends.previous(input.documentId, input.copy.to) : null;
    if (previous)
      throw new KurierError('export.alreadySent', { to: previous.recipient, at: previous.at, status: previous.status });
    const { document, partner, fileName, filePath, companion } = await this.exportFile(input.documentId, input.folder);
    this.#companions.set(filePath, companion);
    const mail = input.copy ? await this.#sendCopy(document, partner, fileName, filePath, input.copy, input.smtpPassword) : null;
    this.#rememberRecipient(partner, mail);
    this.#rememberRevealable(filePath, mail);
    // Only a copy that SMTP certainly did not deliver may go to a mail program instead: one pending
    // in the outbox or uncertain could reach the recipient twice.
    if (input.copy?.route === 'smtp' && mail?.ok === false && !mail.pending && mail.uncertain !== true)
      this.#remember(filePath, document.id);
    this.#o.progress(document.id, 'done');
    return { filePath, mail, sends: this.#o.sends.of(document.id) };
  }

  /**
   * Hands a PDF that {@link run} wrote in this session to a mail program: the dialog's way out when
   * SMTP failed, without exporting the document a second time. Any other path is refused — the window
   * cannot make Kurier attach a file of its choosing — and so is a file whose SMTP copy may still
   * arrive (pending or uncertain).
   */
  async handOffExported(input: InputOf<'export:handOff'>): Promise<ExportOutcome> {
    if (this.#exported.get(input.filePath) !== input.documentId) throw new KurierError('input.invalid', { field: 'filePath' });
    const { document, partner } = this.#load(input.documentId);
    // Protection made mandatory since the export still holds for this copy.
    await this.payslipPassword(document, partner);
    this.#o.progress(document.id, 'sending');
    const mail = await this.#handOff(
      document,
      partner,
      exportFileName(document, partner, partner.language),
      input.filePath,
      input.copy,
      input.copy.route,
    );
    this.#rememberRecipient(partner, mail);
    this.#rememberRevealable(input.filePath, mail);
    this.#o.progress(document.id, 'done');
    return { filePath: input.filePath, mail, sends: this.#o.sends.of(document.id) };
  }

  /** A copy went (or is on its way) to an address the user typed for this partner: offer it next time. */
  #rememberRecipient(partner: Partner, mail: ExportOutcome['mail']): void {
    const underway = mail !== null && (mail.ok || mail.pending !== undefined || mail.uncertain === true);
    if (!underway || !isTypedForPartner(mail.to, partner, this.#ownAddresses())) return;
    this.#o.recipients.remember(partner.id, mail.to.trim(), (this.#o.now ?? Date.now)());
  }

  #rememberRevealable(filePath: string, mail: ExportOutcome['mail']): void {
    this.revealable.add(filePath);
    const copy = mail?.ok === true ? mail.handedOff?.attachmentPath : null;
    if (copy) this.revealable.add(copy);
  }

  #ownAddresses(): OwnAddresses {
    return {
      personal: this.#o.prefs.userPrefs().overrides.personalEmail ?? '',
      office: this.#o.prefs.globalPrefs().personalEmail ?? '',
    };
  }

  #remember(filePath: string, documentId: number): void {
    this.#exported.delete(filePath);
    this.#exported.set(filePath, documentId);
    for (const oldest of this.#exported.keys()) {
      if (this.#exported.size <= rememberedExports) break;
      this.#exported.delete(oldest);
    }
  }

  /**
   * Renders one document to a new PDF in `folder` (never overwriting an earlier one). Reports progress
   * for the document; throws `export.*` errors for the folder and the disk.
   */
  async exportFile(documentId: number, folder: string): Promise<ExportedFile> {
    const { document, partner, company } = this.#load(documentId);
    const password = await this.payslipPassword(document, partner);
    const target = await this.#checkFolder(folder);
    this.#o.progress(document.id, 'rendering');
    // An imported document that came with its own PDF (a PDF with embedded ISDOC, the PDF inside an
    // .isdocx) is exported as exactly those bytes: it is what the issuer's program printed, never re-rendered.
    const own = password === null ? this.#o.documents.getOriginal(document.id, 'pdf') : undefined;
    const outgoing = { document, partner, company, originalXml: this.#o.documents.getOriginal(document.id, 'xml')?.bytes };
    const rendered = own
      ? Buffer.from(own.bytes)
      : await renderDocumentPdf({
          document,
          partner,
          company,
          language: partner.language,
          fontDir: this.#o.fontDir,
          marks: documentMarks(outgoing),
          ...(password !== null ? { protection: { userPassword: password } } : {}),
        });
    const invoice = password === null ? electronicInvoice(outgoing) : undefined;
    const embedded = invoice !== undefined && company.isdocAttachment === 'embedded' && !own;
    const pdf = embedded
      ? await embedElectronicInvoice(rendered, invoice, new Date(`${document.issueDate}T00:00:00Z`))
      : rendered;
    this.#o.progress(document.id, 'writing');
    const fileName = exportFileName(document, partner, partner.language);
    const filePath = await writeNewFile(target, fileName, pdf);
    if (password !== null) this.#o.payslips.recordExport(document.id, partner.id, filePath);
    const companion =
      invoice !== undefined && !embedded
        ? {
            path: await writeNewFile(target, invoice.fileName, Buffer.from(invoice.bytes)),
            fileName: invoice.fileName,
            contentType: invoice.contentType,
          }
        : undefined;
    this.#o.logger.info('exported', {
      documentId: document.id,
      filePath,
      bytes: pdf.length,
      protected: password !== null,
      einvoice: invoice?.origin ?? 'none',
    });
    return { document, partner, company, fileName, filePath, bytes: pdf.length, ...(companion ? { companion } : {}) };
  }

  /**
   * The password a payslip is protected with: the employee's, when set; null for other documents and
   * employees without one — unless the office made protection mandatory (`payslip.passwordMissing`).
   */
  async payslipPassword(document: AccountingDocument, partner: Partner): Promise<string | null> {
    if (document.kind !== 'payslip') return null;
    const password = await this.#o.payslips.get(partner.id);
    // The office's "mandatory" holds even for a user who took the sending section over.
    const mandatory =
      this.#o.prefs.resolved().effective.sending.payslipProtection === 'mandatory' ||
      this.#o.prefs.globalPrefs().sending?.payslipProtection === 'mandatory';
    if (password === null && mandatory) {
      throw new KurierError('payslip.passwordMissing', { partner: partner.name });
    }
    return password;
  }

  /**
   * `template` filled with the data of a real document of its kind (a reminder of that level when there
   * is one), in `language` — what the template editor previews. No document of the kind: the first one.
   */
  previewTemplate(kind: TemplateKind, language: Language, template: Template): TemplatePreview {
    const documents = this.#o.documents.listDocuments();
    const kindOf = (id: number) => {
      const doc = this.#o.documents.getDocument(id);
      return doc ? templateKindOf(doc, this.#o.documents.reminderLevel(doc)) : null;
    };
    const sample =
      documents.find((doc) => kindOf(doc.id) === kind) ?? documents.find((doc) => kind.startsWith(doc.kind)) ?? documents[0];
    if (!sample) throw new KurierError('document.notFound', {});
    const { document, partner, company } = this.#load(sample.id);
    const senderName = this.#o.prefs.sendingAccount()?.account.senderName ?? '';
    const rendered = renderTemplate(template, placeholderValues({ document, partner, company, senderName, language }));
    return { ...rendered, html: textToHtml(rendered.body, language), documentNumber: document.number, partnerName: partner.name };
  }

  /** The document with its partner and the company (throws `document.notFound`). */
  load(documentId: number): Loaded {
    return this.#load(documentId);
  }

  /** The folder exports go to when the user has not chosen one. */
  defaultFolder(): string {
    return this.#o.prefs.userPrefs().exportFolder || this.#o.defaultFolder;
  }

  async #sendCopy(
    document: AccountingDocument,
    partner: Partner,
    fileName: string,
    filePath: string,
    copy: NonNullable<InputOf<'export:run'>['copy']>,
    typedPassword: InputOf<'export:run'>['smtpPassword'],
  ): Promise<ExportOutcome['mail']> {
    this.#o.progress(document.id, 'sending');
    if (copy.route !== 'smtp') return this.#handOff(document, partner, fileName, filePath, copy, copy.route);
    try {
      // An office value changed behind this user's back (server, sender, templates…) holds the copy;
      // nothing is queued, so after confirming, sending again delivers it once.
      await this.#o.prefs.assertOfficeConfirmed();
      const sending = this.#o.prefs.sendingAccount();
      if (!sending) throw new KurierError('smtp.notConfigured');
      const { account, scope } = sending;
      // A password typed in the dialog is bound to the account in force, like one saved in preferences.
      if (typedPassword) {
        await this.#o.prefs.providePassword(scope, typedPassword.value, {
          remember: typedPassword.remember,
          acceptPlainText: typedPassword.acceptPlainText === true,
        });
      }
      // A payslip's password never travels with it (the same mailbox gets the PDF).
      if (document.kind === 'payslip') assertNoPasswordIn(await this.#o.payslips.get(partner.id), [copy.subject, copy.body]);
      // The composed message is checked here as it would be by any route: no header may break.
      assertSendable({
        from: { name: account.senderName, address: account.senderAddress },
        to: [copy.to],
        cc: splitAddressList(copy.cc),
        bcc: splitAddressList(copy.bcc),
        replyTo: account.replyTo,
        subject: copy.subject,
        text: copy.body,
        attachments: [
          { path: filePath, fileName, contentType: 'application/pdf' },
          ...companionOf(this.#companions.get(filePath)),
        ],
        messageId: newMessageId(account.senderAddress),
      });
      const wait = new AbortController();
      this.#waits.set(document.id, wait);
      const outcome = await this.#o
        .sendCopy(
          scope,
          {
            documentId: document.id,
            recipient: copy.to,
            recipientName: '',
            cc: copy.cc,
            bcc: copy.bcc,
            subject: copy.subject,
            body: copy.body,
            language: partner.language,
            attachmentPath: filePath,
            attachmentName: fileName,
            attachmentSize: (await stat(filePath)).size,
            extraAttachments: await outboxCompanions(this.#companions.get(filePath)),
            companyId: document.companyId,
            messageId: newMessageId(account.senderAddress),
            notBefore: 0,
          },
          wait.signal,
        )
        .finally(() => {
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

  /** Hands the copy to a mail program; the user reviews and sends it there. */
  async #handOff(
    document: AccountingDocument,
    partner: Partner,
    fileName: string,
    filePath: string,
    copy: Omit<NonNullable<InputOf<'export:run'>['copy']>, 'route'>,
    route: HandoffRoute,
  ): Promise<ExportOutcome['mail']> {
    try {
      if (!this.#o.handoff) throw new KurierError('handoff.notOnThisSystem', { platform: process.platform });
      if (document.kind === 'payslip') assertNoPasswordIn(await this.#o.payslips.get(partner.id), [copy.subject, copy.body]);
      const sending = this.#o.prefs.sendingAccount();
      const receipt = await this.#o.handoff.handOff(
        route,
        {
          ...(sending ? { from: { name: sending.account.senderName, address: sending.account.senderAddress } } : {}),
          to: [copy.to],
          cc: splitAddressList(copy.cc),
          bcc: splitAddressList(copy.bcc),
          subject: copy.subject,
          text: copy.body,
          attachments: [
            { path: filePath, fileName, contentType: 'application/pdf' },
            ...companionOf(this.#companions.get(filePath)),
          ],
        },
        { outlookMode: await this.#outlookMode() },
      );
      this.#o.logger.info('copyHandedOff', { documentId: document.id, route });
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

  #load(documentId: number): Loaded {
    const document = this.#o.documents.getDocument(documentId);
    const partner = document && this.#o.documents.getPartner(document.partnerId);
    if (!document || !partner) throw new KurierError('document.notFound', { documentId });
    return { document, partner, company: this.#o.documents.getCompany(document.companyId) };
  }

  async #checkFolder(folder: string): Promise<string> {
    const resolved = path.resolve(folder);
    if (resolved === path.resolve(this.#o.defaultFolder)) await mkdir(resolved, { recursive: true });
    const info = await stat(resolved).catch(() => null);
    if (!info?.isDirectory()) throw new KurierError('export.folderNotFound', { folder });
    try {
      await access(resolved, constants.W_OK);
    } catch (error) {
      throw new KurierError('export.folderNotWritable', { folder }, { cause: error });
    }
    return resolved;
  }
}

function summarize(document: AccountingDocument, partner: Partner, company: CompanyRecord): ExportDraft['document'] {
  return {
    id: document.id,
    companyId: document.companyId,
    companyName: company.name,
    source: document.origin.source,
    sourceFile: document.origin.sourceFile,
    totalsFlagged: document.origin.totalsMismatch !== null,
    kind: document.kind,
    number: document.number,
    partnerId: partner.id,
    partnerName: partner.name,
    issueDate: document.issueDate,
    dueDate: document.dueDate,
    currency: document.currency,
    totalMinor: documentTotalMinor(document),
  };
}

/**
 * The e-invoice beside a PDF as an outbox attachment, after the PDF (none when the company embeds it
 * or has none): the SMTP copy carries what a hand-off carries.
 */
export async function outboxCompanions(companion: ExportedFile['companion']): Promise<OutboxAttachment[]> {
  if (!companion) return [];
  const { size } = await stat(companion.path);
  return [{ path: companion.path, name: companion.fileName, size, contentType: companion.contentType }];
}

/** The e-invoice beside a PDF as a hand-off attachment (none when the company embeds it or has none). */
function companionOf(companion: ExportedFile['companion']): { path: string; fileName: string; contentType: string }[] {
  return companion ? [{ path: companion.path, fileName: companion.fileName, contentType: companion.contentType }] : [];
}
