/**
 * The subject and body a copy of a document starts with, in the partner's language. (Editable
 * templates per document type come later; these are the shipped defaults.)
 */
import { computeTotals, type AccountingDocument, type Company, type Language, type Partner } from '../../../shared/domain';
import { createTranslator } from '../../../shared/i18n';

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

/** The default subject and body for sending `document` to `partner`. */
export function draftMessage(input: {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  readonly senderName: string;
  readonly language: Language;
}): MessageDraft {
  const { document, company, language } = input;
  const t = createTranslator(language);
  const params = {
    number: document.number,
    company: company.name,
    total: formatMoney(computeTotals(document.lines).totalMinor, document.currency, language),
    dueDate: formatDate(document.dueDate, language),
    variableSymbol: document.variableSymbol,
    related: document.relatedNumber,
    period: formatPeriod(document.period, language),
    sender: input.senderName || company.name,
  };
  return {
    subject: t(`mail.subject.${document.kind}`, params),
    body: t(`mail.body.${document.kind}`, params),
  };
}
