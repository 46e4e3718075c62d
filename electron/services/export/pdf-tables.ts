import type { AccountingDocument, Company, DocumentTotals, Partner } from '../../../shared/domain';
import type { DocumentLabels } from '../../../shared/i18n/document-labels';
import type { DocumentFormat } from './document-format';

/** Font names registered on the PDF document. */
export const fonts = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' } as const;
/** Colours: text, secondary text, rules, table header fill, total box fill. */
export const colors = { text: '#1f2933', muted: '#616e7c', rule: '#cbd2d9', fill: '#eef2f6', accent: '#dde7f3' };
/** A4 in points, with 15 mm margins and room for the footer. */
export const page = { width: 595.28, height: 841.89, margin: 42, footer: 28 } as const;
/** Width between the margins. */
export const contentWidth = page.width - 2 * page.margin;

/** Everything a drawing step needs. */
export interface PdfContext {
  readonly doc: PDFKit.PDFDocument;
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  readonly labels: DocumentLabels;
  readonly format: DocumentFormat;
  readonly totals: DocumentTotals;
}

interface Column {
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

const cellPadding = 4;

/** Starts a new page when fewer than `height` points are left; returns the y to draw at. */
export function ensureSpace(ctx: PdfContext, y: number, height: number): number {
  if (y + height <= page.height - page.margin - page.footer) return y;
  ctx.doc.addPage();
  return page.margin;
}

/** Draws one table row of `cells` at `y`; returns the row's height. */
function drawRow(ctx: PdfContext, columns: readonly Column[], cells: readonly string[], y: number, bold: boolean): number {
  const { doc } = ctx;
  doc
    .font(bold ? fonts.bold : fonts.regular)
    .fontSize(bold ? 8 : 9)
    .fillColor(colors.text);
  const height = rowHeight(ctx, columns, cells);
  let x = page.margin;
  columns.forEach((column, index) => {
    doc.text(cells[index] ?? '', x + cellPadding, y + cellPadding, {
      width: column.width - 2 * cellPadding,
      align: column.align,
    });
    x += column.width;
  });
  return height;
}

function rowHeight(ctx: PdfContext, columns: readonly Column[], cells: readonly string[]): number {
  const heights = columns.map((column, index) =>
    ctx.doc.heightOfString(cells[index] ?? '', { width: column.width - 2 * cellPadding }),
  );
  return Math.max(...heights) + 2 * cellPadding;
}

/** A table with a filled header row that repeats on every page; returns the y below it. */
function drawTable(ctx: PdfContext, columns: readonly Column[], rows: readonly (readonly string[])[], top: number): number {
  const { doc } = ctx;
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  const headers = columns.map((column) => column.header);
  const header = (y: number): number => {
    doc.font(fonts.bold).fontSize(8);
    const height = rowHeight(ctx, columns, headers);
    doc.rect(page.margin, y, width, height).fill(colors.fill);
    return y + drawRow(ctx, columns, headers, y, true);
  };
  let y = header(ensureSpace(ctx, top, 60));
  for (const cells of rows) {
    doc.font(fonts.regular).fontSize(9);
    const height = rowHeight(ctx, columns, cells);
    const next = ensureSpace(ctx, y, height);
    if (next !== y) y = header(next);
    drawRow(ctx, columns, cells, y, false);
    y += height;
    doc
      .moveTo(page.margin, y)
      .lineTo(page.margin + width, y)
      .lineWidth(0.5)
      .strokeColor(colors.rule)
      .stroke();
  }
  return y;
}

/** The document's lines: full columns for tax documents, description and amount otherwise. */
export function drawLinesTable(ctx: PdfContext, top: number): number {
  const { document, labels, format } = ctx;
  const money = (minor: number): string => format.money(minor, document.currency);
  const lineBase = (quantityMilli: number, unitPriceMinor: number): number => Math.round((quantityMilli * unitPriceMinor) / 1000);
  if (document.kind === 'payslip' || document.kind === 'paymentReminder') {
    const columns: Column[] = [
      { header: labels.lineNumber, width: 26, align: 'left' },
      {
        header: document.kind === 'payslip' ? labels.payItem : labels.description,
        width: contentWidth - 26 - 120,
        align: 'left',
      },
      { header: labels.amount, width: 120, align: 'right' },
    ];
    const rows = document.lines.map((line, index) => [
      String(index + 1),
      line.description,
      money(lineBase(line.quantityMilli, line.unitPriceMinor)),
    ]);
    return drawTable(ctx, columns, rows, top);
  }
  const fixed = [24, 54, 42, 80, 42, 88];
  const [numberW = 0, quantityW = 0, unitW = 0, priceW = 0, vatW = 0, amountW = 0] = fixed;
  const columns: Column[] = [
    { header: labels.lineNumber, width: numberW, align: 'left' },
    { header: labels.description, width: contentWidth - fixed.reduce((a, b) => a + b, 0), align: 'left' },
    { header: labels.quantity, width: quantityW, align: 'right' },
    { header: labels.unit, width: unitW, align: 'left' },
    { header: labels.unitPrice, width: priceW, align: 'right' },
    { header: labels.vatRate, width: vatW, align: 'right' },
    { header: labels.lineAmount, width: amountW, align: 'right' },
  ];
  const rows = document.lines.map((line, index) => [
    String(index + 1),
    line.description,
    format.quantity(line.quantityMilli),
    line.unit,
    money(line.unitPriceMinor),
    format.percent(line.vatRatePercent),
    money(lineBase(line.quantityMilli, line.unitPriceMinor)),
  ]);
  return drawTable(ctx, columns, rows, top);
}

/** VAT recapitulation (tax documents only) and the totals box; returns the y below them. */
export function drawSummary(ctx: PdfContext, top: number): number {
  const { doc, document, labels, format, totals } = ctx;
  const money = (minor: number): string => format.money(minor, document.currency);
  const isTaxDocument = document.kind === 'invoice' || document.kind === 'creditNote';
  const recapHeight = isTaxDocument ? 40 + 18 * totals.vatRecap.length : 0;
  let y = ensureSpace(ctx, top + 14, Math.max(recapHeight, 110));
  const start = y;
  const boxWidth = 230;
  const boxX = page.margin + contentWidth - boxWidth;

  if (isTaxDocument) {
    doc.font(fonts.bold).fontSize(9).fillColor(colors.text).text(labels.vatRecap, page.margin, y);
    const columns: Column[] = [
      { header: labels.vatRate, width: 46, align: 'right' },
      { header: labels.vatBase, width: 80, align: 'right' },
      { header: labels.vatAmount, width: 68, align: 'right' },
      { header: labels.grossAmount, width: 80, align: 'right' },
    ];
    const rows = totals.vatRecap.map((row) => [
      format.percent(row.vatRatePercent),
      money(row.baseMinor),
      money(row.vatMinor),
      money(row.baseMinor + row.vatMinor),
    ]);
    const recapBottom = drawTable(ctx, columns, rows, y + 14);
    y = start;
    for (const [label, value] of [
      [labels.totalBase, totals.baseMinor],
      [labels.totalVat, totals.vatMinor],
    ] as const) {
      doc
        .font(fonts.regular)
        .fontSize(9)
        .fillColor(colors.muted)
        .text(label, boxX, y, { width: boxWidth / 2 });
      doc.fillColor(colors.text).text(money(value), boxX, y, { width: boxWidth, align: 'right' });
      y += 16;
    }
    y = Math.max(y, start + 32);
    const boxBottom = drawTotalBox(ctx, boxX, y + 4, boxWidth);
    return Math.max(recapBottom, boxBottom);
  }
  return drawTotalBox(ctx, boxX, y, boxWidth);
}

/** The bold amount to pay (or refund, or the net pay) in a filled box. */
function drawTotalBox(ctx: PdfContext, x: number, y: number, width: number): number {
  const { doc, document, labels, format, totals } = ctx;
  const isCredit = document.kind === 'creditNote';
  const label = document.kind === 'payslip' ? labels.netPay : isCredit ? labels.totalRefund : labels.totalDue;
  // A credit note's lines are negative; what the partner reads is how much comes back.
  const amount = isCredit ? Math.abs(totals.totalMinor) : totals.totalMinor;
  const height = 40;
  doc.rect(x, y, width, height).fill(colors.accent);
  doc
    .font(fonts.bold)
    .fontSize(10)
    .fillColor(colors.text)
    .text(label, x + 8, y + 6, { width: width - 16 });
  doc.fontSize(14).text(format.money(amount, document.currency), x + 8, y + 19, { width: width - 16, align: 'right' });
  return y + height;
}
