import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { isdocAttachmentModes, ksefEnvironments } from '../../../shared/domain';
import type { Company, CompanyRecord, CompanySummary } from '../../../shared/domain';
import { integer, oneOf, text } from './rows';

type Row = Record<string, SQLOutputValue>;

/** What a new company needs; everything else takes the table's defaults. */
export interface NewCompany extends Company {
  readonly senderName?: string;
  readonly replyTo?: string;
  readonly isDemo?: boolean;
}

const companyColumns = `id, name, street, city, postal_code, country, registration_number, tax_id, email, phone,
  bank_account, iban, logo IS NOT NULL AS has_logo, sender_name, reply_to, smtp_account, templates_json, is_demo,
  ksef_environment, isdoc_attachment, polish_transfer_qr`;

/**
 * The office's client companies (table `companies`, migration 9). Every partner and document belongs to
 * one; the issuer printed on a document and the sender of its messages come from its company.
 */
export class CompanyRepository {
  readonly #db: DatabaseSync;
  readonly #all: StatementSync;
  readonly #one: StatementSync;
  readonly #first: StatementSync;
  readonly #byIdentifier: StatementSync;

  /** Prepares every statement once; `db` must already be migrated. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#all = db.prepare(`SELECT ${companyColumns} FROM companies ORDER BY name COLLATE NOCASE, id`);
    this.#one = db.prepare(`SELECT ${companyColumns} FROM companies WHERE id = ?`);
    this.#first = db.prepare(`SELECT ${companyColumns} FROM companies ORDER BY id LIMIT 1`);
    // IČO/REGON or DIČ/NIP, ignoring a country prefix and spaces (CZ27082440 = 27082440).
    this.#byIdentifier = db.prepare(
      `SELECT ${companyColumns} FROM companies
        WHERE ? <> '' AND (registration_number = ?1 OR tax_id = ?1 OR
              replace(tax_id, ' ', '') = ?1 OR substr(replace(tax_id, ' ', ''), 3) = ?1)
        ORDER BY id LIMIT 1`,
    );
  }

  /** Every company, by name. */
  list(): CompanySummary[] {
    return this.#all.all().map((row) => {
      const record = toRecord(row);
      return {
        id: record.id,
        name: record.name,
        registrationNumber: record.registrationNumber,
        taxId: record.taxId,
        country: record.address.country,
        isDemo: record.isDemo,
      };
    });
  }

  /** One company, or the first one when `id` is omitted; `undefined` when there is none. */
  get(id?: number): CompanyRecord | undefined {
    const row = id === undefined ? this.#first.get() : this.#one.get(id);
    return row ? toRecord(row) : undefined;
  }

  /**
   * The company whose IČO/REGON or DIČ/NIP is `identifier` (spaces and a two-letter country prefix of
   * the tax id ignored), or `undefined`.
   */
  findByIdentifier(identifier: string): CompanyRecord | undefined {
    const clean = identifier.replace(/\s+/g, '').toUpperCase();
    const bare = /^[A-Z]{2}\d/.test(clean) ? clean.slice(2) : clean;
    const row = this.#byIdentifier.get(bare) ?? (bare !== clean ? this.#byIdentifier.get(clean) : undefined);
    return row ? toRecord(row) : undefined;
  }

  /** Creates a company and returns its id. */
  create(company: NewCompany): number {
    const result = this.#db
      .prepare(
        `INSERT INTO companies (name, street, city, postal_code, country, registration_number, tax_id, email,
           phone, bank_account, iban, sender_name, reply_to, is_demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        company.name,
        company.address.street,
        company.address.city,
        company.address.postalCode,
        company.address.country,
        company.registrationNumber,
        company.taxId,
        company.email,
        company.phone,
        company.bankAccount,
        company.iban,
        company.senderName ?? '',
        company.replyTo ?? '',
        company.isDemo === true ? 1 : 0,
      );
    return Number(result.lastInsertRowid);
  }

  /** How this company's e-invoice travels with its PDFs: a separate file, embedded, or not at all (issue 16). */
  setIsdocAttachment(id: number, mode: CompanyRecord['isdocAttachment']): void {
    this.#db.prepare('UPDATE companies SET isdoc_attachment = ? WHERE id = ?').run(mode, id);
  }

  /** Turns the Polish transfer QR code on this company's invoices on or off (issue 16). */
  setPolishTransferQr(id: number, enabled: boolean): void {
    this.#db.prepare('UPDATE companies SET polish_transfer_qr = ? WHERE id = ?').run(enabled ? 1 : 0, id);
  }

  /** Sets the KSeF environment a Polish company issues in: the host of its KOD I address (issue 16). */
  setKsefEnvironment(id: number, environment: CompanyRecord['ksefEnvironment']): void {
    this.#db.prepare('UPDATE companies SET ksef_environment = ? WHERE id = ?').run(environment, id);
  }

  /**
   * Removes the demo companies with everything that belongs to them (partners, documents, their send
   * history rows and payslip records) and remembers it, so the demo is not seeded again.
   *
   * @returns how many companies were removed.
   */
  removeDemo(): number {
    const db = this.#db;
    db.exec('BEGIN IMMEDIATE');
    try {
      const ids = db
        .prepare('SELECT id FROM companies WHERE is_demo = 1')
        .all()
        .map((row) => integer(row, 'id'));
      for (const id of ids) {
        const documents = 'SELECT id FROM documents WHERE company_id = ?';
        const partners = 'SELECT id FROM partners WHERE company_id = ?';
        db.prepare(`DELETE FROM payslip_exports WHERE document_id IN (${documents})`).run(id);
        db.prepare(
          `DELETE FROM outbox_messages WHERE company_id = ? AND status IN ('sent', 'failed', 'cancelled', 'uncertain')`,
        ).run(id);
        db.prepare(`UPDATE outbox_messages SET document_id = NULL WHERE document_id IN (${documents})`).run(id);
        db.prepare(`DELETE FROM documents WHERE company_id = ?`).run(id);
        db.prepare(`DELETE FROM payslip_password_events WHERE partner_id IN (${partners})`).run(id);
        db.prepare(`DELETE FROM partner_recipients WHERE partner_id IN (${partners})`).run(id);
        db.prepare('DELETE FROM partners WHERE company_id = ?').run(id);
        db.prepare('DELETE FROM companies WHERE id = ?').run(id);
      }
      db.prepare("INSERT OR REPLACE INTO kurier_meta (key, value) VALUES ('demoRemoved', '1')").run();
      db.exec('COMMIT');
      return ids.length;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toRecord(row: Row): CompanyRecord {
  return {
    id: integer(row, 'id'),
    name: text(row, 'name'),
    address: {
      street: text(row, 'street'),
      city: text(row, 'city'),
      postalCode: text(row, 'postal_code'),
      country: text(row, 'country'),
    },
    registrationNumber: text(row, 'registration_number'),
    taxId: text(row, 'tax_id'),
    email: text(row, 'email'),
    phone: text(row, 'phone'),
    bankAccount: text(row, 'bank_account'),
    iban: text(row, 'iban'),
    senderName: text(row, 'sender_name'),
    replyTo: text(row, 'reply_to'),
    smtpAccount: text(row, 'smtp_account'),
    templatesJson: text(row, 'templates_json'),
    isDemo: integer(row, 'is_demo') === 1,
    ksefEnvironment: oneOf(row, 'ksef_environment', ksefEnvironments),
    isdocAttachment: oneOf(row, 'isdoc_attachment', isdocAttachmentModes),
    polishTransferQr: integer(row, 'polish_transfer_qr') === 1,
    hasLogo: integer(row, 'has_logo') === 1,
  };
}
