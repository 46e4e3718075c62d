import { describe, expect, it } from 'vitest';
import { PdfReadError, readPdfPages } from '../../../../electron/services/imports/pdf-text';
import { detectPeriod, keyOfPage, suggestRule } from '../../../../electron/services/imports/payroll-rule';
import {
  buildGroupPdfs,
  matchEmployees,
  splitByRule,
  type EmployeeRef,
} from '../../../../electron/services/imports/payroll-split';
import { renderPayrollPdf, type PayrollEntry } from '../../../support/payroll-pdf';

const names = ['Kateřina Nováčková', 'Jiří Růžička', 'Małgorzata Wójcik-Zięba', 'Ryszard Ślęzak', 'Žofie Šťastná', 'Łukasz Żółć'];

// 40 pages: employees with 1, 2 or 3 pages in an irregular order; the last one is not in the company.
const pageCounts = [1, 3, 2, 1, 1, 3, 2, 2, 3, 1, 1, 2, 3, 1, 2, 3, 1, 2, 1, 2, 3];
const entries: PayrollEntry[] = pageCounts.map((pages, i) => ({
  personalNumber: String(i + 1).padStart(4, '0'),
  name: `${names[i % names.length] ?? ''} ${String(i + 1)}`,
  pages,
}));
const employees: EmployeeRef[] = entries.slice(0, -1).map((entry, i) => ({
  id: 100 + i,
  // The company keeps personal numbers without leading zeros, and names surname first.
  personalNumber: String(Number(entry.personalNumber)),
  name: entry.name.split(' ').reverse().join(' '),
}));

describe('payroll PDF split', () => {
  it('splits a 40-page payroll per employee, keeps 1–3 pages together, and reports the unmatched one', async () => {
    expect(pageCounts.reduce((a, b) => a + b, 0)).toBe(40);
    const source = await renderPayrollPdf(entries);
    const pages = await readPdfPages(source);
    expect(pages).toHaveLength(40);

    const rule = suggestRule(pages[0] ?? '');
    expect(rule).toEqual({ by: 'personalNumber', label: 'Osobní číslo' });
    expect(detectPeriod(pages[0] ?? '')).toBe('2026-11');

    const groups = matchEmployees(splitByRule(pages, rule, employees), rule, employees);
    expect(groups.map((group) => group.pageCount)).toEqual(pageCounts);
    expect(groups.slice(0, -1).map((group) => group.employee?.id)).toEqual(employees.map((employee) => employee.id));
    expect(groups.at(-1)).toMatchObject({ key: '0021', employee: null });

    const outputs: string[][] = [];
    await buildGroupPdfs(source, groups, async (_group, pdf) => {
      outputs.push(await readPdfPages(pdf));
    });
    expect(outputs.map((output) => output.length)).toEqual(pageCounts);
    outputs.forEach((output, i) => {
      const entry = entries[i];
      expect(output[0]).toContain(`Osobní číslo: ${entry?.personalNumber ?? ''}`);
      expect(output[0]).toContain(entry?.name);
      expect(output.at(-1)).toContain(`Strana ${String(entry?.pages)}/${String(entry?.pages)}`);
      // Nobody else's personal number is on these pages.
      for (const page of output.slice(1)) expect(page).not.toContain('Osobní číslo');
    });
  });

  it('splits by name when the rule says so, with the names the company knows', async () => {
    const few = entries.slice(0, 4);
    const pages = await readPdfPages(await renderPayrollPdf(few, { headerOnEveryPage: true }));
    const byLabel = { by: 'name', label: 'Jméno a příjmení' } as const;
    expect(keyOfPage(pages[0] ?? '', byLabel)).toBe(few[0]?.name);
    const groups = matchEmployees(splitByRule(pages, byLabel, employees), byLabel, employees);
    expect(groups.map((group) => [group.pageCount, group.employee?.id])).toEqual([
      [1, 100],
      [3, 101],
      [2, 102],
      [1, 103],
    ]);
    const anywhere = { by: 'name', label: '' } as const;
    const found = matchEmployees(splitByRule(pages, anywhere, employees), anywhere, employees);
    expect(found.map((group) => group.employee?.id)).toEqual([100, 101, 102, 103]);
  });

  it('refuses encrypted and damaged PDFs with a reason', async () => {
    const encrypted = await renderPayrollPdf(entries.slice(0, 2), { userPassword: 'tajné' });
    await expect(readPdfPages(encrypted)).rejects.toMatchObject({ name: 'PdfReadError', code: 'encrypted' });
    const damaged = (await renderPayrollPdf(entries.slice(0, 2))).subarray(0, 300);
    await expect(readPdfPages(damaged)).rejects.toBeInstanceOf(PdfReadError);
    await expect(readPdfPages(Buffer.from('not a pdf at all'))).rejects.toMatchObject({ code: 'damaged' });
  });
});
