/**
 * The two imports that need the user's eyes before they commit (issue 15): a partner list in CSV (the
 * columns are mapped in a preview) and a month's payroll PDF (the split rule is confirmed once per
 * company). Files chosen or dropped for import are sorted in main: ISDOC/KSeF go to the document plan,
 * CSV files and PDFs without an embedded ISDOC are kept in main under a `sourceId` for these previews.
 */
import { z } from 'zod';
import type { ImportPlan } from './imports';

/** A file kept in main for the partner or payroll preview. */
export interface StagedFile {
  readonly sourceId: string;
  readonly name: string;
}

/** The document plan of the chosen files, plus the CSV and payroll files set aside for their own previews. */
export interface ImportChoice extends ImportPlan {
  readonly partnerFiles: readonly StagedFile[];
  readonly payrollFiles: readonly StagedFile[];
}

/** The partner fields a CSV column can fill (in the order the preview lists them). */
export const partnerCsvFields = [
  'name',
  'identifier',
  'taxId',
  'street',
  'city',
  'postalCode',
  'country',
  'email',
  'language',
  'contactPerson',
] as const;
/** One of {@link partnerCsvFields}. */
export type PartnerCsvField = (typeof partnerCsvFields)[number];

/** For each field, the index of the column that fills it, or null when no column does. */
export type PartnerCsvMapping = Readonly<Record<PartnerCsvField, number | null>>;

const column = z.number().int().min(0).max(499).nullable();

/** A mapping as the preview sends it; main also checks that no column fills two fields. */
export const partnerCsvMappingSchema = z.object(
  Object.fromEntries(partnerCsvFields.map((field) => [field, column])) as Record<PartnerCsvField, typeof column>,
);

/** Why a row cannot be imported; each code has a sentence under `inbox.partnerProblems`. */
export type PartnerCsvProblemCode =
  'missingName' | 'invalidEmail' | 'invalidIdentifier' | 'unknownLanguage' | 'unknownCountry' | 'duplicateInFile';

/** What one row does. */
export type PartnerRowAction = 'create' | 'update' | 'unchanged' | 'refused';

/** One row of the partner preview or result. */
export interface PartnerRowView {
  readonly line: number;
  readonly action: PartnerRowAction;
  readonly name: string;
  /** Partner fields the row changes (for `update`). */
  readonly changes: readonly string[];
  readonly problems: readonly { readonly code: PartnerCsvProblemCode; readonly value: string }[];
}

/** Counts of a preview or result, by action. */
export type PartnerCounts = Readonly<Record<PartnerRowAction, number>>;

/** The preview of one partner CSV for one company. */
export interface PartnerPreview {
  readonly sourceId: string;
  readonly fileName: string;
  readonly companyId: number;
  readonly encoding: 'utf-8' | 'windows-1250';
  readonly delimiter: ';' | ',';
  readonly header: readonly string[];
  /** The first data rows as they are in the file. */
  readonly sampleRows: readonly (readonly string[])[];
  readonly mapping: PartnerCsvMapping;
  /** True when the mapping is the one remembered for this company (else guessed from the header). */
  readonly mappingRemembered: boolean;
  readonly rows: readonly PartnerRowView[];
  readonly counts: PartnerCounts;
}

/** What a partner import wrote. */
export interface PartnerOutcome {
  readonly rows: readonly PartnerRowView[];
  readonly counts: PartnerCounts;
}

/** How a company's payroll is split: by the personal number or the name printed after `label`. */
export const payrollRuleSchema = z.object({
  by: z.enum(['personalNumber', 'name']),
  label: z.string().max(80),
});

/** A payroll split rule. */
export type PayrollRuleView = z.infer<typeof payrollRuleSchema>;

/** A pay period, `YYYY-MM`. */
export const payrollPeriodSchema = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/);

/** One of the first pages of a payroll, with the key the rule reads on it: what the user confirms the rule on. */
export interface PayrollSamplePage {
  readonly file: string;
  /** 0-based. */
  readonly page: number;
  /** The personal number or name found; null on a continuation page. */
  readonly key: string | null;
  /** The start of the page's text. */
  readonly excerpt: string;
}

/** What a payslip of the preview becomes. */
export type PayslipAction = 'create' | 'duplicate' | 'unmatched' | 'unassigned';

/** The preview of a payroll import. */
export interface PayrollPreview {
  readonly companyId: number;
  readonly rule: PayrollRuleView;
  /** Whether `rule` is the one confirmed for the company; until then nothing can be committed. */
  readonly ruleConfirmed: boolean;
  /** The rule confirmed for the company, if any (it may differ from `rule` when the user edits it). */
  readonly confirmedRule: PayrollRuleView | null;
  readonly period: string | null;
  readonly samplePages: readonly PayrollSamplePage[];
  readonly payslips: readonly {
    readonly file: string;
    readonly firstPage: number;
    readonly pageCount: number;
    readonly key: string | null;
    readonly employeeName: string;
    readonly number: string;
    readonly action: PayslipAction;
  }[];
  /** Employees of the company no payslip of these files belongs to. */
  readonly employeesWithout: readonly string[];
  readonly unreadable: readonly { readonly file: string; readonly problem: 'encrypted' | 'damaged' }[];
}

/** What a payroll commit wrote. */
export interface PayrollOutcome {
  readonly created: readonly { readonly number: string; readonly employeeName: string }[];
  /** Payslips not written: already in Kurier, or no employee matched. */
  readonly skipped: readonly { readonly key: string | null; readonly action: PayslipAction; readonly number: string }[];
}

/** Input of `imports:planPayroll` and `imports:commitPayroll`. */
export const payrollRequestSchema = z.object({
  companyId: z.number().int().positive(),
  sourceIds: z.array(z.uuid()).min(1).max(500),
  rule: payrollRuleSchema.optional(),
  period: payrollPeriodSchema.optional(),
});
