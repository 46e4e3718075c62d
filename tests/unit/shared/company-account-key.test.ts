/**
 * The key that names a client company at every desk (its own SMTP account in the office file and the
 * keychain, its batches' scope, its documents in the office outbox): the identifier every company of its
 * country has — a Czech or Slovak company's IČO, a Polish company's NIP, else the tax id — so adding
 * the other identifier later (a REGON, a DIČ) never changes it; however it was typed.
 */
import { describe, expect, it } from 'vitest';
import { bareIdentifier, companyKey, companyKeyField } from '../../../shared/company-identifiers';
import { accountScopeSchema } from '../../../shared/prefs';

describe('companyKey', () => {
  it("is a Czech or Slovak company's IČO, with or without a DIČ", () => {
    expect(companyKey({ country: 'CZ', registrationNumber: '270 82 440', taxId: 'CZ27082440' })).toBe('27082440');
    expect(companyKey({ country: 'CZ', registrationNumber: '25596641', taxId: 'CZ699001234' })).toBe('25596641');
    expect(companyKey({ country: 'CZ', registrationNumber: '25596641', taxId: '' })).toBe('25596641');
    expect(companyKey({ country: 'SK', registrationNumber: '35 757 442', taxId: 'SK2020259385' })).toBe('35757442');
    expect(companyKeyField('CZ')).toBe('registrationNumber');
  });

  it("is a Polish company's NIP as bare digits, whether or not it has a REGON", () => {
    const withoutRegon = { country: 'PL', registrationNumber: '', taxId: 'PL 677-224-41-13' };
    expect(companyKey(withoutRegon)).toBe('6772244113');
    expect(companyKey({ ...withoutRegon, registrationNumber: '365123458' })).toBe('6772244113');
    expect(companyKey({ address: { country: 'pl' }, registrationNumber: '365123458', taxId: '6772244113' })).toBe('6772244113');
    expect(companyKeyField('PL')).toBe('taxId');
  });

  it("is another country's tax id, else its registration number", () => {
    expect(companyKey({ country: 'IE', registrationNumber: '123456', taxId: 'IE 6388047V' })).toBe('6388047V');
    expect(companyKey({ country: 'IE', registrationNumber: '123456', taxId: '' })).toBe('123456');
  });

  it('falls back to the other identifier when the one its country always has is missing', () => {
    expect(companyKey({ country: 'CZ', registrationNumber: '', taxId: 'CZ 27082440' })).toBe('27082440');
    expect(companyKey({ country: 'PL', registrationNumber: '365123458', taxId: '' })).toBe('365123458');
  });

  it('gives no key to a company without either, or with one no key may hold', () => {
    expect(companyKey({ country: 'CZ', registrationNumber: '', taxId: '' })).toBeNull();
    expect(companyKey({ country: 'CZ', registrationNumber: '../global', taxId: '' })).toBeNull();
  });

  it('normalises an identifier one way for every use: no spaces, dots, dashes or country prefix', () => {
    expect(bareIdentifier('CZ 270 82 440')).toBe('27082440');
    expect(bareIdentifier('pl 677-224-41-13')).toBe('6772244113');
    expect(bareIdentifier('27.08.24.40')).toBe('27082440');
    expect(bareIdentifier('')).toBe('');
  });

  it('is the only company scope an IPC input accepts', () => {
    expect(accountScopeSchema.safeParse('company:27082440').success).toBe(true);
    expect(accountScopeSchema.safeParse('global').success).toBe(true);
    expect(accountScopeSchema.safeParse('company:').success).toBe(false);
    expect(accountScopeSchema.safeParse('company:../user').success).toBe(false);
    expect(accountScopeSchema.safeParse('office').success).toBe(false);
  });
});
