/**
 * Splitting a month's payroll PDF into one PDF per employee, and matching each to an employee of the
 * company. Pages are grouped by the key the company's rule reads (`payroll-rule.ts`): a page with a new
 * key starts a payslip, a page with the same key or none (a continuation page) joins the current one, so
 * employees with one, two or three pages each stay whole. The per-employee PDFs are built with pdf-lib's
 * `copyPages`, which copies the pages' objects as they are (text stays text, no re-rendering).
 */
import { PDFDocument } from '@cantoo/pdf-lib';
import { comparable, keyOfPage, type PayrollRule } from './payroll-rule';

/** Consecutive pages of one employee (0-based page indexes). */
export interface PageGroup {
  /** The personal number or name the pages carry; null for leading pages nobody's key was found on. */
  readonly key: string | null;
  readonly firstPage: number;
  readonly pageCount: number;
}

/** An employee of the company as the matcher needs it. */
export interface EmployeeRef {
  readonly id: number;
  readonly name: string;
  /** The payroll personal number (its own column since migration 17; see `listEmployees`); empty when unknown. */
  readonly personalNumber: string;
}

/** A group with the employee it belongs to, or null when no employee matched. */
export interface MatchedGroup extends PageGroup {
  readonly employee: EmployeeRef | null;
}

/** Groups pages by key as described above. */
export function groupPages(keys: readonly (string | null)[]): PageGroup[] {
  const groups: { key: string | null; firstPage: number; pageCount: number }[] = [];
  keys.forEach((key, page) => {
    const current = groups.at(-1);
    if (current && (key === null || (current.key !== null && comparable(current.key) === comparable(key)))) {
      current.pageCount++;
      return;
    }
    groups.push({ key, firstPage: page, pageCount: 1 });
  });
  return groups;
}

/** Reads every page's key with `rule` and groups them. */
export function splitByRule(pages: readonly string[], rule: PayrollRule, employees: readonly EmployeeRef[]): PageGroup[] {
  const names = employees.map((employee) => employee.name);
  return groupPages(pages.map((text) => keyOfPage(text, rule, names)));
}

function nameTokens(name: string): string {
  return comparable(name).split(' ').sort().join(' ');
}

function numberKey(value: string): string {
  const compact = comparable(value).replace(/\s/g, '');
  return /^\d+$/.test(compact) ? compact.replace(/^0+(?=\d)/, '') : compact;
}

/**
 * Finds the employee of each group: by personal number (leading zeros ignored) or by name (case, spaces
 * and the order of first name and surname ignored).
 */
export function matchEmployees(
  groups: readonly PageGroup[],
  rule: PayrollRule,
  employees: readonly EmployeeRef[],
): MatchedGroup[] {
  const byKey = new Map<string, EmployeeRef>();
  for (const employee of employees) {
    const key = rule.by === 'personalNumber' ? employee.personalNumber : employee.name;
    if (key.trim() !== '') byKey.set(rule.by === 'personalNumber' ? numberKey(key) : nameTokens(key), employee);
  }
  return groups.map((group) => {
    if (group.key === null) return { ...group, employee: null };
    const wanted = rule.by === 'personalNumber' ? numberKey(group.key) : nameTokens(group.key);
    return { ...group, employee: byKey.get(wanted) ?? null };
  });
}

/**
 * Builds one PDF per group from the payroll PDF's bytes. The source is parsed once; each output is saved
 * before the next is built, and handed to `onPdf` so a caller can write it and let it go.
 */
export async function buildGroupPdfs(
  source: Uint8Array,
  groups: readonly PageGroup[],
  onPdf: (group: PageGroup, pdf: Uint8Array, index: number) => Promise<void> | void,
): Promise<void> {
  const whole = await PDFDocument.load(source, { updateMetadata: false });
  for (const [index, group] of groups.entries()) {
    const part = await PDFDocument.create({ updateMetadata: false });
    const indexes = Array.from({ length: group.pageCount }, (_, i) => group.firstPage + i);
    for (const page of await part.copyPages(whole, indexes)) part.addPage(page);
    part.setProducer('Kurier');
    await onPdf(group, await part.save({ useObjectStreams: true }), index);
  }
}
