/**
 * A month-end batch: 1,000 invoices with their QR codes (KOD I and QR Platba) rendered one after another
 * on one thread, and on a pool of worker threads (one per core, fonts parsed once per worker). Each
 * invoice's codes are its own (no QR symbol is met twice, as in a real month). The figures measured
 * before are printed beside them, and the old way (fonts parsed for every document) is measured again
 * on a sample, so the table compares under the same machine load. CPU s counts every thread: on an idle
 * machine the wall time of the pool approaches CPU s divided by the cores.
 */
import { availableParallelism, loadavg } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../electron/services/data/database';
import { seedDemoCompany } from '../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../electron/services/documents/document-repository';
import { ksefVerificationUrl } from '../../electron/services/einvoice/ksef-verification';
import { buildSpayd } from '../../electron/services/einvoice/spayd';
import { loadPdfFonts, wordLayoutHits } from '../../electron/services/export/pdf-fonts';
import { renderDocumentPdf } from '../../electron/services/export/pdf-renderer';
import { QrMatrices } from '../../electron/services/export/qr-drawing';
import { InThreadRenderer, type RenderJob } from '../../electron/services/export/document-renderer';
import { RenderPool } from '../../electron/services/export/render-pool';
import { computeTotals } from '../../shared/domain';
import { fontDir } from '../support/app-fixture';
import { note, row, startTable } from './measure';

const batch = 1000;
/** The goal of issue 16: a month-end of 1,000 invoices with QR codes in under 10 s on 2 cores. */
const goalMs = 10_000;
const goalCores = 2;
/** Issue 16's figure for one invoice on one core when it was filed (median). */
const issueMedianMs = 33;
/** Measured on this machine on 2026-12-05 before the change (one thread, no QR codes, fonts read per document). */
const before = { medianMs: 41.3, meanMs: 48.0 };
/** Measured 2026-12-05 with the pool on 2 threads before fonts were parsed once per thread. */
const beforePooledMs = 21_300;

const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const documents = new DocumentRepository(db);
const invoices = documents
  .listDocuments()
  .filter((summary) => summary.kind === 'invoice')
  .map((summary) => documents.getDocument(summary.id))
  .filter((document) => document !== undefined);

function input(index: number): RenderJob {
  const document = invoices[index % invoices.length];
  const partner = document && documents.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('demo invoice missing');
  const company = documents.getCompany(document.companyId);
  const spayd = buildSpayd({
    iban: company.iban === '' ? 'CZ0520100000002801234578' : company.iban,
    amountMinor: Math.abs(computeTotals(document.lines).totalMinor) + 1 + index,
    currency: document.currency,
    variableSymbol: document.variableSymbol,
    dueDate: document.dueDate,
    message: document.number,
  });
  const url = ksefVerificationUrl({
    environment: 'production',
    sellerNip: '5265877635',
    issueDate: document.issueDate,
    xml: Buffer.from(`<Faktura>${document.number}/${index}</Faktura>`),
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
    const loadAtStart = loadavg()[0] ?? 0;
    startTable(`Rendering ${batch} invoices with QR codes (${cores} cores)`, [
      'how',
      'invoices',
      'total s',
      'CPU s',
      'CPU ms per invoice',
      `s on ${goalCores} idle cores (CPU s ÷ ${goalCores})`,
      'invoices per second',
    ]);
    const line = (how: string, count: number, ms: number, cpuMs: number | null): void => {
      row([
        how,
        count,
        (ms / 1000).toFixed(2),
        cpuMs === null ? '–' : (cpuMs / 1000).toFixed(2),
        cpuMs === null ? '–' : (cpuMs / count).toFixed(1),
        cpuMs === null ? '–' : (cpuMs / goalCores / 1000).toFixed(2),
        ((count * 1000) / ms).toFixed(1),
      ]);
    };
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const measure = async (count: number, render: (index: number) => Promise<Buffer>) => {
      for (let i = 0; i < 5; i += 1) await render(batch + i);
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < count; i += 1) await render(i);
      return { ms: ((performance.now() - start) / count) * batch, cpu: (cpuMs(cpu) / count) * batch };
    };
    line(`issue 16 as filed: one core, about ${issueMedianMs} ms median per invoice`, batch, issueMedianMs * batch, null);
    line('before: one thread, no QR codes (median of 200, measured earlier)', batch, before.medianMs * batch, null);
    line('before: 2 worker threads, with QR codes, fonts parsed per document (measured earlier)', batch, beforePooledMs, null);

    const sample = 40;
    const old = await measure(sample, (i) => renderDocumentPdf({ ...input(i), fontDir }));
    line(`again: one thread, fonts parsed per document (${sample} measured, scaled)`, batch, old.ms, old.cpu);
    const parsedOnce = await loadPdfFonts(fontDir, { wordLayouts: 0 });
    const qrMatrices = new QrMatrices();
    const noWords = await measure(4 * sample, (i) => renderDocumentPdf({ ...input(i), fontDir, fonts: parsedOnce, qrMatrices }));
    line(`one thread, fonts parsed once, no word layouts kept (${4 * sample} measured, scaled)`, batch, noWords.ms, noWords.cpu);
    const inThread = new InThreadRenderer(fontDir);
    const now = await measure(4 * sample, (i) => inThread.render(input(i)));
    line(`now: one thread, fonts parsed once, word layouts kept (${4 * sample} measured, scaled)`, batch, now.ms, now.cpu);
    const words = await loadPdfFonts(fontDir);
    for (let i = 0; i < sample; i += 1) await renderDocumentPdf({ ...input(i), fontDir, fonts: words, qrMatrices });

    // Warm every worker (fonts parsed, code compiled) before the clock starts.
    await Promise.all(Array.from({ length: cores * 2 }, (_, i) => pool.render(input(batch + i))));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const pdfs = await Promise.all(Array.from({ length: batch }, (_, i) => pool.render(input(i))));
    const pooled = performance.now() - start;
    const pooledCpu = cpuMs(cpu);
    line(`now: ${cores} worker threads, fonts parsed once and word layouts kept per worker`, batch, pooled, pooledCpu);
    const projected = pooledCpu / goalCores;
    const met = (ms: number): string => (ms < goalMs ? 'met' : 'not met');
    note(
      `Goal: ${batch.toLocaleString('en')} invoices in under ${goalMs / 1000} s on ${goalCores} cores — measured ${(pooled / 1000).toFixed(1)} s wall on ` +
        `${cores} cores (load average ${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end` +
        `${loadAtStart > 1 ? ': a busy machine, so not the idle figure' : ''}): ` +
        `${cores === goalCores ? met(pooled) : `not measured on ${goalCores} cores`}; ` +
        `projected on ${goalCores} idle cores from the CPU time (${(pooledCpu / batch).toFixed(1)} ms per invoice, every thread counted): ` +
        `${(projected / 1000).toFixed(1)} s, ${met(projected)}. Issue 16 was filed at about ${issueMedianMs} ms per invoice on one core ` +
        `(${issueMedianMs} s for the batch). ${sample} documents rendered with the word layouts kept took ` +
        `${wordLayoutHits(words)} word layouts from the cache (the batch cycles through the ${invoices.length} demo invoices: ` +
        'most words repeat, as labels, the company’s own details and regular partners do in a real month).',
    );
    note(
      'pdfkit parsed the DejaVu fonts (their layout tables) for every document; now each thread parses them once and each document ' +
        'gets only its own glyph cache and subset. Each thread also keeps the layouts of the last 5,000 words per font (fontkit ' +
        'shaping, GSUB/GPOS), so a word met in an earlier invoice is not shaped again; output byte for byte the same either way ' +
        '(tests/integration/services/export/pdf-fonts.test.ts). Intl formatters are built once per language. Rendering of a ' +
        'batch (sending/batch-service.ts) keeps the pool busy; the app starts one worker per core. CPU s is process.cpuUsage() ' +
        'of the whole process (every worker and the main thread) over the measured documents.',
    );
    expect(pdfs.every((pdf) => pdf.subarray(0, 5).toString('latin1') === '%PDF-')).toBe(true);
  }, 600_000);
});
