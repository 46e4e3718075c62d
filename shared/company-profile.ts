/**
 * A client company as the office edits it (issue 15): the issuer data printed on its documents and the
 * name and reply-to its messages go out with. Main checks every value with {@link companyProfileSchema}
 * (the contract and the repository alike); each problem is a `fields.*` message key by field name, so
 * the form marks the field in the user's language.
 */
import { z } from 'zod';
import { compactIban, isValidIban, isValidIco, isValidNip, isValidRegon } from './company-identifiers';
import { hasLineBreak, isValidEmailAddress } from './mail-address';

const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' });

const optionalEmail = line(254).refine((text) => text === '' || isValidEmailAddress(text), { message: 'invalidAddress' });

/** Digits of an identifier typed with spaces, dots or dashes (and, for a tax id, its country prefix kept apart). */
const digitsOf = (text: string) => text.replace(/[\s.-]/g, '').toUpperCase();

const profileFields = z.object({
  name: line(200).min(1, { message: 'required' }),
  street: line(200),
  city: line(200),
  postalCode: line(20),
  /** ISO 3166-1 alpha-2 (`CZ`, `PL`…); decides which identifiers are checked. */
  country: line(2)
    .transform((text) => text.toUpperCase())
    .refine((text) => /^[A-Z]{2}$/.test(text), { message: 'invalidCountry' }),
  registrationNumber: line(40),
  taxId: line(40),
  email: optionalEmail,
  phone: line(40),
  bankAccount: line(60),
  iban: line(42).transform(compactIban),
  /** Display name of From on this company's messages; empty = the office's sender name. */
  senderName: line(100),
  /** Reply-To of this company's messages; empty = the office's. */
  replyTo: optionalEmail,
});

type ProfileFields = z.output<typeof profileFields>;

/** IČO, NIP and REGON as their digits ("2579 6101" → "25796101"; "PL 526-025-02-74" → "5260250274"). */
function normalised(profile: ProfileFields): ProfileFields {
  if (profile.country !== 'CZ' && profile.country !== 'PL') return profile;
  const taxId = digitsOf(profile.taxId);
  return {
    ...profile,
    registrationNumber: digitsOf(profile.registrationNumber),
    taxId: profile.country === 'PL' ? taxId.replace(/^PL(?=\d{10}$)/, '') : taxId,
  };
}

/** The identifier and IBAN problems of a profile whose fields are otherwise of the right shape. */
function identifierProblems(profile: ProfileFields): [keyof ProfileFields, string][] {
  const { country, registrationNumber, taxId, iban } = normalised(profile);
  const problems: [keyof ProfileFields, string][] = [];
  if (country === 'CZ') {
    // Every Czech business has an IČO: 8 digits, the last a mod-11 check digit.
    if (!isValidIco(registrationNumber))
      problems.push(['registrationNumber', registrationNumber === '' ? 'required' : 'invalidIco']);
    if (taxId !== '' && !/^CZ\d{8,10}$/.test(taxId)) problems.push(['taxId', 'invalidDic']);
  }
  if (country === 'PL') {
    // Every Polish business has a NIP: 10 digits with a weighted mod-11 check; the REGON is optional.
    if (!isValidNip(taxId)) problems.push(['taxId', taxId === '' ? 'required' : 'invalidNip']);
    if (registrationNumber !== '' && !isValidRegon(registrationNumber)) problems.push(['registrationNumber', 'invalidRegon']);
  }
  if (iban !== '' && !isValidIban(iban)) problems.push(['iban', 'invalidIban']);
  return problems;
}

function hasTextFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  return ['country', 'registrationNumber', 'taxId', 'iban'].every((field) => typeof fields[field] === 'string');
}

/** The fields of a company the office edits, checked and normalised (IBAN compact, IČO and NIP as digits). */
export const companyProfileSchema = profileFields
  .superRefine(
    (profile, context) => {
      for (const [field, message] of identifierProblems(profile)) context.addIssue({ code: 'custom', path: [field], message });
    },
    // Checked even when another field is wrong, so one save names every field to fix (a field that is
    // itself malformed, e.g. too long, is left to its own message).
    { when: (payload) => hasTextFields(payload.value) },
  )
  .transform(normalised);

/** What the office types for a company (input of `companies:create` and `companies:update`). */
export type CompanyProfileInput = z.input<typeof companyProfileSchema>;
/** A company's profile as checked and stored. */
export type CompanyProfile = z.output<typeof companyProfileSchema>;

/** The largest logo a company may have (1 MiB): a document header needs a few hundred pixels. */
export const maxLogoBytes = 1024 * 1024;

/** A company as the Companies section of the office preferences shows it. */
export interface CompanyProfileView extends CompanyProfile {
  readonly id: number;
  readonly isDemo: boolean;
  readonly hasLogo: boolean;
}

/**
 * The problems of `profile` by field name (`taxId` → `invalidNip`), empty when it is valid; with the
 * checked and normalised profile when it is.
 */
export function checkCompanyProfile(
  profile: unknown,
): { readonly ok: true; readonly profile: CompanyProfile } | { readonly ok: false; readonly problems: Record<string, string> } {
  const parsed = companyProfileSchema.safeParse(profile);
  if (parsed.success) return { ok: true, profile: parsed.data };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.') || '_';
    problems[field] ??= /^[a-zA-Z]+$/.test(issue.message) ? issue.message : 'invalid';
  }
  return { ok: false, problems };
}
