import QRCode from 'qrcode';

/** Modules of white around the symbol, as ISO/IEC 18004 asks for the quiet zone. */
export const quietZoneModules = 4;

/** Where and how large to draw a QR code: the symbol's top-left corner and side, without the quiet zone, in points. */
export interface QrPlacement {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** A QR symbol's modules: `size` × `size`, row by row, 1 for dark. */
export interface QrMatrix {
  readonly size: number;
  readonly data: ArrayLike<number>;
}

/**
 * QR symbols by their text, the most recent {@link QrMatrices.limit}: a document rendered again (the
 * preview, then the export; a batch retried) does not encode its codes again. Encoding — the segment
 * optimiser and the eight mask trials — is the costly part of drawing a code.
 */
export class QrMatrices {
  static readonly limit = 512;
  readonly #byText = new Map<string, QrMatrix>();

  /** The symbol of `text` at error correction M. */
  get(text: string): QrMatrix {
    const cached = this.#byText.get(text);
    if (cached) return cached;
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const matrix = { size: modules.size, data: modules.data };
    if (this.#byText.size >= QrMatrices.limit) {
      const oldest = this.#byText.keys().next();
      if (oldest.done !== true) this.#byText.delete(oldest.value);
    }
    this.#byText.set(text, matrix);
    return matrix;
  }
}

/**
 * Draws `text` as a QR code (error correction M) with pdfkit rectangles — vector modules stay sharp at
 * any print resolution, unlike an embedded bitmap. The quiet zone is painted white around the symbol
 * (outside `placement`); returns its width. Each row's dark runs become one rectangle and the whole
 * symbol one fill, which keeps the page's content stream small.
 */
export function drawQrCode(
  doc: PDFKit.PDFDocument,
  text: string,
  placement: QrPlacement,
  matrices: QrMatrices = new QrMatrices(),
): number {
  const modules = matrices.get(text);
  const count = modules.size;
  const module = placement.size / count;
  const { x: left, y: top } = placement;
  const zone = quietZoneModules * module;
  doc.save();
  doc.rect(left - zone, top - zone, placement.size + 2 * zone, placement.size + 2 * zone).fill('#ffffff');
  for (let row = 0; row < count; row += 1) {
    let start = -1;
    for (let col = 0; col <= count; col += 1) {
      const dark = col < count && modules.data[row * count + col] === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        doc.rect(left + start * module, top + row * module, (col - start) * module, module);
        start = -1;
      }
    }
  }
  doc.fill('#000000');
  doc.restore();
  return zone;
}
