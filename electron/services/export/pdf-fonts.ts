import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create, type Font } from 'fontkit';
import { fonts } from './pdf-tables';

/** The two DejaVu fonts, parsed, to be shared by every document rendered in one thread. */
export interface PdfFonts {
  readonly regular: Font;
  readonly bold: Font;
}

/**
 * A view of a parsed font for one document: it shares the decoded tables (the costly part) but starts
 * with an empty glyph cache. fontkit keeps each glyph with the characters it was first looked up for,
 * and pdfkit writes those into the PDF's ToUnicode map; a glyph first met as a component of another
 * (S inside Š when a Czech document is subset) is cached with none, so a later document sharing the
 * cache would print "Supplier" that extracts as "upplier". Glyph objects are cheap to make again.
 */
export function fontForOneDocument(font: Font): Font {
  return Object.create(font, { _glyphs: { value: {} } }) as Font;
}

/**
 * Reads and parses `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` from `fontDir` once. Handing pdfkit the
 * parsed fonts instead of the file (or its bytes) is most of a month-end batch's speed: pdfkit would
 * otherwise parse the font anew for every document, its substitution and positioning tables and its
 * glyph cache included — two thirds of a document's rendering time. pdfkit still makes a new subset per
 * document and each document gets its own glyph cache ({@link fontForOneDocument}), so the output is byte
 * for byte the same.
 */
export async function loadPdfFonts(fontDir: string): Promise<PdfFonts> {
  const [regular, bold] = await Promise.all([
    readFile(join(fontDir, `${fonts.regular}.ttf`)),
    readFile(join(fontDir, `${fonts.bold}.ttf`)),
  ]);
  return { regular: create(regular), bold: create(bold) };
}
