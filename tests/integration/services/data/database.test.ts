import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrations, openDatabase, schemaVersion } from '../../../../electron/services/data/database';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-db-'));
  file = join(dir, 'kurier.sqlite');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tableNames(db: DatabaseSync): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => String(row['name']));
}

describe('openDatabase', () => {
  it('creates the schema once and records the version', () => {
    const db = openDatabase(file);
    try {
      expect(schemaVersion(db)).toBe(migrations.length);
      expect(tableNames(db)).toEqual(expect.arrayContaining(['companies', 'partners', 'documents', 'document_lines']));
    } finally {
      db.close();
    }
  });

  it('does not re-apply migrations when the file is reopened', () => {
    const first = openDatabase(file);
    first
      .prepare(
        "INSERT INTO partners (kind, name, contact_person, email, street, city, postal_code, country, registration_number, tax_id, language) VALUES ('business', 'Dvořák', '', '', '', '', '', 'CZ', '', '', 'cs')",
      )
      .run();
    first.close();

    // Migration 1 would fail with "table company already exists" if it ran again.
    const second = openDatabase(file);
    try {
      expect(schemaVersion(second)).toBe(migrations.length);
      expect(second.prepare('SELECT name FROM partners').all()).toEqual([{ name: 'Dvořák' }]);
    } finally {
      second.close();
    }
  });

  it('turns on WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(file);
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
      expect(Number(db.prepare('PRAGMA busy_timeout').get()?.['timeout'])).toBeGreaterThan(0);
      expect(() =>
        db
          .prepare(
            "INSERT INTO documents (company_id, kind, number, partner_id, issue_date, due_date, taxable_supply_date, currency, variable_symbol, period, related_number, note) VALUES (1, 'invoice', 'FV-1', 999, '', '', '', 'CZK', '', '', '', '')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema', () => {
    const raw = new DatabaseSync(file);
    raw.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer/);
  });
});

describe('applyMigrations', () => {
  it('applies only the migrations appended since the last run', () => {
    const db = new DatabaseSync(file);
    try {
      const v1 = ['CREATE TABLE a (x INTEGER)'];
      expect(applyMigrations(db, v1)).toBe(1);
      expect(applyMigrations(db, [...v1, 'CREATE TABLE b (y INTEGER)'])).toBe(2);
      expect(tableNames(db)).toEqual(['a', 'b']);
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back whole and keeps the previous version', () => {
    const db = new DatabaseSync(file);
    try {
      const v1 = ['CREATE TABLE a (x INTEGER)'];
      applyMigrations(db, v1);
      expect(() => applyMigrations(db, [...v1, 'CREATE TABLE b (y INTEGER); SELECT * FROM missing'])).toThrow();
      expect(schemaVersion(db)).toBe(1);
      expect(tableNames(db)).toEqual(['a']);
    } finally {
      db.close();
    }
  });
});
