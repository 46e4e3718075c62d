/**
 * The ISDOC a Czech partner receives beside the PDF, round trip: Kurier exports a document (the
 * `.isdoc` written next to the PDF is what the e-mail carries), libxml2 validates that file against the
 * official ISDOC 6.0.2 XSD, and Kurier's own importer, in another office's database that keeps the same
 * client company, reads it back into the same document: partner, number, dates, currency, totals, VAT
 * lines and payment details.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { CompanyRepository } from '../../../../electron/services/documents/company-repository';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { computeTotals, type AccountingDocument, type CompanyRecord, type Partner } from '../../../../shared/domain';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
const schema = path.resolve(import.meta.dirname, '../../../fixtures/isdoc-schema/isdoc-invoice-6.0.2.xsd');

/** libxml2's verdict on `file` against the ISDOC 6.0.2 invoice schema: its report, or a rejection with it. */
async function xmllint(file: string): Promise<string> {
  try {
    const { stderr } = await run('/usr/bin/xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    return stderr;
  } catch (error) {
    throw new Error(`xmllint rejected ${path.basename(file)}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

/**
 * A Czech invoice that leaves the demo's comfortable ground: three VAT rates, fractional quantities and a
 * price that does not divide evenly, XML's special characters in names and text, a note over two lines,
 * a street without a house number and a partner without an IČO.
 */
function addAwkwardInvoice(db: DatabaseSync, company: CompanyRecord): number {
  const partner = db
    .prepare(
      `INSERT INTO partners (company_id, kind, name, contact_person, email, street, city, postal_code, country,
         registration_number, tax_id, language) VALUES (?, 'business', ?, '', ?, ?, ?, ?, 'CZ', '', ?, 'cs')`,
    )
    .run(
      company.id,
      'Šťastný & syn <Řezbáři> s.r.o.',
      'ucetni@stastny.example',
      'Náměstí Míru',
      'Žďár nad Sázavou',
      '591 01',
      'CZ8101011234',
    );
  const document = db
    .prepare(
      `INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date,
         currency, variable_symbol, period, related_number, note) VALUES (?, 'invoice', ?, ?, ?, ?, ?, 'CZK', ?, '', '', ?)`,
    )
    .run(
      company.id,
      'FV-2026/0777',
      partner.lastInsertRowid,
      '2026-11-30',
      '2026-12-14',
      '2026-11-28',
      '20260777',
      'Dodáno "na klíč"\n& předáno <osobně>.',
    );
  const line = db.prepare(
    `INSERT INTO document_lines (document_id, position, description, quantity_milli, unit, unit_price_minor,
       vat_rate_percent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  line.run(document.lastInsertRowid, 0, 'Konzultace (R&D) – hodiny', 2_500, 'h', 123_456, 21);
  line.run(document.lastInsertRowid, 1, 'Knihy <brožované>', 3_000, 'ks', 33_333, 12);
  line.run(document.lastInsertRowid, 2, 'Poštovné', 1_000, 'ks', 8_900, 0);
  line.run(document.lastInsertRowid, 3, 'Materiál', 333, 'kg', 1_999, 21);
  return Number(document.lastInsertRowid);
}

/** How an invoice of {@link addPaidInvoice} is paid, as the office's program said when it was imported. */
interface Paid {
  readonly number: string;
  readonly method: 'cash' | 'card' | 'transfer';
  readonly amountDueMinor: number;
  readonly paidOn: string;
}

/** An invoice of 1 000.00 + 21 % (1 210.00 CZK) to the demo's first Czech partner, paid as `paid` says. */
function addPaidInvoice(db: DatabaseSync, company: CompanyRecord, paid: Paid): number {
  const partner = db
    .prepare(`SELECT id FROM partners WHERE company_id = ? AND country = 'CZ' AND email <> '' ORDER BY id LIMIT 1`)
    .get(company.id) as { id: number };
  const document = db
    .prepare(
      `INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date,
         currency, variable_symbol, period, related_number, note, payment_method, amount_due_minor, paid_on)
       VALUES (?, 'invoice', ?, ?, '2026-11-20', '2026-12-04', '2026-11-20', 'CZK', ?, '', '', '', ?, ?, ?)`,
    )
    .run(company.id, paid.number, partner.id, paid.number.replace(/\D/gu, ''), paid.method, paid.amountDueMinor, paid.paidOn);
  db.prepare(
    `INSERT INTO document_lines (document_id, position, description, quantity_milli, unit, unit_price_minor,
       vat_rate_percent) VALUES (?, 0, 'Vedení účetnictví – listopad', 1000, 'ks', 100000, 21)`,
  ).run(document.lastInsertRowid);
  return Number(document.lastInsertRowid);
}

/** A second office's database that keeps the same client company (as the recipient's program would know it). */
async function recipientOffice(company: CompanyRecord) {
  const dir = await tempDir('kurier-roundtrip-');
  const db = openDatabase(path.join(dir, 'kurier.sqlite'));
  const companyId = new CompanyRepository(db).create({
    name: company.name,
    address: company.address,
    registrationNumber: company.registrationNumber,
    taxId: company.taxId,
    email: company.email,
    phone: company.phone,
    bankAccount: company.bankAccount,
    iban: company.iban,
  });
  const documents = new DocumentRepository(db);
  return {
    db,
    companyId,
    documents,
    imports: new ImportService({ db, documents, clock: () => new Date('2026-12-01T10:00:00Z') }),
  };
}

/** What must survive the trip, taken from a document and its partner in either database. */
function essentials(document: AccountingDocument, partner: Partner) {
  const totals = computeTotals(document.lines);
  return {
    partner: {
      name: partner.name,
      registrationNumber: partner.registrationNumber,
      taxId: partner.taxId,
      address: partner.address,
      email: partner.email,
    },
    kind: document.kind,
    number: document.number,
    issueDate: document.issueDate,
    taxableSupplyDate: document.taxableSupplyDate,
    dueDate: document.dueDate,
    currency: document.currency,
    variableSymbol: document.variableSymbol,
    relatedNumber: document.relatedNumber,
    note: document.note,
    totals: { baseMinor: totals.baseMinor, vatMinor: totals.vatMinor, totalMinor: totals.totalMinor },
    vatRecap: totals.vatRecap,
    lines: document.lines.map((line) => ({
      description: line.description,
      quantityMilli: line.quantityMilli,
      unit: line.unit,
      unitPriceMinor: line.unitPriceMinor,
      vatRatePercent: line.vatRatePercent,
    })),
  };
}

/** The Czech company's invoices and credit notes to Czech partners (those get an ISDOC). */
function czechDocuments(app: AppFixture, companyId: number): AccountingDocument[] {
  const documents = app.services.documents;
  return documents
    .listDocuments({ companyId })
    .filter((summary) => summary.kind === 'invoice' || summary.kind === 'creditNote')
    .map((summary) => documents.getDocument(summary.id))
    .filter((document): document is AccountingDocument => document?.companyId === companyId)
    .filter((document) => documents.getPartner(document.partnerId)?.address.country === 'CZ');
}

describe.skipIf(!keyringAvailable)('the ISDOC beside the PDF, round trip', () => {
  it('validates against the 6.0.2 XSD and re-imports as the same document, for every Czech invoice and credit note', async () => {
    const app = await createAppFixture();
    const documents = app.services.documents;
    const company = documents.companies.list().find((summary) => summary.country === 'CZ');
    if (!company) throw new Error('the demo has no Czech company');
    const issuer = documents.getCompany(company.id);
    const awkwardId = addAwkwardInvoice(app.services.db, issuer);
    const sources = czechDocuments(app, company.id);
    expect(sources.map((document) => document.kind)).toContain('creditNote');
    expect(sources.map((document) => document.id)).toContain(awkwardId);

    const office = await recipientOffice(issuer);
    try {
      for (const source of sources) {
        const file = await app.services.exporter.exportFile(source.id, app.exportDir);
        // The file a Czech partner receives with the PDF (the company's default: a separate attachment).
        expect(file.companion?.fileName).toBe(`${source.number.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.isdoc`);
        const isdoc = file.companion?.path ?? '';
        expect(await xmllint(isdoc)).toContain('validates');

        const partner = documents.getPartner(source.partnerId);
        if (!partner) throw new Error('partner missing');
        const plan = await office.imports.planPaths([isdoc]);
        // The only remark allowed is the one the source deserves: a partner Kurier has no address for.
        const warnings = partner.email === '' ? [{ code: 'noEmail', details: { partner: partner.name } }] : [];
        expect(plan.items.map((item) => [item.status, item.company?.action, item.warnings])).toEqual([
          ['ready', 'existing', warnings],
        ]);
        const result = office.imports.commit(plan.planId, false);
        expect(result.items.map((item) => [item.status, item.reason])).toEqual([['imported', null]]);
        const imported = office.documents.getDocument(result.items[0]?.documentId ?? 0);
        const importedPartner = imported && office.documents.getPartner(imported.partnerId);
        if (!imported || !importedPartner) throw new Error(`${source.number} was not stored`);

        expect(essentials(imported, importedPartner), source.number).toEqual(essentials(source, partner));
        expect(imported.companyId).toBe(office.companyId);
        const totals = computeTotals(source.lines);
        expect(imported.origin).toMatchObject({
          source: 'isdoc',
          declaredTotals: { baseMinor: totals.baseMinor, vatMinor: totals.vatMinor, totalMinor: totals.totalMinor },
          totalsMismatch: null,
          localCurrency: '',
          exchangeRate: '',
          payment: {
            iban: issuer.iban.replace(/\s/gu, ''),
            account: issuer.bankAccount.split('/')[0],
            bankCode: issuer.bankAccount.split('/')[1],
          },
        });
      }
    } finally {
      office.db.close();
    }
  });

  it('carries how an invoice is paid: cash or card paid in full, a transfer partly paid', async () => {
    const app = await createAppFixture();
    const documents = app.services.documents;
    const company = documents.companies.list().find((summary) => summary.country === 'CZ');
    if (!company) throw new Error('the demo has no Czech company');
    const issuer = documents.getCompany(company.id);
    const cases: readonly Paid[] = [
      { number: 'FV-2026/0801', method: 'cash', amountDueMinor: 0, paidOn: '2026-11-20' },
      { number: 'FV-2026/0802', method: 'card', amountDueMinor: 0, paidOn: '2026-11-21' },
      // 1 210.00 less 500.00 already paid.
      { number: 'FV-2026/0803', method: 'transfer', amountDueMinor: 71_000, paidOn: '' },
    ];
    const office = await recipientOffice(issuer);
    try {
      for (const paid of cases) {
        const source = documents.getDocument(addPaidInvoice(app.services.db, issuer, paid));
        if (!source) throw new Error(`${paid.number} was not stored`);
        const file = await app.services.exporter.exportFile(source.id, app.exportDir);
        const isdoc = file.companion?.path ?? '';
        expect(await xmllint(isdoc)).toContain('validates');
        const xml = await readFile(isdoc, 'utf8');
        expect(xml, paid.number).toContain(`<PayableAmount>${(paid.amountDueMinor / 100).toFixed(2)}</PayableAmount>`);
        expect(xml, paid.number).toContain(
          `<PaidDepositsAmount>${((121_000 - paid.amountDueMinor) / 100).toFixed(2)}</PaidDepositsAmount>`,
        );
        // Only the transfer asks for the bank account.
        expect(xml.includes('<IBAN>'), paid.number).toBe(paid.method === 'transfer');

        const plan = await office.imports.planPaths([isdoc]);
        const result = office.imports.commit(plan.planId, false);
        expect(result.items.map((item) => [item.status, item.reason])).toEqual([['imported', null]]);
        const imported = office.documents.getDocument(result.items[0]?.documentId ?? 0);
        const partner = documents.getPartner(source.partnerId);
        const importedPartner = imported && office.documents.getPartner(imported.partnerId);
        if (!imported || !importedPartner || !partner) throw new Error(`${paid.number} was not imported`);
        // A document paid in full names its payment document and date in ISDOC's "cash payment" details,
        // which have no place for a due date or a variable symbol: the importer takes the issue date.
        const lost = paid.paidOn === '' ? {} : { dueDate: source.issueDate, variableSymbol: '' };
        expect(essentials(imported, importedPartner), paid.number).toEqual({ ...essentials(source, partner), ...lost });
        expect(imported.origin, paid.number).toMatchObject({
          paymentMethod: paid.method,
          amountDueMinor: paid.amountDueMinor,
          paidOn: paid.paidOn,
          declaredTotals: { totalMinor: 121_000 },
        });
      }
    } finally {
      office.db.close();
    }
  });
});
