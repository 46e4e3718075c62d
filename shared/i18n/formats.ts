/**
 * Dates, money, IBANs and pay periods the way each language writes them, used alike by e-mails, the UI and
 * printed documents. One style per language (see docs/glossary.*.md): running text (e-mails, screens)
 * writes the month out — `29. srpna 2026`, `29 sierpnia 2026`, `29 August 2026` — and printed forms use
 * one numeric pattern — `29. 8. 2026`, `07.09.2026`, `07/09/2026`. English is British English throughout.
 */
import type { Language } from '../domain';

/** The BCP 47 locale of each language: the one place that says English means en-GB. */
export const localeOf: Readonly<Record<Language, string>> = { cs: 'cs-CZ', pl: 'pl-PL', en: 'en-GB' };

const longDate: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
// Polish forms pad the day as well as the month (07.09.2026): `numeric` would print 7.09.2026 next to
// 24.08.2026. Czech forms write neither padded (7. 9. 2026).
/** The numeric date pattern of each language's printed forms (see {@link formatNumericDate}). */
export const numericDateOptions: Readonly<Record<Language, Intl.DateTimeFormatOptions>> = {
  cs: { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'UTC' },
  pl: { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' },
  en: { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' },
};

const atMidnight = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

/** An ISO date `YYYY-MM-DD` in running text, month written out; empty stays empty. */
export function formatLongDate(iso: string, language: Language): string {
  return iso === '' ? '' : new Intl.DateTimeFormat(localeOf[language], longDate).format(atMidnight(iso));
}

/** An ISO date `YYYY-MM-DD` as printed on a form; empty stays empty. */
export function formatNumericDate(iso: string, language: Language): string {
  return iso === '' ? '' : new Intl.DateTimeFormat(localeOf[language], numericDateOptions[language]).format(atMidnight(iso));
}

/** An instant (epoch ms, local time) as the long date and the time: `7 September 2026, 10:15`. */
export function formatDateTime(epoch: number, language: Language): string {
  return new Intl.DateTimeFormat(localeOf[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(epoch);
}

/** A pay period `YYYY-MM` as month and year (`listopad 2026`); anything else is returned as it is. */
export function formatPeriod(yearMonth: string, language: Language): string {
  if (!/^\d{4}-\d{2}$/u.test(yearMonth)) return yearMonth;
  return new Intl.DateTimeFormat(localeOf[language], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    atMidnight(`${yearMonth}-01`),
  );
}

/** Minor units as money (`12 100,00 Kč`); minor units per currency come from Intl (2 for CZK, 0 for JPY). */
export function formatMoney(minor: number, currency: string, language: Language): string {
  return moneyFromMinor(new Intl.NumberFormat(localeOf[language], { style: 'currency', currency }), minor);
}

/** Minor units through a currency `format` (see {@link formatMoney}), for callers that keep the format. */
export function moneyFromMinor(format: Intl.NumberFormat, minor: number): string {
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** An IBAN in groups of four, as printed: `CZ05 2010 0000 0028 0123 4578`. */
export function formatIban(iban: string): string {
  return iban.replace(/\s+/gu, '').replace(/(.{4})(?=.)/gu, '$1 ');
}

/** A file's size in kB or MB (one decimal at most), as the language writes numbers. */
export function formatFileSize(bytes: number, language: Language): string {
  const megabytes = bytes >= 1_000_000;
  return new Intl.NumberFormat(localeOf[language], {
    style: 'unit',
    unit: megabytes ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: 1,
  }).format(megabytes ? bytes / 1_000_000 : Math.max(0.1, bytes / 1000));
}
