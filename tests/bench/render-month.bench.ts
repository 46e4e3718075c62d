/**
 * A month-end batch: 1,000 invoices with their QR codes (KOD I and QR Platba) rendered one after another
 * on one thread, and on a pool of worker threads (one per core, fonts read once per worker). The figure
 * measured before the QR codes and the pool existed is printed beside them for comparison.
 */
import { availableParallelism } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../electron/services/data/database';
import { seedDemoCompany } from '../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../electron/services/documents/document-repository';
import { ksefVerificationUrl } from '../../electron/services/einvoice/ksef-verification';
import { buildSpayd } from '../../electron/services/einvoice/spayd';
import { renderDocumentPdf } from '../../electron/services/export/pdf-renderer';
import type { RenderDocumentInput } from '../../electron/services/export/pdf-renderer';
import { RenderPool } from '../../electron/services/export/render-pool';
import { computeTotals } from '../../shared/domain';
import { fontDir } from '../support/app-fixture';
import { note, row, startTable } from './measure';

const batch = 1000;
/** Measured on this machine on 2026-12-05 before the change (one thread, no QR codes, fonts read per document). */
const before = { medianMs: 41.3, meanMs: 48.0 };

const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const documents = new DocumentRepository(db);
const invoices = documents
  .listDocuments()
  .filter((summary) => summary.kind === 'invoice')
  .map((summary) => documents.getDocument(summary.id))
  .filter((document) => document !== undefined);

function input(index: number): Omit<RenderDocumentInput, 'fontDir'> {
  const document = invoices[index % invoices.length];
  const partner = document && documents.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('demo invoice missing');
  const company = documents.getCompany(document.companyId);
  const spayd = buildSpayd({
    iban: company.iban === '' ? 'CZ0520100000002801234578' : company.iban,
    amountMinor: Math.abs(computeTotals(document.lines).totalMinor) + 1,
    currency: document.currency,
    variableSymbol: document.variableSymbol,
    dueDate: document.dueDate,
    message: document.number,
  });
  const url = ksefVerificationUrl({
    environment: 'production',
    sellerNip: '5265877635',
    issueDate: document.issueDate,
    xml: Buffer.from(`<Faktura>${document.number}</Faktura>`),
  });
  return {
    document,
    partner,
    company,
    language: partner.language,
    marks: { ksef: { url, ksefNumber: '' }, ...(spayd === undefined ? {} : { payment: { spayd } }) },
  };
}

const cores = availableParallelism();
const pool = new RenderPool({
  workerUrl: new URL('../support/render-worker-bootstrap.mjs', import.meta.url),
  fontDir,
  size: cores,
});
afterAll(() => pool.close());

describe('month-end rendering', () => {
  it(`renders ${batch} invoices with QR codes`, async () => {
    startTable(`Rendering ${batch} invoices with QR codes (${cores} cores)`, [
      'how',
      'invoices',
      'total s',
      'ms per invoice',
      'invoices per second',
    ]);
    const line = (how: string, count: number, ms: number): void => {
      row([how, count, (ms / 1000).toFixed(2), (ms / count).toFixed(1), ((count * 1000) / ms).toFixed(1)]);
    };
    line('before: one thread, no QR codes (median of 200, measured earlier)', batch, before.medianMs * batch);

    const sequential = 50;
    for (let i = 0; i < 5; i += 1) await renderDocumentPdf({ ...input(i), fontDir });
    let start = performance.now();
    for (let i = 0; i < sequential; i += 1) await renderDocumentPdf({ ...input(i), fontDir });
    const oneThread = performance.now() - start;
    line(`now: one thread, with QR codes (${sequential} measured, scaled to ${batch})`, batch, (oneThread / sequential) * batch);

    // Warm every worker (fonts read, code compiled) before the clock starts.
    await Promise.all(Array.from({ length: cores * 2 }, (_, i) => pool.render(input(i))));
    start = performance.now();
    const pdfs = await Promise.all(Array.from({ length: batch }, (_, i) => pool.render(input(i))));
    const pooled = performance.now() - start;
    line(`now: ${cores} worker threads, with QR codes`, batch, pooled);
    note(
      'Goal: 1,000 invoices in under 10 s on 2 cores. Workers read the fonts once; each document is rendered whole on one worker.',
    );
    expect(pdfs.every((pdf) => pdf.subarray(0, 5).toString('latin1') === '%PDF-')).toBe(true);
  }, 600_000);
});
