/**
 * The watched folder with real files on disk and a real SQLite file: files present at start, files
 * arriving (slowly) while it runs, a rejected file with its translated reason, and no second import
 * after a restart that finds an already imported file still in the folder (the state a crash between
 * the import's commit and the move leaves).
 */
import { existsSync } from 'node:fs';
import { appendFile, copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { ImportSettingsRepository } from '../../../../electron/services/imports/import-settings';
import { InboxLedger } from '../../../../electron/services/imports/inbox-ledger';
import { InboxService } from '../../../../electron/services/imports/inbox-service';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { addEmployee, importDatabase } from '../../../support/import-db';
import { renderPayrollPdf } from '../../../support/payroll-pdf';
import { encodeWindows1250 } from '../../../support/windows-1250';

const partnersCsv = 'Název;IČO;E-mail\nŽluťoučký kůň s.r.o.;25796101;kun@firma.example\nBeta a.s.;06178235;beta@firma.example\n';

function service(db: DatabaseSync, sent: number[][] = []) {
  const inbox = new InboxService({
    db,
    settings: new ImportSettingsRepository(db),
    ledger: new InboxLedger(db),
    logger: createLogger('inbox', nullSink),
    language: () => 'cs',
    autoSend: (_companyId, ids) => {
      sent.push([...ids]);
      return Promise.resolve();
    },
    stableMs: 150,
    pollMs: 100,
  });
  onTestFinished(() => inbox.stop());
  return inbox;
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const list = async (folder: string) => (await readdir(folder)).sort();
const count = (db: DatabaseSync, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('watched folder', () => {
  it('imports what was there at start and what arrives while it runs; rejects with a translated reason', async () => {
    const { db, dir, companyId } = await importDatabase();
    const inboxDir = path.join(dir, 'zasobnik');
    const settings = new ImportSettingsRepository(db);
    settings.update(companyId, {
      inboxFolder: inboxDir,
      payrollRule: { by: 'personalNumber', label: 'Osobní číslo' },
      autoSendKinds: ['payslip'],
    });
    const jana = addEmployee(db, companyId, 'Jana Malá', '11');
    const petr = addEmployee(db, companyId, 'Petr Velký', '12');
    // Already there before Kurier starts: a partner list in Windows-1250 and a file of an unknown type.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(inboxDir);
    await writeFile(path.join(inboxDir, 'partneri.csv'), encodeWindows1250(partnersCsv));
    await writeFile(path.join(inboxDir, 'poznamka.docx'), 'not an export');

    const sent: number[][] = [];
    const inbox = service(db, sent);
    await inbox.start();
    await waitFor(
      async () => ((await list(path.join(inboxDir, 'imported'))).includes('partneri.csv') ? true : undefined),
      'the CSV',
    );
    expect(count(db, `SELECT COUNT(*) AS n FROM partners WHERE kind = 'business' AND company_id = ${String(companyId)}`)).toBe(2);
    await waitFor(
      async () => ((await list(path.join(inboxDir, 'rejected'))).includes('poznamka.docx.reason.txt') ? true : undefined),
      'the reason file',
    );
    expect(await readFile(path.join(inboxDir, 'rejected', 'poznamka.docx'), 'utf8')).toBe('not an export'); // untouched
    expect(await readFile(path.join(inboxDir, 'rejected', 'poznamka.docx.reason.txt'), 'utf8')).toContain(
      'Soubory tohoto typu (.docx) Kurier neimportuje',
    );

    // Arriving while running, written in two halves with a pause: never read half-way.
    const payroll = await renderPayrollPdf([
      { personalNumber: '11', name: 'Jana Malá', pages: 2 },
      { personalNumber: '12', name: 'Petr Velký', pages: 1 },
      { personalNumber: '99', name: 'Neznámý Host', pages: 1 },
    ]);
    const target = path.join(inboxDir, 'mzdy-listopad.pdf');
    await writeFile(target, payroll.subarray(0, 1000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    await appendFile(target, payroll.subarray(1000));
    await waitFor(
      async () => ((await list(path.join(inboxDir, 'imported'))).includes('mzdy-listopad.pdf') ? true : undefined),
      'the payroll',
    );
    const payslips = db.prepare("SELECT id, partner_id FROM documents WHERE kind = 'payslip' ORDER BY id").all();
    expect(payslips.map((row) => row['partner_id'])).toEqual([jana, petr]);
    // The unmatched employee is named beside the imported file; the payslips were queued for sending.
    expect(await readFile(path.join(inboxDir, 'imported', 'mzdy-listopad.pdf.reason.txt'), 'utf8')).toContain('99');
    expect(sent).toEqual([payslips.map((row) => row['id'])]);
    expect((await readFile(path.join(inboxDir, 'imported', 'mzdy-listopad.pdf'))).equals(payroll)).toBe(true);
    expect(await list(inboxDir)).toEqual(['imported', 'rejected']);
  });

  it('rejects an encrypted payroll PDF and a PDF when no payroll rule is confirmed, keeping both originals', async () => {
    const { db, dir, companyId } = await importDatabase();
    const inboxDir = path.join(dir, 'zasobnik');
    new ImportSettingsRepository(db).update(companyId, { inboxFolder: inboxDir });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(inboxDir);
    const locked = await renderPayrollPdf([{ personalNumber: '1', name: 'A B', pages: 1 }], { userPassword: 'heslo' });
    await writeFile(path.join(inboxDir, 'zamcene.pdf'), locked);
    const inbox = service(db);
    await inbox.start();
    const reason = await waitFor(async () => {
      const file = path.join(inboxDir, 'rejected', 'zamcene.pdf.reason.txt');
      return existsSync(file) ? readFile(file, 'utf8') : undefined;
    }, 'the reason');
    expect(reason).toContain('není potvrzeno pravidlo pro rozdělení mezd');
    await inbox.stop();

    new ImportSettingsRepository(db).update(companyId, { payrollRule: { by: 'personalNumber', label: 'Osobní číslo' } });
    await copyFile(path.join(inboxDir, 'rejected', 'zamcene.pdf'), path.join(inboxDir, 'zamcene.pdf'));
    const again = service(db);
    await again.start();
    const second = await waitFor(async () => {
      const file = path.join(inboxDir, 'rejected', 'zamcene (2).pdf.reason.txt');
      return existsSync(file) ? readFile(file, 'utf8') : undefined;
    }, 'the second reason');
    expect(second).toContain('PDF je chráněné heslem');
    expect((await readFile(path.join(inboxDir, 'rejected', 'zamcene (2).pdf'))).equals(locked)).toBe(true);
  });

  it('does not import a file twice after a restart that finds it still in the folder', async () => {
    const { db, dir, file, companyId } = await importDatabase();
    const inboxDir = path.join(dir, 'zasobnik');
    new ImportSettingsRepository(db).update(companyId, {
      inboxFolder: inboxDir,
      payrollRule: { by: 'personalNumber', label: 'Osobní číslo' },
    });
    addEmployee(db, companyId, 'Jana Malá', '11');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(inboxDir);
    const payroll = await renderPayrollPdf([{ personalNumber: '11', name: 'Jana Malá', pages: 1 }]);
    await writeFile(path.join(inboxDir, 'mzdy.pdf'), payroll);
    const first = service(db);
    await first.start();
    await waitFor(() => (existsSync(path.join(inboxDir, 'imported', 'mzdy.pdf')) ? true : undefined), 'the first import');
    await first.stop();
    db.close();

    // The state a crash after the commit and before the move leaves: the same bytes in the folder.
    await writeFile(path.join(inboxDir, 'mzdy.pdf'), payroll);
    const reopened = openDatabase(file);
    onTestFinished(() => {
      reopened.close();
    });
    const second = service(reopened);
    await second.start();
    await waitFor(
      () => (existsSync(path.join(inboxDir, 'imported', 'mzdy (2).pdf')) ? true : undefined),
      'the move after restart',
    );
    expect(count(reopened, "SELECT COUNT(*) AS n FROM documents WHERE kind = 'payslip'")).toBe(1);
    expect(existsSync(path.join(inboxDir, 'imported', 'mzdy (2).pdf.reason.txt'))).toBe(false);
    expect(count(reopened, 'SELECT COUNT(*) AS n FROM inbox_files')).toBe(1);
  });
});

describe('watched folder with ISDOC files', () => {
  it('imports an ISDOC of its company through import-core and rejects one of an unknown company', async () => {
    const { seedDemoCompany } = await import('../../../../electron/services/documents/demo-seed');
    const { DocumentRepository } = await import('../../../../electron/services/documents/document-repository');
    const { inboxDocuments } = await import('../../../../electron/services/imports/inbox-documents');
    const { mkdir } = await import('node:fs/promises');
    const { dir } = await importDatabase();
    const db = openDatabase(path.join(dir, 'demo.sqlite'));
    onTestFinished(() => {
      if (db.isOpen) db.close();
    });
    seedDemoCompany(db, () => new Date('2026-12-01T10:00:00Z'));
    const documents = new DocumentRepository(db);
    const czech = documents.companies.list().find((company) => company.country === 'CZ' && company.isDemo);
    if (!czech) throw new Error('no Czech demo company');
    const inboxDir = path.join(dir, 'isdoc-inbox');
    new ImportSettingsRepository(db).update(czech.id, { inboxFolder: inboxDir });
    await mkdir(inboxDir);
    const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');
    await copyFile(path.join(fixtures, 'isdoc-1-invoice.isdoc'), path.join(inboxDir, 'isdoc-1-invoice.isdoc'));
    await copyFile(path.join(fixtures, 'isdoc-unknown-company.isdoc'), path.join(inboxDir, 'cizi.isdoc'));
    const inbox = new InboxService({
      db,
      settings: new ImportSettingsRepository(db),
      ledger: new InboxLedger(db),
      logger: createLogger('inbox', nullSink),
      language: () => 'en',
      documents: inboxDocuments({ db, documents, clock: () => new Date('2026-12-01T10:00:00Z') }),
      autoSend: () => Promise.resolve(),
      stableMs: 100,
      pollMs: 100,
    });
    onTestFinished(() => inbox.stop());
    await inbox.start();
    await waitFor(
      () => (existsSync(path.join(inboxDir, 'rejected', 'cizi.isdoc.reason.txt')) ? true : undefined),
      'the rejection',
    );
    await waitFor(() => (existsSync(path.join(inboxDir, 'imported', 'isdoc-1-invoice.isdoc')) ? true : undefined), 'the import');
    const imported = documents.listDocuments({ companyId: czech.id }).find((document) => document.number === 'FV-2026-0901');
    expect(imported).toBeDefined();
    expect(count(db, 'SELECT COUNT(*) AS n FROM inbox_files')).toBe(1);
    expect((await readFile(path.join(inboxDir, 'rejected', 'cizi.isdoc.reason.txt'), 'utf8')).trim()).not.toBe('');
  });
});
