/**
 * Per-company import settings (table `company_import_settings`, migration 11): the watched folder, the
 * document kinds e-mailed automatically when the folder imports them, the confirmed payroll rule, and the
 * partner CSV mapping last used (migration 17).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { documentKinds, type DocumentKind } from '../../../shared/domain';
import { integer, text, textOrNull } from '../documents/rows';
import type { PayrollRule } from './payroll-rule';

/** One company's settings; defaults when the company has none stored. */
export interface CompanyImportSettings {
  readonly companyId: number;
  /** Absolute path of the watched folder; empty = none. */
  readonly inboxFolder: string;
  /** Kinds whose e-mail copy is queued to the partner right after the folder imports them. */
  readonly autoSendKinds: readonly DocumentKind[];
  /** The payroll split rule the user confirmed for this company; null until then. */
  readonly payrollRule: PayrollRule | null;
  /**
   * The partner CSV mapping the user last committed, by header name (`headerKey` of the column) per
   * field, null for a field left empty; null until a first partner list is imported by hand.
   */
  readonly partnerColumns: PartnerColumns | null;
}

/** Per partner field, the header key of the column that filled it (null: none). */
export type PartnerColumns = Readonly<Partial<Record<string, string | null>>>;

function parseColumns(json: string | null): PartnerColumns | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string | null] => entry[1] === null || typeof entry[1] === 'string'),
  );
}

function parseKinds(json: string): DocumentKind[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? documentKinds.filter((kind) => value.includes(kind)) : [];
}

function parseRule(json: string | null): PayrollRule | null {
  if (json === null) return null;
  const value = JSON.parse(json) as Partial<PayrollRule> | null;
  if (value && (value.by === 'personalNumber' || value.by === 'name') && typeof value.label === 'string') {
    return { by: value.by, label: value.label };
  }
  return null;
}

/** Reads and writes {@link CompanyImportSettings}. */
export class ImportSettingsRepository {
  readonly #get: StatementSync;
  readonly #all: StatementSync;
  readonly #upsert: StatementSync;

  constructor(db: DatabaseSync) {
    this.#get = db.prepare(
      `SELECT company_id, inbox_folder, auto_send_kinds, payroll_rule, partner_csv_columns
         FROM company_import_settings WHERE company_id = ?`,
    );
    this.#all = db.prepare(
      `SELECT s.company_id, s.inbox_folder, s.auto_send_kinds, s.payroll_rule FROM company_import_settings s
        JOIN companies c ON c.id = s.company_id ORDER BY s.company_id`,
    );
    this.#upsert = db.prepare(
      `INSERT INTO company_import_settings (company_id, inbox_folder, auto_send_kinds, payroll_rule, partner_csv_columns)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (company_id) DO UPDATE SET inbox_folder = excluded.inbox_folder,
         auto_send_kinds = excluded.auto_send_kinds, payroll_rule = excluded.payroll_rule,
         partner_csv_columns = excluded.partner_csv_columns`,
    );
  }

  /** The settings of one company (defaults when none are stored). */
  get(companyId: number): CompanyImportSettings {
    const row = this.#get.get(companyId);
    if (!row) return { companyId, inboxFolder: '', autoSendKinds: [], payrollRule: null, partnerColumns: null };
    return {
      companyId,
      inboxFolder: text(row, 'inbox_folder'),
      autoSendKinds: parseKinds(text(row, 'auto_send_kinds')),
      payrollRule: parseRule(textOrNull(row, 'payroll_rule')),
      partnerColumns: parseColumns(textOrNull(row, 'partner_csv_columns')),
    };
  }

  /** Every company that has a watched folder. */
  withInbox(): CompanyImportSettings[] {
    return this.#all
      .all()
      .map((row) => this.get(integer(row, 'company_id')))
      .filter((settings) => settings.inboxFolder !== '');
  }

  /** Changes some settings of one company, keeping the others. */
  update(companyId: number, change: Partial<Omit<CompanyImportSettings, 'companyId'>>): CompanyImportSettings {
    const next = { ...this.get(companyId), ...change };
    this.#upsert.run(
      companyId,
      next.inboxFolder,
      JSON.stringify(next.autoSendKinds),
      next.payrollRule === null ? null : JSON.stringify(next.payrollRule),
      next.partnerColumns === null ? null : JSON.stringify(next.partnerColumns),
    );
    return next;
  }
}
