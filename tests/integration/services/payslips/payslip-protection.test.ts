/**
 * Password-protected payslips, for real: the PDF does not open without the employee's password and opens
 * with it (poppler), the password lives only in the keychain — not in any file Kurier keeps, its log, or
 * any e-mail it sends — mandatory protection keeps unprotected payslips out of a batch, and the handover
 * sheet and SMS list carry the passwords by another channel.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSink } from '../../../../electron/services/logging/logger';
import { generatePayslipPassword, payslipPasswordKey } from '../../../../electron/services/payslips/payslip-passwords';
import { writeHandover } from '../../../../electron/services/payslips/handover';
import type { Partner } from '../../../../shared/domain';
import { createAppFixture, fontDir, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
let certificate: TestCertificate;
let server: SmtpTestServer;
beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: false });
});
afterAll(() => server.close());

const normalise = (text: string) => text.replace(/[\s\u00a0\u202f]+/gu, ' ');

async function pdftext(file: string, password?: string): Promise<string> {
  const { stdout } = await run('pdftotext', [...(password ? ['-upw', password] : []), '-layout', file, '-'], {
    encoding: 'utf8',
  });
  return normalise(stdout);
}

function employees(app: AppFixture): Partner[] {
  return app.services.documents.listPartners().filter((partner) => partner.kind === 'employee');
}

function payslipsOf(app: AppFixture, partner: Partner): number[] {
  return app.services.documents
    .listDocuments()
    .filter((doc) => doc.kind === 'payslip' && doc.partnerId === partner.id)
    .map((doc) => doc.id);
}

async function configureSmtp(app: AppFixture): Promise<void> {
  await app.services.prefs.updateGlobal(
    { smtp: testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert }) },
    { action: 'set', value: 'správné-heslo' },
  );
  await app.services.prefs.updateUser(
    { exportFolder: '', globalPrefsFolder: '', overrides: { bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 } } },
    { action: 'keep' },
  );
}

describe('payslip passwords', () => {
  it('are generated readable: four groups of four, no look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePayslipPassword({
        name: 'Jiří Růžička',
        email: 'jiri.ruzicka@posta-demo.example',
        taxId: '',
        registrationNumber: '',
      });
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});

describe.skipIf(!keyringAvailable)('a protected payslip', () => {
  it('does not open without the password, opens with it, and reads exactly like the unprotected one', async () => {
    const app = await createAppFixture();
    const [employee] = employees(app);
    if (!employee) throw new Error('no employee in the demo data');
    const [payslip = 0] = payslipsOf(app, employee);
    const plain = await app.services.exporter.exportFile(payslip, app.exportDir);

    await app.services.payslips.change(employee, { action: 'generate' });
    const password = (await app.secrets.get(payslipPasswordKey(employee.id))) ?? '';
    const secured = await app.services.exporter.exportFile(payslip, app.exportDir);

    await expect(run('pdfinfo', [secured.filePath])).rejects.toMatchObject({
      stderr: expect.stringMatching(/Incorrect password/i) as unknown,
    });
    await expect(run('pdftotext', ['-upw', 'spatne-heslo', secured.filePath, '-'])).rejects.toBeDefined();
    const info = (await run('pdfinfo', ['-upw', password, secured.filePath], { encoding: 'utf8' })).stdout;
    expect(info).toMatch(/Encrypted:\s+yes \(print:yes copy:no change:no addNotes:no algorithm:AES-256\)/);
    const text = await pdftext(secured.filePath, password);
    expect(text).toBe(await pdftext(plain.filePath));
    expect(text).toContain(employee.name);
    // The file does not carry the password in the clear.
    expect((await readFile(secured.filePath)).includes(Buffer.from(password))).toBe(false);
  });

  it('is never e-mailed with its password, and the change history names who and when, never the password', async () => {
    const app = await createAppFixture();
    await configureSmtp(app);
    const [employee] = employees(app);
    if (!employee) throw new Error('no employee');
    await app.services.payslips.change(employee, { action: 'set', value: 'Tajné-heslo-2026' });
    const [payslip = 0] = payslipsOf(app, employee);
    const outcome = await app.services.sender.run({
      documentId: payslip,
      format: 'pdf',
      folder: app.exportDir,
      copy: {
        to: 'zamestnanec@firma.example',
        subject: 'Výplatní páska',
        body: 'Heslo: Tajné-heslo-2026',
        cc: '',
        bcc: '',
        route: 'smtp',
      },
      smtpPassword: null,
    });
    expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'payslip.passwordInMail' } });
    expect(server.received).toHaveLength(0);

    await app.services.payslips.change(employee, { action: 'generate' });
    const [status] = await app.services.payslips.statuses([employee]);
    expect(status).toMatchObject({ partnerId: employee.id, hasPassword: true, generation: 2, lastAction: 'generated' });
    expect(status?.changedBy).not.toBe('');
    const events = app.services.db.prepare('SELECT * FROM payslip_password_events').all();
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain('Tajné-heslo-2026');
  });
});

describe.skipIf(!keyringAvailable)('a password written differently in the message', () => {
  it('still stops the e-mail: 800101/1234 for a password 8001011234 kept from before the rules', async () => {
    const app = await createAppFixture();
    await configureSmtp(app);
    const [employee] = employees(app);
    if (!employee) throw new Error('no employee');
    await app.secrets.set(payslipPasswordKey(employee.id), '8001011234');
    const [payslip = 0] = payslipsOf(app, employee);
    for (const body of [
      'Heslo je vaše rodné číslo 800101/1234.',
      'Heslo: 800 101 1234',
      'Heslo: 800-101-1234',
      'Heslo: 800.101.1234',
    ]) {
      const copy = { to: employee.email, subject: 'Výplatní páska', body, cc: '', bcc: '', route: 'smtp' as const };
      const outcome = await app.services.sender.run({
        documentId: payslip,
        format: 'pdf',
        folder: app.exportDir,
        copy,
        smtpPassword: null,
      });
      expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'payslip.passwordInMail' } });
    }
    expect(server.received).toHaveLength(0);
  });
});

describe.skipIf(!keyringAvailable)('a typed payslip password', () => {
  it('is refused when short or guessable, and then neither stored nor recorded', async () => {
    const app = await createAppFixture();
    const [employee] = employees(app);
    if (!employee) throw new Error('no employee');
    for (const [value, code] of [
      ['Kočka-2026', 'payslip.passwordTooShort'],
      ['800101 / 1238', 'payslip.passwordGuessable'],
      ['+420 603 123 456', 'payslip.passwordGuessable'],
      [`${employee.name}!`, 'payslip.passwordPersonal'],
    ] as const) {
      await expect(app.services.payslips.change(employee, { action: 'set', value })).rejects.toMatchObject({ code });
    }
    expect(await app.secrets.get(payslipPasswordKey(employee.id))).toBeNull();
    expect(app.services.payslips.generation(employee.id)).toBe(0);
  });
});

describe.skipIf(!keyringAvailable)('mandatory protection', () => {
  it('lists employees without a password in the dry run, and sends only the protected payslips', async () => {
    const app = await createAppFixture();
    await configureSmtp(app);
    await app.services.prefs.updateGlobal(
      {
        ...app.services.prefs.globalPrefs(),
        sending: { route: 'smtp', sendCopy: false, cc: '', bcc: '', payslipProtection: 'mandatory', outlookMode: 'display' },
      },
      { action: 'keep' },
    );
    const [protectedOne, unprotected] = employees(app);
    if (!protectedOne || !unprotected) throw new Error('the demo data needs two employees');
    await app.services.payslips.change(protectedOne, { action: 'generate' });
    const ids = [...payslipsOf(app, protectedOne), ...payslipsOf(app, unprotected)];

    const dryRun = await app.services.batches.dryRun(ids, { kind: 'partner' });
    const missing = dryRun.items.filter((item) => item.problem === 'noPassword');
    expect(missing.map((item) => item.partnerName)).toEqual(payslipsOf(app, unprotected).map(() => unprotected.name));
    expect(dryRun.sendable).toBe(payslipsOf(app, protectedOne).length);

    const { batchId, skipped } = await app.services.batches.start({
      documentIds: ids,
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });
    expect(skipped.map((item) => item.problem)).toEqual(payslipsOf(app, unprotected).map(() => 'noPassword'));
    await expect.poll(() => app.services.outbox.batch(batchId)?.status, { timeout: 20_000 }).toBe('done');
    const received = server.received.splice(0);
    expect(received.map((message) => message.envelopeTo[0])).toEqual(payslipsOf(app, protectedOne).map(() => protectedOne.email));
    await expect(app.services.exporter.exportFile(payslipsOf(app, unprotected)[0] ?? 0, app.exportDir)).rejects.toMatchObject({
      code: 'payslip.passwordMissing',
    });

    // A user who takes the sending section over (for a CC preset) does not switch the office's rule off.
    await app.services.prefs.updateUser(
      {
        ...app.services.prefs.userPrefs(),
        overrides: {
          ...app.services.prefs.userPrefs().overrides,
          sending: {
            route: 'smtp',
            sendCopy: false,
            cc: 'sef@kancelar.example',
            bcc: '',
            payslipProtection: 'optional',
            outlookMode: 'display',
          },
        },
      },
      { action: 'keep' },
    );
    await expect(app.services.exporter.exportFile(payslipsOf(app, unprotected)[0] ?? 0, app.exportDir)).rejects.toMatchObject({
      code: 'payslip.passwordMissing',
    });
  });
});

describe.skipIf(!keyringAvailable)('where a password may appear', () => {
  it('nowhere Kurier keeps or sends: not in its files, its log, the exported PDFs or the e-mails', async () => {
    const dataDir = await tempDir('kurier-data-');
    const app = await createAppFixture({ dataDir, logSink: fileSink(path.join(dataDir, 'kurier.log')) });
    await configureSmtp(app);
    const passwords: string[] = [];
    for (const employee of employees(app)) {
      await app.services.payslips.change(employee, { action: 'generate' });
      passwords.push((await app.secrets.get(payslipPasswordKey(employee.id))) ?? '');
    }
    const ids = app.services.documents
      .listDocuments()
      .filter((doc) => doc.kind === 'payslip')
      .map((doc) => doc.id);
    const { batchId } = await app.services.batches.start({
      documentIds: ids,
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });
    await expect.poll(() => app.services.outbox.batch(batchId)?.status, { timeout: 30_000 }).toBe('done');
    const received = server.received.splice(0);
    expect(received.length).toBeGreaterThan(0);
    app.services.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');

    const files = [
      ...(await readdir(dataDir)).map((name) => path.join(dataDir, name)),
      ...(await readdir(app.exportDir)).map((name) => path.join(app.exportDir, name)),
      ...(await readdir(app.machinePrefsDir).catch(() => [])).map((name) => path.join(app.machinePrefsDir, name)),
    ];
    expect(files.some((file) => file.endsWith('kurier.log'))).toBe(true);
    for (const file of files) {
      if (!(await stat(file)).isFile()) continue;
      const bytes = await readFile(file);
      for (const password of passwords)
        expect(bytes.includes(Buffer.from(password)), `${path.basename(file)} holds a password`).toBe(false);
    }
    for (const message of received) {
      for (const password of passwords) expect(message.raw.includes(password)).toBe(false);
    }
  });
});

describe.skipIf(!keyringAvailable)('handing passwords over', () => {
  it('prints one slip per employee and writes an SMS list, readable only by this user', async () => {
    const app = await createAppFixture();
    const staff = employees(app);
    for (const employee of staff) await app.services.payslips.change(employee, { action: 'generate' });
    const deps = {
      employees: app.services.documents.listPartners(),
      password: (id: number) => app.services.payslips.get(id),
      generation: (id: number) => app.services.payslips.generation(id),
      company: app.services.documents.getCompany().name,
      fontDir,
      folder: app.exportDir,
      language: 'cs' as const,
      texts: {
        title: 'Heslo k výplatním páskám',
        intro: 'Otevřete je tímto heslem:',
        generation: 'Generace hesla',
        keep: 'Lístek si uschovejte.',
        sms: (password: string) => `Heslo: ${password}`,
        csvHeader: ['Jméno', 'Telefon', 'E-mail', 'Heslo', 'Text SMS'] as const,
      },
    };
    const ids = staff.map((employee) => employee.id);
    const sheet = await writeHandover(deps, ids, 'pdf');
    expect(sheet.count).toBe(staff.length);
    expect((await stat(sheet.path)).mode & 0o777).toBe(0o600);
    const text = await pdftext(sheet.path);
    for (const employee of staff) {
      expect(text).toContain(employee.name);
      expect(text).toContain((await app.services.payslips.get(employee.id)) ?? 'missing');
    }

    const csv = await readFile((await writeHandover(deps, ids, 'csv')).path, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Jméno;Telefon;E-mail;Heslo;Text SMS');
    expect(lines).toHaveLength(staff.length + 1);
    const first = staff[0];
    const password = first ? await app.services.payslips.get(first.id) : null;
    // The SMS gateway sends to the employee's own mobile number (the demo employees all have one).
    expect(first?.phone).toMatch(/^\+(420|48) \d{3} \d{3} \d{3}$/);
    expect(lines[1]).toBe(
      `${first?.name ?? ''};${first?.phone ?? ''};${first?.email ?? ''};${password ?? ''};Heslo: ${password ?? ''}`,
    );
  });
});
