import QRCode from 'qrcode';

/** Modules of white around the symbol, as ISO/IEC 18004 asks for the quiet zone. */
export const quietZoneModules = 4;

/** Where and how large to draw a QR code: the symbol's top-left corner and side, without the quiet zone, in points. */
export interface QrPlacement {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/**
 * Draws `text` as a QR code (error correction M) with pdfkit rectangles — vector modules stay sharp at
 * any print resolution, unlike an embedded bitmap. The quiet zone is painted white around the symbol
 * (outside `placement`); returns its width. Each row's dark runs become one rectangle and the whole
 * symbol one fill, which keeps the page's content stream small.
 */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, placement: QrPlacement): number {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const module = placement.size / count;
  const { x: left, y: top } = placement;
  const zone = quietZoneModules * module;
  doc.save();
  doc.rect(left - zone, top - zone, placement.size + 2 * zone, placement.size + 2 * zone).fill('#ffffff');
  for (let row = 0; row < count; row += 1) {
    let start = -1;
    for (let col = 0; col <= count; col += 1) {
      const dark = col < count && qr.modules.data[row * count + col] === 1;
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
