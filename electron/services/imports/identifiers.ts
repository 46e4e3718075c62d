/**
 * Company identifiers as Czech and Polish files print them: IČO (8 digits, mod-11 check digit), NIP
 * (10 digits, weighted mod-11 check), REGON (9 or 14 digits). A partner is matched by the key computed
 * here, so "CZ 2579 6101", "25796101" and "025796101"-less variants of the same IČO meet.
 */

/** Where an identifier goes on a partner, and the key it is matched by. */
export interface PartnerIdentifier {
  readonly registrationNumber: string;
  readonly taxId: string;
  /** The country the identifier implies, or the one given. */
  readonly country: string;
  /** `ico:…`, `nip:…`, `regon:…` or `id:CC:…`. */
  readonly matchKey: string;
}

/** Whether `digits` (exactly 8) carry a valid IČO check digit. */
export function isValidIco(digits: string): boolean {
  if (!/^\d{8}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(digits.charAt(i)) * (8 - i);
  const check = (11 - (sum % 11)) % 10;
  return check === Number(digits.charAt(7));
}

/** Whether `digits` (exactly 10) carry a valid NIP check digit. */
export function isValidNip(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(digits.charAt(i)), 0);
  return sum % 11 !== 10 && sum % 11 === Number(digits.charAt(9));
}

/** Whether `digits` (9 or 14) carry a valid REGON check digit. */
export function isValidRegon(digits: string): boolean {
  const weights =
    digits.length === 9 ? [8, 9, 2, 3, 4, 5, 6, 7] : digits.length === 14 ? [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8] : null;
  if (!weights || !/^\d+$/.test(digits)) return false;
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(digits.charAt(i)), 0);
  return (sum % 11) % 10 === Number(digits.charAt(digits.length - 1));
}

/**
 * Reads the "IČO/NIP" cell of a partner. `country` is the row's country (may be empty). Null when the
 * value looks like a Czech or Polish identifier but fails its check digit, or is not one at all for a
 * Czech or Polish partner.
 */
export function normaliseIdentifier(value: string, country: string): PartnerIdentifier | null {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const prefix = /^(CZ|PL|SK)(?=\d)/.exec(compact)?.[1] ?? '';
  const digits = compact.slice(prefix.length);
  const hint = country !== '' ? country : prefix;
  if (/^\d+$/.test(digits)) {
    if ((hint === '' || hint === 'CZ' || hint === 'SK') && digits.length <= 8) {
      const ico = digits.padStart(8, '0');
      if (!isValidIco(ico)) return null;
      return { registrationNumber: ico, taxId: '', country: hint !== '' ? hint : 'CZ', matchKey: `ico:${ico}` };
    }
    if ((hint === '' || hint === 'PL') && digits.length === 10) {
      if (!isValidNip(digits)) return null;
      return { registrationNumber: '', taxId: digits, country: 'PL', matchKey: `nip:${digits}` };
    }
    if ((hint === '' || hint === 'PL') && (digits.length === 9 || digits.length === 14)) {
      if (!isValidRegon(digits)) return null;
      return { registrationNumber: digits, taxId: '', country: 'PL', matchKey: `regon:${digits}` };
    }
  }
  if (hint === 'CZ' || hint === 'PL' || hint === 'SK' || compact === '') return null;
  return { registrationNumber: compact, taxId: '', country: hint, matchKey: `id:${hint}:${compact}` };
}

/** The keys an existing partner is found by: its IČO/REGON and its NIP (a Polish tax id without "PL"). */
export function partnerMatchKeys(partner: {
  readonly registrationNumber: string;
  readonly taxId: string;
  readonly country: string;
}): string[] {
  const keys: string[] = [];
  if (partner.registrationNumber !== '') {
    const id = normaliseIdentifier(partner.registrationNumber, partner.country);
    if (id) keys.push(id.matchKey);
  }
  const tax = partner.taxId
    .replace(/[\s.-]/g, '')
    .toUpperCase()
    .replace(/^PL(?=\d{10}$)/, '');
  if (/^\d{10}$/.test(tax) && isValidNip(tax) && partner.country !== 'CZ') keys.push(`nip:${tax}`);
  return keys;
}
