import { describe, expect, it } from 'vitest';
import { hasLineBreak, isValidEmailAddress } from '../../../shared/mail-address';

describe('isValidEmailAddress', () => {
  it.each(['jana@firma.cz', 'j.novak+faktury@dvorak-stavby.example', 'biuro@łódź.pl', 'a@b.co'])('accepts %s', (address) => {
    expect(isValidEmailAddress(address)).toBe(true);
  });

  it.each([
    '',
    'jana',
    'jana@',
    '@firma.cz',
    'jana@firma',
    ' jana@firma.cz',
    'jana@firma.cz\r\nBcc: all@example.com',
    'jana@firma.cz, eva@firma.cz',
    '"jana"@firma.cz',
    'jana..novak@firma.cz',
    'jana@-firma.cz',
    `${'a'.repeat(65)}@firma.cz`,
  ])('rejects %j', (address) => {
    expect(isValidEmailAddress(address)).toBe(false);
  });
});

describe('hasLineBreak', () => {
  it.each(['a\rb', 'a\nb', 'a\u2028b', 'a\u0085b', 'a\0b'])('finds the break in %j', (text) => {
    expect(hasLineBreak(text)).toBe(true);
  });
  it('lets ordinary text with diacritics through', () => {
    expect(hasLineBreak('Faktura – Dvořák & synové, Łódź')).toBe(false);
  });
});
