/**
 * Migrations 9 and 10 (issue 15) on a database made by the previous Kurier: migrations 1–8 and its demo
 * seed (written out here as that code wrote it), then today's list. Nothing may be lost: the old company
 * becomes company 1, every partner, document, line, batch and history row keeps its data and belongs to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrations, openDatabase, schemaVersion } from '../../../../electron/services/data/database';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-migrate-'));
  file = join(dir, 'kurier.sqlite');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A database at version 8 with the data the version-8 seed and a send would have left. */
function createVersion8Database(): void {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA foreign_keys = ON');
  expect(applyMigrations(db, migrations.slice(0, 8))).toBe(8);
  db.exec(`
    INSERT INTO company (id, name, street, city, postal_code, country, registration_number, tax_id, email, phone,
      bank_account, iban) VALUES (1, 'Účetní kancelář Bílá & Čížek s.r.o.', 'Korunní 2569/108', 'Praha 10', '101 00',
      'CZ', '27082440', 'CZ27082440', 'fakturace@bila-cizek.example', '+420 222 512 480', '2801234578/2010',
      'CZ0520100000002801234578');
    INSERT INTO partners (id, kind, name, contact_person, email, street, city, postal_code, country,
      registration_number, tax_id, language) VALUES
      (1, 'business', 'Dvořák & synové s.r.o.', 'Jana Dvořáková', 'jana@dvorak.example', 'Křižíkova 148/34',
       'Praha 8', '186 00', 'CZ', '06178235', 'CZ06178235', 'cs'),
      (2, 'employee', 'Małgorzata Wójcik-Zięba', 'Małgorzata Wójcik-Zięba', 'mw@poczta.example', 'ul. Długa 5',
       'Gdańsk', '80-827', 'PL', '0042', '', 'pl');
    INSERT INTO documents (id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
      variable_symbol, period, related_number, note) VALUES
      (1, 'invoice', 'FV-2026-0001', 1, '2026-08-01', '2026-08-15', '2026-08-01', 'CZK', '120260001', '', '', 'Díky'),
      (2, 'creditNote', 'DB-2026-0001', 1, '2026-08-10', '2026-08-24', '2026-08-10', 'CZK', '220260001', '',
       'FV-2026-0001', ''),
      (3, 'payslip', 'VL-2026-07-001', 2, '2026-07-31', '2026-08-12', '2026-07-31', 'PLN', '', '2026-07', '', '');
    INSERT INTO document_lines (document_id, position, description, quantity_milli, unit, unit_price_minor,
      vat_rate_percent) VALUES
      (1, 0, 'Vedení účetnictví', 1000, 'měs.', 650000, 21), (1, 1, 'Zpracování mezd', 3000, 'os.', 45000, 21),
      (2, 0, 'Oprava – Vedení účetnictví', -1000, 'měs.', 65000, 21), (3, 0, 'Wynagrodzenie', 1000, '', 800000, 0);
    INSERT INTO payslip_exports (document_id, partner_id, generation, exported_at, file_path)
      VALUES (3, 2, 1, 1754000000000, '/tmp/pasek.pdf');
    INSERT INTO partner_recipients (partner_id, address, chosen_at) VALUES (1, 'ucetni@dvorak.example', 1);
    INSERT INTO outbox_batches (id, created_at, kind, account_scope, status) VALUES (1, 1, 'copy', 'user', 'done');
    INSERT INTO outbox_messages (batch_id, document_id, recipient, recipient_name, subject, body, attachment_path,
      attachment_name, attachment_size, message_id, status, not_before, created_at, updated_at, sent_at)
      VALUES (1, 1, 'jana@dvorak.example', 'Jana', 'Faktura FV-2026-0001', 'Dobrý den', '/tmp/f.pdf', 'f.pdf', 10,
      '<a@kurier>', 'sent', 1, 1, 2, 2);
  `);
  db.close();
}

function rows(db: DatabaseSync, sql: string): unknown[] {
  return db
    .prepare(sql)
    .all()
    .map((row) => ({ ...row }));
}

describe('migrations 9 and 10 on a database made by the previous version', () => {
  it('keep every row, make the old company company 1 and give everything to it', () => {
    createVersion8Database();
    const before = new DatabaseSync(file);
    const documentsBefore = rows(before, 'SELECT * FROM documents ORDER BY id');
    const linesBefore = rows(before, 'SELECT * FROM document_lines ORDER BY document_id, position');
    const partnersBefore = rows(before, 'SELECT * FROM partners ORDER BY id');
    const companyBefore = rows(before, 'SELECT * FROM company');
    before.close();

    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(migrations.length);
      // Every old column keeps its value; the new ones say "company 1" and "made by Kurier".
      const documentsAfter = rows(db, 'SELECT * FROM documents ORDER BY id') as Record<string, unknown>[];
      expect(documentsAfter.map((row) => row['company_id'])).toEqual([1, 1, 1]);
      expect(documentsAfter.map((row) => row['source'])).toEqual(['demo', 'demo', 'demo']);
      expect(documentsAfter).toEqual(documentsBefore.map((row): unknown => expect.objectContaining(row as object)));
      expect(rows(db, 'SELECT * FROM document_lines ORDER BY document_id, position')).toEqual(linesBefore);
      const partnersAfter = rows(db, 'SELECT * FROM partners ORDER BY id');
      // Migration 14 adds the (empty) phone number; migration 17 gives an employee's personal number its
      // own column, copied from registration_number.
      expect(partnersAfter).toEqual(
        (partnersBefore as Record<string, unknown>[]).map((row) => ({
          ...row,
          company_id: 1,
          phone: '',
          personal_number: row['kind'] === 'employee' ? row['registration_number'] : '',
        })),
      );
      const [company] = rows(db, 'SELECT * FROM companies') as Record<string, unknown>[];
      expect(company).toEqual(expect.objectContaining(companyBefore[0] as object));
      // The old seed's company (the demo's IČO, nothing imported into it) is the demo: removable as such.
      expect(company?.['is_demo']).toBe(1);
      expect(rows(db, 'SELECT company_id FROM outbox_messages')).toEqual([{ company_id: 1 }]);
      expect(rows(db, 'SELECT company_id FROM outbox_batches')).toEqual([{ company_id: 1 }]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM payslip_exports')).toEqual([{ n: 1 }]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM partner_recipients')).toEqual([{ n: 1 }]);
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
      expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });

      const repository = new DocumentRepository(db);
      expect(repository.getCompany().name).toBe('Účetní kancelář Bílá & Čížek s.r.o.');
      const summaries = repository.listDocuments({ companyId: 1 });
      expect(summaries.map((s) => [s.number, s.companyName])).toEqual([
        ['DB-2026-0001', 'Účetní kancelář Bílá & Čížek s.r.o.'],
        ['FV-2026-0001', 'Účetní kancelář Bílá & Čížek s.r.o.'],
        ['VL-2026-07-001', 'Účetní kancelář Bílá & Čížek s.r.o.'],
      ]);
      expect(repository.getDocument(1)?.lines).toHaveLength(2);
    } finally {
      db.close();
    }
  });

  it('make document numbers unique per company, not across companies', () => {
    createVersion8Database();
    const db = openDatabase(file);
    try {
      db.exec("INSERT INTO companies (id, name, country) VALUES (2, 'Biuro Żuraw', 'PL')");
      db.exec(
        "INSERT INTO partners (id, company_id, kind, name, contact_person, email, street, city, postal_code, country, registration_number, tax_id, language) VALUES (3, 2, 'business', 'Gęśla', '', '', '', '', '', 'PL', '', '', 'pl')",
      );
      const insert = db.prepare(
        "INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency, variable_symbol, period, related_number, note) VALUES (?, 'invoice', 'FV-2026-0001', ?, '2026-09-01', '', '', 'PLN', '', '', '', '')",
      );
      expect(() => insert.run(2, 3)).not.toThrow();
      expect(() => insert.run(1, 1)).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('mark the old demo company as demo, so "Remove demo companies" removes it with its data', () => {
    createVersion8Database();
    const db = openDatabase(file);
    try {
      const repository = new DocumentRepository(db);
      expect(repository.companies.list().map((c) => [c.registrationNumber, c.isDemo])).toEqual([['27082440', true]]);
      expect(repository.companies.removeDemo()).toBe(1);
      expect(repository.companies.list()).toEqual([]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM documents')).toEqual([{ n: 0 }]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM partners')).toEqual([{ n: 0 }]);
    } finally {
      db.close();
    }
  });

  it('fix a file migrated before: the old demo gets is_demo, a real company and one holding imports do not', () => {
    createVersion8Database();
    const db = new DatabaseSync(file);
    db.exec('PRAGMA foreign_keys = ON');
    // Migrated by the Kurier before this fix (migrations 1–19), the demo left at is_demo = 0.
    expect(applyMigrations(db, migrations.slice(0, 19))).toBe(19);
    expect(rows(db, 'SELECT is_demo FROM companies')).toEqual([{ is_demo: 0 }]);
    db.exec(`
      INSERT INTO companies (id, name, country, registration_number, tax_id) VALUES
        (2, 'Truhlářství Šťastný s.r.o.', 'CZ', '25596641', 'CZ25596641'),
        (3, 'Bílá & Čížek (skutečná)', 'CZ', '27082440', 'CZ27082440');
      INSERT INTO partners (id, company_id, kind, name, contact_person, email, street, city, postal_code, country,
        registration_number, tax_id, language) VALUES (9, 3, 'business', 'Odběratel', '', '', '', '', '', 'CZ', '', '', 'cs');
      INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency,
        variable_symbol, period, related_number, note, source) VALUES
        (3, 'invoice', 'FV-2026-0901', 9, '2026-09-15', '2026-09-29', '2026-09-15', 'CZK', '', '', '', '', 'isdoc');
    `);
    db.close();
    const migrated = openDatabase(file);
    try {
      expect(rows(migrated, 'SELECT id, is_demo FROM companies ORDER BY id')).toEqual([
        { id: 1, is_demo: 1 },
        { id: 2, is_demo: 0 },
        { id: 3, is_demo: 0 },
      ]);
    } finally {
      migrated.close();
    }
  });
});
