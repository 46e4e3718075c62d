/** Safe, unique file names for whatever Kurier writes for the user. */
import { extname, join } from 'node:path';

/** Longest file name we produce, in UTF-16 code units (what NTFS and APFS count). */
export const maxFileNameLength = 120;
/** Longest file name in UTF-8 bytes (what ext4 counts); 255 is the limit, the rest is room for ` (2)`. */
const maxFileNameBytes = 240;

// C0 and C1 controls, and bidi overrides that could make "Faktura‮fdp.exe" read as a PDF.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Reserved on Windows (and "/" everywhere).
const forbidden = /[/\\:*?"<>|]/gu;
// Device names Windows reserves with any extension, including the superscript-digit variants.
const reservedStem = /^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])$/iu;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();

/**
 * Makes `stem + extension` a safe single path segment on every desktop OS: NFC, control and bidi
 * characters and `/ \ : * ? " < > |` become spaces, runs of spaces collapse, leading dots and spaces go
 * (no hidden files, no `..`), trailing spaces and dots go (Windows drops them from a bare name, and
 * before an extension they would make `s.r.o..pdf`), Windows
 * device names get a `_` prefix, and the result is cut to {@link maxFileNameLength} code units and 240
 * UTF-8 bytes at a grapheme boundary, so neither a surrogate pair nor an emoji sequence is split.
 *
 * @param extension including its dot, e.g. `.pdf`; trusted (not sanitised).
 */
export function safeFileName(stem: string, extension: string): string {
  let cleaned = stem
    .normalize('NFC')
    .replace(invisible, ' ')
    .replace(forbidden, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+/u, '');
  cleaned = truncate(cleaned, maxFileNameLength - extension.length, maxFileNameBytes - utf8.encode(extension).length);
  // Windows drops dots and spaces at the end of a name; before an extension a trailing dot doubles the
  // extension's ("Dvořák & synové s.r.o..pdf"), so "s.r.o." ends the stem as "s.r.o".
  cleaned = cleaned.replace(/[\s.]+$/u, '');
  if (cleaned === '') cleaned = 'document';
  if (reservedStem.test((cleaned.split('.')[0] ?? '').trim())) cleaned = `_${cleaned}`;
  return `${cleaned}${extension}`;
}

/** Keeps whole graphemes while the text fits both budgets. */
function truncate(text: string, maxUnits: number, maxBytes: number): string {
  if (text.length <= maxUnits && utf8.encode(text).length <= maxBytes) return text;
  let result = '';
  let bytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    const segmentBytes = utf8.encode(segment).length;
    if (result.length + segment.length > maxUnits || bytes + segmentBytes > maxBytes) break;
    result += segment;
    bytes += segmentBytes;
  }
  return result;
}

/**
 * `folder/fileName` if nothing exists there, else the first free `folder/<stem> (2)<ext>`,
 * `(3)`, … — the way file managers name copies. `exists` is passed in so callers choose the fs API.
 *
 * @throws after 9 999 taken names, rather than looping forever on a misbehaving `exists`.
 */
export async function uniquePath(folder: string, fileName: string, exists: (path: string) => Promise<boolean>): Promise<string> {
  const first = join(folder, fileName);
  if (!(await exists(first))) return first;
  const extension = extname(fileName);
  const stem = fileName.slice(0, fileName.length - extension.length);
  for (let copy = 2; copy < 10_000; copy += 1) {
    const candidate = join(folder, `${stem} (${copy})${extension}`);
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`No free file name for ${fileName} in ${folder}.`);
}
