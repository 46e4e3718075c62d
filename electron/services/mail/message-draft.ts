/**
 * The subject and body a copy of a document starts with: the template in force for its kind (and, for a
 * reminder, its level) in the partner's language, filled with the document's data formatted for it.
 */
import { computeTotals, type AccountingDocument, type Company, type Language, type Partner } from '../../../shared/domain';
import { renderTemplate, templateFor, type PlaceholderValues, type TemplateKind, type Templates } from '../../../shared/templates';

/** A subject and a plain-text body. */
export interface MessageDraft {
  readonly subject: string;
  readonly body: string;
}

/** Formats an amount in minor units as currency for a language (`12 100,00 Kč`). */
export function formatMoney(minor: number, currency: string, language: Language): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency }).format(minor / 100);
}

/** Formats an ISO date for a language (`1. 12. 2026`, `1.12.2026`, `12/1/2026`). */
export function formatDate(isoDate: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** Formats a pay period `YYYY-MM` (`listopad 2026`). */
export function formatPeriod(period: string, language: Language): string {
  if (!/^\d{4}-\d{2}$/.test(period)) return period;
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${period}-01T00:00:00Z`),
  );
}

/** The template kind for a document (a reminder's level picks first, second or final notice). */
export function templateKindOf(document: AccountingDocument, reminderLevel: number): TemplateKind {
  if (document.kind !== 'paymentReminder') return document.kind;
  if (reminderLevel <= 1) return 'paymentReminder1';
  return reminderLevel === 2 ? 'paymentReminder2' : 'paymentReminderFinal';
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
  return {
    number: document.number,
    issueDate: formatDate(document.issueDate, language),
    dueDate: formatDate(document.dueDate, language),
    amount: formatMoney(computeTotals(document.lines).totalMinor, document.currency, language),
    variableSymbol: document.variableSymbol,
    bankAccount: company.bankAccount,
    iban: company.iban,
    partnerName: partner.name,
    contactPerson: partner.contactPerson !== '' ? partner.contactPerson : partner.name,
    companyName: company.name,
    senderName: input.senderName !== '' ? input.senderName : company.name,
    period: formatPeriod(document.period, language),
    relatedNumber: document.relatedNumber,
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
