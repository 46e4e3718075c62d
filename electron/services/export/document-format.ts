import type { Language } from '../../../shared/domain';

/** Locale used for numbers and dates per document language (British English: day-first dates). */
const locales: Readonly<Record<Language, string>> = { cs: 'cs-CZ', pl: 'pl-PL', en: 'en-GB' };

/** The BCP 47 tag of a document language, e.g. `cs-CZ`; also the PDF's `/Lang`. */
export function documentLocale(language: Language): string {
  return locales[language];
}

/**
 * Number, money and date formatting for one document language, built on `Intl` so Czech gets
 * `1 234,50 Kč` (with U+00A0) and `3. 11. 2026`, Polish `1234,50 zł` and `03.11.2026`.
 */
export interface DocumentFormat {
  /** Minor units (haléře, grosze, cents) as money in `currency`. */
  money(minor: number, currency: string): string;
  /** A quantity in thousandths, with up to three decimals. */
  quantity(milli: number): string;
  /** A VAT rate, e.g. `21 %` in Czech, `21%` in English. */
  percent(ratePercent: number): string;
  /** An ISO date `YYYY-MM-DD` as a short local date; empty stays empty. */
  date(iso: string): string;
  /** A pay period `YYYY-MM` as month and year, e.g. `listopad 2026`. */
  period(yearMonth: string): string;
  /** An ISO country code as a country name in the document's language. */
  country(code: string): string;
}

/** Creates the formatter for `language`; formatters are cached per currency. */
export function createDocumentFormat(language: Language): DocumentFormat {
  const locale = locales[language];
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const periodFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const regionNames = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });

  return {
    money(minor, currency) {
      let format = moneyFormats.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: 'currency', currency });
        moneyFormats.set(currency, format);
      }
      // Minor units per currency come from Intl (2 for CZK, PLN, EUR; 0 for JPY).
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(minor / 10 ** digits);
    },
    quantity: (milli) => quantityFormat.format(milli / 1000),
    percent: (ratePercent) => percentFormat.format(ratePercent / 100),
    date: (iso) => (iso === '' ? '' : dateFormat.format(new Date(`${iso}T00:00:00Z`))),
    period: (yearMonth) => (yearMonth === '' ? '' : periodFormat.format(new Date(`${yearMonth}-01T00:00:00Z`))),
    country: (code) => regionNames.of(code) ?? code,
  };
}

/** An IBAN in groups of four, as printed: `CZ05 2010 0000 0028 0123 4578`. */
export function formatIban(iban: string): string {
  return iban.replace(/\s+/gu, '').replace(/(.{4})(?=.)/gu, '$1 ');
}
