/**
 * Exact decimal text → integers: amounts to minor units, quantities to thousandths, without ever going
 * through a float (a float turns 0.29 × 100 into 28.999…). Rounding is half away from zero, as Czech and
 * Polish invoices round.
 */
import { ImportRejection } from './import-error';

const decimal = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** `text` scaled by 10^`scale`, rounded half away from zero; throws `invalidValue` naming `field`. */
export function scaled(text: string, scale: number, field: string): number {
  const match = decimal.exec(text.trim().replace(',', '.'));
  if (!match) throw new ImportRejection('invalidValue', { field, value: text.slice(0, 40) });
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  const roundUp = (fraction[scale] ?? '0') >= '5' ? 1n : 0n;
  const magnitude = digits + roundUp;
  const value = Number(sign === '-' ? -magnitude : magnitude);
  if (!Number.isSafeInteger(value)) throw new ImportRejection('invalidValue', { field, value: text.slice(0, 40) });
  return value;
}

/** An amount in minor units (2 decimals). */
export function toMinor(text: string, field: string): number {
  return scaled(text, 2, field);
}

/** An optional amount: `null` when the element is absent or empty. */
export function toMinorOrNull(text: string, field: string): number | null {
  return text.trim() === '' ? null : toMinor(text, field);
}

/** A quantity in thousandths; 1 when absent (a line without a quantity is one item). */
export function toMilli(text: string, field: string): number {
  return text.trim() === '' ? 1000 : scaled(text, 3, field);
}

/** A VAT rate as whole percent: `21`, `21.00` → 21; Polish `zw`, `np`, `oo`, `0 KR`… → 0. */
export function vatPercent(text: string): number {
  const match = /^(\d+(?:[.,]\d+)?)/.exec(text.trim());
  return match?.[1] === undefined ? 0 : Math.round(scaled(match[1], 2, 'vat') / 100);
}

/** A unit price that makes `quantityMilli` × price come to `lineMinor` (rounded), for a line's own total. */
export function unitPriceFor(lineMinor: number, quantityMilli: number): number {
  return quantityMilli === 0 ? lineMinor : Math.round((lineMinor * 1000) / quantityMilli);
}

/** Whether `code` is an ISO 4217 currency this runtime knows. */
export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}
