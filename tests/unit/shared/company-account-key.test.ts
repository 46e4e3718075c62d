/**
 * The key a client company's own SMTP account is kept under in the office file (shared by every desk):
 * its IČO/REGON, else its DIČ/NIP without the country prefix, however it was typed.
 */
import { describe, expect, it } from 'vitest';
import { accountScopeSchema, companyAccountKey } from '../../../shared/prefs';

describe('companyAccountKey', () => {
  it('takes the IČO/REGON first, else the DIČ/NIP without its country prefix, spaces or dashes', () => {
    expect(companyAccountKey({ registrationNumber: '270 82 440', taxId: 'CZ27082440' })).toBe('27082440');
    expect(companyAccountKey({ registrationNumber: '', taxId: 'CZ 27082440' })).toBe('27082440');
    expect(companyAccountKey({ registrationNumber: '', taxId: '677-224-41-13' })).toBe('6772244113');
    expect(companyAccountKey({ registrationNumber: '', taxId: 'pl6772244113' })).toBe('6772244113');
  });

  it('gives no key to a company without either, or with one no key may hold', () => {
    expect(companyAccountKey({ registrationNumber: '', taxId: '' })).toBeNull();
    expect(companyAccountKey({ registrationNumber: '../global', taxId: '' })).toBeNull();
  });

  it('is the only company scope an IPC input accepts', () => {
    expect(accountScopeSchema.safeParse('company:27082440').success).toBe(true);
    expect(accountScopeSchema.safeParse('global').success).toBe(true);
    expect(accountScopeSchema.safeParse('company:').success).toBe(false);
    expect(accountScopeSchema.safeParse('company:../user').success).toBe(false);
    expect(accountScopeSchema.safeParse('office').success).toBe(false);
  });
});
