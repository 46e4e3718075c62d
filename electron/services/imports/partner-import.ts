/**
 * Partners from a CSV file into one company: the preview (what each row would create or update) and the
 * commit, which re-plans inside its transaction so it writes exactly what a fresh preview would show.
 * A row matches an existing partner of the company by IČO/NIP/REGON (see `identifiers.ts`), or — for a
 * row and partner that both have no identifier — by name, so a second import updates, never duplicates.
 * Empty cells never erase what Kurier already knows.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Language } from '../../../shared/domain';
import { integer, text } from '../documents/rows';
import { readCsv, type CsvDelimiter, type CsvEncoding } from './csv-text';
import { partnerMatchKeys } from './identifiers';
import { guessMapping, readPartnerRows, type PartnerCsvMapping, type PartnerCsvProblem, type PartnerDraft } from './partner-csv';

/** What one row does. */
export type PartnerRowAction = 'create' | 'update' | 'unchanged' | 'refused';

/** Partner fields an import can change. */
export const partnerUpdateFields = [
  'name',
  'contactPerson',
  'email',
  'street',
  'city',
  'postalCode',
  'country',
  'registrationNumber',
  'taxId',
  'language',
] as const;
type UpdateField = (typeof partnerUpdateFields)[number];

/** One row of the preview. */
export interface PartnerPlanRow {
  readonly line: number;
  readonly action: PartnerRowAction;
  readonly name: string;
  /** The existing partner it updates (or leaves unchanged). */
  readonly partnerId: number | null;
  readonly changes: readonly UpdateField[];
  readonly problems: readonly PartnerCsvProblem[];
  readonly draft: PartnerDraft | null;
}

/** The preview of one CSV file. */
export interface PartnerImportPlan {
  readonly companyId: number;
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly header: readonly string[];
  readonly mapping: PartnerCsvMapping;
  readonly rows: readonly PartnerPlanRow[];
}

/** What to plan. */
export interface PartnerImportInput {
  readonly companyId: number;
  readonly bytes: Uint8Array;
  /** The user's mapping from the preview; guessed from the header when absent. */
  readonly mapping?: PartnerCsvMapping | undefined;
  /** Language of partners the file does not say and whose country does not decide (the company's). */
  readonly defaultLanguage: Language;
  /** Runs inside the commit's transaction after the partners are written (the watched folder's ledger). */
  readonly inTransaction?: () => void;
}

/** The outcome of a commit. */
export interface PartnerImportResult {
  readonly plan: PartnerImportPlan;
  /** Partner ids per row line, for created and updated rows. */
  readonly partnerIds: ReadonlyMap<number, number>;
}

interface Existing {
  readonly id: number;
  readonly values: Record<UpdateField, string>;
}

function loadExisting(db: DatabaseSync, companyId: number): Existing[] {
  return db
    .prepare(
      `SELECT id, name, contact_person, email, street, city, postal_code, country, registration_number, tax_id, language
         FROM partners WHERE company_id = ? AND kind = 'business' ORDER BY id`,
    )
    .all(companyId)
    .map((row) => ({
      id: integer(row, 'id'),
      values: {
        name: text(row, 'name'),
        contactPerson: text(row, 'contact_person'),
        email: text(row, 'email'),
        street: text(row, 'street'),
        city: text(row, 'city'),
        postalCode: text(row, 'postal_code'),
        country: text(row, 'country'),
        registrationNumber: text(row, 'registration_number'),
        taxId: text(row, 'tax_id'),
        language: text(row, 'language'),
      },
    }));
}

/** Reads the file and says what each row would do; writes nothing. */
export function planPartnerImport(db: DatabaseSync, input: PartnerImportInput): PartnerImportPlan {
  const table = readCsv(input.bytes);
  const header = table.rows[0] ?? [];
  const mapping = input.mapping ?? guessMapping(header);
  const existing = loadExisting(db, input.companyId);
  const byKey = new Map<string, Existing>();
  const byName = new Map<string, Existing>();
  for (const partner of existing) {
    const keys = partnerMatchKeys(partner.values);
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, partner);
    if (keys.length === 0) byName.set(partner.values.name.toLocaleLowerCase('cs'), partner);
  }
  const rows = readPartnerRows(table.rows, mapping, input.defaultLanguage).map((row): PartnerPlanRow => {
    const { draft } = row;
    if (!draft)
      return { line: row.line, action: 'refused', name: '', partnerId: null, changes: [], problems: row.problems, draft };
    const match = draft.matchKey !== null ? byKey.get(draft.matchKey) : byName.get(draft.name.toLocaleLowerCase('cs'));
    if (!match) return { line: row.line, action: 'create', name: draft.name, partnerId: null, changes: [], problems: [], draft };
    const changes = partnerUpdateFields.filter(
      (field) => draft[field] !== '' && !sameValue(field, draft[field], match.values[field]),
    );
    return {
      line: row.line,
      action: changes.length > 0 || draft.otherEmails.length > 0 ? 'update' : 'unchanged',
      name: draft.name,
      partnerId: match.id,
      changes,
      problems: [],
      draft,
    };
  });
  return { companyId: input.companyId, encoding: table.encoding, delimiter: table.delimiter, header, mapping, rows };
}

// "PL 526-025-02-74" and "5260250274" are the same NIP: identifiers compare without prefix and spacing.
function sameValue(field: UpdateField, a: string, b: string): boolean {
  if (field !== 'taxId' && field !== 'registrationNumber') return a === b;
  const bare = (value: string) =>
    value
      .replace(/[\s.-]/g, '')
      .toUpperCase()
      .replace(/^[A-Z]{2}(?=\d)/, '');
  return bare(a) === bare(b);
}

const columnOf: Readonly<Record<UpdateField, string>> = {
  name: 'name',
  contactPerson: 'contact_person',
  email: 'email',
  street: 'street',
  city: 'city',
  postalCode: 'postal_code',
  country: 'country',
  registrationNumber: 'registration_number',
  taxId: 'tax_id',
  language: 'language',
};

/**
 * Writes the rows that create or update partners, in one transaction (`BEGIN IMMEDIATE`, so a second
 * desk importing the same file waits, re-plans, and finds the partners this one created).
 */
export function commitPartnerImport(
  db: DatabaseSync,
  input: PartnerImportInput,
  now: () => number = Date.now,
): PartnerImportResult {
  db.exec('BEGIN IMMEDIATE');
  try {
    const plan = planPartnerImport(db, input);
    const partnerIds = new Map<number, number>();
    const insert = db.prepare(
      `INSERT INTO partners (company_id, kind, name, contact_person, email, street, city, postal_code, country,
         registration_number, tax_id, language) VALUES (?, 'business', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const remember = db.prepare('INSERT OR IGNORE INTO partner_recipients (partner_id, address, chosen_at) VALUES (?, ?, ?)');
    for (const row of plan.rows) {
      const { draft } = row;
      if (!draft || row.action === 'refused' || row.action === 'unchanged') continue;
      let id: number;
      if (row.action === 'create') {
        const result = insert.run(
          plan.companyId,
          draft.name,
          draft.contactPerson,
          draft.email,
          draft.street,
          draft.city,
          draft.postalCode,
          draft.country,
          draft.registrationNumber,
          draft.taxId,
          draft.language,
        );
        id = Number(result.lastInsertRowid);
      } else {
        id = row.partnerId ?? 0;
        if (row.changes.length > 0) {
          const sets = row.changes.map((field) => `${columnOf[field]} = ?`).join(', ');
          db.prepare(`UPDATE partners SET ${sets} WHERE id = ?`).run(...row.changes.map((field) => draft[field]), id);
        }
      }
      for (const address of draft.otherEmails) remember.run(id, address, now());
      partnerIds.set(row.line, id);
    }
    input.inTransaction?.();
    db.exec('COMMIT');
    return { plan, partnerIds };
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
