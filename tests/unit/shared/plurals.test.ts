/**
 * Counts in every catalog go through `Intl.PluralRules`: a number that is followed by a word that agrees
 * with it ("2 dny", "1 message") must come from a `plural` case, never from a bare `{days}`.
 */
import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../../shared/domain';
import { catalogs, createTranslator } from '../../../shared/i18n';

/** Parameters that hold a count. */
const countParams = [
  'count',
  'days',
  'sent',
  'failed',
  'uncertain',
  'waiting',
  'total',
  'cap',
  'done',
  'seconds',
  'minutes',
  'perMinute',
  'ceiling',
  'limit',
  'attempts',
];

/**
 * Words that may follow a bare count because they do not agree with it: unit abbreviations,
 * prepositions, and English participles ("3 sent").
 */
const neutralAfter: Readonly<Record<Language, readonly string[]>> = {
  cs: ['s', 'MB', 'min', 'z', 'za'],
  pl: ['s', 'MB', 'min', 'z', 'na'],
  en: ['s', 'MB', 'min', 'of', 'a', 'sent', 'queued', 'failed', 'uncertain', 'cancelled', 'waiting', 'done'],
};

function messages(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
    messages(value, prefix === '' ? key : `${prefix}.${key}`),
  );
}

describe('counts in the catalogs', () => {
  it('every count followed by a word that agrees with it is a plural', () => {
    const offenders: string[] = [];
    for (const language of languages) {
      for (const [key, text] of messages(catalogs[language])) {
        for (const match of text.matchAll(/\{(\w+)\} (\p{L}+)/gu)) {
          const [, param = '', word = ''] = match;
          if (countParams.includes(param) && !neutralAfter[language].includes(word))
            offenders.push(`${language} ${key}: ${match[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every plural with a number has each category the language distinguishes', () => {
    const missing: string[] = [];
    for (const language of languages) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const [key, text] of messages(catalogs[language])) {
        for (const match of text.matchAll(/\{(\w+), plural,((?:[^{}]|\{[^{}]*\})*)\}/gu)) {
          const cases = match[2] ?? '';
          if (!cases.includes('#')) continue;
          for (const category of categories)
            if (!new RegExp(`(^|\\s)${category} \\{`, 'u').test(cases)) missing.push(`${language} ${key}: ${category}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('says “2 dny”, “5 dní”, “1 message” where the old texts said “2 dní” and “1 messages”', () => {
    const cs = createTranslator('cs');
    const pl = createTranslator('pl');
    const en = createTranslator('en');
    const overdue = { partner: 'Pekařství U Růžičků', number: 'FV-1', amount: '100 Kč', due: '1. září 2026' };
    expect(cs('notifications.overdueLine', { ...overdue, days: 1 })).toContain('(1 den po splatnosti)');
    expect(cs('notifications.overdueLine', { ...overdue, days: 2 })).toContain('(2 dny po splatnosti)');
    expect(cs('notifications.overdueLine', { ...overdue, days: 5 })).toContain('(5 dní po splatnosti)');
    expect(pl('notifications.overdueLine', { ...overdue, days: 1 })).toContain('(1 dzień po terminie)');
    expect(pl('notifications.overdueLine', { ...overdue, days: 22 })).toContain('(22 dni po terminie)');
    expect(en('notifications.overdueLine', { ...overdue, days: 1 })).toContain('(1 day overdue)');
    expect(en('notifications.batchStoppedIntro', { id: 7, sent: 1, waiting: 1 })).toBe(
      'Sending #7 stopped after 1 message; 1 is waiting. The reason:',
    );
    expect(cs('notifications.batchStoppedIntro', { id: 7, sent: 1, waiting: 3 })).toBe(
      'Odesílání č. 7 se zastavilo po 1 zprávě; 3 čekají. Důvod:',
    );
    expect(pl('notifications.batchStoppedIntro', { id: 7, sent: 5, waiting: 2 })).toBe(
      'Wysyłka nr 7 zatrzymała się po 5 wiadomościach; 2 czekają. Powód:',
    );
    expect(en('history.attempts', { count: 1 })).toBe('1 attempt');
    expect(cs('bulk.spread', { days: 3 })).toBe('Rozložit odesílání na 3 dny');
    expect(pl('bulk.spread', { days: 5 })).toBe('Rozłóż wysyłkę na 5 dni');
    expect(en('bulk.overDailyCap', { count: 1, cap: 0 })).toMatch(/^1 message is more than/u);
  });
});
