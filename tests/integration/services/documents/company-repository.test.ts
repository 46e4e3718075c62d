/**
 * Editing and adding client companies (issue 15) against a real SQLite file: what is saved comes back
 * normalised; a bad IČO, NIP, IBAN, reply-to or a sender name with a line break is refused with a
 * message key per field, translated in every catalog, and nothing is written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { CompanyRepository } from '../../../../electron/services/documents/company-repository';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { checkCompanyProfile, type CompanyProfileInput } from '../../../../shared/company-profile';
import { KurierError } from '../../../../shared/errors';
import { createTranslator } from '../../../../shared/i18n';
import { languages } from '../../../../shared/domain';

let dir: string;
let db: DatabaseSync;
let companies: CompanyRepository;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-companies-'));
  db = openDatabase(join(dir, 'kurier.sqlite'));
  seedDemoCompany(db, () => new Date('2026-12-15T09:30:00Z'));
  companies = new CompanyRepository(db);
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const czech: CompanyProfileInput = {
  name: 'Pekárna Úsvit s.r.o.',
  street: 'Květná 12',
  city: 'Brno',
  postalCode: '602 00',
  country: 'cz',
  registrationNumber: '2579 6101',
  taxId: 'CZ25796101',
  email: 'fakturace@usvit.example',
  phone: '+420 541 000 111',
  bankAccount: '2801234578/2010',
  iban: 'cz05 2010 0000 0028 0123 4578',
  senderName: 'Pekárna Úsvit – fakturace',
  replyTo: 'ucetni@usvit.example',
};

/** The problems a refused profile was reported with, by field (`profile.taxId` → `invalidNip`). */
function refusal(action: () => unknown): Record<string, unknown> {
  try {
    action();
  } catch (error) {
    if (error instanceof KurierError && error.code === 'input.invalid') return error.details;
    throw error;
  }
  throw new Error('the profile was accepted');
}

describe('CompanyRepository.update and add', () => {
  it('saves a company’s issuer data, sender name and reply-to, normalised', () => {
    const id = companies.list()[0]?.id ?? 0;
    const saved = companies.update(id, czech);
    expect(saved).toMatchObject({ id, country: 'CZ', registrationNumber: '25796101', iban: 'CZ0520100000002801234578' });
    const stored = companies.get(id);
    expect(stored?.name).toBe(czech.name);
    expect(stored?.address).toEqual({ street: 'Květná 12', city: 'Brno', postalCode: '602 00', country: 'CZ' });
    expect(stored?.senderName).toBe('Pekárna Úsvit – fakturace');
    expect(stored?.replyTo).toBe('ucetni@usvit.example');
    expect(companies.list().map((company) => company.name)).toContain(czech.name);
  });

  it('adds a Polish company by hand, NIP kept as its 10 digits', () => {
    const before = companies.list().length;
    const added = companies.add({
      ...czech,
      name: 'Zakład Stolarski Łoś',
      country: 'PL',
      registrationNumber: '012345675',
      taxId: 'PL 526-025-02-74',
      iban: 'PL51105014451000009031234567',
    });
    expect(companies.list()).toHaveLength(before + 1);
    expect(companies.get(added.id)).toMatchObject({ name: 'Zakład Stolarski Łoś', taxId: '5260250274', isDemo: false });
  });

  it('refuses bad identifiers, IBAN, reply-to and a line break in the sender name, field by field, and writes nothing', () => {
    const id = companies.list().find((company) => company.country === 'CZ')?.id ?? 0;
    const before = companies.get(id);
    expect(refusal(() => companies.update(id, { ...czech, registrationNumber: '25796102' }))).toEqual({
      'profile.registrationNumber': 'invalidIco',
    });
    expect(refusal(() => companies.update(id, { ...czech, registrationNumber: '' }))).toEqual({
      'profile.registrationNumber': 'required',
    });
    expect(refusal(() => companies.update(id, { ...czech, iban: 'CZ0620100000002801234578' }))).toEqual({
      'profile.iban': 'invalidIban',
    });
    expect(
      refusal(() => companies.update(id, { ...czech, senderName: 'Úsvit\r\nBcc: all@example.com', replyTo: 'ucetni@usvit' })),
    ).toEqual({ 'profile.senderName': 'lineBreak', 'profile.replyTo': 'invalidAddress' });
    expect(refusal(() => companies.add({ ...czech, country: 'PL', registrationNumber: '', taxId: '5260250275' }))).toEqual({
      'profile.taxId': 'invalidNip',
    });
    expect(refusal(() => companies.add({ ...czech, name: ' ' }))).toEqual({ 'profile.name': 'required' });
    expect(companies.get(id)).toEqual(before);

    // Every problem a user can meet is a sentence in each language, not a key.
    for (const language of languages) {
      const t = createTranslator(language);
      for (const key of ['invalidIco', 'invalidNip', 'invalidRegon', 'invalidDic', 'invalidIban', 'invalidCountry'] as const) {
        expect(t(`fields.${key}`)).not.toBe(`fields.${key}`);
      }
    }
  });

  it('takes both demo companies back as they are, so editing one asks to fix nothing else', () => {
    for (const { id } of companies.list()) {
      const before = companies.view(id);
      expect(companies.update(id, before)).toEqual(before);
    }
  });

  it('refuses a company that does not exist', () => {
    expect(refusal(() => companies.update(9999, czech))).toEqual({ field: 'companyId' });
  });
});

describe('CompanyRepository.findByIdentifier', () => {
  it('finds a company by its identifier written with spaces, dots, dashes or a country prefix', () => {
    const polish = companies.list().find((company) => companies.get(company.id)?.taxId === '6772244113');
    if (!polish) throw new Error('the demo data has a Polish company');
    for (const written of ['6772244113', '677-224-41-13', 'PL 677.224.41.13', 'pl677-22-44-113'])
      expect(companies.findByIdentifier(written)?.id, written).toBe(polish.id);
    expect(companies.findByIdentifier('677-224-41-14')).toBeUndefined();
    expect(companies.findByIdentifier(' - ')).toBeUndefined();
  });

  it('finds a company whose identifier was saved with separators (older records)', () => {
    const first = companies.list().find((company) => companies.get(company.id)?.registrationNumber === '27082440');
    if (!first) throw new Error('the demo data has a Czech company');
    db.prepare("UPDATE companies SET registration_number = '270 82 440', tax_id = 'CZ-270.82.440' WHERE id = ?").run(first.id);
    expect(companies.findByIdentifier('27082440')?.id).toBe(first.id);
    expect(companies.findByIdentifier('CZ27082440')?.id).toBe(first.id);
  });
});

describe('companyProfileSchema', () => {
  it('names every field to fix in one answer, the identifiers too', () => {
    const result = checkCompanyProfile({ ...czech, registrationNumber: '25796102', replyTo: 'ucetni@', name: '' });
    expect(result.ok ? {} : result.problems).toEqual({
      name: 'required',
      replyTo: 'invalidAddress',
      registrationNumber: 'invalidIco',
    });
    expect(checkCompanyProfile({ ...czech, taxId: 42 }).ok).toBe(false);
  });
});
