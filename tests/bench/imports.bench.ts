/**
 * Issue 15's import measurements: 1,000 ISDOC files through import-core's plan → commit (from a folder,
 * as the import dialog and the command line do) and a 1,000-page payroll PDF split per employee into
 * payslip documents. Time and peak memory (maxRSS from process.resourceUsage, in this forked worker);
 * reported, never asserted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/services/data/database';
import { CompanyRepository } from '../../electron/services/documents/company-repository';
import { DocumentRepository } from '../../electron/services/documents/document-repository';
import { ImportService } from '../../electron/services/imports/import-service';
import { analysePayroll, buildPayslipPdfs, commitPayroll, planPayroll } from '../../electron/services/imports/payroll-import';
import { payrollEntries, renderPayrollPdf } from '../support/payroll-pdf';
import { isdocInvoice } from './isdoc-sample';
import { note, row, startTable } from './measure';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const maxRssMiB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; heapPeak: number }> {
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 20);
  const start = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - start, heapPeak: Math.max(heapPeak, process.memoryUsage().heapUsed) };
  } finally {
    clearInterval(sampler);
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'kurier-bench-imports-'));

startTable('Imports (issue 15)', ['benchmark', 'items', 'total s', 'per item ms', 'heap peak MiB', 'max RSS MiB']);

describe('imports', () => {
  it('imports 1,000 ISDOC files', async () => {
    const db = openDatabase(path.join(dir, 'isdoc.sqlite'));
    const companies = new CompanyRepository(db);
    companies.create({
      name: 'Dodavatel s.r.o.',
      address: { street: 'Husova 5', city: 'Brno', postalCode: '602 00', country: 'CZ' },
      registrationNumber: '25596641',
      taxId: 'CZ25596641',
      email: '',
      phone: '',
      bankAccount: '',
      iban: '',
    });
    const folder = path.join(dir, 'isdoc');
    await mkdir(folder);
    for (let n = 1; n <= 1000; n++)
      await writeFile(path.join(folder, `FV-${String(n)}.isdoc`), isdocInvoice(n, { ico: '25596641', name: 'Dodavatel s.r.o.' }));
    const service = new ImportService({ db, documents: new DocumentRepository(db), clock: () => new Date() });
    const planned = await timed(() => service.planPaths([folder]));
    const committed = await timed(() => Promise.resolve(service.commit(planned.value.planId, false)));
    // Reported, not asserted: a run where import-core refuses the files still shows how many got in.
    const refused = committed.value.items.find((item) => item.status === 'rejected');
    if (refused)
      note(`ISDOC: ${String(committed.value.imported)} of 1,000 imported; first refusal: ${JSON.stringify(refused.reason)}`);
    expect(committed.value.items).toHaveLength(1000);
    const total = planned.ms + committed.ms;
    row([
      '1,000 ISDOC files: plan (read, parse, match)',
      1000,
      (planned.ms / 1000).toFixed(2),
      (planned.ms / 1000).toFixed(2),
      mib(planned.heapPeak),
      maxRssMiB(),
    ]);
    row([
      '1,000 ISDOC files: commit (one transaction each)',
      1000,
      (committed.ms / 1000).toFixed(2),
      (committed.ms / 1000).toFixed(2),
      mib(committed.heapPeak),
      maxRssMiB(),
    ]);
    row([
      '1,000 ISDOC files: plan + commit',
      1000,
      (total / 1000).toFixed(2),
      (total / 1000).toFixed(2),
      mib(Math.max(planned.heapPeak, committed.heapPeak)),
      maxRssMiB(),
    ]);
    db.close();
  }, 600_000);

  it('splits a 1,000-page payroll PDF', async () => {
    const db = openDatabase(path.join(dir, 'payroll.sqlite'));
    const companyId = new CompanyRepository(db).create({
      name: 'Mzdy s.r.o.',
      address: { street: '', city: '', postalCode: '', country: 'CZ' },
      registrationNumber: '25596641',
      taxId: '',
      email: '',
      phone: '',
      bankAccount: '',
      iban: '',
    });
    const entries = payrollEntries(1000, ['Kateřina Nováčková', 'Jiří Růžička', 'Łukasz Żółć']);
    const insert = db.prepare(
      `INSERT INTO partners (company_id, kind, name, contact_person, email, street, city, postal_code, country, registration_number, tax_id, language)
       VALUES (?, 'employee', ?, ?, '', '', '', '', 'CZ', ?, '', 'cs')`,
    );
    for (const entry of entries) insert.run(companyId, entry.name, entry.name, entry.personalNumber);
    const source = { name: 'mzdy.pdf', bytes: await renderPayrollPdf(entries) };
    const read = await timed(() => analysePayroll([source]));
    const plan = planPayroll(db, read.value, { companyId, confirmedRule: { by: 'personalNumber', label: 'Osobní číslo' } });
    const built = await timed(() => buildPayslipPdfs(read.value, plan));
    const stored = await timed(() => Promise.resolve(commitPayroll(db, plan, built.value, { currency: 'CZK', now: Date.now() })));
    expect(stored.value).toHaveLength(entries.length);
    const total = read.ms + built.ms + stored.ms;
    const people = entries.length;
    row([
      `1,000-page payroll (${mib(source.bytes.length)} MiB): read page text`,
      1000,
      (read.ms / 1000).toFixed(2),
      (read.ms / 1000).toFixed(2),
      mib(read.heapPeak),
      maxRssMiB(),
    ]);
    row([
      `… split into ${String(people)} payslip PDFs`,
      people,
      (built.ms / 1000).toFixed(2),
      (built.ms / people).toFixed(2),
      mib(built.heapPeak),
      maxRssMiB(),
    ]);
    row([
      `… store ${String(people)} payslip documents`,
      people,
      (stored.ms / 1000).toFixed(2),
      (stored.ms / people).toFixed(2),
      mib(stored.heapPeak),
      maxRssMiB(),
    ]);
    row([
      '1,000-page payroll: total',
      1000,
      (total / 1000).toFixed(2),
      (total / 1000).toFixed(2),
      mib(Math.max(read.heapPeak, built.heapPeak, stored.heapPeak)),
      maxRssMiB(),
    ]);
    note(
      'Heap peak is sampled every 20 ms during each step; max RSS is the worker process high-water mark so far (process.resourceUsage().maxRSS), so it only grows down the table. Payroll: employees with 1, 2 or 3 pages in turn, pages rendered by pdfkit with DejaVu Sans; the PDFs are cut with @cantoo/pdf-lib copyPages from one parsed source.',
    );
    db.close();
  }, 600_000);
});
