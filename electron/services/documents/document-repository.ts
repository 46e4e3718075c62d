import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { computeTotals, documentKinds, documentSources, languages, paymentMethods } from '../../../shared/domain';
import type {
  AccountingDocument,
  Address,
  CompanyRecord,
  DocumentKind,
  DocumentLine,
  DocumentOrigin,
  DocumentSummary,
  Language,
  Partner,
} from '../../../shared/domain';
import { bareIdentifier, companyKey } from '../../../shared/company-identifiers';
import { documentKeyText, type DocumentKey } from '../../../shared/outbox';
import { CompanyRepository } from './company-repository';
import { integer, integerOrNull, oneOf, text, textOrNull, type Row } from './rows';

const partnerColumns = `id, company_id, kind, name, contact_person, email, phone, street, city, postal_code, country,
  registration_number, tax_id, language`;
const documentColumns = `id, company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date,
  currency, variable_symbol, period, related_number, note, source, source_file, ksef_number, isdoc_uuid,
  totals_flagged, totals_flag_reason, declared_base_minor, declared_vat_minor, declared_total_minor, local_currency, exchange_rate,
  payment_iban, payment_bic, payment_account, payment_bank_code, payment_method, amount_due_minor, paid_on,
  (SELECT group_concat(kind) FROM document_originals o WHERE o.document_id = documents.id) AS originals`;

/** Which documents a list shows. */
export interface DocumentFilter {
  /** Only this company's documents. */
  readonly companyId?: number | undefined;
}
const lineColumns = 'document_id, description, quantity_milli, unit, unit_price_minor, vat_rate_percent';

/**
 * Reads the company, partners and documents from the Kurier database (see `data/database.ts`) and maps
 * rows to the read-only domain types. Rows that break the schema's promises throw instead of leaking
 * `null` into the domain.
 */
export class DocumentRepository {
  /** The client companies the documents belong to. */
  readonly companies: CompanyRepository;
  readonly #db: DatabaseSync;
  readonly #original: StatementSync;
  readonly #partners: StatementSync;
  readonly #partner: StatementSync;
  readonly #summaries: StatementSync;
  readonly #allLines: StatementSync;
  readonly #document: StatementSync;
  readonly #lines: StatementSync;
  readonly #reminderLevel: StatementSync;

  /** Prepares every statement once; `db` must already be migrated. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.companies = new CompanyRepository(db);
    this.#original = db.prepare('SELECT bytes, sha256 FROM document_originals WHERE document_id = ? AND kind = ?');
    this.#reminderLevel = db.prepare(
      `SELECT COUNT(*) AS n FROM documents WHERE kind = 'paymentReminder' AND related_number = ?
       AND company_id = ? AND (issue_date < ? OR (issue_date = ? AND id <= ?))`,
    );
    this.#partners = db.prepare(`SELECT ${partnerColumns} FROM partners ORDER BY name COLLATE NOCASE, id`);
    this.#partner = db.prepare(`SELECT ${partnerColumns} FROM partners WHERE id = ?`);
    this.#summaries = db.prepare(
      `SELECT d.id, d.company_id, c.name AS company_name, d.kind, d.number, d.partner_id, p.name AS partner_name,
              d.issue_date, d.due_date, d.currency, d.source, d.source_file, d.totals_flagged, d.declared_total_minor
         FROM documents d JOIN partners p ON p.id = d.partner_id JOIN companies c ON c.id = d.company_id
        WHERE ?1 IS NULL OR d.company_id = ?1
        ORDER BY d.issue_date DESC, d.id DESC`,
    );
    this.#allLines = db.prepare(`SELECT ${lineColumns} FROM document_lines ORDER BY document_id, position`);
    this.#document = db.prepare(`SELECT ${documentColumns} FROM documents WHERE id = ?`);
    this.#lines = db.prepare(`SELECT ${lineColumns} FROM document_lines WHERE document_id = ? ORDER BY position`);
  }

  /**
   * A client company: the one with `companyId`, else the first one (the office's, in a database made
   * before there were many).
   * @throws when there is no such company (the database was neither seeded nor set up).
   */
  getCompany(companyId?: number): CompanyRecord {
    const company = this.companies.get(companyId);
    if (!company) throw new Error('The company is not set up in this database.');
    return company;
  }

  /** All partners (of one company when `companyId` is given), by name. */
  listPartners(companyId?: number): Partner[] {
    const all = this.#partners.all().map(toPartner);
    return companyId === undefined ? all : all.filter((partner) => partner.companyId === companyId);
  }

  /** Whether `companyId` already has a document numbered `number`. */
  hasNumber(companyId: number, number: string): boolean {
    return this.#db.prepare('SELECT 1 FROM documents WHERE company_id = ? AND number = ?').get(companyId, number) !== undefined;
  }

  /**
   * The document as every desk of the office knows it: its company's key and its number (the office
   * outbox matches documents by these; ids are this desk's own). Both '' for an unknown document.
   */
  documentKey(documentId: number): DocumentKey {
    const document = this.getDocument(documentId);
    if (!document) return { companyKey: '', number: '' };
    return { companyKey: this.companyKey(document.companyId), number: document.number };
  }

  /** The key of the company with `companyId` at every desk (shared/company-identifiers.ts), '' when it has none. */
  companyKey(companyId: number): string {
    const company = this.companies.get(companyId);
    return company ? (companyKey(company) ?? '') : '';
  }

  /** This desk's company whose key is `key`, or undefined. */
  companyIdByKey(key: string): number | undefined {
    return key === '' ? undefined : this.companies.list().find((company) => companyKey(company) === key)?.id;
  }

  /** This desk's documents with each of `keys` (company key and number), by {@link documentKeyText}. */
  idsByKey(keys: readonly DocumentKey[]): Map<string, number[]> {
    const companies = new Map<string, number[]>();
    for (const company of this.companies.list()) {
      const key = companyKey(company);
      if (key !== null) companies.set(key, [...(companies.get(key) ?? []), company.id]);
    }
    const wanted = keys.filter((key) => key.number !== '' && companies.has(key.companyKey));
    const found = new Map<string, number[]>();
    for (let start = 0; start < wanted.length; start += 500) {
      const chunk = wanted.slice(start, start + 500);
      const rows = this.#db
        .prepare(`SELECT id, company_id, number FROM documents WHERE number IN (${chunk.map(() => '?').join(', ')})`)
        .all(...chunk.map((key) => key.number)) as unknown as { id: number; company_id: number; number: string }[];
      for (const key of chunk) {
        const ids = companies.get(key.companyKey) ?? [];
        const matching = rows.filter((row) => row.number === key.number && ids.includes(row.company_id)).map((row) => row.id);
        if (matching.length > 0) found.set(documentKeyText(key), matching);
      }
    }
    return found;
  }

  /** Whether `companyId` already has the document with this ISDOC UUID. */
  hasIsdocUuid(companyId: number, uuid: string): boolean {
    return this.#db.prepare('SELECT 1 FROM documents WHERE company_id = ? AND isdoc_uuid = ?').get(companyId, uuid) !== undefined;
  }

  /**
   * The business partner of `companyId` with the party's DIČ/NIP or IČO/REGON (spaces and a country
   * prefix ignored), or `undefined`.
   */
  findPartnerByIdentifier(
    companyId: number,
    party: { readonly taxId: string; readonly registrationNumber: string },
  ): Partner | undefined {
    const wanted = [party.taxId, party.registrationNumber].map(bareIdentifier).filter((value) => value !== '');
    if (wanted.length === 0) return undefined;
    return this.listPartners(companyId).find(
      (partner) =>
        partner.kind === 'business' &&
        [partner.taxId, partner.registrationNumber].map(bareIdentifier).some((value) => value !== '' && wanted.includes(value)),
    );
  }

  /** The original file of `kind` kept byte for byte for an imported document, or `undefined`. */
  getOriginal(documentId: number, kind: 'xml' | 'pdf' | 'isdocx'): { bytes: Uint8Array; sha256: string } | undefined {
    const row = this.#original.get(documentId, kind);
    if (!row) return undefined;
    const bytes = row['bytes'];
    if (!(bytes instanceof Uint8Array)) throw new Error('Column bytes is not a blob.');
    return { bytes, sha256: text(row, 'sha256') };
  }

  /**
   * Records the KSeF number KSeF assigned to an invoice (typed by the user or read from a UPO); it then
   * prints under KOD I instead of OFFLINE. The caller has checked its format.
   */
  setKsefNumber(documentId: number, ksefNumber: string): void {
    this.#db.prepare('UPDATE documents SET ksef_number = ? WHERE id = ?').run(ksefNumber, documentId);
  }

  /** One partner, or `undefined` when no partner has that id. */
  getPartner(id: number): Partner | undefined {
    const row = this.#partner.get(id);
    return row ? toPartner(row) : undefined;
  }

  /**
   * Every document (of one company with `filter.companyId`) without its lines, newest first, with its
   * total: the one its imported file declared, else computed from the lines.
   */
  listDocuments(filter: DocumentFilter = {}): DocumentSummary[] {
    const linesByDocument = new Map<number, DocumentLine[]>();
    for (const row of this.#allLines.all()) {
      const documentId = integer(row, 'document_id');
      const lines = linesByDocument.get(documentId) ?? [];
      lines.push(toLine(row));
      linesByDocument.set(documentId, lines);
    }
    return this.#summaries.all(filter.companyId ?? null).map((row) => {
      const id = integer(row, 'id');
      return {
        id,
        companyId: integer(row, 'company_id'),
        companyName: text(row, 'company_name'),
        source: oneOf(row, 'source', documentSources),
        sourceFile: text(row, 'source_file'),
        totalsFlagged: integer(row, 'totals_flagged') === 1,
        kind: oneOf(row, 'kind', documentKinds),
        number: text(row, 'number'),
        partnerId: integer(row, 'partner_id'),
        partnerName: text(row, 'partner_name'),
        issueDate: text(row, 'issue_date'),
        dueDate: text(row, 'due_date'),
        currency: text(row, 'currency'),
        totalMinor: integerOrNull(row, 'declared_total_minor') ?? computeTotals(linesByDocument.get(id) ?? []).totalMinor,
      };
    });
  }

  /**
   * Which reminder of its invoice a payment reminder is: 1 for the first, 2 for the second, 3 or more
   * for the final notice — counted among the reminders for the same invoice issued up to it.
   */
  reminderLevel(document: AccountingDocument): number {
    if (document.kind !== 'paymentReminder') return 0;
    const row = this.#reminderLevel.get(
      document.relatedNumber,
      document.companyId,
      document.issueDate,
      document.issueDate,
      document.id,
    ) as { n: number };
    return Math.max(1, row.n);
  }

  /** One document with its lines in order, or `undefined` when no document has that id. */
  getDocument(id: number): AccountingDocument | undefined {
    const row = this.#document.get(id);
    if (!row) return undefined;
    const kind: DocumentKind = oneOf(row, 'kind', documentKinds);
    return {
      id: integer(row, 'id'),
      companyId: integer(row, 'company_id'),
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
      origin: toOrigin(row),
    };
  }
}

function toOrigin(row: Row): DocumentOrigin {
  const base = integerOrNull(row, 'declared_base_minor');
  const vat = integerOrNull(row, 'declared_vat_minor');
  const total = integerOrNull(row, 'declared_total_minor');
  const declaredTotals =
    base !== null && vat !== null && total !== null ? { baseMinor: base, vatMinor: vat, totalMinor: total } : null;
  // The reason is `{declared total}/{what the lines add up to}` in minor units (see imports/commit).
  const [declared, lines] = text(row, 'totals_flag_reason').split('/').map(Number);
  const originals = (textOrNull(row, 'originals') ?? '')
    .split(',')
    .filter((kind) => kind === 'xml' || kind === 'pdf' || kind === 'isdocx');
  return {
    source: oneOf(row, 'source', documentSources),
    sourceFile: text(row, 'source_file'),
    ksefNumber: textOrNull(row, 'ksef_number'),
    isdocUuid: textOrNull(row, 'isdoc_uuid'),
    declaredTotals,
    totalsMismatch:
      integer(row, 'totals_flagged') === 1 ? { declaredMinor: declared ?? total ?? 0, linesMinor: lines ?? 0 } : null,
    localCurrency: text(row, 'local_currency'),
    exchangeRate: text(row, 'exchange_rate'),
    payment: {
      iban: text(row, 'payment_iban'),
      bic: text(row, 'payment_bic'),
      account: text(row, 'payment_account'),
      bankCode: text(row, 'payment_bank_code'),
    },
    paymentMethod: oneOf(row, 'payment_method', paymentMethods),
    amountDueMinor: integerOrNull(row, 'amount_due_minor'),
    paidOn: text(row, 'paid_on'),
    originals,
  };
}

function toPartner(row: Row): Partner {
  const language: Language = oneOf(row, 'language', languages);
  return {
    id: integer(row, 'id'),
    companyId: integer(row, 'company_id'),
    kind: oneOf(row, 'kind', ['business', 'employee'] as const),
    name: text(row, 'name'),
    contactPerson: text(row, 'contact_person'),
    email: text(row, 'email'),
    phone: text(row, 'phone'),
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
