import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { computeTotals, documentKinds } from '../../../../shared/domain';

const clock = (): Date => new Date('2026-12-15T09:30:00Z');
let dir: string;
let db: DatabaseSync;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-docs-'));
  db = openDatabase(join(dir, 'kurier.sqlite'));
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function count(table: string): number {
  return Number(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.['n']);
}

describe('seedDemoCompany + DocumentRepository', () => {
  it('seeds a Czech company with bank account and IBAN', () => {
    expect(seedDemoCompany(db, clock)).toBe(true);
    const company = new DocumentRepository(db).getCompany();
    expect(company.address.country).toBe('CZ');
    expect(company.registrationNumber).toMatch(/^\d{8}$/);
    expect(company.taxId).toBe(`CZ${company.registrationNumber}`);
    expect(company.bankAccount).toMatch(/^\d{1,10}\/\d{4}$/);
    expect(company.iban).toMatch(/^CZ\d{22}$/);
  });

  it('seeds partners with every hard Czech and Polish letter, reserved e-mail domains and employees', () => {
    seedDemoCompany(db, clock);
    const partners = new DocumentRepository(db).listPartners();
    expect(partners.length).toBeGreaterThanOrEqual(10);
    const text = partners
      .flatMap((p) => [p.name, p.contactPerson, p.address.street, p.address.city])
      .join(' ')
      .toLowerCase();
    for (const letter of ['ř', 'ů', 'č', 'ě', 'ž', 'ł', 'ś', 'ą', 'ę', 'ż', 'ź', 'ń', 'ó']) {
      expect(text, `letter ${letter}`).toContain(letter);
    }
    for (const p of partners.filter((partner) => partner.email !== '')) {
      expect(p.email).toMatch(/^[a-z0-9.+-]+@[a-z0-9.-]+\.example$/);
    }
    expect(partners.some((p) => p.kind === 'business' && p.email === '')).toBe(true);
    expect(partners.some((p) => p.kind === 'employee' && p.language === 'cs')).toBe(true);
    expect(partners.some((p) => p.kind === 'employee' && p.language === 'pl')).toBe(true);
  });

  it('seeds at least 30 documents of all four kinds, newest first, with totals', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    const summaries = repository.listDocuments();
    expect(summaries.length).toBeGreaterThanOrEqual(30);
    expect(new Set(summaries.map((s) => s.kind))).toEqual(new Set(documentKinds.slice(0, 4)));
    expect(new Set(summaries.map((s) => s.currency))).toEqual(new Set(['CZK', 'PLN', 'EUR']));
    const dates = summaries.map((s) => s.issueDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates.every((d) => d <= '2026-12-15')).toBe(true);
    for (const summary of summaries) {
      const document = repository.getDocument(summary.id)!;
      expect(summary.totalMinor).toBe(computeTotals(document.lines).totalMinor);
      expect(summary.partnerName).toBe(repository.getPartner(summary.partnerId)?.name);
    }
  });

  it('numbers documents by kind and links credit notes and reminders to invoices', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    const documents = repository.listDocuments().map((s) => repository.getDocument(s.id)!);
    const invoiceNumbers = new Set(documents.filter((d) => d.kind === 'invoice').map((d) => d.number));
    expect(invoiceNumbers).toContain('FV-2026-0001');
    for (const d of documents) {
      if (d.kind === 'invoice') expect(d.number).toMatch(/^FV-\d{4}-\d{4}$/);
      if (d.kind === 'creditNote' || d.kind === 'paymentReminder') {
        expect(d.number).toMatch(d.kind === 'creditNote' ? /^DB-\d{4}-\d{4}$/ : /^UP-\d{4}-\d{4}$/);
        expect(invoiceNumbers).toContain(d.relatedNumber);
      }
      if (d.kind === 'payslip') {
        expect(d.number).toMatch(/^VL-\d{4}-\d{2}-\d{3}$/);
        expect(d.number.startsWith(`VL-${d.period}-`)).toBe(true);
      }
    }
    expect(documents.find((d) => d.number === 'VL-2026-11-003')?.period).toBe('2026-11');
  });

  it('returns payslip lines whose total is the net pay', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    const summary = repository.listDocuments().find((s) => s.kind === 'payslip')!;
    const payslip = repository.getDocument(summary.id)!;
    const [gross, ...deductions] = payslip.lines;
    expect(gross!.unitPriceMinor).toBeGreaterThan(0);
    expect(deductions).toHaveLength(3);
    expect(deductions.every((l) => l.unitPriceMinor < 0 && l.vatRatePercent === 0)).toBe(true);
    expect(summary.totalMinor).toBe(gross!.unitPriceMinor + deductions.reduce((s, l) => s + l.unitPriceMinor, 0));
    expect(summary.totalMinor).toBeLessThan(gross!.unitPriceMinor);
  });

  it('getDocument returns the lines in order; unknown ids give undefined', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    const invoice = repository.listDocuments().find((s) => s.number === 'FV-2026-0001')!;
    const document = repository.getDocument(invoice.id)!;
    expect(document.lines.length).toBeGreaterThanOrEqual(2);
    expect(document.lines[0]!.description).not.toBe('');
    expect(repository.getDocument(999_999)).toBeUndefined();
    expect(repository.getPartner(999_999)).toBeUndefined();
  });

  it('adds nothing when seeded twice and is deterministic for a clock', () => {
    expect(seedDemoCompany(db, clock)).toBe(true);
    const before = [count('companies'), count('partners'), count('documents'), count('document_lines')];
    expect(seedDemoCompany(db, clock)).toBe(false);
    expect([count('companies'), count('partners'), count('documents'), count('document_lines')]).toEqual(before);

    const other = openDatabase(join(dir, 'other.sqlite'));
    try {
      seedDemoCompany(other, clock);
      expect(new DocumentRepository(other).listDocuments()).toEqual(new DocumentRepository(db).listDocuments());
    } finally {
      other.close();
    }
  });

  it('seeds two demo companies: a Czech one and a Polish one whose partners are Polish and invoices in PLN', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    const companies = repository.companies.list();
    expect(companies.map((c) => [c.country, c.isDemo])).toEqual(
      expect.arrayContaining([
        ['CZ', true],
        ['PL', true],
      ]),
    );
    expect(companies).toHaveLength(2);
    const polish = companies.find((c) => c.country === 'PL')!;
    const polishPartners = repository.listPartners(polish.id);
    expect(polishPartners.length).toBeGreaterThan(0);
    expect(polishPartners.every((p) => p.address.country === 'PL')).toBe(true);
    const polishInvoices = repository.listDocuments({ companyId: polish.id }).filter((d) => d.kind === 'invoice');
    expect(polishInvoices.length).toBeGreaterThan(0);
    expect(polishInvoices.every((d) => d.currency === 'PLN' && d.companyName === polish.name)).toBe(true);
    const czech = companies.find((c) => c.country === 'CZ')!;
    expect(repository.listDocuments({ companyId: czech.id }).some((d) => d.currency === 'PLN' && d.kind === 'invoice')).toBe(
      false,
    );
  });

  it('removes the demo companies with all they own, and does not seed them again', () => {
    seedDemoCompany(db, clock);
    const repository = new DocumentRepository(db);
    expect(repository.companies.removeDemo()).toBe(2);
    expect([count('companies'), count('partners'), count('documents'), count('document_lines')]).toEqual([0, 0, 0, 0]);
    expect(seedDemoCompany(db, clock)).toBe(false);
    expect(count('companies')).toBe(0);
  });

  it('throws a clear error when the company is missing', () => {
    expect(() => new DocumentRepository(db).getCompany()).toThrow(/company/);
  });
});
