/**
 * Partners from a CSV file: which column holds what (guessed from Czech, Polish and English header names;
 * the user can change it in the preview), and each row checked and turned into a partner draft, or
 * refused with reasons the user can read. Nothing here touches the database: `partner-import.ts` matches
 * the drafts to existing partners and writes them.
 */
import { isValidEmailAddress } from '../../../shared/mail-address';
import type { Language } from '../../../shared/domain';
import {
  partnerCsvFields,
  type PartnerCsvField,
  type PartnerCsvMapping,
  type PartnerCsvProblemCode,
} from '../../../shared/import-desk';
import { normaliseIdentifier, type PartnerIdentifier } from './identifiers';

export { partnerCsvFields, type PartnerCsvField, type PartnerCsvMapping } from '../../../shared/import-desk';

export type { PartnerCsvProblemCode } from '../../../shared/import-desk';

/** One reason a row is refused, with the offending value. */
export interface PartnerCsvProblem {
  readonly code: PartnerCsvProblemCode;
  readonly value: string;
}

/** A partner as the CSV describes it, before it is matched to the database. */
export interface PartnerDraft {
  readonly name: string;
  readonly contactPerson: string;
  /** The first address; the others are remembered as further recipients of the partner. */
  readonly email: string;
  readonly otherEmails: readonly string[];
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, upper case; empty when the file says nothing. */
  readonly country: string;
  readonly registrationNumber: string;
  readonly taxId: string;
  readonly language: Language;
  /** What the partner is matched by (IČO for Czech, NIP for Polish partners); null when the file has none. */
  readonly matchKey: string | null;
}

/** One data row of the file: its line number (1 = the header) and either a draft or its problems. */
export interface PartnerCsvRow {
  readonly line: number;
  readonly draft: PartnerDraft | null;
  readonly problems: readonly PartnerCsvProblem[];
}

// Header names, compared without diacritics, case, spaces and punctuation.
const headerNames: Readonly<Record<PartnerCsvField, readonly string[]>> = {
  name: [
    'nazev',
    'jmeno',
    'nazevfirmy',
    'firma',
    'obchodninazev',
    'odberatel',
    'partner',
    'nazwa',
    'nazwafirmy',
    'kontrahent',
    'name',
    'companyname',
    'company',
  ],
  identifier: ['ico', 'icnip', 'iconip', 'nip', 'regon', 'identifikacnicislo', 'registrationnumber', 'companyid', 'id', 'vatid'],
  taxId: ['dic', 'danoveidentifikacnicislo', 'nipue', 'vateu', 'taxid', 'vatnumber', 'vat'],
  street: ['ulice', 'ulica', 'adresa', 'adres', 'street', 'address', 'ulicecislo'],
  city: ['mesto', 'obec', 'miasto', 'miejscowosc', 'city', 'town'],
  postalCode: ['psc', 'kodpocztowy', 'kod', 'postalcode', 'postcode', 'zip', 'zipcode'],
  country: ['stat', 'zeme', 'kraj', 'krajkod', 'country', 'countrycode'],
  email: ['email', 'emaily', 'emailova adresa', 'emailovaadresa', 'mail', 'adresemail', 'emailaddress', 'emails'],
  language: ['jazyk', 'jezyk', 'language', 'lang'],
  contactPerson: ['kontaktniosoba', 'kontakt', 'osobakontaktowa', 'contactperson', 'contact'],
};

/** Lower case, no diacritics, letters and digits only: "E-mail" → "email", "IČO/NIP" → "iconip". */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Guesses the mapping from the header row; each column fills at most one field. */
export function guessMapping(header: readonly string[]): PartnerCsvMapping {
  const keys = header.map(headerKey);
  const taken = new Set<number>();
  const mapping: Record<PartnerCsvField, number | null> = Object.fromEntries(
    partnerCsvFields.map((field) => [field, null]),
  ) as Record<PartnerCsvField, number | null>;
  for (const field of partnerCsvFields) {
    const names = headerNames[field];
    const index = keys.findIndex((key, i) => !taken.has(i) && names.includes(key));
    if (index >= 0) {
      mapping[field] = index;
      taken.add(index);
    }
  }
  return mapping;
}

const languageNames: Readonly<Record<string, Language>> = {
  cs: 'cs',
  cz: 'cs',
  cze: 'cs',
  ces: 'cs',
  cestina: 'cs',
  czech: 'cs',
  cesky: 'cs',
  czeski: 'cs',
  sk: 'cs',
  slovencina: 'cs',
  pl: 'pl',
  pol: 'pl',
  polski: 'pl',
  polish: 'pl',
  polstina: 'pl',
  en: 'en',
  eng: 'en',
  english: 'en',
  anglictina: 'en',
  angielski: 'en',
};

const countryNames: Readonly<Record<string, string>> = {
  ceskarepublika: 'CZ',
  cesko: 'CZ',
  czechia: 'CZ',
  czechrepublic: 'CZ',
  czechy: 'CZ',
  cr: 'CZ',
  polsko: 'PL',
  polska: 'PL',
  poland: 'PL',
  slovensko: 'SK',
  slovakia: 'SK',
  slowacja: 'SK',
  nemecko: 'DE',
  germany: 'DE',
  niemcy: 'DE',
  deutschland: 'DE',
  rakousko: 'AT',
  austria: 'AT',
  irsko: 'IE',
  ireland: 'IE',
  irlandia: 'IE',
};

function countryOf(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (/^[A-Za-z]{2}$/.test(trimmed)) return trimmed.toUpperCase();
  return countryNames[headerKey(trimmed)] ?? null;
}

/** E-mail addresses in one cell, separated by commas, semicolons or spaces. */
export function splitEmails(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

/**
 * Reads every data row with `mapping`. `defaultLanguage` applies when the row says nothing and its
 * country does not decide it (CZ/SK → cs, PL → pl).
 */
export function readPartnerRows(
  rows: readonly (readonly string[])[],
  mapping: PartnerCsvMapping,
  defaultLanguage: Language,
): PartnerCsvRow[] {
  const seen = new Set<string>();
  return rows.slice(1).map((cells, index) => {
    const cell = (field: PartnerCsvField) => {
      const column = mapping[field];
      return column === null ? '' : (cells[column] ?? '').trim().replace(/\s+/g, ' ');
    };
    const problems: PartnerCsvProblem[] = [];
    const name = cell('name');
    if (name === '') problems.push({ code: 'missingName', value: '' });
    const emails = splitEmails(mapping.email === null ? '' : (cells[mapping.email] ?? ''));
    for (const address of emails) if (!isValidEmailAddress(address)) problems.push({ code: 'invalidEmail', value: address });
    const country = countryOf(cell('country'));
    if (country === null) problems.push({ code: 'unknownCountry', value: cell('country') });
    let identifier: PartnerIdentifier | null = null;
    if (cell('identifier') !== '') {
      identifier = normaliseIdentifier(cell('identifier'), country ?? '');
      if (identifier === null) problems.push({ code: 'invalidIdentifier', value: cell('identifier') });
    }
    const languageCell = cell('language');
    const language =
      languageCell === '' ? languageForCountry(country ?? '', defaultLanguage) : languageNames[headerKey(languageCell)];
    if (language === undefined) problems.push({ code: 'unknownLanguage', value: languageCell });
    const matchKey = identifier?.matchKey ?? null;
    if (matchKey !== null && seen.has(matchKey)) problems.push({ code: 'duplicateInFile', value: cell('identifier') });
    if (matchKey !== null) seen.add(matchKey);
    const line = index + 2;
    if (problems.length > 0 || language === undefined) return { line, draft: null, problems };
    const taxCell = cell('taxId');
    return {
      line,
      problems,
      draft: {
        name,
        contactPerson: cell('contactPerson'),
        email: emails[0] ?? '',
        otherEmails: emails.slice(1),
        street: cell('street'),
        city: cell('city'),
        postalCode: cell('postalCode'),
        country: country !== '' && country !== null ? country : (identifier?.country ?? ''),
        registrationNumber: identifier?.registrationNumber ?? '',
        taxId: taxCell !== '' ? taxCell.replace(/\s/g, '').toUpperCase() : (identifier?.taxId ?? ''),
        language,
        matchKey,
      },
    };
  });
}

function languageForCountry(country: string, fallback: Language): Language {
  if (country === 'CZ' || country === 'SK') return 'cs';
  if (country === 'PL') return 'pl';
  if (country === '') return fallback;
  return 'en';
}
