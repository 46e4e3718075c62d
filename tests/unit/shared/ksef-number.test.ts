/**
 * The check part of a KSeF number: CRC-8 (polynomial 0x07, initial 0x00, no reflection, no final XOR)
 * of the first 32 characters, hyphens included. Pinned to the two numbers the Ministry of Finance
 * publishes as examples (KSeF 2.0 documentation: `faktury/numer-ksef.md`, and the hint Kurier shows).
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract';
import { ksefNumberChecksum, ksefNumberProblem, typedKsefNumber } from '../../../shared/imports';
import { createTranslator } from '../../../shared/i18n';
import { withKsefChecksum } from '../../support/ksef-number';

const officialExamples = ['5265877635-20250826-0100001AF629-AF', '5265877635-20250916-010040741B3E-46'];

describe('KSeF number checksum', () => {
  it('computes the check part of the ministry’s example numbers and accepts them', () => {
    for (const number of officialExamples) {
      expect(ksefNumberChecksum(number.slice(0, 32))).toBe(number.slice(33));
      expect(ksefNumberProblem(number)).toBeUndefined();
      expect(typedKsefNumber(number)).toEqual({ value: number, invalid: false, problem: undefined });
    }
  });

  it('refuses an example with one character changed as a typo, apart from a number of the wrong format', () => {
    // One digit of the NIP, one of the date, one of the technical part, and the check part itself.
    const typos = [
      '5265877636-20250826-0100001AF629-AF',
      '5265877635-20250827-0100001AF629-AF',
      '5265877635-20250916-010040741B3F-46',
      '5265877635-20250916-010040741B3E-47',
    ];
    for (const typo of typos) {
      expect(ksefNumberProblem(typo)).toBe('ksefNumberChecksum');
      expect(typedKsefNumber(typo)).toMatchObject({ invalid: true, problem: 'ksefNumberChecksum' });
    }
    expect(typedKsefNumber('5265877635-20250826-0100001AF629')).toMatchObject({ invalid: true, problem: 'ksefNumber' });
    expect(typedKsefNumber('  ')).toEqual({ value: '', invalid: false, problem: undefined });
  });

  it('accepts a number typed in lower case with spaces around, normalised to upper case', () => {
    expect(typedKsefNumber(' 5265877635-20250916-010040741b3e-46 ')).toEqual({
      value: '5265877635-20250916-010040741B3E-46',
      invalid: false,
      problem: undefined,
    });
  });

  it('refuses a typo in the IPC channels that take a typed number, with the typo problem', () => {
    const typo = '5265877635-20250826-0100001AF629-A0';
    const store = contract['ksef:storeNumbers'].input.safeParse({ numbers: [{ documentId: 1, ksefNumber: typo }] });
    expect(store.success).toBe(false);
    expect(store.error?.issues.map((issue) => issue.message)).toEqual(['ksefNumberChecksum']);
    const replan = contract['imports:replan'].input.safeParse({ planId: crypto.randomUUID(), ksefNumber: 'nonsense' });
    expect(replan.error?.issues.map((issue) => issue.message)).toEqual(['ksefNumber']);
    const valid = contract['imports:replan'].input.safeParse({
      planId: crypto.randomUUID(),
      ksefNumber: officialExamples[1]?.toLowerCase(),
    });
    expect(valid.data?.ksefNumber).toBe(officialExamples[1]);
  });

  it('says “typo” in every language, in words other than the bad-format message', () => {
    const typoWord = { cs: 'překlep', pl: 'literówka', en: 'typo' } as const;
    for (const language of ['cs', 'pl', 'en'] as const) {
      const t = createTranslator(language);
      expect(t('fields.ksefNumberChecksum')).toContain(typoWord[language]);
      expect(t('fields.ksefNumber')).not.toContain(typoWord[language]);
      expect(t('imports.reasons.ksefNumberChecksum', { value: 'x' })).toContain(typoWord[language]);
      expect(t('imports.reasons.ksefNumberInvalid', { value: 'x' })).not.toContain(typoWord[language]);
    }
  });

  it('gives tests numbers with the right check part', () => {
    expect(withKsefChecksum('5265877635-20250826-0100001AF629')).toBe(officialExamples[0]);
  });
});
