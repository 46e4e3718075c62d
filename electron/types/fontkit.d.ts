// fontkit ships no type declarations (and @types/fontkit would be a further dependency for a few calls):
// Kurier parses a font once, hands the object to pdfkit, which lays text out with it, and keeps the
// layouts of words between documents (pdf-fonts.ts). Only the public API of fontkit's README is declared.
declare module 'fontkit' {
  /** One glyph of a font: its id and the characters it stands for. */
  export interface Glyph {
    readonly id: number;
    readonly codePoints: readonly number[];
    readonly advanceWidth: number;
  }
  /** Where a glyph of a run goes, in font units. */
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  /** The result of laying a string out: its glyphs and their positions. */
  export interface GlyphRun {
    readonly glyphs: Glyph[];
    readonly positions: GlyphPosition[];
    readonly advanceWidth: number;
  }
  /** A parsed font; pdfkit recognises one by its `layout` method. */
  export interface Font {
    readonly postscriptName: string;
    layout(text: string, features?: unknown, ...rest: unknown[]): GlyphRun;
    glyphsForString(text: string): Glyph[];
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(id: number, codePoints?: readonly number[]): Glyph;
  }
  /** Parses a TrueType/OpenType font file. */
  export function create(data: Uint8Array, postscriptName?: string): Font;
}
