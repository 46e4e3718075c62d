/** A fresh, migrated Kurier database file with one client company, for import tests. */
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../electron/services/data/database';
import { CompanyRepository } from '../../electron/services/documents/company-repository';
import { tempDir } from './temp-dir';

/** The database, its folder and the id of company "Účetní klient s.r.o." (CZ). */
export async function importDatabase(): Promise<{ db: DatabaseSync; dir: string; file: string; companyId: number }> {
  const dir = await tempDir('kurier-import-');
  const file = path.join(dir, 'kurier.sqlite');
  const db = openDatabase(file);
  onTestFinished(() => {
    if (db.isOpen) db.close();
  });
  const companyId = new CompanyRepository(db).create({
    name: 'Účetní klient s.r.o.',
    address: { street: 'Husova 5', city: 'Brno', postalCode: '602 00', country: 'CZ' },
    registrationNumber: '25596641',
    taxId: 'CZ25596641',
    email: 'klient@firma.example',
    phone: '',
    bankAccount: '',
    iban: '',
  });
  return { db, dir, file, companyId };
}

/** Adds an employee (its registration number is the payroll personal number) and returns its id. */
export function addEmployee(db: DatabaseSync, companyId: number, name: string, personalNumber: string): number {
  const result = db
    .prepare(
      `INSERT INTO partners (company_id, kind, name, contact_person, email, street, city, postal_code, country,
         registration_number, tax_id, language) VALUES (?, 'employee', ?, ?, ?, '', '', '', 'CZ', ?, '', 'cs')`,
    )
    .run(companyId, name, name, `${personalNumber}@zamestnanci.example`, personalNumber);
  return Number(result.lastInsertRowid);
}
