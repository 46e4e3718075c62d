import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { isdocAttachmentModes, ksefEnvironments } from '../../../shared/domain';
import type { Company, CompanyRecord, CompanySummary } from '../../../shared/domain';
import { bareIdentifier } from '../../../shared/company-identifiers';
import { checkCompanyProfile, type CompanyProfile, type CompanyProfileView } from '../../../shared/company-profile';
import { KurierError } from '../../../shared/errors';
import type { Templates } from '../../../shared/templates';
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
  readonly #listeners = new Set<() => void>();
  #notifying = false;

  /** Prepares every statement once; `db` must already be migrated. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#all = db.prepare(`SELECT ${companyColumns} FROM companies ORDER BY name COLLATE NOCASE, id`);
    this.#one = db.prepare(`SELECT ${companyColumns} FROM companies WHERE id = ?`);
    this.#first = db.prepare(`SELECT ${companyColumns} FROM companies ORDER BY id LIMIT 1`);
    // IČO/REGON or DIČ/NIP, ignoring a country prefix and spaces (CZ27082440 = 27082440).
    // Both identifiers as bareIdentifier() cleans them: without spaces, dots, dashes or a country prefix.
    const bare = (column: string) => {
      const clean = `upper(replace(replace(replace(replace(replace(replace(${column}, ' ', ''), char(9), ''), char(10), ''), char(13), ''), '.', ''), '-', ''))`;
      return `CASE WHEN ${clean} GLOB '[A-Z][A-Z][0-9]*' THEN substr(${clean}, 3) ELSE ${clean} END`;
    };
    this.#byIdentifier = db.prepare(
      `SELECT ${companyColumns} FROM companies
        WHERE ?1 <> '' AND (${bare('registration_number')} = ?1 OR ${bare('tax_id')} = ?1)
        ORDER BY id LIMIT 1`,
    );
  }

  /**
   * Calls `listener` after companies were added, renamed or otherwise edited, given or lost a logo, or
   * removed: once per burst of changes (an import creating several companies is one call), after the
   * synchronous code that made them (and its transaction) has finished. Returns the unsubscribe.
   */
  onChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    if (this.#notifying || this.#listeners.size === 0) return;
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      for (const listener of this.#listeners) listener();
    });
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
   * The company whose IČO/REGON or DIČ/NIP is `identifier`, both sides compared as
   * {@link bareIdentifier} cleans them (spaces, dots, dashes and a country prefix ignored), or `undefined`.
   */
  findByIdentifier(identifier: string): CompanyRecord | undefined {
    const row = this.#byIdentifier.get(bareIdentifier(identifier));
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
    this.#changed();
    return Number(result.lastInsertRowid);
  }

  /**
   * Changes what the office typed for a company (issuer data, sender name, reply-to), checked by
   * {@link checkCompanyProfile}: a bad value throws `input.invalid` with a message key per field
   * (`profile.taxId` → `invalidNip`) and changes nothing. Returns the company as stored.
   */
  update(id: number, input: unknown): CompanyProfileView {
    if (!this.get(id)) throw new KurierError('input.invalid', { field: 'companyId' });
    const profile = checked(input);
    this.#db
      .prepare(
        `UPDATE companies SET name = ?, street = ?, city = ?, postal_code = ?, country = ?, registration_number = ?,
           tax_id = ?, email = ?, phone = ?, bank_account = ?, iban = ?, sender_name = ?, reply_to = ? WHERE id = ?`,
      )
      .run(...profileValues(profile), id);
    this.#changed();
    return this.view(id);
  }

  /** Adds a company the office typed in by hand, checked like {@link update}; returns it as stored. */
  add(input: unknown): CompanyProfileView {
    const profile = checked(input);
    const id = this.create({
      name: profile.name,
      address: { street: profile.street, city: profile.city, postalCode: profile.postalCode, country: profile.country },
      registrationNumber: profile.registrationNumber,
      taxId: profile.taxId,
      email: profile.email,
      phone: profile.phone,
      bankAccount: profile.bankAccount,
      iban: profile.iban,
      senderName: profile.senderName,
      replyTo: profile.replyTo,
    });
    return this.view(id);
  }

  /** A company as the Companies section shows it (throws `input.invalid` for an unknown id). */
  view(id: number): CompanyProfileView {
    const company = this.get(id);
    if (!company) throw new KurierError('input.invalid', { field: 'companyId' });
    return {
      id: company.id,
      name: company.name,
      street: company.address.street,
      city: company.address.city,
      postalCode: company.address.postalCode,
      country: company.address.country,
      registrationNumber: company.registrationNumber,
      taxId: company.taxId,
      email: company.email,
      phone: company.phone,
      bankAccount: company.bankAccount,
      iban: company.iban,
      senderName: company.senderName,
      replyTo: company.replyTo,
      isDemo: company.isDemo,
      hasLogo: company.hasLogo,
    };
  }

  /** Sets (or with `null` removes) the company's logo; the bytes must be checked first (export/logo-image.ts). */
  setLogo(id: number, logo: Uint8Array | null): CompanyProfileView {
    if (!this.get(id)) throw new KurierError('input.invalid', { field: 'companyId' });
    this.#db.prepare('UPDATE companies SET logo = ? WHERE id = ?').run(logo, id);
    this.#changed();
    return this.view(id);
  }

  /** The company's logo as stored, or `undefined` when it has none. */
  logo(id: number): Uint8Array | undefined {
    const value = this.#db.prepare('SELECT logo FROM companies WHERE id = ?').get(id)?.['logo'];
    return value instanceof Uint8Array ? value : undefined;
  }

  /** Replaces the company's own e-mail templates (`{}`: the office's for every message); checked by the caller. */
  setTemplates(id: number, templates: Templates): void {
    if (!this.get(id)) throw new KurierError('input.invalid', { field: 'companyId' });
    this.#db.prepare('UPDATE companies SET templates_json = ? WHERE id = ?').run(JSON.stringify(templates), id);
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
      if (ids.length > 0) this.#changed();
      return ids.length;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function checked(input: unknown): CompanyProfile {
  const result = checkCompanyProfile(input);
  if (result.ok) return result.profile;
  // The same field paths as the contract's input (`profile.…`), so the form marks the field either way.
  throw new KurierError(
    'input.invalid',
    Object.fromEntries(Object.entries(result.problems).map(([field, problem]) => [`profile.${field}`, problem])),
  );
}

function profileValues(profile: CompanyProfile): string[] {
  return [
    profile.name,
    profile.street,
    profile.city,
    profile.postalCode,
    profile.country,
    profile.registrationNumber,
    profile.taxId,
    profile.email,
    profile.phone,
    profile.bankAccount,
    profile.iban,
    profile.senderName,
    profile.replyTo,
  ];
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
