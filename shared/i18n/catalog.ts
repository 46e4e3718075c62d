/**
 * Catalog types and the message formatter. Keys are dotted paths derived from the English catalog, so
 * a misspelt key fails to compile. Messages use a small, well-defined subset of ICU MessageFormat:
 * `{name}` and `{name, plural, =0 {…} one {…} few {…} many {…} other {…}}` with `#` for the number.
 */
import type { Language } from '../domain';
import type { en } from './en';

/** The shape every catalog has. */
export type Catalog = typeof en;

type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every translatable message key, e.g. `export.sendCopy` or `errors.smtp.authRejected.message`. */
export type MessageKey = Paths<Catalog>;

/** Values substituted into a message. */
export type MessageParams = Readonly<Record<string, string | number | boolean>>;

/** Looks a dotted key up in a catalog; undefined when absent (only possible for computed keys). */
export function lookup(catalog: Catalog, key: string): string | undefined {
  // Error codes contain dots themselves (`errors.smtp.authRejected.message`), so walk greedily:
  // at each level try the longest remaining prefix that names a child.
  let node: unknown = catalog;
  let rest = key;
  while (rest !== '') {
    if (typeof node !== 'object' || node === null) return undefined;
    const record = node as Record<string, unknown>;
    const parts = rest.split('.');
    let matched = false;
    for (let take = parts.length; take >= 1; take--) {
      const candidate = parts.slice(0, take).join('.');
      if (Object.hasOwn(record, candidate)) {
        node = record[candidate];
        rest = parts.slice(take).join('.');
        matched = true;
        break;
      }
    }
    if (!matched) return undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

/** Formats an ICU-subset message with the given parameters in the given language. */
export function formatMessage(message: string, params: MessageParams, language: Language): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const ch = message.charAt(i);
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    const end = matchingBrace(message, i);
    const inner = message.slice(i + 1, end);
    out += formatArgument(inner, params, language);
    i = end + 1;
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`Unbalanced braces in message: ${text}`);
}

function formatArgument(inner: string, params: MessageParams, language: Language): string {
  const [name = '', type, ...rest] = inner.split(',');
  const value = params[name.trim()];
  if (type?.trim() !== 'plural') return value === undefined ? `{${name.trim()}}` : String(value);
  const count = typeof value === 'number' ? value : Number(value);
  const cases = parsePluralCases(rest.join(','));
  const exact = cases.get(`=${count}`);
  const category = new Intl.PluralRules(language).select(count);
  const chosen = exact ?? cases.get(category) ?? cases.get('other') ?? '';
  const formattedCount = new Intl.NumberFormat(language).format(count);
  return formatMessage(chosen, params, language).replaceAll('#', formattedCount);
}

function parsePluralCases(text: string): Map<string, string> {
  const cases = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open === -1) break;
    const selector = text.slice(i, open).trim();
    const close = matchingBrace(text, open);
    cases.set(selector, text.slice(open + 1, close));
    i = close + 1;
  }
  return cases;
}

/** Picks our language for an OS/browser locale such as `cs-CZ` or `pl`; English otherwise. */
export function languageForLocale(locale: string): Language {
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return primary === 'cs' || primary === 'pl' ? primary : 'en';
}
