/**
 * Handing payslip passwords to employees by another channel than the payslip: a printable sheet with one
 * slip per employee (cut along the lines and hand out), or a CSV an SMS gateway sends from. Both are made
 * only when the office asks, written to the folder it chose, and say on themselves what they contain.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { Language } from '../../../shared/domain';
import { KurierError } from '../../../shared/errors';
import { csvText } from '../files/csv';
import { writeNewFile } from '../files/new-file';

/** One slip. */
export interface HandoverEntry {
  readonly name: string;
  readonly email: string;
  /** The employee's mobile number, where the SMS goes ('' when none is known). */
  readonly phone: string;
  readonly password: string;
  readonly generation: number;
}

/** The texts of the sheet and the SMS, in the office's language. */
export interface HandoverTexts {
  readonly title: string;
  readonly intro: string;
  readonly generation: string;
  readonly keep: string;
  readonly sms: (password: string) => string;
  readonly csvHeader: readonly [name: string, phone: string, email: string, password: string, sms: string];
}

const slipsPerPage = 5;

/** An A4 PDF of slips, five to a page, each with the company, the employee, the password and its generation. */
export function handoverSheetPdf(
  entries: readonly HandoverEntry[],
  texts: HandoverTexts,
  company: string,
  fontDir: string,
  language: Language,
): Promise<Buffer> {
  const regular = join(fontDir, 'DejaVuSans.ttf');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    font: regular,
    lang: language,
    info: { Title: texts.title, Creator: 'Kurier', Producer: 'Kurier' },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', join(fontDir, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  const slipHeight = (doc.page.height - 80) / slipsPerPage;
  entries.forEach((entry, index) => {
    if (index > 0 && index % slipsPerPage === 0) doc.addPage();
    const top = 40 + (index % slipsPerPage) * slipHeight;
    doc
      .font('bold')
      .fontSize(11)
      .text(`${company} – ${texts.title}`, 50, top + 12, { width: doc.page.width - 100 });
    doc
      .font('regular')
      .fontSize(10)
      .text(texts.intro, 50, top + 30, { width: doc.page.width - 100 });
    doc
      .font('bold')
      .fontSize(13)
      .text(entry.name, 50, top + 56);
    doc
      .font('bold')
      .fontSize(20)
      .text(entry.password, 50, top + 76, { characterSpacing: 1.5 });
    doc
      .font('regular')
      .fontSize(9)
      .text(`${texts.generation} ${String(entry.generation)} · ${texts.keep}`, 50, top + 106, { width: doc.page.width - 100 });
    // The cutting line under each slip.
    doc
      .moveTo(40, top + slipHeight)
      .lineTo(doc.page.width - 40, top + slipHeight)
      .dash(4, { space: 4 })
      .strokeColor('#888888')
      .stroke()
      .undash();
  });
  doc.end();
  return done;
}

/** A CSV for an SMS gateway: name, the phone number it sends to, e-mail (to match the employee), password, and the text to send. */
export function handoverCsv(entries: readonly HandoverEntry[], texts: HandoverTexts): string {
  return csvText([
    texts.csvHeader,
    ...entries.map((entry) => [entry.name, entry.phone, entry.email, entry.password, texts.sms(entry.password)]),
  ]);
}

/** What writing a handover file needs. */
export interface HandoverDeps {
  readonly employees: readonly {
    readonly id: number;
    readonly name: string;
    readonly email: string;
    readonly phone: string;
    readonly kind: string;
  }[];
  readonly password: (partnerId: number) => Promise<string | null>;
  readonly generation: (partnerId: number) => number;
  readonly company: string;
  readonly fontDir: string;
  readonly folder: string;
  readonly language: Language;
  readonly texts: HandoverTexts;
}

/**
 * Writes the sheet (`pdf`) or the SMS list (`csv`) for the chosen employees that have a password, as a
 * new file in the folder; returns its path and how many employees it holds.
 */
export async function writeHandover(
  deps: HandoverDeps,
  partnerIds: readonly number[],
  format: 'pdf' | 'csv',
): Promise<{ path: string; count: number }> {
  const entries: HandoverEntry[] = [];
  for (const employee of deps.employees.filter((partner) => partner.kind === 'employee' && partnerIds.includes(partner.id))) {
    const password = await deps.password(employee.id);
    if (password !== null)
      entries.push({
        name: employee.name,
        phone: employee.phone,
        email: employee.email,
        password,
        generation: deps.generation(employee.id),
      });
  }
  if (entries.length === 0) throw new KurierError('payslip.nothingToHandOver');
  const data =
    format === 'pdf'
      ? await handoverSheetPdf(entries, deps.texts, deps.company, deps.fontDir, deps.language)
      : handoverCsv(entries, deps.texts);
  await mkdir(deps.folder, { recursive: true });
  // Readable by this user only: the file holds passwords.
  const target = await writeNewFile(
    deps.folder,
    format === 'pdf' ? 'kurier-payslip-passwords.pdf' : 'kurier-payslip-passwords-sms.csv',
    data,
    { mode: 0o600 },
  );
  return { path: target, count: entries.length };
}
