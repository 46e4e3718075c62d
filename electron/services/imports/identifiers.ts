/**
 * Company identifiers as Czech and Polish files print them: IČO (8 digits, mod-11 check digit), NIP
 * (10 digits, weighted mod-11 check), REGON (9 or 14 digits). A partner is matched by the key computed
 * here, so "CZ 2579 6101", "25796101" and "025796101"-less variants of the same IČO meet.
 */
import { isValidIco, isValidNip, isValidRegon } from '../../../shared/company-identifiers';

export { isValidIco, isValidNip, isValidRegon };

/** Where an identifier goes on a partner, and the key it is matched by. */
export interface PartnerIdentifier {
  readonly registrationNumber: string;
  readonly taxId: string;
  /** The country the identifier implies, or the one given. */
  readonly country: string;
  /** `ico:…`, `nip:…`, `regon:…` or `id:CC:…`. */
  readonly matchKey: string;
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
