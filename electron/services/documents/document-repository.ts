import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { computeTotals, documentKinds, languages } from '../../../shared/domain';
import type {
  AccountingDocument,
  Address,
  Company,
  DocumentKind,
  DocumentLine,
  DocumentSummary,
  Language,
  Partner,
} from '../../../shared/domain';

type Row = Record<string, SQLOutputValue>;

const partnerColumns = `id, kind, name, contact_person, email, street, city, postal_code, country,
  registration_number, tax_id, language`;
const documentColumns = `id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
  variable_symbol, period, related_number, note`;
const lineColumns = 'document_id, description, quantity_milli, unit, unit_price_minor, vat_rate_percent';

/**
 * Reads the company, partners and documents from the Kurier database (see `data/database.ts`) and maps
 * rows to the read-only domain types. Rows that break the schema's promises throw instead of leaking
 * `null` into the domain.
 */
export class DocumentRepository {
  readonly #company: StatementSync;
  readonly #partners: StatementSync;
  readonly #partner: StatementSync;
  readonly #summaries: StatementSync;
  readonly #allLines: StatementSync;
  readonly #document: StatementSync;
  readonly #lines: StatementSync;
  readonly #reminderLevel: StatementSync;

  /** Prepares every statement once; `db` must already be migrated. */
  constructor(db: DatabaseSync) {
    this.#company = db.prepare('SELECT * FROM company WHERE id = 1');
    this.#reminderLevel = db.prepare(
      `SELECT COUNT(*) AS n FROM documents WHERE kind = 'paymentReminder' AND related_number = ?
       AND (issue_date < ? OR (issue_date = ? AND id <= ?))`,
    );
    this.#partners = db.prepare(`SELECT ${partnerColumns} FROM partners ORDER BY name COLLATE NOCASE, id`);
    this.#partner = db.prepare(`SELECT ${partnerColumns} FROM partners WHERE id = ?`);
    this.#summaries = db.prepare(
      `SELECT d.id, d.kind, d.number, d.partner_id, p.name AS partner_name, d.issue_date, d.due_date, d.currency
         FROM documents d JOIN partners p ON p.id = d.partner_id
        ORDER BY d.issue_date DESC, d.id DESC`,
    );
    this.#allLines = db.prepare(`SELECT ${lineColumns} FROM document_lines ORDER BY document_id, position`);
    this.#document = db.prepare(`SELECT ${documentColumns} FROM documents WHERE id = ?`);
    this.#lines = db.prepare(`SELECT ${lineColumns} FROM document_lines WHERE document_id = ? ORDER BY position`);
  }

  /**
   * The office's own company.
   * @throws when the company row is missing (the database was neither seeded nor set up).
   */
  getCompany(): Company {
    const row = this.#company.get();
    if (!row) throw new Error('The company is not set up in this database.');
    return {
      name: text(row, 'name'),
      address: address(row),
      registrationNumber: text(row, 'registration_number'),
      taxId: text(row, 'tax_id'),
      email: text(row, 'email'),
      phone: text(row, 'phone'),
      bankAccount: text(row, 'bank_account'),
      iban: text(row, 'iban'),
    };
  }

  /** All partners, by name. */
  listPartners(): Partner[] {
    return this.#partners.all().map(toPartner);
  }

  /** One partner, or `undefined` when no partner has that id. */
  getPartner(id: number): Partner | undefined {
    const row = this.#partner.get(id);
    return row ? toPartner(row) : undefined;
  }

  /** Every document without its lines, newest first, with its total computed from the lines. */
  listDocuments(): DocumentSummary[] {
    const linesByDocument = new Map<number, DocumentLine[]>();
    for (const row of this.#allLines.all()) {
      const documentId = integer(row, 'document_id');
      const lines = linesByDocument.get(documentId) ?? [];
      lines.push(toLine(row));
      linesByDocument.set(documentId, lines);
    }
    return this.#summaries.all().map((row) => {
      const id = integer(row, 'id');
      return {
        id,
        kind: oneOf(row, 'kind', documentKinds),
        number: text(row, 'number'),
        partnerId: integer(row, 'partner_id'),
        partnerName: text(row, 'partner_name'),
        issueDate: text(row, 'issue_date'),
        dueDate: text(row, 'due_date'),
        currency: text(row, 'currency'),
        totalMinor: computeTotals(linesByDocument.get(id) ?? []).totalMinor,
      };
    });
  }

  /** One document with its lines in order, or `undefined` when no document has that id. */
  /**
   * Which reminder of its invoice a payment reminder is: 1 for the first, 2 for the second, 3 or more
   * for the final notice — counted among the reminders for the same invoice issued up to it.
   */
  reminderLevel(document: AccountingDocument): number {
    if (document.kind !== 'paymentReminder') return 0;
    const row = this.#reminderLevel.get(document.relatedNumber, document.issueDate, document.issueDate, document.id) as { n: number };
    return Math.max(1, row.n);
  }

  getDocument(id: number): AccountingDocument | undefined {
    const row = this.#document.get(id);
    if (!row) return undefined;
    const kind: DocumentKind = oneOf(row, 'kind', documentKinds);
    return {
      id: integer(row, 'id'),
      kind,
      number: text(row, 'number'),
      partnerId: integer(row, 'partner_id'),
      issueDate: text(row, 'issue_date'),
      dueDate: text(row, 'due_date'),
      taxableSupplyDate: text(row, 'taxable_supply_date'),
      currency: text(row, 'currency'),
      variableSymbol: text(row, 'variable_symbol'),
      period: text(row, 'period'),
      relatedNumber: text(row, 'related_number'),
      lines: this.#lines.all(id).map(toLine),
      note: text(row, 'note'),
    };
  }
}

function toPartner(row: Row): Partner {
  const language: Language = oneOf(row, 'language', languages);
  return {
    id: integer(row, 'id'),
    kind: oneOf(row, 'kind', ['business', 'employee'] as const),
    name: text(row, 'name'),
    contactPerson: text(row, 'contact_person'),
    email: text(row, 'email'),
    address: address(row),
    registrationNumber: text(row, 'registration_number'),
    taxId: text(row, 'tax_id'),
    language,
  };
}

function toLine(row: Row): DocumentLine {
  return {
    description: text(row, 'description'),
    quantityMilli: integer(row, 'quantity_milli'),
    unit: text(row, 'unit'),
    unitPriceMinor: integer(row, 'unit_price_minor'),
    vatRatePercent: integer(row, 'vat_rate_percent'),
  };
}

function address(row: Row): Address {
  return {
    street: text(row, 'street'),
    city: text(row, 'city'),
    postalCode: text(row, 'postal_code'),
    country: text(row, 'country'),
  };
}

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`Column ${column} is not text.`);
  return value;
}

function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`Column ${column} is not a safe integer.`);
  }
  return value;
}

function oneOf<const T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column);
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new Error(`Column ${column} has an unknown value.`);
  return match;
}
