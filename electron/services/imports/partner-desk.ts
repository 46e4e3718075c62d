/**
 * The partner CSV preview and commit as the import dialog uses them: the mapping the company last used
 * is offered again (matched by header name, so a list with its columns in another order still maps),
 * the first rows are shown as they are in the file, and a commit remembers the mapping for next time.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Language } from '../../../shared/domain';
import {
  partnerCsvFields,
  type PartnerCounts,
  type PartnerCsvMapping,
  type PartnerOutcome,
  type PartnerPreview,
  type PartnerRowView,
} from '../../../shared/import-desk';
import { KurierError } from '../../../shared/errors';
import { text } from '../documents/rows';
import { readCsv } from './csv-text';
import type { ImportStaging } from './import-desk';
import type { ImportSettingsRepository, PartnerColumns } from './import-settings';
import { commitPartnerImport, planPartnerImport, type PartnerPlanRow } from './partner-import';
import { guessMapping, headerKey } from './partner-csv';

const sampleRowCount = 5;

/** What the partner desk needs. */
export interface PartnerDeskOptions {
  readonly db: DatabaseSync;
  readonly settings: ImportSettingsRepository;
  readonly staging: ImportStaging;
  readonly now?: () => number;
}

/** The mapping remembered for the company applied to this header; null when nothing is remembered. */
export function rememberedMapping(columns: PartnerColumns | null, header: readonly string[]): PartnerCsvMapping | null {
  if (columns === null) return null;
  const keys = header.map(headerKey);
  const guessed = guessMapping(header);
  const mapping = Object.fromEntries(
    partnerCsvFields.map((field) => {
      const remembered = columns[field];
      if (remembered === undefined) return [field, guessed[field]];
      if (remembered === null) return [field, null];
      const index = keys.indexOf(remembered);
      return [field, index >= 0 ? index : guessed[field]];
    }),
  ) as Record<keyof PartnerCsvMapping, number | null>;
  return mapping;
}

function columnsOf(mapping: PartnerCsvMapping, header: readonly string[]): PartnerColumns {
  return Object.fromEntries(
    partnerCsvFields.map((field) => {
      const index = mapping[field];
      return [field, index === null ? null : headerKey(header[index] ?? '')];
    }),
  );
}

/** A row as the preview shows it; a refused row is named by its name cell, so the user finds it in the file. */
function view(row: PartnerPlanRow, rows: readonly (readonly string[])[], mapping: PartnerCsvMapping): PartnerRowView {
  const cell = mapping.name === null ? '' : (rows[row.line - 1]?.[mapping.name] ?? '').trim();
  return { line: row.line, action: row.action, name: row.name || cell, changes: row.changes, problems: row.problems };
}

function counts(rows: readonly PartnerRowView[]): PartnerCounts {
  const result = { create: 0, update: 0, unchanged: 0, refused: 0 };
  for (const row of rows) result[row.action]++;
  return result;
}

/** Plans and commits partner lists kept in the staging. */
export class PartnerDesk {
  readonly #o: PartnerDeskOptions;

  constructor(options: PartnerDeskOptions) {
    this.#o = options;
  }

  /** The preview with `mapping`, else the company's remembered mapping, else one guessed from the header. */
  plan(companyId: number, sourceId: string, mapping?: PartnerCsvMapping): PartnerPreview {
    const source = this.#source(sourceId);
    checkMapping(mapping);
    const table = readCsv(source.bytes);
    const header = table.rows[0] ?? [];
    const remembered = rememberedMapping(this.#o.settings.get(companyId).partnerColumns, header);
    const plan = planPartnerImport(this.#o.db, {
      companyId,
      bytes: source.bytes,
      mapping: mapping ?? remembered ?? undefined,
      defaultLanguage: this.#language(companyId),
    });
    const rows = plan.rows.map((row) => view(row, table.rows, plan.mapping));
    return {
      sourceId,
      fileName: source.name,
      companyId,
      encoding: plan.encoding,
      delimiter: plan.delimiter,
      header,
      sampleRows: table.rows.slice(1, 1 + sampleRowCount),
      mapping: plan.mapping,
      mappingRemembered: mapping === undefined && remembered !== null,
      rows,
      counts: counts(rows),
    };
  }

  /**
   * Writes the partners with `mapping`; `remember` (the dialog) keeps the mapping for the company's next
   * list, the command line leaves the user's mapping alone.
   */
  commit(companyId: number, sourceId: string, mapping: PartnerCsvMapping, remember = true): PartnerOutcome {
    const source = this.#source(sourceId);
    checkMapping(mapping);
    const table = readCsv(source.bytes);
    const header = table.rows[0] ?? [];
    const { plan } = commitPartnerImport(
      this.#o.db,
      {
        companyId,
        bytes: source.bytes,
        mapping,
        defaultLanguage: this.#language(companyId),
        inTransaction: () => {
          if (remember) this.#o.settings.update(companyId, { partnerColumns: columnsOf(mapping, header) });
        },
      },
      this.#o.now,
    );
    this.#o.staging.drop([sourceId]);
    const rows = plan.rows.map((row) => view(row, table.rows, plan.mapping));
    return { rows, counts: counts(rows) };
  }

  #source(sourceId: string) {
    const source = this.#o.staging.get(sourceId);
    if (!source) throw new KurierError('input.invalid', { sourceId: 'unknown' });
    return source;
  }

  #language(companyId: number): Language {
    const row = this.#o.db.prepare('SELECT country FROM companies WHERE id = ?').get(companyId);
    if (!row) throw new KurierError('input.invalid', { companyId: 'unknown' });
    const country = text(row, 'country');
    return country === 'PL' ? 'pl' : country === 'CZ' || country === 'SK' ? 'cs' : 'en';
  }
}

/** A column may fill one field only: two fields from one column would write the same text twice. */
function checkMapping(mapping: PartnerCsvMapping | undefined): void {
  if (!mapping) return;
  const used = partnerCsvFields.map((field) => mapping[field]).filter((index) => index !== null);
  if (new Set(used).size !== used.length) throw new KurierError('input.invalid', { mapping: 'columnTwice' });
}
