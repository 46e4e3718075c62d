import type { Language } from '../../../shared/domain';
import { formatPeriod, localeOf, moneyFromMinor, numericDateOptions } from '../../../shared/i18n/formats';

// Locale used for numbers and dates per document language (British English: day-first dates).
const locales = localeOf;

/** The BCP 47 tag of a document language, e.g. `cs-CZ`; also the PDF's `/Lang`. */
export function documentLocale(language: Language): string {
  return locales[language];
}

/**
 * Number, money and date formatting for one document language, built on `Intl` so Czech gets
 * `1 234,50 Kč` (with U+00A0) and `3. 11. 2026`, Polish `1234,50 zł` and `03.11.2026` (always two-digit
 * days, so `07.09.2026` stands next to `24.08.2026`).
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

/**
 * Formatters already built, by language. Building the Intl objects took a tenth of a document's
 * rendering time; they are immutable, so every document in the language shares one set.
 */
const built = new Map<Language, DocumentFormat>();

/** The formatter for `language`. */
export function createDocumentFormat(language: Language): DocumentFormat {
  let format = built.get(language);
  if (!format) {
    format = buildDocumentFormat(language);
    built.set(language, format);
  }
  return format;
}

function buildDocumentFormat(language: Language): DocumentFormat {
  const locale = locales[language];
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const regionNames = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  // Same output as formatMoney/formatNumericDate, without building an Intl formatter per amount and date.
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const dateFormat = new Intl.DateTimeFormat(locale, numericDateOptions[language]);

  return {
    money: (minor, currency) => {
      let format = moneyFormats.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: 'currency', currency });
        moneyFormats.set(currency, format);
      }
      return moneyFromMinor(format, minor);
    },
    quantity: (milli) => quantityFormat.format(milli / 1000),
    percent: (ratePercent) => percentFormat.format(ratePercent / 100),
    date: (iso) => (iso === '' ? '' : dateFormat.format(new Date(`${iso}T00:00:00Z`))),
    period: (yearMonth) => (yearMonth === '' ? '' : formatPeriod(yearMonth, language)),
    country: (code) => regionNames.of(code) ?? code,
  };
}

export { formatIban } from '../../../shared/i18n/formats';
