/**
 * Step two of an import: the planned files written to the database, each in its own transaction (a
 * failure of one never leaves half a document, and never stops the others). Duplicates are checked again
 * inside the transaction, so a document imported meanwhile (another desk, the watched folder) is skipped
 * with its reason instead of stored twice. The originals are stored byte for byte with their SHA-256.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { Language } from '../../../shared/domain';
import type { ImportResultItem } from '../../../shared/imports';
import type { DocumentRepository } from '../documents/document-repository';
import { ImportRejection } from './import-error';
import { totalsMismatch, type PlannedFile } from './import-plan';
import type { ParsedParty, ReadFile } from './parsed-document';

/** What the commit needs. */
export interface CommitContext {
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly clock: () => Date;
  /** Create the issuing companies Kurier does not know yet (else those files are refused). */
  readonly createCompanies: boolean;
}

/** Commits every ready file of a plan; rejected ones are reported as they were planned. */
export function commitPlan(context: CommitContext, files: readonly PlannedFile[]): ImportResultItem[] {
  return files.map((file) => {
    const { view, read } = file;
    if (view.status === 'rejected' || read === null) {
      return {
        fileName: view.fileName,
        status: 'rejected',
        documentId: null,
        number: view.document?.number ?? '',
        companyName: view.company?.name ?? '',
        reason: view.reason,
        warnings: view.warnings,
      };
    }
    context.db.exec('BEGIN IMMEDIATE');
    try {
      const { documentId, companyName } = writeFile(context, read, view.fileName);
      context.db.exec('COMMIT');
      return {
        fileName: view.fileName,
        status: 'imported',
        documentId,
        number: read.parsed.number,
        companyName,
        reason: null,
        warnings: view.warnings,
      };
    } catch (error) {
      context.db.exec('ROLLBACK');
      if (!(error instanceof ImportRejection)) throw error;
      return {
        fileName: view.fileName,
        status: 'rejected',
        documentId: null,
        number: read.parsed.number,
        companyName: view.company?.name ?? '',
        reason: { code: error.code, details: error.details },
        warnings: view.warnings,
      };
    }
  });
}

function writeFile(context: CommitContext, read: ReadFile, fileName: string): { documentId: number; companyName: string } {
  const { parsed } = read;
  const { documents, db } = context;
  const existing =
    documents.companies.findByIdentifier(parsed.supplier.taxId) ??
    documents.companies.findByIdentifier(parsed.supplier.registrationNumber);
  if (!existing && !context.createCompanies) {
    throw new ImportRejection('unknownCompany', {
      identifier: parsed.supplier.taxId || parsed.supplier.registrationNumber,
      company: parsed.supplier.name,
    });
  }
  const companyId = existing?.id ?? createCompany(context, parsed.supplier, read);
  if (parsed.isdocUuid !== null && documents.hasIsdocUuid(companyId, parsed.isdocUuid)) {
    throw new ImportRejection('duplicateUuid', { uuid: parsed.isdocUuid, number: parsed.number });
  }
  if (documents.hasNumber(companyId, parsed.number)) {
    throw new ImportRejection('duplicateNumber', { number: parsed.number, company: existing?.name ?? parsed.supplier.name });
  }
  const partnerId =
    documents.findPartnerByIdentifier(companyId, parsed.customer)?.id ?? createPartner(db, companyId, parsed.customer);
  const mismatch = totalsMismatch(read);
  const payment = parsed.payment;
  const result = db
    .prepare(
      `INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
         variable_symbol, period, related_number, note, source, source_file, ksef_number, isdoc_uuid, totals_flagged,
         totals_flag_reason, declared_base_minor, declared_vat_minor, declared_total_minor, local_currency, exchange_rate,
         payment_iban, payment_bic, payment_account, payment_bank_code, payment_method, amount_due_minor, paid_on, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      companyId,
      parsed.kind,
      parsed.number,
      partnerId,
      parsed.issueDate,
      parsed.dueDate,
      parsed.taxableSupplyDate,
      parsed.currency,
      parsed.variableSymbol,
      parsed.relatedNumber,
      parsed.note,
      read.format === 'ksef' ? 'ksef' : read.format,
      fileName,
      parsed.ksefNumber,
      parsed.isdocUuid,
      mismatch ? 1 : 0,
      mismatch ? `${mismatch.declaredMinor}/${mismatch.linesMinor}` : '',
      parsed.declared.baseMinor,
      parsed.declared.vatMinor,
      parsed.declared.totalMinor,
      parsed.localCurrency,
      parsed.exchangeRate,
      payment.iban,
      payment.bic,
      payment.account,
      payment.bankCode,
      parsed.paymentMethod,
      parsed.amountDueMinor,
      parsed.paidOn,
      context.clock().getTime(),
    );
  const documentId = Number(result.lastInsertRowid);
  const insertLine = db.prepare(
    `INSERT INTO document_lines (document_id, position, description, quantity_milli, unit, unit_price_minor,
       vat_rate_percent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  parsed.lines.forEach((line, position) => {
    insertLine.run(
      documentId,
      position,
      line.description,
      line.quantityMilli,
      line.unit,
      line.unitPriceMinor,
      line.vatRatePercent,
    );
  });
  const insertOriginal = db.prepare('INSERT INTO document_originals (document_id, kind, bytes, sha256) VALUES (?, ?, ?, ?)');
  for (const original of read.originals) {
    insertOriginal.run(documentId, original.kind, original.bytes, createHash('sha256').update(original.bytes).digest('hex'));
  }
  return { documentId, companyName: existing?.name ?? parsed.supplier.name };
}

function createCompany(context: CommitContext, supplier: ParsedParty, read: ReadFile): number {
  const payment = read.parsed.payment;
  const account = payment.bankCode === '' ? payment.account : `${payment.account}/${payment.bankCode}`;
  return context.documents.companies.create({
    name: supplier.name,
    address: supplier.address,
    registrationNumber: supplier.registrationNumber,
    taxId: supplier.taxId,
    email: supplier.email,
    phone: supplier.phone,
    bankAccount: account,
    iban: payment.iban,
  });
}

function createPartner(db: DatabaseSync, companyId: number, party: ParsedParty): number {
  const result = db
    .prepare(
      `INSERT INTO partners (company_id, kind, name, contact_person, email, street, city, postal_code, country,
         registration_number, tax_id, language) VALUES (?, 'business', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      companyId,
      party.name,
      party.contactPerson,
      party.email,
      party.address.street,
      party.address.city,
      party.address.postalCode,
      party.address.country,
      party.registrationNumber,
      party.taxId,
      languageOf(party.address.country),
    );
  return Number(result.lastInsertRowid);
}

/** A new partner's language from its country: Czech and Slovak read Czech, Poles Polish, others English. */
function languageOf(country: string): Language {
  if (country === 'CZ' || country === 'SK') return 'cs';
  return country === 'PL' ? 'pl' : 'en';
}
