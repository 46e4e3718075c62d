import { describe, expect, it } from 'vitest';
import { readPdfPages } from '../../../../electron/services/imports/pdf-text';
import {
  analysePayroll,
  buildPayslipPdfs,
  commitPayroll,
  planPayroll,
} from '../../../../electron/services/imports/payroll-import';
import { addEmployee, importDatabase } from '../../../support/import-db';
import { renderPayrollPdf, type PayrollEntry } from '../../../support/payroll-pdf';

const names = ['Kateřina Nováčková', 'Jiří Růžička', 'Žofie Šťastná', 'Łukasz Żółć', 'Ondřej Kříž', 'Zdeňka Hůlková'];
const pageCounts = [2, 1, 3, 1, 2, 3, 1, 2, 2, 3, 2, 1, 3, 2, 1, 2, 3, 1, 2, 3];
const entries: PayrollEntry[] = pageCounts.map((pages, i) => ({
  personalNumber: String(501 + i),
  name: `${names[i % names.length] ?? ''} ${String(i)}`,
  pages,
}));

describe('payroll into a company', () => {
  it('makes one payslip document per employee with its own pages, lists the unmatched, and skips a second import', async () => {
    expect(pageCounts.reduce((a, b) => a + b, 0)).toBe(40);
    const { db, companyId } = await importDatabase();
    // Every employee but the last is known to the company.
    const ids = entries.slice(0, -1).map((entry) => addEmployee(db, companyId, entry.name, entry.personalNumber));
    const source = { name: 'mzdy-2026-11.pdf', bytes: await renderPayrollPdf(entries) };
    const analysis = await analysePayroll([source]);
    const plan = planPayroll(db, analysis, { companyId, confirmedRule: null });
    expect(plan.ruleConfirmed).toBe(false);
    expect(plan.rule).toEqual({ by: 'personalNumber', label: 'Osobní číslo' });
    expect(plan.period).toBe('2026-11');
    expect(plan.samplePages.slice(0, 3).map((page) => page.key)).toEqual(['501', null, '502']);
    expect(plan.payslips.map((item) => item.action)).toEqual([...ids.map(() => 'create'), 'unmatched']);
    expect(plan.payslips.at(-1)).toMatchObject({ key: '520', employeeId: null, pageCount: 3 });

    const pdfs = await buildPayslipPdfs(analysis, plan);
    const created = commitPayroll(db, plan, pdfs, { currency: 'CZK', now: Date.parse('2026-12-01T08:00:00Z') });
    expect(created).toHaveLength(19);

    const rows = db
      .prepare(
        `SELECT d.number, d.kind, d.period, d.partner_id, d.issue_date, d.source, d.source_file, o.bytes
           FROM documents d JOIN document_originals o ON o.document_id = d.id AND o.kind = 'pdf'
          WHERE d.company_id = ? ORDER BY d.id`,
      )
      .all(companyId);
    expect(rows.map((row) => row['partner_id'])).toEqual(ids);
    expect(rows[0]).toMatchObject({
      number: 'VL-2026-11-501',
      kind: 'payslip',
      period: '2026-11',
      issue_date: '2026-11-30',
      source: 'payroll',
      source_file: 'mzdy-2026-11.pdf',
    });
    for (const [i, row] of rows.entries()) {
      const pages = await readPdfPages(row['bytes'] as Uint8Array);
      expect(pages).toHaveLength(pageCounts[i] ?? 0);
      expect(pages[0]).toContain(`Osobní číslo: ${entries[i]?.personalNumber ?? ''}`);
    }

    // The same file again: nothing new, every payslip a duplicate.
    const again = planPayroll(db, analysis, { companyId, confirmedRule: plan.rule });
    expect(again.ruleConfirmed).toBe(true);
    expect(again.payslips.filter((item) => item.action === 'create')).toEqual([]);
    expect(again.payslips.filter((item) => item.action === 'duplicate')).toHaveLength(19);
  });

  it('takes a folder of one PDF per employee as it is, and names an encrypted file', async () => {
    const { db, companyId } = await importDatabase();
    const anna = addEmployee(db, companyId, 'Anna Dvořáková', '7');
    const sources = [
      { name: 'dvorakova.pdf', bytes: await renderPayrollPdf([{ personalNumber: '0007', name: 'Anna Dvořáková', pages: 2 }]) },
      {
        name: 'tajna.pdf',
        bytes: await renderPayrollPdf([{ personalNumber: '8', name: 'Petr Tajný', pages: 1 }], { userPassword: 'x' }),
      },
    ];
    const analysis = await analysePayroll(sources);
    const plan = planPayroll(db, analysis, { companyId, confirmedRule: null, period: '2026-10' });
    expect(plan.unreadable).toEqual([{ file: 'tajna.pdf', problem: 'encrypted' }]);
    expect(plan.payslips).toMatchObject([
      { file: 'dvorakova.pdf', pageCount: 2, employeeId: anna, action: 'create', number: 'VL-2026-10-7' },
    ]);
    const pdfs = await buildPayslipPdfs(analysis, plan);
    expect(Buffer.from(pdfs[0] ?? []).equals(sources[0]?.bytes ?? Buffer.alloc(0))).toBe(true);
    commitPayroll(db, plan, pdfs, { currency: 'CZK', now: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM documents WHERE kind = 'payslip'").get()).toEqual({ n: 1 });
  });
});
