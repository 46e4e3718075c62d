/**
 * The payroll preview and commit as the import dialog and the command line use them: the pages of the
 * kept PDFs are read once, the preview applies the company's confirmed rule (or a suggested one, or the
 * one the user is editing), the user confirms the rule once per company, and only then are payslips
 * written. After confirmation the company's watched folder takes payroll PDFs too (`inbox-service.ts`).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { PayrollOutcome, PayrollPreview, PayrollRuleView } from '../../../shared/import-desk';
import { KurierError } from '../../../shared/errors';
import { text } from '../documents/rows';
import type { ImportStaging } from './import-desk';
import type { ImportSettingsRepository } from './import-settings';
import {
  analysePayroll,
  buildPayslipPdfs,
  commitPayroll,
  listEmployees,
  planPayroll,
  type PayrollAnalysis,
  type PayrollPlan,
} from './payroll-import';

/** What the payroll desk needs. */
export interface PayrollDeskOptions {
  readonly db: DatabaseSync;
  readonly settings: ImportSettingsRepository;
  readonly staging: ImportStaging;
  readonly now?: () => number;
}

/** A payroll request: the company, the kept PDFs, and optionally the rule being edited and the period. */
export interface PayrollRequest {
  readonly companyId: number;
  readonly sourceIds: readonly string[];
  readonly rule?: PayrollRuleView | undefined;
  readonly period?: string | undefined;
}

/** Plans, confirms and commits payroll PDFs kept in the staging. */
export class PayrollDesk {
  readonly #o: PayrollDeskOptions;

  constructor(options: PayrollDeskOptions) {
    this.#o = options;
  }

  /** The preview: each payslip's employee, the unmatched, and the employees without a payslip. */
  async plan(request: PayrollRequest): Promise<PayrollPreview> {
    const { plan } = await this.#plan(request);
    const confirmedRule = this.#o.settings.get(request.companyId).payrollRule;
    const matched = new Set(plan.payslips.map((item) => item.employeeName).filter((name) => name !== ''));
    return {
      companyId: plan.companyId,
      rule: plan.rule,
      ruleConfirmed: plan.ruleConfirmed,
      confirmedRule,
      period: plan.period,
      samplePages: plan.samplePages,
      payslips: plan.payslips.map((item) => ({
        file: item.file,
        firstPage: item.firstPage,
        pageCount: item.pageCount,
        key: item.key,
        employeeName: item.employeeName,
        number: item.number,
        action: item.action,
      })),
      employeesWithout: listEmployees(this.#o.db, request.companyId)
        .map((employee) => employee.name)
        .filter((name) => !matched.has(name)),
      unreadable: plan.unreadable,
    };
  }

  /** Stores `rule` as the company's payroll rule (its watched folder splits payroll with it from now on). */
  confirmRule(companyId: number, rule: PayrollRuleView): void {
    this.#company(companyId);
    this.#o.settings.update(companyId, { payrollRule: { by: rule.by, label: rule.label.trim() } });
  }

  /**
   * Writes a payslip document per matched employee with the company's confirmed rule.
   * @throws KurierError `import.payrollRuleUnconfirmed` before the rule is confirmed,
   *   `import.payrollNoPeriod` when neither the pages nor the request give the month.
   */
  async commit(request: Omit<PayrollRequest, 'rule'>): Promise<PayrollOutcome> {
    const confirmed = this.#o.settings.get(request.companyId).payrollRule;
    if (confirmed === null) {
      throw new KurierError('import.payrollRuleUnconfirmed', { company: this.#company(request.companyId).name });
    }
    const { plan, analysis } = await this.#plan({ ...request, rule: confirmed });
    if (plan.period === null) throw new KurierError('import.payrollNoPeriod');
    const pdfs = await buildPayslipPdfs(analysis, plan);
    const { country } = this.#company(request.companyId);
    const ids = commitPayroll(this.#o.db, plan, pdfs, {
      currency: country === 'PL' ? 'PLN' : 'CZK',
      now: (this.#o.now ?? Date.now)(),
    });
    const written = new Set(
      ids.map((id) => {
        const row = this.#o.db.prepare('SELECT number FROM documents WHERE id = ?').get(id);
        return row ? text(row, 'number') : '';
      }),
    );
    this.#o.staging.drop(request.sourceIds);
    return {
      created: plan.payslips
        .filter((item) => item.action === 'create' && written.has(item.number))
        .map((item) => ({ number: item.number, employeeName: item.employeeName })),
      skipped: plan.payslips
        .filter((item) => !(item.action === 'create' && written.has(item.number)))
        .map((item) => ({ key: item.key, action: item.action === 'create' ? 'duplicate' : item.action, number: item.number })),
    };
  }

  async #plan(request: PayrollRequest): Promise<{ plan: PayrollPlan; analysis: PayrollAnalysis }> {
    this.#company(request.companyId);
    const files: PayrollAnalysis['files'][number][] = [];
    for (const sourceId of request.sourceIds) {
      const source = this.#o.staging.get(sourceId);
      if (!source) throw new KurierError('import.sourceGone');
      // Reading the pages' text is the slow part: once per file, however often the user edits the rule.
      source.analysis ??= (await analysePayroll([{ name: source.name, bytes: source.bytes }])).files[0];
      if (source.analysis) files.push(source.analysis);
    }
    const analysis: PayrollAnalysis = { files };
    const plan = planPayroll(this.#o.db, analysis, {
      companyId: request.companyId,
      rule: request.rule,
      confirmedRule: this.#o.settings.get(request.companyId).payrollRule,
      period: request.period,
    });
    return { plan, analysis };
  }

  #company(companyId: number): { name: string; country: string } {
    const row = this.#o.db.prepare('SELECT name, country FROM companies WHERE id = ?').get(companyId);
    if (!row) throw new KurierError('input.invalid', { companyId: 'unknown' });
    return { name: text(row, 'name'), country: text(row, 'country') };
  }
}
