/**
 * Check digits of the identifiers a Czech or Polish company carries: IČO (8 digits, mod-11), NIP (10
 * digits, weighted mod-11), REGON (9 or 14 digits) and the IBAN (ISO 13616, mod-97). Shared so the
 * importer and the company form (main checks it; the renderer only shows main's answer) agree.
 */

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

/** An IBAN without spaces, in capitals (`cz05 2010 …` → `CZ052010…`). */
export function compactIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

/**
 * Whether `iban` (spaces allowed) is an IBAN whose check digits hold: a country code, two digits, up
 * to 30 letters and digits, and the number moved to the end with letters as 10–35 leaves 1 mod 97.
 */
export function isValidIban(iban: string): boolean {
  const compact = compactIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** An identifier's digits and letters without spaces, dots, dashes or a country prefix (`CZ 270 82 440` → `27082440`). */
export function bareIdentifier(identifier: string): string {
  const clean = identifier.replace(/[\s.-]+/g, '').toUpperCase();
  return /^[A-Z]{2}\d/.test(clean) ? clean.slice(2) : clean;
}

/**
 * Which identifier carries the key of a company of `country`: the one every company there has — a
 * Czech or Slovak company's IČO, a Polish company's NIP, elsewhere the tax id.
 */
export function companyKeyField(country: string): 'registrationNumber' | 'taxId' {
  const code = country.trim().toUpperCase();
  return code === 'CZ' || code === 'SK' ? 'registrationNumber' : 'taxId';
}

/** What a company's key is made of (a company's summary has its country, its record an address). */
export type KeyedCompany = { readonly registrationNumber: string; readonly taxId: string } & (
  { readonly country: string } | { readonly address: { readonly country: string } }
);

/**
 * The key that names a client company at every desk of the office (each desk numbers its companies
 * itself): its own SMTP account in the office file and the keychain (`company/<key>/…`), the scope of
 * its batches (`company:<key>`) and its documents in the office outbox (`company_key`). It is
 * {@link companyKeyField}'s identifier (the other one when that is empty) as {@link bareIdentifier}, so
 * adding the other identifier later — a REGON, a DIČ — never changes it. Null: the company has neither.
 */
export function companyKey(company: KeyedCompany): string | null {
  const country = 'country' in company ? company.country : company.address.country;
  const field = companyKeyField(country);
  const other = field === 'taxId' ? 'registrationNumber' : 'taxId';
  const preferred = bareIdentifier(company[field]);
  const key = preferred !== '' ? preferred : bareIdentifier(company[other]);
  return /^[0-9A-Z]{1,20}$/.test(key) ? key : null;
}
