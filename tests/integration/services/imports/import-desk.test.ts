/**
 * The import button's desk on a real SQLite file: chosen files sorted into documents, partner lists and
 * payroll; the partner preview's mapping remembered per company by header name; the payroll rule
 * confirmed once per company before anything is written, and employees matched by their own personal
 * number column (migration 17).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ImportDesk } from '../../../../electron/services/imports/import-desk';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { ImportSettingsRepository } from '../../../../electron/services/imports/import-settings';
import { PartnerDesk } from '../../../../electron/services/imports/partner-desk';
import { PayrollDesk } from '../../../../electron/services/imports/payroll-desk';
import type { PartnerCsvMapping } from '../../../../shared/import-desk';
import { KurierError } from '../../../../shared/errors';
import { addEmployee, importDatabase } from '../../../support/import-db';
import { renderPayrollPdf } from '../../../support/payroll-pdf';
import { encodeWindows1250 } from '../../../support/windows-1250';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');

async function desks() {
  const { db, companyId } = await importDatabase();
  const documents = new DocumentRepository(db);
  const desk = new ImportDesk(new ImportService({ db, documents, clock: () => new Date('2026-12-01T10:00:00Z') }));
  const settings = new ImportSettingsRepository(db);
  const options = { db, settings, staging: desk.staging, now: () => Date.parse('2026-12-01T10:00:00Z') };
  return { db, companyId, desk, settings, partners: new PartnerDesk(options), payroll: new PayrollDesk(options) };
}

const partnerCsv = [
  'Název;IČO/NIP;E-mail;Poznámka',
  'Žluťoučký kůň, s.r.o.;25796101;fakturace@kun.example;VIP',
  'Bez IČO a.s.;;info@bez.example;',
].join('\r\n');

describe('the import desk', () => {
  it('sorts chosen files into a document plan, partner lists and payroll PDFs', async () => {
    const { desk } = await desks();
    const payroll = await renderPayrollPdf([{ personalNumber: '501', name: 'Jiří Růžička', pages: 1 }]);
    const choice = await desk.planBytes([
      { name: 'partneri.csv', bytes: encodeWindows1250(partnerCsv) },
      { name: 'mzdy.pdf', bytes: payroll },
      { name: 'isdoc-1-invoice.isdoc', bytes: await readFile(path.join(fixtures, 'isdoc-1-invoice.isdoc')) },
      { name: 'faktura.pdf', bytes: await readFile(path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf')) },
    ]);
    expect(choice.items.map((item) => item.fileName)).toEqual(['isdoc-1-invoice.isdoc', 'faktura.pdf']);
    expect(choice.partnerFiles.map((file) => file.name)).toEqual(['partneri.csv']);
    expect(choice.payrollFiles.map((file) => file.name)).toEqual(['mzdy.pdf']);
  });

  it('previews a Windows-1250 partner list, commits the edited mapping and offers it again for the company', async () => {
    const { db, companyId, desk, partners } = await desks();
    const [file] = (await desk.planBytes([{ name: 'partneri.csv', bytes: encodeWindows1250(partnerCsv) }])).partnerFiles;
    const preview = partners.plan(companyId, file?.sourceId ?? '');
    expect(preview).toMatchObject({ encoding: 'windows-1250', delimiter: ';', mappingRemembered: false });
    expect(preview.header).toEqual(['Název', 'IČO/NIP', 'E-mail', 'Poznámka']);
    expect(preview.sampleRows[0]?.[0]).toBe('Žluťoučký kůň, s.r.o.');
    expect(preview.mapping).toMatchObject({ name: 0, identifier: 1, email: 2, contactPerson: null });
    expect(preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, refused: 0 });

    // The user maps "Poznámka" to the contact person and leaves the e-mail out.
    const edited: PartnerCsvMapping = { ...preview.mapping, email: null, contactPerson: 3 };
    const outcome = partners.commit(companyId, preview.sourceId, edited);
    expect(outcome.counts.create).toBe(2);
    expect(
      db
        .prepare("SELECT name, email, contact_person FROM partners WHERE company_id = ? AND kind = 'business' ORDER BY id")
        .all(companyId),
    ).toEqual([
      { name: 'Žluťoučký kůň, s.r.o.', email: '', contact_person: 'VIP' },
      { name: 'Bez IČO a.s.', email: '', contact_person: '' },
    ]);
    expect(() => partners.plan(companyId, preview.sourceId)).toThrow(KurierError);

    // The next list has its columns in another order: the remembered mapping follows the header names.
    const next = ['Poznámka;E-mail;Název;IČO/NIP', 'Nový kontakt;nova@kun.example;Žluťoučký kůň, s.r.o.;25796101'].join('\n');
    const [second] = (await desk.planBytes([{ name: 'dalsi.csv', bytes: Buffer.from(next) }])).partnerFiles;
    const again = partners.plan(companyId, second?.sourceId ?? '');
    expect(again).toMatchObject({ encoding: 'utf-8', mappingRemembered: true });
    expect(again.mapping).toMatchObject({ name: 2, identifier: 3, email: null, contactPerson: 0 });
    expect(again.rows).toMatchObject([{ action: 'update', changes: ['contactPerson'] }]);
  });

  it('refuses a mapping that fills two fields from one column', async () => {
    const { companyId, desk, partners } = await desks();
    const [file] = (await desk.planBytes([{ name: 'p.csv', bytes: Buffer.from(partnerCsv) }])).partnerFiles;
    const preview = partners.plan(companyId, file?.sourceId ?? '');
    expect(() => partners.plan(companyId, preview.sourceId, { ...preview.mapping, contactPerson: 0 })).toThrow(KurierError);
  });

  it('writes payslips only after the rule is confirmed, matching the personal number column', async () => {
    const { db, companyId, desk, settings, payroll } = await desks();
    addEmployee(db, companyId, 'Jiří Růžička', '501');
    // An employee written after migration 17: the personal number only in its own column.
    const zofie = addEmployee(db, companyId, 'Žofie Šťastná', '');
    db.prepare('UPDATE partners SET personal_number = ? WHERE id = ?').run('0502', zofie);
    addEmployee(db, companyId, 'Ondřej Kříž', '503');
    const pdf = await renderPayrollPdf(
      [
        { personalNumber: '501', name: 'Jiří Růžička', pages: 2 },
        { personalNumber: '502', name: 'Žofie Šťastná', pages: 1 },
        { personalNumber: '777', name: 'Neznámý Člověk', pages: 1 },
      ],
      { title: 'Výplatní páska za listopad 2026' },
    );
    const choice = await desk.planBytes([{ name: 'mzdy-2026-11.pdf', bytes: pdf }]);
    const sourceIds = choice.payrollFiles.map((file) => file.sourceId);
    const preview = await payroll.plan({ companyId, sourceIds });
    expect(preview).toMatchObject({ ruleConfirmed: false, confirmedRule: null, period: '2026-11' });
    expect(preview.rule).toEqual({ by: 'personalNumber', label: 'Osobní číslo' });
    expect(preview.samplePages.slice(0, 3).map((page) => page.key)).toEqual(['501', null, '502']);
    expect(preview.payslips.map((item) => [item.key, item.employeeName, item.action])).toEqual([
      ['501', 'Jiří Růžička', 'create'],
      ['502', 'Žofie Šťastná', 'create'],
      ['777', '', 'unmatched'],
    ]);
    expect(preview.employeesWithout).toEqual(['Ondřej Kříž']);

    await expect(payroll.commit({ companyId, sourceIds })).rejects.toMatchObject({ code: 'import.payrollRuleUnconfirmed' });
    expect(db.prepare("SELECT count(*) AS n FROM documents WHERE kind = 'payslip'").get()).toEqual({ n: 0 });

    payroll.confirmRule(companyId, preview.rule);
    expect(settings.get(companyId).payrollRule).toEqual({ by: 'personalNumber', label: 'Osobní číslo' });
    expect((await payroll.plan({ companyId, sourceIds })).ruleConfirmed).toBe(true);
    const outcome = await payroll.commit({ companyId, sourceIds });
    expect(outcome.created).toEqual([
      { number: 'VL-2026-11-501', employeeName: 'Jiří Růžička' },
      { number: 'VL-2026-11-0502', employeeName: 'Žofie Šťastná' },
    ]);
    expect(outcome.skipped).toEqual([{ key: '777', action: 'unmatched', number: '' }]);
    expect(db.prepare("SELECT number FROM documents WHERE kind = 'payslip' ORDER BY id").all()).toEqual([
      { number: 'VL-2026-11-501' },
      { number: 'VL-2026-11-0502' },
    ]);
  });
});
