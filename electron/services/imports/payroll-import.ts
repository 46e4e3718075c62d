/**
 * Payroll into one company: one multi-page PDF with every payslip of a month, or a folder of one PDF per
 * employee. `analysePayroll` reads the pages' text (slow, async); `planPayroll` applies the company's
 * rule and says what each payslip becomes (sync, cheap: the preview recomputes it when the user edits the
 * rule); `buildPayslipPdfs` cuts the PDFs; `commitPayroll` writes the documents in one transaction.
 *
 * Each payslip becomes a document of kind `payslip` of its employee with the pay period, no lines, and
 * its PDF kept as the document's original (`document_originals`, kind `pdf`): export and bulk sending
 * then send exactly these pages, protected by the employee's payslip password like every payslip.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { PayrollSamplePage } from '../../../shared/import-desk';
import { integer, text } from '../documents/rows';
import { PdfReadError, readPdfPages, type PdfProblemCode } from './pdf-text';
import { detectPeriod, keyOfPage, suggestRule, type PayrollRule } from './payroll-rule';
import { buildGroupPdfs, groupPages, matchEmployees, type EmployeeRef, type PageGroup } from './payroll-split';

/** A PDF as given by the user. */
export interface PayrollSource {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The read text of the given PDFs; a PDF that cannot be read carries its problem instead. */
export interface PayrollAnalysis {
  readonly files: readonly {
    readonly source: PayrollSource;
    readonly pages: readonly string[] | null;
    readonly problem: PdfProblemCode | null;
  }[];
}

/** What a payslip of the preview becomes. */
export type PayslipAction = 'create' | 'duplicate' | 'unmatched' | 'unassigned';

/** One payslip of the preview. */
export interface PayslipPlanItem {
  readonly file: string;
  readonly firstPage: number;
  readonly pageCount: number;
  /** The personal number or name read from the pages. */
  readonly key: string | null;
  readonly employeeId: number | null;
  readonly employeeName: string;
  readonly number: string;
  readonly action: PayslipAction;
}

/** The preview of a payroll import. */
export interface PayrollPlan {
  readonly companyId: number;
  readonly rule: PayrollRule;
  /** Whether `rule` is the one the user confirmed for the company (else it is a suggestion to confirm). */
  readonly ruleConfirmed: boolean;
  /** `YYYY-MM`: given, else read from the first page; null when neither says. */
  readonly period: string | null;
  /** The first pages with the key the rule reads on each: what the user confirms the rule on. */
  readonly samplePages: readonly PayrollSamplePage[];
  readonly payslips: readonly PayslipPlanItem[];
  readonly unreadable: readonly { readonly file: string; readonly problem: PdfProblemCode }[];
}

/** Reads every page of every PDF. */
export async function analysePayroll(sources: readonly PayrollSource[]): Promise<PayrollAnalysis> {
  const files: PayrollAnalysis['files'][number][] = [];
  for (const source of sources) {
    try {
      files.push({ source, pages: await readPdfPages(source.bytes), problem: null });
    } catch (error) {
      if (!(error instanceof PdfReadError)) throw error;
      files.push({ source, pages: null, problem: error.code });
    }
  }
  return { files };
}

/**
 * The employees of a company, as the matcher needs them: the personal number from its own column
 * (migration 17), else from `registration_number`, where employees written before it keep it.
 */
export function listEmployees(db: DatabaseSync, companyId: number): EmployeeRef[] {
  return db
    .prepare(
      `SELECT id, name, CASE WHEN personal_number <> '' THEN personal_number ELSE registration_number END AS personal_number
         FROM partners WHERE company_id = ? AND kind = 'employee' ORDER BY id`,
    )
    .all(companyId)
    .map((row) => ({ id: integer(row, 'id'), name: text(row, 'name'), personalNumber: text(row, 'personal_number') }));
}

/** What to plan with. */
export interface PayrollPlanInput {
  readonly companyId: number;
  /** The rule to use; the company's confirmed rule, else a suggestion from the first page, when absent. */
  readonly rule?: PayrollRule | undefined;
  readonly confirmedRule: PayrollRule | null;
  readonly period?: string | undefined;
}

const samplePageCount = 6;

/** Applies the rule and says what each payslip becomes; writes nothing. */
export function planPayroll(db: DatabaseSync, analysis: PayrollAnalysis, input: PayrollPlanInput): PayrollPlan {
  const readable = analysis.files.filter((file) => file.pages !== null);
  const firstPage = readable[0]?.pages?.[0] ?? '';
  const rule = input.rule ?? input.confirmedRule ?? suggestRule(firstPage);
  const period = input.period ?? detectPeriod(firstPage);
  const employees = listEmployees(db, input.companyId);
  const names = employees.map((employee) => employee.name);
  const existingNumbers = new Set(
    db
      .prepare('SELECT number FROM documents WHERE company_id = ?')
      .all(input.companyId)
      .map((row) => text(row, 'number')),
  );
  const samplePages: PayrollPlan['samplePages'][number][] = [];
  const payslips: PayslipPlanItem[] = [];
  for (const file of readable) {
    const pages = file.pages ?? [];
    const keys = pages.map((page) => keyOfPage(page, rule, names));
    for (const [page, key] of keys.entries()) {
      if (samplePages.length < samplePageCount) {
        samplePages.push({ file: file.source.name, page, key, excerpt: (pages[page] ?? '').slice(0, 400) });
      }
    }
    // A folder of one PDF per employee: the whole file is one payslip, whoever its first key names.
    const groups: PageGroup[] =
      readable.length > 1
        ? [{ key: keys.find((key) => key !== null) ?? null, firstPage: 0, pageCount: pages.length }]
        : groupPages(keys);
    for (const group of matchEmployees(groups, rule, employees)) {
      const employee = group.employee;
      const number = employee && period ? payslipNumber(period, employee) : '';
      const action: PayslipAction =
        group.key === null ? 'unassigned' : !employee ? 'unmatched' : existingNumbers.has(number) ? 'duplicate' : 'create';
      if (action === 'create') existingNumbers.add(number);
      payslips.push({
        file: file.source.name,
        firstPage: group.firstPage,
        pageCount: group.pageCount,
        key: group.key,
        employeeId: employee?.id ?? null,
        employeeName: employee?.name ?? '',
        number,
        action,
      });
    }
  }
  const unreadable = analysis.files.flatMap((file) =>
    file.problem === null ? [] : [{ file: file.source.name, problem: file.problem }],
  );
  return {
    companyId: input.companyId,
    rule,
    ruleConfirmed: input.confirmedRule !== null && sameRule(rule, input.confirmedRule),
    period,
    samplePages,
    payslips,
    unreadable,
  };
}

function sameRule(a: PayrollRule, b: PayrollRule): boolean {
  return a.by === b.by && a.label === b.label;
}

/** `VL-2026-11-0042`: the period and the personal number (else the employee's id). */
export function payslipNumber(period: string, employee: EmployeeRef): string {
  const id = employee.personalNumber.trim() !== '' ? employee.personalNumber.trim() : `P${String(employee.id)}`;
  return `VL-${period}-${id}`;
}

/**
 * Cuts the PDF of every payslip the plan creates: pages of a multi-page payroll, or the employee's own
 * file unchanged when it is one file per employee. Returns them in the order of the plan's `create` items.
 */
export async function buildPayslipPdfs(analysis: PayrollAnalysis, plan: PayrollPlan): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const file of analysis.files) {
    const items = plan.payslips.filter((item) => item.file === file.source.name && item.action === 'create');
    if (items.length === 0) continue;
    if (items.length === 1 && items[0]?.firstPage === 0 && items[0].pageCount === file.pages?.length) {
      out.push(file.source.bytes);
      continue;
    }
    await buildGroupPdfs(file.source.bytes, items, (_group, pdf) => {
      out.push(pdf);
    });
  }
  return out;
}

/** Per-company facts a commit needs. */
export interface PayrollCommitOptions {
  readonly currency: string;
  /** Epoch ms of the import. */
  readonly now: number;
  /** Runs inside the transaction after the documents are written (the watched folder's ledger). */
  readonly inTransaction?: (documentIds: readonly number[]) => void;
}

/**
 * Writes one document per `create` item with its PDF, in one transaction. Items whose number exists by
 * now (another desk imported the same month meanwhile) are skipped, never written twice.
 */
export function commitPayroll(
  db: DatabaseSync,
  plan: PayrollPlan,
  pdfs: readonly Uint8Array[],
  options: PayrollCommitOptions,
): number[] {
  const items = plan.payslips.filter((item) => item.action === 'create');
  if (items.length !== pdfs.length) throw new Error('commitPayroll: one PDF per created payslip is needed.');
  const period = plan.period ?? '';
  const issueDate = period === '' ? new Date(options.now).toISOString().slice(0, 10) : lastDayOf(period);
  db.exec('BEGIN IMMEDIATE');
  try {
    const exists = db.prepare('SELECT 1 FROM documents WHERE company_id = ? AND number = ?');
    const insert = db.prepare(
      `INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
         variable_symbol, period, related_number, note, source, source_file, imported_at)
       VALUES (?, 'payslip', ?, ?, ?, ?, ?, ?, '', ?, '', '', 'payroll', ?, ?)`,
    );
    const original = db.prepare("INSERT INTO document_originals (document_id, kind, bytes, sha256) VALUES (?, 'pdf', ?, ?)");
    const ids: number[] = [];
    items.forEach((item, index) => {
      const pdf = pdfs[index];
      if (!pdf || item.employeeId === null || exists.get(plan.companyId, item.number)) return;
      const result = insert.run(
        plan.companyId,
        item.number,
        item.employeeId,
        issueDate,
        issueDate,
        issueDate,
        options.currency,
        period,
        item.file,
        options.now,
      );
      const id = Number(result.lastInsertRowid);
      original.run(id, pdf, createHash('sha256').update(pdf).digest('hex'));
      ids.push(id);
    });
    options.inTransaction?.(ids);
    db.exec('COMMIT');
    return ids;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number);
  const last = new Date(Date.UTC(year ?? 1970, month ?? 1, 0));
  return last.toISOString().slice(0, 10);
}
