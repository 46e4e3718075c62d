/**
 * What a payslip password must not be. The payslip is e-mailed, so whoever gets the file can try
 * passwords offline as fast as their hardware allows; a password built from facts about the employee
 * is found among a few thousand guesses whatever the encryption. A birth number with the birth date
 * known leaves 10,000 endings to try; a PESEL, 10,000 (fewer with its check digit); a phone number sits
 * in the company's address book.
 *
 * So a typed password has at least {@link payslipPasswordMinLength} characters, is not a date, a Czech
 * or Slovak birth number (rodné číslo), a Polish PESEL or a phone number — in any spelling: with
 * spaces, dashes, dots or slashes — does not contain a valid birth number or PESEL, and is not made
 * of the employee's own name, e-mail address, tax ID or registration number.
 */
import type { Partner } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import { payslipPasswordMinLength } from '../../../shared/payslips';
import { isDate, spelledMonthsToNumbers } from './password-dates';

/** Characters people put between the groups of a number: spaces, dashes, dots, slashes, brackets. */
const separators = /[\s\u00a0\u202f./\-–—_,()]+/gu;

/** The digits of `text` alone: `800101/1234` and `800 101 1234` both give `8001011234`. */
export function digitsOnly(text: string): string {
  return text.replace(/\D+/gu, '');
}

/** The first six digits read as a date with the month shifted by one of `offsets`. */
function hasBirthDate(digits: string, offsets: readonly number[], century: (year: number, offset: number) => number): boolean {
  const year = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  return offsets.some(
    (offset) => month - offset >= 1 && month - offset <= 12 && isDate(century(year, offset), month - offset, day),
  );
}

/** A Czech or Slovak birth number: 10 digits divisible by 11 (or the old rule for remainder 10), 9 before 1954. */
export function isBirthNumber(digits: string, requireChecksum = true): boolean {
  if (digits.length !== 10 && digits.length !== 9) return false;
  // Women +50; from 2004 a number series may run out, adding 20 (men) or 70 (women).
  if (!hasBirthDate(digits, [0, 20, 50, 70], (year) => (year < 54 && digits.length === 10 ? 2000 : 1900) + year)) return false;
  if (digits.length === 9) return !requireChecksum;
  const remainder = Number(BigInt(digits.slice(0, 9)) % 11n);
  const last = Number(digits.slice(9));
  return BigInt(digits) % 11n === 0n || (remainder === 10 && last === 0);
}

const peselWeights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3] as const;
const peselCenturies: Readonly<Record<number, number>> = { 0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800 };

/** A Polish PESEL: 11 digits, a birth date with the century in the month, and a check digit. */
export function isPesel(digits: string, requireChecksum = true): boolean {
  if (digits.length !== 11) return false;
  if (!hasBirthDate(digits, [0, 20, 40, 60, 80], (year, offset) => (peselCenturies[offset] ?? 1900) + year)) return false;
  const sum = peselWeights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  return !requireChecksum || (10 - (sum % 10)) % 10 === Number(digits[10]);
}

/** Only digits, separators and a leading `+` (after month names became numbers). */
function numeric(text: string): boolean {
  return /^\+?[\d\s\u00a0\u202f./\-–—_,()]+$/u.test(text) && /\d/u.test(text);
}

/** Whether `password` as a whole is a date, birth number, PESEL or phone number. */
function isGuessableNumber(password: string): boolean {
  const spelled = spelledMonthsToNumbers(password);
  if (!numeric(spelled)) return false;
  const digits = digitsOnly(spelled);
  const groups = spelled.split(/\D+/u).filter((group) => group !== '');
  const looksLikeDate = groups.length === 3 ? isDateGroups(groups) : groups.length === 1 && isDateDigits(digits);
  // E.164 numbers have at most 15 digits; Czech and Polish ones 9 without the country code.
  return looksLikeDate || isBirthNumber(digits, false) || isPesel(digits, false) || (digits.length >= 9 && digits.length <= 15);
}

function isDateGroups([a = '', b = '', c = '']: readonly string[]): boolean {
  const [x, y, z] = [Number(a), Number(b), Number(c)];
  const year = (value: string, number: number) => (value.length <= 2 ? 1900 + number : number);
  return isDate(year(c, z), y, x) || isDate(year(c, z), x, y) || isDate(year(a, x), y, z);
}

function isDateDigits(digits: string): boolean {
  if (digits.length === 8)
    return (
      isDateGroups([digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)]) ||
      isDateGroups([digits.slice(0, 4), digits.slice(4, 6), digits.slice(6)])
    );
  if (digits.length === 6) return isDateGroups([digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)]);
  return false;
}

/** Whether a run of digits in `password` (separators allowed inside) holds a valid birth number or PESEL. */
function containsIdentityNumber(password: string): boolean {
  for (const run of password.match(/\d[\d\s./\-–—_]*\d/gu) ?? []) {
    const digits = digitsOnly(run);
    for (let start = 0; start + 10 <= digits.length; start++) {
      if (isBirthNumber(digits.slice(start, start + 10)) || isPesel(digits.slice(start, start + 11))) return true;
    }
  }
  return false;
}

/** Lower case, no diacritics, letters and digits only: `Kateřina Nováčková` → `katerinanovackova`. */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/gu, 'l')
    .replace(/[^a-z0-9]/gu, '');
}

/** The employee's own facts, folded, longest first: name parts, e-mail parts, tax ID, registration number. */
function personalTokens(employee: Pick<Partner, 'name' | 'email' | 'taxId' | 'registrationNumber'>): string[] {
  const [local = '', domain = ''] = employee.email.split('@');
  const parts = [
    ...employee.name.split(separators),
    ...local.split(/[._+-]/u),
    domain.split('.')[0] ?? '',
    employee.email,
    local,
  ];
  const numbers = [employee.taxId, employee.registrationNumber].flatMap((value) => [folded(value), digitsOnly(value)]);
  return [
    ...new Set([...parts.map(folded).filter((token) => token.length >= 3), ...numbers.filter((token) => token.length >= 6)]),
  ].sort((a, b) => b.length - a.length);
}

/** What is left of `password` once the employee's own facts are taken out must be this long. */
const minimumOwnPart = 8;

function isPersonal(password: string, employee: Pick<Partner, 'name' | 'email' | 'taxId' | 'registrationNumber'>): boolean {
  const tokens = personalTokens(employee);
  const whole = folded(password);
  // A tax ID or registration number of six digits or more never belongs in the password (a Czech
  // individual's DIČ is their birth number).
  const numbers = [employee.taxId, employee.registrationNumber].map(digitsOnly).filter((digits) => digits.length >= 6);
  if (numbers.some((digits) => digitsOnly(password).includes(digits))) return true;
  const rest = tokens.reduce((left, token) => left.split(token).join(''), whole);
  return rest.length < whole.length && rest.length < minimumOwnPart;
}

/**
 * The reason `password` may not protect `employee`'s payslips, as an error code, or null when it may.
 * Generated passwords pass too (see `generatePayslipPassword`).
 */
export function payslipPasswordProblem(
  password: string,
  employee: Pick<Partner, 'name' | 'email' | 'taxId' | 'registrationNumber'>,
): ErrorCode | null {
  // Characters as typed (code points), not UTF-16 units.
  if ((password.match(/./gsu) ?? []).length < payslipPasswordMinLength) return 'payslip.passwordTooShort';
  if (isGuessableNumber(password) || containsIdentityNumber(password)) return 'payslip.passwordGuessable';
  if (isPersonal(password, employee)) return 'payslip.passwordPersonal';
  return null;
}
