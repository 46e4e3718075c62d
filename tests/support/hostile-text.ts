/**
 * Values that try to leave their field: quotes, commas, `',`, shell and cmd metacharacters, percent
 * escapes, option-looking words, line breaks, Czech and Polish letters, emoji and very long runs. A
 * seeded generator picks from them, so a failing property test repeats from the seed it prints.
 */
import { isValidEmailAddress } from '../../shared/mail-address';

/** A small deterministic generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** One element of `items`, chosen by `random`. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Pieces that break a naive builder somewhere (no line breaks, no path separators). */
export const hostilePieces = [
  "'",
  '"',
  ',',
  "',",
  '",',
  '=',
  "='",
  ';',
  '`',
  '$()',
  '$(rm -rf ~)',
  '${HOME}',
  '%VAR%',
  '%PATH%',
  '%',
  '%2C',
  '%27',
  '%0A',
  '&',
  '&&',
  '|',
  '^',
  '<',
  '>',
  '?',
  '#',
  '+',
  '*',
  '!',
  '(',
  ')',
  ' ',
  '\t',
  '.',
  '-',
  '--attach',
  '-File',
  '-compose',
  'attachment=',
  ",attachment='file:///etc/passwd'",
  ',to=evil@example.com',
  '&bcc=evil@example.com',
  '"; do shell script "id"',
  "'; Remove-Item -Recurse C:\\ ; '",
  'mailto:',
  'ř',
  'ů',
  'ž',
  'ł',
  'ś',
  'ą',
  'Ř',
  'Ż',
  'ß',
  '😀',
  '👩‍👩‍👧',
  '\u00a0',
  'Faktura',
  'FV-2026-0001',
] as const;

/** Text made of hostile pieces; with `lineBreaks`, CR, LF and CRLF too; now and then very long. */
export function hostileText(random: () => number, options: { readonly lineBreaks: boolean }): string {
  const pieces: string[] = [...hostilePieces, ...(options.lineBreaks ? ['\n', '\r\n', '\r', '\n\n'] : [])];
  let text = '';
  const count = Math.floor(random() * 12);
  for (let i = 0; i < count; i++) text += pick(random, pieces);
  if (random() < 0.05) text = text.repeat(1 + Math.floor(random() * 400)) || 'ř'.repeat(3000);
  return text;
}

/** A file name (no separators) made of hostile pieces, ending in `.pdf`. */
export function hostileFileName(random: () => number): string {
  // Cut by code points: a cut between a surrogate pair would leave a lone surrogate, which every builder refuses.
  const stem = Array.from(hostileText(random, { lineBreaks: false }).replace(/[/\\]/gu, ''))
    .slice(0, 150)
    .join('');
  return `${stem === '' || stem === '.' || stem === '..' ? 'x' : stem}.pdf`;
}

// Every character a dot-atom local part may hold, including the awkward ones.
const localChars = ["abcXYZ019!#$%&'*+/=?^_`{|}~-".split(''), "o'brien", '%VAR%', '$HOME', '`id`', 'a&b', 'x|y'].flat();
const domains = ['firma.cz', 'dvořák-stavby.cz', 'łódź.pl', 'example.com', 'b.co'];

/** A valid address whose local part uses quotes, `%`, `$`, backticks, `&`, `|` and friends. */
export function hostileAddress(random: () => number): string {
  for (;;) {
    let local = '';
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) local += pick(random, localChars);
    if (random() < 0.3) local += `.${pick(random, localChars)}`;
    const address = `${local}@${pick(random, domains)}`;
    if (isValidEmailAddress(address)) return address;
  }
}

/** Up to `max` hostile addresses. */
export function hostileAddresses(random: () => number, max: number): string[] {
  return Array.from({ length: Math.floor(random() * (max + 1)) }, () => hostileAddress(random));
}
