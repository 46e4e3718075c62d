/**
 * The subject and body a copy of a document starts with: the template in force for its kind (and, for a
 * reminder, its level) in the partner's language, filled with the document's data formatted for it.
 */
import {
  correctionKinds,
  documentTotalMinor,
  type AccountingDocument,
  type Company,
  type Language,
  type Partner,
} from '../../../shared/domain';
import { documentLabels } from '../../../shared/i18n/document-labels';
import { formatIban, formatLongDate as formatDate, formatMoney, formatPeriod } from '../../../shared/i18n/formats';
import {
  renderTemplate,
  templateFor,
  type PlaceholderValues,
  type TemplateKind,
  type Templates,
} from '../../../shared/templates';

/** A subject and a plain-text body. */
export interface MessageDraft {
  readonly subject: string;
  readonly body: string;
}

/** E-mails write dates in running text, month written out (`29 sierpnia 2026`); see shared/i18n/formats. */
export { formatLongDate as formatDate, formatMoney, formatPeriod } from '../../../shared/i18n/formats';

/** The template kind for a document (a reminder's level picks first, second or final notice). */
export function templateKindOf(document: AccountingDocument, reminderLevel: number): TemplateKind {
  switch (document.kind) {
    case 'invoice':
    case 'creditNote':
    case 'payslip':
      return document.kind;
    case 'paymentReminder':
      break;
    default:
      // Imported kinds (proforma, advance, settlement, …) have no template of their own yet: the generic
      // one names the kind through {{documentTitle}}.
      return 'generic';
  }
  if (reminderLevel <= 1) return 'paymentReminder1';
  return reminderLevel === 2 ? 'paymentReminder2' : 'paymentReminderFinal';
}

/**
 * The account a partner pays to: the domestic account number at home, the IBAN (labelled, in groups of
 * four) for a partner outside the seller's country, whose bank cannot use a Czech or Polish domestic number.
 */
export function paymentAccount(company: Company, partner: Partner): string {
  const abroad = partner.address.country !== company.address.country;
  if (!abroad && company.bankAccount !== '') return company.bankAccount;
  return company.iban === '' ? company.bankAccount : `IBAN ${formatIban(company.iban)}`;
}

/** The account printed for paying `document`: the one its imported file names, else the company's. */
export function documentPaymentAccount(document: AccountingDocument, company: Company, partner: Partner): string {
  const { payment } = document.origin;
  if (payment.account === '' && payment.iban === '') return paymentAccount(company, partner);
  const local = payment.bankCode === '' ? payment.account : `${payment.account}/${payment.bankCode}`;
  return paymentAccount({ ...company, bankAccount: local, iban: payment.iban }, partner);
}

/** Every placeholder's value for `document`, formatted for `language`. */
export function placeholderValues(input: {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  readonly senderName: string;
  readonly language: Language;
}): PlaceholderValues {
  const { document, partner, company, language } = input;
  const total = documentTotalMinor(document);
  return {
    number: document.number,
    issueDate: formatDate(document.issueDate, language),
    dueDate: formatDate(document.dueDate, language),
    // A credit note's lines are negative; its text says "to be refunded", so the amount is the absolute one.
    amount: formatMoney(correctionKinds.includes(document.kind) ? Math.abs(total) : total, document.currency, language),
    variableSymbol: document.variableSymbol,
    bankAccount: documentPaymentAccount(document, company, partner),
    iban: document.origin.payment.iban !== '' ? document.origin.payment.iban : company.iban,
    partnerName: partner.name,
    contactPerson: partner.contactPerson !== '' ? partner.contactPerson : partner.name,
    companyName: company.name,
    senderName: input.senderName !== '' ? input.senderName : company.name,
    period: formatPeriod(document.period, language),
    relatedNumber: document.relatedNumber,
    documentTitle: documentLabels[language].title[document.kind],
    ksefNumber: document.origin.ksefNumber ?? '',
  };
}

/** The subject and body for sending `document` to `partner`, from the template in force. */
export function draftMessage(input: {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  readonly senderName: string;
  readonly language: Language;
  readonly templates: Templates;
  readonly reminderLevel: number;
}): MessageDraft {
  const template = templateFor(input.templates, templateKindOf(input.document, input.reminderLevel), input.language);
  return renderTemplate(template, placeholderValues(input));
}
