import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { computeTotals, documentTotalMinor } from '../../../shared/domain';
import type { AccountingDocument, Address, Company, Language, Partner } from '../../../shared/domain';
import type { DocumentMarks } from '../einvoice/document-marks';
import { documentLabels, registrationNumberLabelByCountry, taxIdLabelByCountry } from '../../../shared/i18n/document-labels';
import { createDocumentFormat, documentLocale, formatIban } from './document-format';
import { fontForOneDocument, type PdfFonts } from './pdf-fonts';
import { drawMarks } from './pdf-marks';
import type { QrMatrices } from './qr-drawing';
import { colors, contentWidth, drawLinesTable, drawSummary, ensureSpace, fonts, page } from './pdf-tables';
import type { PdfContext } from './pdf-tables';
import { protectPdf } from './pdf-protection';

/** What {@link renderDocumentPdf} needs: the document, both parties, the language and the font folder. */
export interface RenderDocumentInput {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  readonly language: Language;
  /** Folder holding `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` (`build/fonts` in the repository). */
  readonly fontDir: string;
  /**
   * Encrypt with AES-256, security handler revision 6 (see {@link protectPdf}): the file opens only with
   * `userPassword`; printing is allowed, changing and copying are not (advisory flags).
   */
  readonly protection?: { readonly userPassword: string };
  /**
   * The two DejaVu fonts already parsed (see `loadPdfFonts`): whoever renders many documents loads
   * them once and passes them to every document instead of reading and parsing `fontDir` each time.
   */
  readonly fonts?: PdfFonts;
  /** QR symbols already encoded, kept by whoever renders many documents (see {@link QrMatrices}). */
  readonly qrMatrices?: QrMatrices;
  /** QR codes to print below the totals: KSeF KOD I, QR Platba (see {@link DocumentMarks}). */
  readonly marks?: DocumentMarks;
  /** The company's logo (PNG or JPEG, checked when it was chosen), drawn at the top of the first page. */
  readonly logo?: Uint8Array;
}

/** The box a logo is scaled into, aspect kept (points: about 6 × 2 cm). */
const logoBox = { width: 170, height: 56 } as const;

/**
 * Renders an accounting document as an A4 PDF the way Czech and Polish documents look: title and
 * number, issuer and partner, dates and payment details, the lines, the VAT recapitulation and the
 * total to pay (or, for a payslip, the period and net pay).
 *
 * The DejaVu fonts are embedded (subset) because the PDF standard fonts cannot encode ř, ů, ł or ż;
 * embedding also gives every glyph a ToUnicode entry, so the text can be searched and extracted. The
 * output is deterministic — creation date and file ID derive from the document's issue date — unless
 * protected: encryption draws a random key and IVs.
 */
export async function renderDocumentPdf(input: RenderDocumentInput): Promise<Buffer> {
  const { document, partner, company, language, fontDir } = input;
  const labels = documentLabels[language];
  const issued = new Date(`${document.issueDate}T00:00:00Z`);
  const created = Number.isNaN(issued.getTime()) ? new Date(0) : issued;
  // pdfkit takes a font as a path, its bytes or a parsed fontkit font; @types/pdfkit types only a path.
  const regularFont = (fontFor(input.fonts?.regular) ?? join(fontDir, `${fonts.regular}.ttf`)) as string;
  const doc = new PDFDocument({
    size: 'A4',
    margin: page.margin,
    bufferPages: true,
    // Passing our own default font keeps pdfkit from loading Helvetica's AFM file from its package dir.
    font: regularFont,
    lang: documentLocale(language),
    displayTitle: true,
    info: {
      Title: `${labels.title[document.kind]} ${document.number}`,
      Author: company.name,
      Subject: partner.name,
      Creator: 'Kurier',
      Producer: 'Kurier',
      CreationDate: created,
      ModDate: created,
    },
  });
  const output = collect(doc);
  doc.registerFont(fonts.regular, regularFont);
  doc.registerFont(fonts.bold, (fontFor(input.fonts?.bold) ?? join(fontDir, `${fonts.bold}.ttf`)) as string);

  const ctx: PdfContext = {
    doc,
    document,
    partner,
    company,
    labels,
    format: createDocumentFormat(language),
    totals: computeTotals(document.lines),
  };
  let y = drawHeader(ctx, input.logo);
  y = drawParties(ctx, y + 14);
  y = drawDetails(ctx, y + 14);
  y = drawLinesTable(ctx, y + 16);
  y = drawSummary(ctx, y);
  y = drawMarks(ctx, input.marks, y + 18, input.qrMatrices);
  drawNote(ctx, y + 18);
  drawFooters(ctx);
  doc.end();
  const pdf = await output;
  return input.protection ? protectPdf(pdf, input.protection.userPassword) : pdf;
}

const fontFor = (font: PdfFonts['regular'] | undefined) => (font ? fontForOneDocument(font) : undefined);

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
}

function drawHeader(ctx: PdfContext, logo: Uint8Array | undefined): number {
  const { doc, document, labels } = ctx;
  let y = page.margin;
  if (logo) {
    // pdfkit takes a Buffer (a plain Uint8Array, as a worker receives it, would be read as a path).
    doc.image(Buffer.from(logo.buffer, logo.byteOffset, logo.byteLength), page.margin, y, {
      fit: [logoBox.width, logoBox.height],
    });
    y += logoBox.height + 10;
  }
  const title = labels.title[document.kind];
  const titleWidth = contentWidth * 0.66;
  doc.font(fonts.bold).fillColor(colors.text);
  // Shrink long titles ("Dobropis – opravný daňový doklad") to one line rather than wrapping them.
  let size = 18;
  while (size > 12 && doc.fontSize(size).widthOfString(title) > titleWidth) size -= 1;
  doc.text(title, page.margin, y, { width: titleWidth });
  const titleBottom = doc.y;
  doc.fontSize(13).text(`${labels.numberPrefix} ${document.number}`, page.margin, y + 4, {
    width: contentWidth,
    align: 'right',
  });
  const bottom = Math.max(titleBottom, doc.y) + 6;
  doc
    .moveTo(page.margin, bottom)
    .lineTo(page.margin + contentWidth, bottom)
    .lineWidth(1)
    .strokeColor(colors.text)
    .stroke();
  return bottom;
}

/** Issuer on the left, partner (boxed) on the right. */
function drawParties(ctx: PdfContext, top: number): number {
  const { doc, document, company, partner, labels } = ctx;
  const isPayslip = document.kind === 'payslip';
  const columnWidth = (contentWidth - 20) / 2;
  const showCountry = company.address.country !== partner.address.country;
  const companyBottom = drawParty(ctx, page.margin, top, columnWidth, {
    caption: isPayslip ? labels.employer : labels.supplier,
    name: company.name,
    address: company.address,
    showCountry,
    registrationNumber: company.registrationNumber,
    taxId: company.taxId,
    extra: [
      [labels.email, company.email],
      [labels.phone, company.phone],
    ],
  });
  const partnerX = page.margin + columnWidth + 20;
  const partnerBottom = drawParty(ctx, partnerX + 8, top + 6, columnWidth - 16, {
    caption: isPayslip ? labels.employee : labels.customer,
    name: partner.name,
    address: partner.address,
    showCountry,
    registrationNumber: partner.registrationNumber,
    taxId: partner.taxId,
    extra: [],
  });
  const bottom = Math.max(companyBottom, partnerBottom + 6);
  doc
    .roundedRect(partnerX, top, columnWidth, bottom - top, 4)
    .lineWidth(0.75)
    .strokeColor(colors.rule)
    .stroke();
  return bottom;
}

interface PartyBlock {
  readonly caption: string;
  readonly name: string;
  readonly address: Address;
  readonly showCountry: boolean;
  readonly registrationNumber: string;
  readonly taxId: string;
  readonly extra: readonly (readonly [label: string, value: string])[];
}

function drawParty(ctx: PdfContext, x: number, y: number, width: number, party: PartyBlock): number {
  const { doc, labels, format } = ctx;
  const { address } = party;
  doc.font(fonts.bold).fontSize(8.5).fillColor(colors.muted).text(party.caption, x, y, { width });
  doc
    .font(fonts.bold)
    .fontSize(11)
    .fillColor(colors.text)
    .text(party.name, x, doc.y + 3, { width });
  const lines = [address.street, `${address.postalCode} ${address.city}`];
  if (party.showCountry) lines.push(format.country(address.country));
  doc
    .font(fonts.regular)
    .fontSize(9)
    .text(lines.join('\n'), x, doc.y + 2, { width });
  const registrationLabel = registrationNumberLabelByCountry[address.country] ?? labels.registrationNumber;
  const facts: (readonly [string, string])[] = [
    [registrationLabel, party.registrationNumber],
    [taxIdLabelByCountry[address.country] ?? labels.taxId, party.taxId],
    ...party.extra,
  ];
  const printed = facts.filter(([, value]) => value !== '').map(([label, value]) => `${label}: ${value}`);
  if (printed.length > 0) doc.text(printed.join('\n'), x, doc.y + 6, { width });
  return doc.y;
}

/** Payment details on the left, dates on the right (a payslip has only dates). */
function drawDetails(ctx: PdfContext, top: number): number {
  const { doc, document, company, labels, format } = ctx;
  const related: [string, string][] = document.relatedNumber === '' ? [] : [[labels.relatedInvoice, document.relatedNumber]];
  const { paymentMethod, amountDueMinor, paidOn } = document.origin;
  const payment: [string, string][] = [
    [labels.paymentMethod, labels.paymentMethodName[paymentMethod]],
    [labels.bankAccount, company.bankAccount],
    [labels.iban, formatIban(company.iban)],
    [labels.variableSymbol, document.variableSymbol],
    // An imported document partly or wholly paid says what is left and when it was paid.
    ...(amountDueMinor !== null && amountDueMinor !== documentTotalMinor(document)
      ? [[labels.amountDue, format.money(Math.max(amountDueMinor, 0), document.currency)] as [string, string]]
      : []),
    ...(paidOn === '' ? [] : [[labels.paidOn, format.date(paidOn)] as [string, string]]),
  ];
  const dates: [string, string][] =
    document.kind === 'payslip'
      ? [
          [labels.period, format.period(document.period)],
          [labels.issueDate, format.date(document.issueDate)],
          [labels.payDate, format.date(document.dueDate)],
        ]
      : [
          [labels.issueDate, format.date(document.issueDate)],
          [labels.dueDate, format.date(document.dueDate)],
          ...(document.kind === 'paymentReminder'
            ? []
            : [[labels.taxableSupplyDate, format.date(document.taxableSupplyDate)] as [string, string]]),
          ...related,
        ];
  // The payment column is the wider one: a grouped IBAN in bold needs about 175 pt.
  const leftWidth = Math.round(contentWidth * 0.56);
  const left = document.kind === 'payslip' ? dates : payment;
  const right = document.kind === 'payslip' ? [] : dates;
  const leftBottom = drawKeyValues(ctx, page.margin, top, leftWidth, left);
  const rightBottom = drawKeyValues(ctx, page.margin + leftWidth + 16, top, contentWidth - leftWidth - 16, right);
  let bottom = Math.max(leftBottom, rightBottom);
  if (document.kind === 'paymentReminder') {
    doc.font(fonts.regular).fontSize(9.5).fillColor(colors.text);
    doc.text(labels.reminderIntro, page.margin, bottom + 14, { width: contentWidth });
    bottom = doc.y;
  }
  return bottom;
}

function drawKeyValues(
  ctx: PdfContext,
  x: number,
  top: number,
  width: number,
  rows: readonly (readonly [string, string])[],
): number {
  const { doc } = ctx;
  const labelWidth = 100;
  let y = top;
  for (const [label, value] of rows) {
    if (value === '') continue;
    doc.font(fonts.regular).fontSize(9).fillColor(colors.muted).text(`${label}:`, x, y, { width: labelWidth });
    doc
      .font(fonts.bold)
      .fillColor(colors.text)
      .text(value, x + labelWidth, y, { width: width - labelWidth });
    y = Math.max(y + 14, doc.y + 2);
  }
  return y;
}

function drawNote(ctx: PdfContext, top: number): void {
  const { doc, document, labels } = ctx;
  if (document.note === '') return;
  doc.font(fonts.regular).fontSize(9);
  const height = doc.heightOfString(document.note, { width: contentWidth }) + 14;
  const y = ensureSpace(ctx, top, height);
  doc.font(fonts.bold).fillColor(colors.muted).text(labels.note, page.margin, y, { width: contentWidth });
  doc
    .font(fonts.regular)
    .fillColor(colors.text)
    .text(document.note, page.margin, doc.y + 2, { width: contentWidth });
}

/** Issuer, "generated by" and page x/n at the foot of every page. */
function drawFooters(ctx: PdfContext): void {
  const { doc, company, labels } = ctx;
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Writing inside the bottom margin would make pdfkit open a new page; lift the margin meanwhile.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    const y = page.height - page.margin + 10;
    doc
      .moveTo(page.margin, y - 6)
      .lineTo(page.margin + contentWidth, y - 6)
      .lineWidth(0.5)
      .strokeColor(colors.rule)
      .stroke();
    doc.font(fonts.regular).fontSize(7.5).fillColor(colors.muted);
    doc.text(`${company.name} · ${labels.generatedBy}`, page.margin, y, { width: contentWidth, lineBreak: false });
    doc.text(`${labels.page} ${index - range.start + 1}/${range.count}`, page.margin, y, {
      width: contentWidth,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
}
