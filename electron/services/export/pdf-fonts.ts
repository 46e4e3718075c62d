import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create, type Font, type Glyph, type GlyphPosition, type GlyphRun } from 'fontkit';
import { fonts } from './pdf-tables';

/** The two DejaVu fonts, parsed, to be shared by every document rendered in one thread. */
export interface PdfFonts {
  readonly regular: Font;
  readonly bold: Font;
}

/** How many words' layouts a thread keeps per font: a month's invoices repeat far fewer words. */
export const wordLayoutsPerFont = 5000;

/**
 * The longest word whose layout is kept. Longer ones (a URL, Base64 in an imported document's note, and
 * the pieces pdfkit measures while it wraps one) rarely come again, and 5,000 of them would hold
 * megabytes per font and thread: they are laid out afresh every time.
 */
export const longestKeptWord = 64;

/** A word as fontkit laid it out: each glyph's id and characters, and four numbers of position per glyph. */
interface WordLayout {
  readonly glyphs: readonly { readonly id: number; readonly codePoints: readonly number[] }[];
  readonly positions: readonly number[];
}

/** The layouts of the words a thread met last (least recently used dropped first), for one parsed font. */
class WordLayouts {
  readonly #words = new Map<string, WordLayout>();
  readonly #capacity: number;
  hits = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(word: string): WordLayout | undefined {
    const found = this.#words.get(word);
    if (!found) return undefined;
    this.hits += 1;
    this.#words.delete(word);
    this.#words.set(word, found);
    return found;
  }

  /** How many words are kept, and the length of the longest. */
  get stats(): { words: number; longest: number } {
    let longest = 0;
    for (const word of this.#words.keys()) longest = Math.max(longest, word.length);
    return { words: this.#words.size, longest };
  }

  set(word: string, layout: WordLayout): void {
    this.#words.set(word, layout);
    if (this.#words.size <= this.#capacity) return;
    const oldest = this.#words.keys().next();
    if (oldest.done !== true) this.#words.delete(oldest.value);
  }
}

const wordLayouts = new WeakMap<Font, WordLayouts>();

/**
 * Characters whose layout depends on more than the glyphs fontkit returns: default-ignorable ones (soft
 * hyphen, zero-width and bidi marks, variation selectors) are swapped for a space after shaping, and
 * anything outside the BMP (surrogates). Words holding one are laid out afresh every time.
 */
const notKeptRanges: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x17b4, 0x17b5],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xd800, 0xdfff],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xfff0, 0xfff8],
];

function kept(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xad && notKeptRanges.some(([from, to]) => code >= from && code <= to)) return false;
  }
  return true;
}

/**
 * A view of a parsed font for one document: it shares the decoded tables (the costly part) but has its
 * own glyphs (its `getGlyph`, which fontkit's layout and subset call). fontkit keeps each glyph with the
 * characters it was first looked up for, and pdfkit writes those into the PDF's ToUnicode map; a glyph
 * first met as a component of another (S inside Š when a Czech document is subset) is cached with none,
 * so a later document sharing the glyphs would print "Supplier" that extracts as "upplier". Glyph
 * objects are cheap to make again. Only fontkit's public API is used.
 *
 * What a document does share is the layout of its words (pdfkit lays text out a word at a time): a word
 * met in an earlier document is not shaped again (GSUB/GPOS), only its glyphs are looked up in this
 * document's cache in the order fontkit's own layout looks them up — each character's glyph, the shaped
 * glyphs, the space — so the document's glyphs carry the same characters as without the cache and its
 * PDF is byte for byte the same.
 */
export function fontForOneDocument(font: Font): Font {
  const view = Object.create(font) as Font;
  const glyphs = new Map<number, Glyph>();
  Object.defineProperty(view, 'getGlyph', {
    value: (id: number, codePoints: readonly number[] = []): Glyph => {
      const known = glyphs.get(id);
      if (known) return known;
      // fontkit's layout and subset look glyphs up through this method, so every glyph of the document is its own.
      const shared = font.getGlyph(id, codePoints) as Glyph | null;
      if (!shared) return shared as unknown as Glyph;
      const glyph = glyphForOneDocument(view, shared, codePoints);
      glyphs.set(id, glyph);
      return glyph;
    },
  });
  const words = wordLayouts.get(font);
  if (!words) return view;
  return Object.defineProperty(view, 'layout', {
    value: (text: string, features?: unknown, ...rest: unknown[]): GlyphRun => {
      if (features !== undefined || rest.length > 0 || typeof text !== 'string' || text.length > longestKeptWord || !kept(text)) {
        return font.layout.call(view, text, features, ...rest);
      }
      const known = words.get(text);
      if (known) return replay(view, text, known);
      const run = font.layout.call(view, text);
      words.set(text, {
        glyphs: run.glyphs.map((glyph) => ({ id: glyph.id, codePoints: [...glyph.codePoints] })),
        positions: run.positions.flatMap((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
      });
      return run;
    },
  });
}

/** The class fontkit made a glyph with (TrueType, CFF, …): `new` with the id, characters and font, as fontkit does. */
type GlyphClass = new (id: number, codePoints: readonly number[], font: Font) => Glyph;

/**
 * The document's own glyph: made by the class of the parsed glyph with this document's characters, as
 * fontkit's getGlyph makes it (which also sets whether it is a mark or a ligature from them). A plain
 * object of fontkit's class, not one inheriting from the shared glyph: fontkit's shaping reads glyphs in
 * hot loops, and objects each with a prototype of their own made a document measurably slower.
 */
function glyphForOneDocument(view: Font, shared: Glyph, codePoints: readonly number[]): Glyph {
  return new (shared.constructor as GlyphClass)(shared.id, codePoints, view);
}

/** A kept word's run for this document: its glyphs from the document's own cache, fresh positions. */
function replay(view: Font, text: string, kept: WordLayout): GlyphRun {
  view.glyphsForString(text);
  const glyphs: Glyph[] = kept.glyphs.map((glyph) => view.getGlyph(glyph.id, [...glyph.codePoints]));
  view.glyphForCodePoint(0x20);
  const positions: GlyphPosition[] = [];
  const p = kept.positions;
  for (let i = 0; i < p.length; i += 4) {
    positions.push({ xAdvance: p[i] ?? 0, yAdvance: p[i + 1] ?? 0, xOffset: p[i + 2] ?? 0, yOffset: p[i + 3] ?? 0 });
  }
  return {
    glyphs,
    positions,
    // As fontkit's run: the sum of the advances as they are when asked (pdfkit scales them first).
    get advanceWidth() {
      let width = 0;
      for (const position of positions) width += position.xAdvance;
      return width;
    },
  };
}

/** How many word layouts the fonts' documents took from the thread's cache (tests and the bench). */
export function wordLayoutHits(loaded: PdfFonts): number {
  return (wordLayouts.get(loaded.regular)?.hits ?? 0) + (wordLayouts.get(loaded.bold)?.hits ?? 0);
}

/** How many word layouts the fonts' thread keeps, and the length of the longest word kept (tests). */
export function keptWordLayouts(loaded: PdfFonts): { words: number; longest: number } {
  const [regular, bold] = [wordLayouts.get(loaded.regular)?.stats, wordLayouts.get(loaded.bold)?.stats];
  return {
    words: (regular?.words ?? 0) + (bold?.words ?? 0),
    longest: Math.max(regular?.longest ?? 0, bold?.longest ?? 0),
  };
}

/**
 * Reads and parses `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` from `fontDir` once. Handing pdfkit the
 * parsed fonts instead of the file (or its bytes) is most of a month-end batch's speed: pdfkit would
 * otherwise parse the font anew for every document, its substitution and positioning tables and its
 * glyph cache included — two thirds of a document's rendering time. pdfkit still makes a new subset per
 * document and each document gets its own glyph cache ({@link fontForOneDocument}), so the output is byte
 * for byte the same. `wordLayouts` words per font keep their layout between documents (0: none).
 */
export async function loadPdfFonts(fontDir: string, options: { wordLayouts?: number } = {}): Promise<PdfFonts> {
  const [regular, bold] = await Promise.all([
    readFile(join(fontDir, `${fonts.regular}.ttf`)),
    readFile(join(fontDir, `${fonts.bold}.ttf`)),
  ]);
  const loaded = { regular: create(regular), bold: create(bold) };
  const capacity = options.wordLayouts ?? wordLayoutsPerFont;
  if (capacity > 0) for (const font of [loaded.regular, loaded.bold]) wordLayouts.set(font, new WordLayouts(capacity));
  return loaded;
}
