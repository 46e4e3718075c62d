/**
 * Renders a month's payroll PDF the way payroll programs print it: every employee's payslip on one, two
 * or three pages, the header with the personal number and name on the first page only ("continuation"
 * pages carry just the page number), in DejaVu Sans so Czech and Polish letters are real text.
 */
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { fontDir } from './app-fixture';

/** One employee's payslip in the rendered PDF. */
export interface PayrollEntry {
  readonly personalNumber: string;
  readonly name: string;
  readonly pages: number;
}

/** Options of {@link renderPayrollPdf}. */
export interface PayrollPdfOptions {
  /** Printed on every page, e.g. `Výplatní páska za listopad 2026`. */
  readonly title?: string;
  readonly userPassword?: string;
  /** Print the header on continuation pages too (some programs do). */
  readonly headerOnEveryPage?: boolean;
}

/** The PDF bytes. */
export async function renderPayrollPdf(entries: readonly PayrollEntry[], options: PayrollPdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    compress: true,
    ...(options.userPassword === undefined ? {} : { userPassword: options.userPassword, ownerPassword: 'owner' }),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) =>
    doc.on('end', () => {
      resolve();
    }),
  );
  doc.registerFont('body', path.join(fontDir, 'DejaVuSans.ttf'));
  for (const entry of entries) {
    for (let page = 1; page <= entry.pages; page++) {
      doc.addPage();
      doc
        .font('body')
        .fontSize(14)
        .text(options.title ?? 'Výplatní páska za listopad 2026');
      if (page === 1 || options.headerOnEveryPage === true) {
        doc.fontSize(11).text(`Osobní číslo: ${entry.personalNumber}`);
        doc.text(`Jméno a příjmení: ${entry.name}`);
        doc.text('Hrubá mzda 48 000,00 Kč');
      } else {
        doc.fontSize(11).text('Srážky a odvody (pokračování)');
      }
      doc.text(`Strana ${page}/${entry.pages}`);
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Employees with 1–3 pages each adding up to `pageCount` pages (deterministic). */
export function payrollEntries(pageCount: number, names: readonly string[]): PayrollEntry[] {
  const entries: PayrollEntry[] = [];
  let pages = 0;
  for (let i = 0; pages < pageCount; i++) {
    const count = Math.min((i % 3) + 1, pageCount - pages);
    entries.push({ personalNumber: String(1001 + i), name: names[i % names.length] ?? `Zaměstnanec ${i + 1}`, pages: count });
    pages += count;
  }
  return entries;
}
