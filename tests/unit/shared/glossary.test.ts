/**
 * The catalogs follow the glossary of their language: no term from the "avoid" column of
 * docs/glossary.<language>.md appears in a UI message, a shipped e-mail template or a PDF label.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages, type Language } from '../../../shared/domain';
import { catalogs } from '../../../shared/i18n';
import { documentLabels } from '../../../shared/i18n/document-labels';
import { defaultTemplates } from '../../../shared/templates';

const avoidHeaders = new Set(['Avoid', 'Nepoužívat', 'Nie używać']);

/** The avoided terms of a glossary: backticked items in every table column headed "avoid". */
function avoidedTerms(markdown: string): RegExp[] {
  const terms: RegExp[] = [];
  let column = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/u)
      .map((cell) => cell.trim().replaceAll('\\|', '|'));
    const header = cells.findIndex((cell) => avoidHeaders.has(cell));
    if (header !== -1) {
      column = header;
      continue;
    }
    for (const [, item = ''] of (cells[column] ?? '').matchAll(/`([^`]+)`/gu)) {
      const regex = /^\/(.+)\/([a-z]*)$/u.exec(item);
      terms.push(
        regex
          ? new RegExp(regex[1] ?? '', (regex[2] ?? '').includes('u') ? regex[2] : `${regex[2] ?? ''}u`)
          : new RegExp(item.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'u'),
      );
    }
  }
  return terms;
}

function strings(node: unknown, prefix: string): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => strings(value, `${prefix}.${key}`));
}

function textsOf(language: Language): [string, string][] {
  return [
    ...strings(catalogs[language], 'catalog'),
    ...strings(defaultTemplates[language], 'template'),
    ...strings(documentLabels[language], 'pdf'),
  ];
}

describe.each(languages)('glossary %s', (language) => {
  const glossary = readFileSync(resolve(import.meta.dirname, `../../../docs/glossary.${language}.md`), 'utf8');
  const terms = avoidedTerms(glossary);

  it('lists terms to avoid', () => {
    expect(terms.length).toBeGreaterThan(2);
  });

  it('no catalog message, template or PDF label uses an avoided term', () => {
    const found = textsOf(language).flatMap(([where, text]) =>
      terms.filter((term) => term.test(text)).map((term) => `${where}: ${String(term)} in “${text}”`),
    );
    expect(found).toEqual([]);
  });
});

describe('the glossary rules themselves', () => {
  it('catch the findings of issue 21', () => {
    const cs = avoidedTerms(readFileSync(resolve(import.meta.dirname, '../../../docs/glossary.cs.md'), 'utf8'));
    const pl = avoidedTerms(readFileSync(resolve(import.meta.dirname, '../../../docs/glossary.pl.md'), 'utf8'));
    const hits = (terms: RegExp[], text: string) => terms.some((term) => term.test(text));
    expect(hits(cs, 'Uživatelské předvolby')).toBe(true);
    expect(hits(cs, 'Přímo Kurier (SMTP)')).toBe(true);
    expect(hits(cs, 'Heslo pro {name} bylo uloženo.')).toBe(true);
    expect(hits(cs, 'Heslo pro: {name} je uloženo.')).toBe(false);
    expect(hits(pl, 'Zaloguj przez Microsoft')).toBe(true);
    expect(hits(pl, 'Zaloguj się przez Microsoft')).toBe(false);
    expect(hits(pl, 'hasło do Twojego konta')).toBe(true);
    expect(hits(pl, 'Twoje własne ustawienie.')).toBe(false);
    expect(hits(pl, 'Do kogo (puste: osobisty e-mail)')).toBe(true);
    expect(hits(pl, 'Okres rozliczeniowy')).toBe(true);
  });
});
