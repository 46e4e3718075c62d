/**
 * Header text that can always be folded. A header line may not exceed 998 characters (RFC 5322 §2.1.1)
 * and should stay under 78; folding happens only at white space, so a long unbroken word — a subject of
 * 2,000 letters, a name or file name without spaces — went out as one line of 999 characters and more,
 * which servers reject or cut. Such text goes out as RFC 2047 encoded words of at most 52 characters
 * instead: each is its own foldable word, and readers join them back into the exact text.
 */
import { encodeWord } from 'nodemailer/lib/mime-funcs';

/** Runs of non-blank characters longer than this cannot be folded into a 78-character line. */
const longestFoldableWord = 60;

/** True when `text` holds a run of more than 60 characters without a space or tab (a linear scan). */
export function hasUnfoldableWord(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    run = code === 0x20 || code === 0x09 ? 0 : run + 1;
    if (run > longestFoldableWord) return true;
  }
  return false;
}

/** `text` as encoded words of at most 52 characters, Q for mostly-Latin text and B otherwise. */
export function encodedWords(text: string, encoding: 'Q' | 'B'): string {
  return encodeWord(text, encoding, 52);
}

/**
 * An unstructured value (a subject) for nodemailer, which folds only at spaces: unchanged when it can
 * be folded, else already as encoded words (nodemailer leaves ASCII alone and folds between them).
 */
export function foldableSubject(text: string): string {
  return hasUnfoldableWord(text) ? encodedWords(text, 'Q') : text;
}
