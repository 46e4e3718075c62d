import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { renderDocumentPdf } from '../../../../electron/services/export/pdf-renderer';
import type { RenderDocumentInput } from '../../../../electron/services/export/pdf-renderer';
import { computeTotals } from '../../../../shared/domain';
import type { Language } from '../../../../shared/domain';

const run = promisify(execFile);
const fontDir = resolve(import.meta.dirname, '../../../../build/fonts');
const clock = (): Date => new Date('2026-12-15T09:30:00Z');
let dir: string;
let db: DatabaseSync;
let repository: DocumentRepository;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-pdf-'));
  db = openDatabase(join(dir, 'kurier.sqlite'));
  seedDemoCompany(db, clock);
  repository = new DocumentRepository(db);
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a poppler tool; a missing binary fails with the fix rather than a bare ENOENT. */
async function poppler(tool: 'pdftotext' | 'pdfinfo', args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, [...args], { encoding: 'utf8' });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed; install poppler-utils (apt-get install poppler-utils).`);
    }
    throw error;
  }
}

/** Collapses every kind of whitespace (including U+00A0 and U+202F that Intl uses) to one space. */
function normalise(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/gu, ' ');
}

function inputFor(number: string, language?: Language): RenderDocumentInput {
  const summary = repository.listDocuments().find((s) => s.number === number);
  if (!summary) throw new Error(`demo document ${number} missing`);
  const document = repository.getDocument(summary.id)!;
  const partner = repository.getPartner(document.partnerId)!;
  return { document, partner, company: repository.getCompany(), language: language ?? partner.language, fontDir };
}

async function renderToText(input: RenderDocumentInput): Promise<{ file: string; text: string }> {
  const pdf = await renderDocumentPdf(input);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const file = join(dir, `${input.document.number}-${input.language}.pdf`);
  await writeFile(file, pdf);
  return { file, text: normalise(await poppler('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])) };
}

function money(minor: number, currency: string, locale: string): string {
  return normalise(new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100));
}

describe('renderDocumentPdf', () => {
  it('renders a Czech invoice with diacritics, IČO/DIČ, payment details and the total', async () => {
    const input = inputFor('FV-2026-0001');
    expect(input.partner.name).toBe('Dvořák & synové s.r.o.');
    const { text } = await renderToText(input);
    expect(text).toContain('Faktura – daňový doklad');
    expect(text).toContain('FV-2026-0001');
    expect(text).toContain('Dvořák & synové s.r.o.');
    expect(text).toContain(input.company.name);
    expect(text).toContain(`IČO: ${input.partner.registrationNumber}`);
    expect(text).toContain(`DIČ: ${input.partner.taxId}`);
    expect(text).toContain(input.document.variableSymbol);
    expect(text).toContain(input.company.bankAccount);
    expect(text).toContain('CZ05 2010 0000 0028 0123 4578');
    expect(text).toContain('Rekapitulace DPH');
    expect(text).toContain('Celkem k úhradě');
    expect(text).toContain(money(computeTotals(input.document.lines).totalMinor, 'CZK', 'cs-CZ'));
    expect(text).not.toContain('NIP');
  });

  it('renders a Polish payslip with the pay period and net pay, the Czech employer’s DIČ as DIČ', async () => {
    const input = inputFor('VL-2026-11-003');
    expect(input.partner.kind).toBe('employee');
    expect(input.partner.language).toBe('pl');
    const { text } = await renderToText(input);
    expect(text).toContain('Pasek wynagrodzenia');
    expect(text).toContain('VL-2026-11-003');
    expect(text).toContain(input.partner.name);
    expect(text).toContain('Małgorzata Wójcik-Zięba');
    expect(text).toContain('Okres płacowy: listopad 2026');
    expect(text).not.toContain('Okres rozliczeniowy');
    expect(input.company.address.country).toBe('CZ');
    expect(text).toContain(`DIČ: ${input.company.taxId}`);
    expect(text).not.toContain(`NIP: ${input.company.taxId}`);
    expect(text).toContain('Do wypłaty');
    const net = computeTotals(input.document.lines).totalMinor;
    expect(net).toBeLessThan(input.document.lines[0]!.unitPriceMinor);
    expect(text).toContain(money(net, 'PLN', 'pl-PL'));
  });

  it('labels Polish partners with REGON/NIP on a Polish invoice', async () => {
    const summary = repository.listDocuments().find((s) => s.kind === 'invoice' && s.currency === 'PLN')!;
    const { text } = await renderToText(inputFor(summary.number));
    expect(text).toContain('Faktura VAT');
    expect(text).toContain('Sprzedawca');
    expect(text).toContain('Nabywca');
    expect(text).toMatch(/REGON: \d{9}/);
    expect(text).toMatch(/NIP: \d{10}/);
    expect(text).toContain('Podsumowanie VAT');
    expect(text).toContain('Do zapłaty');
  });

  it('labels each party’s tax id by its country: a Czech seller’s DIČ, a Polish buyer’s NIP', async () => {
    const summary = repository.listDocuments().find((s) => s.kind === 'invoice' && s.currency === 'PLN')!;
    const input = inputFor(summary.number);
    expect(input.company.address.country).toBe('CZ');
    expect(input.partner.address.country).toBe('PL');
    const { text } = await renderToText(input);
    expect(text).toContain(`DIČ: ${input.company.taxId}`);
    expect(text).not.toContain(`NIP: ${input.company.taxId}`);
    expect(text).toContain(`NIP: ${input.partner.taxId}`);
  });

  it('prints every date of a Polish document in one format, day and month in two digits', async () => {
    const summary = repository.listDocuments().find((s) => s.kind === 'invoice' && s.currency === 'PLN')!;
    const input = inputFor(summary.number);
    const document = { ...input.document, issueDate: '2026-08-24', taxableSupplyDate: '2026-08-24', dueDate: '2026-09-07' };
    const { text } = await renderToText({ ...input, document });
    expect(text).toContain('Data wystawienia: 24.08.2026');
    expect(text).toContain('Termin płatności: 07.09.2026');
    expect(text).not.toMatch(/(?<!\d)\d\.\d{2}\.\d{4}/u);
  });

  it('renders credit notes and reminders with the related invoice', async () => {
    const credit = await renderToText(inputFor('DB-2026-0001'));
    expect(credit.text).toMatch(/Dobropis|Faktura korygująca/);
    expect(credit.text).toMatch(/FV-2026-\d{4}/);
    const reminders = repository.listDocuments().filter((s) => s.kind === 'paymentReminder');
    const reminder = await renderToText(inputFor(reminders.at(-1)!.number));
    expect(reminder.text).toMatch(/Upomínka|Wezwanie do zapłaty|Payment reminder/);
  });

  it('sets the metadata and is deterministic', async () => {
    const input = inputFor('FV-2026-0001', 'en');
    const first = await renderDocumentPdf(input);
    const second = await renderDocumentPdf(input);
    expect(first.equals(second)).toBe(true);
    const file = join(dir, 'meta.pdf');
    await writeFile(file, first);
    const info = await poppler('pdfinfo', [file]);
    expect(info).toMatch(/Title:\s+Invoice FV-2026-0001/);
    expect(info).toMatch(new RegExp(`Author:\\s+${input.company.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(info).toMatch(/Creator:\s+Kurier/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89/);
  });

  it('continues long tables on further pages and numbers every page', async () => {
    const base = inputFor('FV-2026-0001');
    const lines = Array.from({ length: 70 }, (_, index) => ({
      description: `Položka č. ${index + 1} – účetní služby, řádek s delším popisem, který se zalomí`,
      quantityMilli: 1000 + index * 250,
      unit: 'hod.',
      unitPriceMinor: 99_900,
      vatRatePercent: index % 3 === 0 ? 12 : 21,
    }));
    const input = { ...base, document: { ...base.document, lines } };
    const { file, text } = await renderToText(input);
    const pages = Number(/Pages:\s+(\d+)/u.exec(await poppler('pdfinfo', [file]))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`Strana 1/${pages}`);
    expect(text).toContain(`Strana ${pages}/${pages}`);
    expect(text).toContain('Položka č. 70');
    expect(text).toContain(money(computeTotals(lines).totalMinor, 'CZK', 'cs-CZ'));
  });

  it('rejects when the fonts are missing', async () => {
    await expect(renderDocumentPdf({ ...inputFor('FV-2026-0001'), fontDir: join(dir, 'nowhere') })).rejects.toThrow();
  });
});
