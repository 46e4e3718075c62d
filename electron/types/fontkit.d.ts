// fontkit ships no type declarations (and @types/fontkit would be a further dependency for one call):
// Kurier only parses a font once and hands the object to pdfkit, which lays text out with it.
declare module 'fontkit' {
  /** A parsed font; pdfkit recognises one by its `layout` method. */
  export interface Font {
    readonly postscriptName: string;
    layout(text: string): unknown;
  }
  /** Parses a TrueType/OpenType font file. */
  export function create(data: Uint8Array, postscriptName?: string): Font;
}
