/**
 * `kurier import` for partner lists (`.csv`) and payroll PDFs (PDFs without an embedded ISDOC). Both go
 * into one company, so they need `--company` unless Kurier holds a single company. A partner list is
 * read with the mapping the user last confirmed in the app for that company (else the one guessed from
 * its header); payroll is split with the company's confirmed rule, and is refused (exit 1) until the
 * rule is confirmed in the app's payroll preview.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { CompanyRecord } from '../../shared/domain';
import type { StagedFile } from '../../shared/import-desk';
import { KurierError } from '../../shared/errors';
import type { DocumentRepository } from '../services/documents/document-repository';
import type { ImportStaging } from '../services/imports/import-desk';
import { ImportSettingsRepository } from '../services/imports/import-settings';
import { PartnerDesk } from '../services/imports/partner-desk';
import { PayrollDesk } from '../services/imports/payroll-desk';

/** What the extras need from the command. */
export interface ExtrasContext {
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly staging: ImportStaging;
  readonly company: CompanyRecord | undefined;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Thrown when the files need a company and none was named (exit 2). */
export class CompanyNeeded extends Error {}

function targetCompany(context: ExtrasContext): CompanyRecord {
  if (context.company) return context.company;
  const all = context.documents.companies.list();
  const only = all.length === 1 ? context.documents.companies.get(all[0]?.id) : undefined;
  if (!only) throw new CompanyNeeded('partner lists and payroll PDFs need --company IČO/NIP (Kurier holds several companies)');
  return only;
}

/** Imports (or, with --dry-run, plans) partner lists; returns true when every row was imported. */
export function importPartnerFiles(context: ExtrasContext, files: readonly StagedFile[]): boolean {
  if (files.length === 0) return true;
  const company = targetCompany(context);
  const desk = new PartnerDesk({ db: context.db, settings: new ImportSettingsRepository(context.db), staging: context.staging });
  let complete = true;
  for (const file of files) {
    const preview = desk.plan(company.id, file.sourceId);
    const rows = context.dryRun ? preview.rows : desk.commit(company.id, file.sourceId, preview.mapping, false).rows;
    for (const row of rows) {
      if (row.action === 'refused') complete = false;
      context.out(
        context.json
          ? JSON.stringify({
              ...(context.dryRun ? { dryRun: true } : {}),
              kind: 'partner',
              fileName: file.name,
              company: company.name,
              ...row,
            })
          : `${context.dryRun ? 'would ' : ''}${row.action}  ${file.name}:${String(row.line)}  ${row.name}${row.problems.length > 0 ? `  (${row.problems.map((p) => `${p.code} ${p.value}`).join('; ')})` : ''}`,
      );
    }
  }
  return complete;
}

/** Imports (or plans) payroll PDFs with the company's confirmed rule; returns true when every payslip was imported. */
export async function importPayrollFiles(context: ExtrasContext, files: readonly StagedFile[]): Promise<boolean> {
  if (files.length === 0) return true;
  const company = targetCompany(context);
  const settings = new ImportSettingsRepository(context.db);
  const rule = settings.get(company.id).payrollRule;
  if (rule === null) {
    context.err(
      `kurier: no payroll rule is confirmed for ${company.name} yet: open Import… in the app with one payroll PDF, check the preview and choose "Confirm the rule"; then run this again.`,
    );
    for (const file of files) {
      context.out(
        context.json
          ? JSON.stringify({ kind: 'payroll', fileName: file.name, status: 'rejected', reason: 'payrollRuleUnconfirmed' })
          : `rejected  ${file.name}  (payrollRuleUnconfirmed)`,
      );
    }
    return false;
  }
  const desk = new PayrollDesk({ db: context.db, settings, staging: context.staging });
  const sourceIds = files.map((file) => file.sourceId);
  const preview = await desk.plan({ companyId: company.id, sourceIds });
  let complete = preview.unreadable.length === 0 && preview.payslips.every((item) => item.action === 'create');
  for (const file of preview.unreadable) {
    context.out(
      context.json
        ? JSON.stringify({ kind: 'payroll', fileName: file.file, status: 'rejected', reason: `pdf.${file.problem}` })
        : `rejected  ${file.file}  (pdf ${file.problem})`,
    );
  }
  let created = new Set<string>();
  if (!context.dryRun) {
    try {
      const outcome = await desk.commit({ companyId: company.id, sourceIds });
      created = new Set(outcome.created.map((item) => item.number));
    } catch (error) {
      if (!(error instanceof KurierError) || error.code !== 'import.payrollNoPeriod') throw error;
      context.err('kurier: no pay period (month and year) was found on the first page of the payroll; nothing was imported.');
      return false;
    }
  }
  for (const item of preview.payslips) {
    const status = context.dryRun
      ? item.action
      : created.has(item.number)
        ? 'imported'
        : item.action === 'create'
          ? 'duplicate'
          : item.action;
    if (!context.dryRun && status !== 'imported') complete = false;
    context.out(
      context.json
        ? JSON.stringify({
            ...(context.dryRun ? { dryRun: true } : {}),
            kind: 'payslip',
            fileName: item.file,
            company: company.name,
            pages: [item.firstPage + 1, item.firstPage + item.pageCount],
            key: item.key,
            employee: item.employeeName,
            number: item.number,
            status,
          })
        : `${context.dryRun ? 'would ' : ''}${status}  ${item.file}:${String(item.firstPage + 1)}-${String(item.firstPage + item.pageCount)}  ${item.number || item.key || ''}  ${item.employeeName}`,
    );
  }
  return complete;
}
