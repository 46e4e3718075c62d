/**
 * "Send this document": what the export dialog shows before Export, the export itself (export/) and its
 * copy — over SMTP through the outbox (smtp-copy.ts) or handed to a mail program (handoff-copy.ts) —
 * and the dialog's way out when SMTP failed. A saved PDF is reported as saved even when the mail fails.
 */
import type { ExportDraft, ExportOutcome, InputOf, TemplatePreview } from '../../../shared/contract';
import {
  documentTotalMinor,
  type AccountingDocument,
  type CompanyRecord,
  type Language,
  type Partner,
} from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import type { HandoffRoute } from '../../../shared/handoff';
import type { AccountScope, SmtpAccount } from '../../../shared/prefs';
import { renderTemplate, textToHtml, type Template, type TemplateKind } from '../../../shared/templates';
import type { DocumentRepository } from '../documents/document-repository';
import { needsKsefNumber } from '../einvoice/outgoing';
import type { ExportService, ExportStage } from '../export/export-service';
import { exportFileName } from '../export/file-names';
import { draftMessage, placeholderValues, templateKindOf } from '../mail/message-draft';
import type { DocumentSends } from '../outbox/document-sends';
import type { PreferencesService } from '../prefs/preferences-service';
import type { Logger } from '../logging/logger';
import { companyTemplates } from './company-templates';
import { ExportedFiles } from './exported-files';
import type { ExtraAttachments } from './extra-attachments';
import type { HandoffCopy } from './handoff-copy';
import { isTypedForPartner, recipientChoices, type OwnAddresses, type PartnerRecipients } from './partner-recipients';
import { RevealableFiles } from './revealable-files';
import type { SmtpCopy } from './smtp-copy';

/** What the document sender needs. */
export interface DocumentSenderOptions {
  readonly exporter: ExportService;
  readonly documents: DocumentRepository;
  readonly prefs: PreferencesService;
  readonly smtp: SmtpCopy;
  readonly handoff: HandoffCopy;
  /** Addresses the user typed for each partner and sent to. */
  readonly recipients: PartnerRecipients;
  /** Files the user added to copies in the dialog. */
  readonly attachments: ExtraAttachments;
  /** The document's copies in the outbox. */
  readonly sends: DocumentSends;
  readonly progress: (documentId: number, stage: ExportStage) => void;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Exports documents and sends their copies. */
export class DocumentSender {
  readonly #o: DocumentSenderOptions;
  readonly #exported = new ExportedFiles();
  /** Files a window may ask to show in the file manager (see revealable-files.ts). */
  readonly revealable = new RevealableFiles();

  constructor(options: DocumentSenderOptions) {
    this.#o = options;
  }

  /** Everything the export dialog shows before the user presses Export. */
  async prepare(documentId: number): Promise<ExportDraft> {
    const { document, partner, company } = this.#o.exporter.load(documentId);
    const prefs = this.#o.prefs;
    const { effective } = prefs.resolved();
    const language = partner.language;
    const { recipients, to } = recipientChoices(partner, this.#o.recipients.chosen(partner.id), this.#ownAddresses());
    const sending = prefs.sendingAccountFor(company);
    const draft = draftMessage({
      document,
      partner,
      company,
      senderName: sending?.account.senderName ?? '',
      language,
      templates: companyTemplates(effective.templates, company, this.#o.logger),
      reminderLevel: this.#o.documents.reminderLevel(document),
    });
    return {
      document: summarize(document, partner, company),
      language,
      folder: this.#o.exporter.defaultFolder(),
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
        ...(await this.#o.handoff.routes()),
      ],
      defaultRoute: effective.sending.route,
      sends: await this.#o.sends.of(document.id),
      ksefOffline: needsKsefNumber({ document, company, originalXml: this.#o.documents.getOriginal(document.id, 'xml')?.bytes }),
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

  /**
   * The mail program the dialog offers when the SMTP copy of `documentId` failed (see
   * handoff/route-registry.ts); throws `document.notFound` for an unknown document.
   */
  async fallback(documentId: number): Promise<HandoffRoute | null> {
    this.#o.exporter.load(documentId);
    return this.#o.handoff.fallback();
  }

  /** The dialog's Cancel: a copy of the document not gone out yet is cancelled. False when none is awaited. */
  cancelCopy(documentId: number): boolean {
    return this.#o.smtp.cancel(documentId);
  }

  /** Writes the PDF and sends the copy when one is asked for. */
  async run(input: InputOf<'export:run'>): Promise<ExportOutcome> {
    // The same document to the same address again is the user's decision, asked before anything happens.
    const previous =
      input.copy && input.copy.again !== true ? await this.#o.sends.previous(input.documentId, input.copy.to) : null;
    if (previous)
      throw new KurierError('export.alreadySent', { to: previous.recipient, at: previous.at, status: previous.status });
    // The added files are checked before anything is written: a file gone or too large stops here.
    const extras = input.copy ? await this.#o.attachments.resolve(input.copy.attachments ?? [], input.documentId) : [];
    const { document, partner, fileName, filePath, companion } = await this.#o.exporter.exportFile(
      input.documentId,
      input.folder,
    );
    this.#exported.exported(filePath, companion);
    let mail: ExportOutcome['mail'] = null;
    if (input.copy) {
      this.#o.progress(document.id, 'sending');
      const file = { fileName, filePath, companion, extras };
      mail =
        input.copy.route === 'smtp'
          ? await this.#o.smtp.send(
              document,
              partner,
              this.#o.documents.companies.get(document.companyId),
              file,
              input.copy,
              input.smtpPassword,
            )
          : await this.#o.handoff.send(
              document,
              partner,
              this.#o.documents.companies.get(document.companyId),
              file,
              input.copy,
              input.copy.route,
            );
    }
    this.#rememberRecipient(partner, mail);
    this.#rememberRevealable(filePath, mail);
    // Only a copy that SMTP certainly did not deliver may go to a mail program instead: one pending
    // in the outbox or uncertain could reach the recipient twice.
    if (input.copy?.route === 'smtp' && mail?.ok === false && !mail.pending && mail.uncertain !== true)
      this.#exported.allowFallback(filePath, document.id);
    this.#o.progress(document.id, 'done');
    return { filePath, mail, sends: await this.#o.sends.of(document.id) };
  }

  /**
   * Hands a PDF that {@link run} wrote in this session to a mail program: the dialog's way out when
   * SMTP failed, without exporting the document a second time. Any other path is refused — the window
   * cannot make Kurier attach a file of its choosing — and so is a file whose SMTP copy may still
   * arrive (pending or uncertain).
   */
  async handOffExported(input: InputOf<'export:handOff'>): Promise<ExportOutcome> {
    if (!this.#exported.mayFallBack(input.filePath, input.documentId))
      throw new KurierError('input.invalid', { field: 'filePath' });
    const { document, partner } = this.#o.exporter.load(input.documentId);
    const extras = await this.#o.attachments.resolve(input.copy.attachments ?? [], input.documentId);
    // Protection made mandatory since the export still holds for this copy.
    await this.#o.exporter.payslipPassword(document, partner);
    this.#o.progress(document.id, 'sending');
    const file = {
      fileName: exportFileName(document, partner, partner.language),
      filePath: input.filePath,
      companion: this.#exported.companionOf(input.filePath),
      extras,
    };
    const mail = await this.#o.handoff.send(
      document,
      partner,
      this.#o.documents.companies.get(document.companyId),
      file,
      input.copy,
      input.copy.route,
    );
    this.#rememberRecipient(partner, mail);
    this.#rememberRevealable(input.filePath, mail);
    this.#o.progress(document.id, 'done');
    return { filePath: input.filePath, mail, sends: await this.#o.sends.of(document.id) };
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
    const { document, partner, company } = this.#o.exporter.load(sample.id);
    const senderName = this.#o.prefs.sendingAccountFor(company)?.account.senderName ?? '';
    const rendered = renderTemplate(template, placeholderValues({ document, partner, company, senderName, language }));
    return { ...rendered, html: textToHtml(rendered.body, language), documentNumber: document.number, partnerName: partner.name };
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
    partnerName: partner.name,
    partnerId: partner.id,
    issueDate: document.issueDate,
    dueDate: document.dueDate,
    currency: document.currency,
    totalMinor: documentTotalMinor(document),
  };
}
