/**
 * The real `kurier` command (bin/kurier.mjs → out/main/cli.js), spawned with an argv array on a temporary
 * KURIER_DATA_DIR: what a script sees on stdout and in the exit code, and what lands on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/data/database';
import { ImportSettingsRepository } from '../../../electron/services/imports/import-settings';
import { OutboxStore } from '../../../electron/services/outbox/outbox-store';
import { plainMessages } from '../../support/outbox-fixture';
import { buildApp } from '../../support/global-setup';
import { renderPayrollPdf } from '../../support/payroll-pdf';
import { withKsefChecksum } from '../../support/ksef-number';
import { encodeWindows1250 } from '../../support/windows-1250';

/** The KSeF number typed with --ksef-number (its check part right). */
const typedKsef = withKsefChecksum('6772244113-20260916-0A1B2C3D4E60');

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'bin', 'kurier.mjs');
const fixtures = path.join(root, 'tests', 'fixtures', 'documents');
let dataDir: string;

beforeAll(() => {
  if (!existsSync(path.join(root, 'out', 'main', 'cli.js'))) buildApp();
}, 180_000);

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kurier-cli-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function kurier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...process.env, KURIER_DATA_DIR: dataDir, HOME: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('kurier command line', () => {
  it('imports a folder (exit 1 when something was rejected), lists the documents as JSON and exports one PDF', async () => {
    const dry = await kurier('import', path.join(fixtures, 'isdoc-1-invoice.isdoc'), '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual([
      expect.objectContaining({ dryRun: true, status: 'ready', fileName: 'isdoc-1-invoice.isdoc' }),
    ]);
    expect((await kurier('documents', '--json')).stdout).not.toContain('FV-2026-0901');

    const all = await kurier('import', fixtures, path.join(fixtures, 'hostile', 'isdoc-xxe.isdoc'), '--json');
    expect(all.code).toBe(1);
    const results = lines(all.stdout);
    expect(results.find((r) => r['fileName'] === 'isdoc-xxe.isdoc')).toMatchObject({
      status: 'rejected',
      reason: { code: 'doctypeRefused' },
    });
    expect(results.filter((r) => r['status'] === 'imported').length).toBeGreaterThanOrEqual(14);

    const listed = lines((await kurier('documents', '--company', '6772244113', '--json')).stdout);
    expect(listed.find((d) => d['number'] === 'FV/2026/09/001')).toEqual({
      company: { name: 'Biuro Rachunkowe Żuraw i Wspólnicy sp. z o.o.', registrationNumber: '365123458', taxId: '6772244113' },
      partner: { name: 'Przędzalnia Łódzka Źdźbło sp. z o.o.', registrationNumber: '', taxId: '5260259950' },
      kind: 'invoice',
      number: 'FV/2026/09/001',
      issueDate: '2026-09-15',
      dueDate: '2026-09-29',
      currency: 'PLN',
      netMinor: 369_180,
      vatMinor: 70_576,
      totalMinor: 439_756,
      email: 'ksiegowosc@przedzalnia-zdzblo.example',
      sourceFile: '6772244113-20260915-0A1B2C3D4E5F-7C.xml',
      source: 'ksef',
      status: 'ok',
      ksefNumber: '6772244113-20260915-0A1B2C3D4E5F-7C',
    });
    expect(listed.every((d) => (d['company'] as { taxId: string }).taxId === '6772244113')).toBe(true);
    // The NIP as it is usually written, with dashes, names the same company.
    expect(lines((await kurier('documents', '--company', '677-224-41-13', '--json')).stdout)).toEqual(listed);

    const out = path.join(dataDir, 'out');
    const exported = await kurier('export', 'FV-2026-0905', '--out', out, '--json');
    expect(exported.code).toBe(0);
    const { path: pdfPath } = lines(exported.stdout)[0] as { path: string };
    expect(path.dirname(pdfPath)).toBe(out);
    // Its own PDF (ISDOC embedded), byte for byte: never re-rendered.
    expect((await readFile(pdfPath)).equals(await readFile(path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf')))).toBe(
      true,
    );
  });

  it('exports beside a running Kurier without touching its outbox: a message it is sending stays its own', async () => {
    const listed = lines((await kurier('documents', '--json')).stdout);
    const number = String(listed[0]?.['number']);
    // The desk's Kurier is in the middle of sending a message (claimed, DATA not yet sent).
    const db = openDatabase(path.join(dataDir, 'kurier.sqlite'));
    const store = new OutboxStore(db);
    const now = Date.now();
    const batchId = store.createBatch({ kind: 'send', accountScope: 'global', now }, plainMessages(1, now));
    expect(store.claimNext(batchId, now)?.status).toBe('sending');
    db.close();

    const exported = await kurier('export', number, '--out', path.join(dataDir, 'out'));
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);

    // A worker started by the command would have taken the message back as interrupted (queued again,
    // so both could send it): it is still the running Kurier's.
    const after = openDatabase(path.join(dataDir, 'kurier.sqlite'));
    const row = after.prepare('SELECT status FROM outbox_messages WHERE batch_id = ?').get(batchId);
    after.close();
    expect(row).toEqual({ status: 'sending' });
  });

  it('imports one FA(3) file with the KSeF number given by --ksef-number, and refuses it for several files', async () => {
    const several = await kurier(
      'import',
      path.join(fixtures, 'fa3-zal-advance.xml'),
      path.join(fixtures, 'fa3-kor-correction.xml'),
      '--ksef-number',
      typedKsef,
    );
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('--ksef-number is for a single KSeF file');
    expect(several.stderr).toContain('usage:');
    expect((await kurier('documents', '--json')).stdout).not.toContain('FZ/2026/09/001');

    // A typo in the number (its check part does not match) is refused before anything is read.
    const typo = await kurier(
      'import',
      path.join(fixtures, 'fa3-zal-advance.xml'),
      '--ksef-number',
      typedKsef.replace('E60-', 'E61-'),
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('has a typo: its check characters do not match');
    expect((await kurier('documents', '--json')).stdout).not.toContain('FZ/2026/09/001');

    const one = await kurier('import', path.join(fixtures, 'fa3-zal-advance.xml'), '--ksef-number', typedKsef, '--json');
    expect(one.code).toBe(0);
    expect(lines(one.stdout)).toEqual([expect.objectContaining({ status: 'imported', number: 'FZ/2026/09/001' })]);
    const listed = lines((await kurier('documents', '--company', '6772244113', '--json')).stdout);
    expect(listed.find((d) => d['number'] === 'FZ/2026/09/001')).toMatchObject({
      kind: 'advanceInvoice',
      ksefNumber: typedKsef,
      netMinor: 500_000,
      vatMinor: 115_000,
      totalMinor: 615_000,
    });
  });

  it('says how to use it and exits 2 on bad usage', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['import'],
      ['documents', '--colour'],
      ['import', 'x.isdoc', '--company', '99999999'],
    ]) {
      const result = await kurier(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage:');
    }
    expect((await kurier('export', 'NO-SUCH-1')).code).toBe(1);
  });

  it('imports a partner list and, once the rule is confirmed, payroll into the named company', { timeout: 180_000 }, async () => {
    const csv = path.join(dataDir, 'partneri.csv');
    await writeFile(csv, encodeWindows1250('Název;IČO;E-mail\r\nŽluťoučký kůň, s.r.o.;25796101;fakturace@kun.example\r\n'));
    const noCompany = await kurier('import', csv);
    expect(noCompany.code).toBe(2);
    expect(noCompany.stderr).toContain('need --company');

    const dry = await kurier('import', csv, '--company', '27082440', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual([
      expect.objectContaining({ dryRun: true, kind: 'partner', action: 'create', name: 'Žluťoučký kůň, s.r.o.', line: 2 }),
    ]);
    const done = await kurier('import', csv, '--company', '27082440', '--json');
    expect(done.code).toBe(0);
    expect(lines(done.stdout)).toEqual([expect.objectContaining({ kind: 'partner', action: 'create' })]);
    expect(lines((await kurier('import', csv, '--company', '27082440', '--json')).stdout)).toEqual([
      expect.objectContaining({ action: 'unchanged' }),
    ]);

    const pdf = path.join(dataDir, 'mzdy-2026-11.pdf');
    await writeFile(
      pdf,
      await renderPayrollPdf([
        { personalNumber: '501', name: 'Kateřina Nováčková', pages: 2 },
        { personalNumber: '502', name: 'Jiří Růžička', pages: 1 },
      ]),
    );
    const unconfirmed = await kurier('import', pdf, '--company', '27082440', '--json');
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain('no payroll rule is confirmed for Účetní kancelář Bílá & Čížek s.r.o. yet');
    expect(lines(unconfirmed.stdout)).toEqual([
      { kind: 'payroll', fileName: 'mzdy-2026-11.pdf', status: 'rejected', reason: 'payrollRuleUnconfirmed' },
    ]);

    // What the app's "Confirm the rule" stores, and the employees' personal numbers.
    const db = openDatabase(path.join(dataDir, 'kurier.sqlite'));
    const company = db.prepare("SELECT id FROM companies WHERE registration_number = '27082440'").get() as { id: number };
    new ImportSettingsRepository(db).update(company.id, { payrollRule: { by: 'personalNumber', label: 'Osobní číslo' } });
    const setNumber = db.prepare('UPDATE partners SET personal_number = ? WHERE company_id = ? AND name = ?');
    setNumber.run('501', company.id, 'Kateřina Nováčková');
    setNumber.run('502', company.id, 'Jiří Růžička');
    db.close();

    const planned = await kurier('import', pdf, '--company', '27082440', '--dry-run', '--json');
    expect(planned.code).toBe(0);
    expect(lines(planned.stdout).map((l) => [l['number'], l['status'], l['pages']])).toEqual([
      ['VL-2026-11-501', 'create', [1, 2]],
      ['VL-2026-11-502', 'create', [3, 3]],
    ]);
    const imported = await kurier('import', pdf, '--company', '27082440', '--json');
    expect(imported.code).toBe(0);
    expect(lines(imported.stdout).map((l) => [l['employee'], l['status']])).toEqual([
      ['Kateřina Nováčková', 'imported'],
      ['Jiří Růžička', 'imported'],
    ]);
    const listed = lines((await kurier('documents', '--company', '27082440', '--json')).stdout);
    expect(listed.filter((d) => d['kind'] === 'payslip').map((d) => d['number'])).toEqual(
      expect.arrayContaining(['VL-2026-11-501', 'VL-2026-11-502']),
    );
    expect((await kurier('import', pdf, '--company', '27082440')).code).toBe(1);
  });
});
