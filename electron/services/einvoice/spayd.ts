/**
 * QR Platba: the Czech Banking Association's Short Payment Descriptor (SPAYD 1.0), read by every Czech
 * banking app. `*` separates `KEY:VALUE` pairs, so a `*` inside a value is written `%2A` (and `%` itself
 * `%25`, so the escape stays unambiguous). Upper-case text is recommended: the QR code's
 * alphanumeric mode (ISO/IEC 18004) encodes it more densely.
 */

/** What a payment QR needs. */
export interface SpaydInput {
  /** IBAN, spaces allowed. */
  readonly iban: string;
  /** Optional BIC appended as `IBAN+BIC`. */
  readonly bic?: string;
  /** The amount still due, minor units. */
  readonly amountMinor: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /** Czech variable symbol: up to ten digits; anything else is left out. */
  readonly variableSymbol: string;
  /** Due date `YYYY-MM-DD`; empty leaves DT out. */
  readonly dueDate: string;
  /** Message for the payee, e.g. `Faktura FV-2026-0001`; shortened to 60 characters. */
  readonly message: string;
}

/** Longest message SPAYD allows. */
export const spaydMessageLimit = 60;
/** AM is at most ten characters: 9 999 999.99. */
const largestAmountMinor = 999_999_999;

/**
 * The SPAYD text, or `undefined` when there is nothing to pay by this QR (no IBAN, nothing due, an
 * amount SPAYD cannot carry).
 */
export function buildSpayd(input: SpaydInput): string | undefined {
  const iban = input.iban.replace(/\s/gu, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/u.test(iban)) return undefined;
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor > largestAmountMinor) {
    return undefined;
  }
  const currency = input.currency.toUpperCase();
  if (!/^[A-Z]{3}$/u.test(currency)) return undefined;
  const bic = input.bic?.replace(/\s/gu, '').toUpperCase() ?? '';
  const fields = [
    'SPD',
    '1.0',
    `ACC:${bic === '' ? iban : `${iban}+${bic}`}`,
    `AM:${decimalAmount(input.amountMinor)}`,
    `CC:${currency}`,
  ];
  if (/^\d{1,10}$/u.test(input.variableSymbol)) fields.push(`X-VS:${input.variableSymbol}`);
  const due = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(input.dueDate);
  if (due) fields.push(`DT:${due[1] ?? ''}${due[2] ?? ''}${due[3] ?? ''}`);
  const message = spaydText(input.message, spaydMessageLimit);
  if (message !== '') fields.push(`MSG:${message}`);
  return fields.join('*');
}

/** Minor units as `1234.50` (dot, two decimals). */
export function decimalAmount(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A free-text value: upper-case, without diacritics (several banking apps still mangle them in SPAYD),
 * shortened to `limit` characters before escaping so an escape is never cut in half.
 */
function spaydText(text: string, limit: number): string {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/gu, ' ').trim().toUpperCase();
  const characters = Array.from(new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(plain), (part) => part.segment);
  return characters.slice(0, limit).join('').replace(/%/gu, '%25').replace(/\*/gu, '%2A');
}
