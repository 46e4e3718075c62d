import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../shared/errors';
import { catalogs, createTranslator, languageForLocale } from '../../../shared/i18n';
import { documentLabels } from '../../../shared/i18n/document-labels';

function keys(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
    keys(value, prefix ? `${prefix}/${key}` : key),
  );
}

describe('catalogs', () => {
  it.each(['cs', 'pl'] as const)('%s has exactly the English keys, none empty', (language) => {
    expect(keys(catalogs[language]).sort()).toEqual(keys(catalogs.en).sort());
    expect(keys(documentLabels[language]).sort()).toEqual(keys(documentLabels.en).sort());
    const t = createTranslator(language);
    for (const code of errorCodes) {
      expect(t(`errors.${code}.message`)).not.toBe(`errors.${code}.message`);
      expect(t(`errors.${code}.fix`).length).toBeGreaterThan(0);
    }
  });

  it.each([
    { language: 'cs' as const, expected: ['1 doklad', '2 doklady', '5 dokladů', '22 dokladů'] },
    { language: 'pl' as const, expected: ['1 dokument', '2 dokumenty', '5 dokumentów', '22 dokumenty'] },
    { language: 'en' as const, expected: ['1 document', '2 documents', '5 documents', '22 documents'] },
  ])('plural forms in $language for 1, 2, 5 and 22', ({ language, expected }) => {
    const t = createTranslator(language);
    expect([1, 2, 5, 22].map((count) => t('documents.count', { count }))).toEqual(expected);
  });

  it('substitutes parameters and leaves unknown ones visible', () => {
    const t = createTranslator('pl');
    expect(t('export.saved', { path: '/home/ja/Faktura.pdf' })).toBe('Zapisano w /home/ja/Faktura.pdf');
    expect(t('export.saved')).toBe('Zapisano w {path}');
  });

  it.each([
    ['cs-CZ', 'cs'],
    ['pl_PL.UTF-8', 'pl'],
    ['sk-SK', 'en'],
    ['en-US', 'en'],
  ])('locale %s picks %s', (locale, language) => {
    expect(languageForLocale(locale)).toBe(language);
  });
});
