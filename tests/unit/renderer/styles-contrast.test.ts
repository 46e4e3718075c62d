/**
 * The WCAG 2 contrast ratio of every text and focus colour the stylesheet declares, against every
 * background it declares, in the light and the dark scheme: at least 4.5:1 (1.4.3; the focus ring too,
 * above the 3:1 of 1.4.11). Read from renderer/styles.css itself — the custom properties of `:root` and
 * of `:root` inside `@media (prefers-color-scheme: dark)` — so a new colour is checked the day it is added.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

// Comments removed: they name properties in prose.
const css = readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'renderer', 'styles.css'), 'utf8').replace(
  /\/\*[\s\S]*?\*\//g,
  '',
);

/** The custom properties declared in a block of CSS (later declarations win). */
function customProperties(block: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) found.set(match[1] ?? '', (match[2] ?? '').trim());
  return found;
}

/** The text between the brace that follows `start` and its matching closing brace. */
function blockAfter(text: string, start: number): string {
  const open = text.indexOf('{', start);
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    if (text[index] === '}') depth -= 1;
    if (depth === 0) return text.slice(open + 1, index);
  }
  throw new Error('unbalanced braces in styles.css');
}

function schemes(): Record<'light' | 'dark', Map<string, string>> {
  const light = customProperties(blockAfter(css, css.indexOf(':root')));
  const media = css.indexOf('@media (prefers-color-scheme: dark)');
  if (media < 0) throw new Error('styles.css declares no dark scheme');
  const dark = new Map([...light, ...customProperties(blockAfter(css, media))]);
  return { light, dark };
}

/** Relative luminance of a #rrggbb colour (WCAG 2). */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`${hex} is not a #rrggbb colour; the contrast test reads only those`);
  const value = Number.parseInt(match[1] ?? '', 16);
  const [r, g, b] = [value >> 16, (value >> 8) & 255, value & 255].map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Every pair that must reach 4.5:1: each text/focus colour on each background, and the primary button. */
function pairs(properties: Map<string, string>): { fg: string; bg: string; ratio: number }[] {
  const names = [...properties.keys()];
  const texts = names.filter(
    (name) => (name === '--fg' || name.startsWith('--fg-') || name === '--focus') && name !== '--fg-on-primary',
  );
  const backgrounds = names.filter((name) => (name === '--bg' || name.startsWith('--bg-')) && name !== '--bg-primary');
  const combos = texts.flatMap((fg) => backgrounds.map((bg) => ({ fg, bg })));
  combos.push({ fg: '--fg-on-primary', bg: '--bg-primary' });
  return combos.map(({ fg, bg }) => ({ fg, bg, ratio: contrastRatio(properties.get(fg) ?? '', properties.get(bg) ?? '') }));
}

describe('colour contrast of renderer/styles.css', () => {
  test('the formula gives the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    // GrayText on white, the grey hints axe-core measured at 3.94:1.
    expect(contrastRatio('#808080', '#ffffff')).toBeCloseTo(3.95, 2);
  });

  for (const [scheme, properties] of Object.entries(schemes())) {
    test(`${scheme}: every text and focus colour reaches 4.5:1 on every background`, () => {
      const checked = pairs(properties);
      // The scheme declares what the stylesheet uses: text, muted hints, links, errors, warnings, focus.
      expect(checked.map((pair) => pair.fg)).toEqual(
        expect.arrayContaining(['--fg', '--fg-muted', '--fg-link', '--fg-error', '--fg-warning', '--focus']),
      );
      expect(checked.map((pair) => pair.bg)).toEqual(expect.arrayContaining(['--bg', '--bg-info', '--bg-error', '--bg-warning']));
      const low = checked
        .filter((pair) => pair.ratio < 4.5)
        .map((pair) => `${pair.fg} on ${pair.bg}: ${pair.ratio.toFixed(2)}:1`);
      expect(low).toEqual([]);
    });
  }

  test('no colour is written outside the declarations, so none escapes the check', () => {
    const rules = css.replace(/--[\w-]+\s*:\s*[^;]+;/g, '');
    expect(
      rules.match(
        /#[0-9a-f]{3,8}\b|\b(?:rgb|hsl)a?\(|(?<![\w-])(?:GrayText|CanvasText|Canvas|white|black)(?![\w-])|color-mix\(/gi,
      ) ?? [],
    ).toEqual([]);
  });
});
