import type { DocumentMarks } from '../einvoice/document-marks';
import { ksefOfflineLabel } from '../einvoice/document-marks';
import { colors, ensureSpace, fonts, page } from './pdf-tables';
import type { PdfContext } from './pdf-tables';
import { drawQrCode, quietZoneModules, type QrMatrices } from './qr-drawing';

/**
 * Side of a QR symbol without its quiet zone: 80 pt = 2.8 cm, above the 2 cm the KSeF regulation asks
 * of KOD I and QR Platba's recommended minimum, and large enough for phone cameras at arm's length.
 */
export const qrSymbolPoints = 80;
const columnWidth = 200;
const captionGap = 3;
/** The widest quiet zone: four modules of the smallest symbol (version 1, 21 modules). */
const widestZone = (quietZoneModules * qrSymbolPoints) / 21;

interface Mark {
  readonly above: string;
  readonly text: string;
  readonly below: string;
}

/**
 * Draws the document's QR codes side by side below the totals: KOD I with the KSeF number (or OFFLINE)
 * directly under it, and QR Platba with its caption. Returns the y below the block.
 */
export function drawMarks(ctx: PdfContext, marks: DocumentMarks | undefined, top: number, matrices?: QrMatrices): number {
  const items: Mark[] = [];
  if (marks?.ksef) {
    const number = marks.ksef.ksefNumber === '' ? ksefOfflineLabel : marks.ksef.ksefNumber;
    items.push({ above: ctx.labels.ksefVerification, text: marks.ksef.url, below: number });
  }
  if (marks?.payment) items.push({ above: '', text: marks.payment.spayd, below: ctx.labels.qrPayment });
  if (marks?.polishTransfer) items.push({ above: '', text: marks.polishTransfer.text, below: ctx.labels.transferQr });
  if (items.length === 0) return top;
  const { doc } = ctx;
  const y = ensureSpace(ctx, top, 12 + 2 * widestZone + qrSymbolPoints + captionGap + 12);
  let bottom = y;
  items.forEach((item, index) => {
    const x = page.margin + index * (columnWidth + 20);
    doc.font(fonts.regular).fontSize(7.5).fillColor(colors.muted);
    doc.text(item.above, x, y, { width: columnWidth, align: 'center', lineBreak: false });
    const symbolTop = y + 10 + widestZone;
    const zone = drawQrCode(
      doc,
      item.text,
      { x: x + (columnWidth - qrSymbolPoints) / 2, y: symbolTop, size: qrSymbolPoints },
      matrices,
    );
    // The caption sits directly under the symbol's quiet zone (the KSeF number "directly under" KOD I).
    doc.font(fonts.bold).fontSize(8).fillColor(colors.text);
    doc.text(item.below, x, symbolTop + qrSymbolPoints + zone + captionGap, { width: columnWidth, align: 'center' });
    bottom = Math.max(bottom, doc.y);
  });
  return bottom;
}
