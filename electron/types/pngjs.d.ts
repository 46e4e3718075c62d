// pngjs ships no type declarations (and @types/pngjs would be a further dependency for two calls): Kurier
// decodes a company logo with `PNG.sync.read` and stores it re-encoded with `PNG.sync.write`
// (export/logo-image.ts). Only that public API of pngjs's README is declared.
declare module 'pngjs' {
  /** A decoded PNG: always 8-bit RGBA, four bytes per pixel, rows top to bottom. */
  export interface DecodedPng {
    readonly width: number;
    readonly height: number;
    readonly data: Buffer;
  }
  export interface PngWriteOptions {
    /** 0 greyscale, 2 RGB, 4 greyscale + alpha, 6 RGBA (the default). */
    readonly colorType?: 0 | 2 | 4 | 6;
    readonly inputColorType?: 0 | 2 | 4 | 6;
    readonly deflateLevel?: number;
  }
  export const PNG: {
    readonly sync: {
      /** Decodes the whole PNG at once; throws on anything damaged (CRC, filter, data length). */
      read(buffer: Buffer): DecodedPng;
      /** Encodes RGBA pixels as a non-interlaced PNG. */
      write(png: DecodedPng, options?: PngWriteOptions): Buffer;
    };
  };
}
