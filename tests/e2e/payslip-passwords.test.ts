/**
 * The payslip passwords window in Chromium: generate a password (the window never sees it), print the
 * handover sheet, and find the password on the sheet and the employee's payslip protected by it.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { payslipPasswordKey } from '../../electron/services/payslips/payslip-passwords';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { startTestWebShell } from '../support/web-shell-fixture';

const run = promisify(execFile);

describe.skipIf(!keyringAvailable)('payslip passwords in the browser', () => {
  test('generate, hand over on paper, and the payslip opens only with it', { timeout: 60_000 }, async () => {
    const fixture = await createAppFixture();
    const employee = fixture.services.documents.listPartners().find((partner) => partner.kind === 'employee');
    if (!employee) throw new Error('no employee');
    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    const page = await openTab(context, () => documents.getByRole('button', { name: 'Payslip passwords' }).click());
    await page.getByRole('heading', { name: 'Payslip passwords' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(employee.name) });
    expect(await row.textContent()).toContain('none — payslips are not protected');

    // "Generate new" asks first; Esc (focus on the safe answer) keeps things as they are.
    const generate = page.getByRole('button', { name: `Generate new password for ${employee.name}` });
    await generate.click();
    const question = page.getByRole('dialog', { name: `Generate a new password? Employee: ${employee.name}` });
    await question.waitFor();
    expect(
      await question
        .getByRole('button', { name: 'Keep the current password' })
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'hidden' });
    expect(await generate.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await fixture.secrets.get(payslipPasswordKey(employee.id))).toBeNull();
    await generate.click();
    await question.getByRole('button', { name: 'Generate new password' }).click();
    await page.getByText(`A new password for ${employee.name} was generated.`, { exact: false }).waitFor();
    expect(await row.textContent()).toContain('set (generation 1)');
    const password = (await fixture.secrets.get(payslipPasswordKey(employee.id))) ?? 'missing';
    // The window shows that a password exists, never the password.
    expect(await page.content()).not.toContain(password);

    await page.getByRole('button', { name: 'Print handover sheet (PDF)' }).click();
    const saved = page.getByText(/The handover sheet for 1 employee is saved as /);
    await saved.waitFor();
    await screenshot(page, 'payslip-passwords.png');
    const sheet = (/saved as (.+\.pdf)\./.exec((await saved.textContent()) ?? '') ?? [])[1] ?? '';
    const { stdout } = await run('pdftotext', [sheet, '-'], { encoding: 'utf8' });
    expect(stdout).toContain(employee.name);
    expect(stdout).toContain(password);

    // The SMS list has the employee's phone number, where the gateway sends the password.
    await page.getByRole('button', { name: 'Export for SMS (CSV)' }).click();
    const smsSaved = page.getByText(/The SMS list for 1 employee is saved as /);
    await smsSaved.waitFor();
    const smsPath = (/saved as (.+\.csv)\./.exec((await smsSaved.textContent()) ?? '') ?? [])[1] ?? '';
    const csv = (await readFile(smsPath, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe('Name;Phone;E-mail;Password;SMS text');
    expect(csv[1]?.split(';').slice(0, 4)).toEqual([employee.name, employee.phone, employee.email, password]);
    expect(employee.phone).not.toBe('');

    const payslip = fixture.services.documents
      .listDocuments()
      .find((doc) => doc.kind === 'payslip' && doc.partnerId === employee.id);
    const file = await fixture.services.exporter.exportFile(payslip?.id ?? 0, fixture.exportDir);
    await expect(run('pdftotext', [file.filePath, '-'])).rejects.toBeDefined();
    expect((await run('pdftotext', ['-upw', password, file.filePath, '-'], { encoding: 'utf8' })).stdout).toContain(
      employee.name,
    );

    // "Remove" asks too; confirmed, the password is gone.
    await page.getByRole('button', { name: `Remove the password of ${employee.name}` }).click();
    const removal = page.getByRole('dialog', { name: `Remove the password? Employee: ${employee.name}` });
    await removal.getByRole('button', { name: 'Remove password' }).click();
    await page.getByText(`The password of ${employee.name} was removed`, { exact: false }).waitFor();
    expect(await fixture.secrets.get(payslipPasswordKey(employee.id))).toBeNull();
  });

  test(
    'a typed password that is short, a birth number or the employee’s name is refused with the reason',
    { timeout: 60_000 },
    async () => {
      const fixture = await createAppFixture();
      const employee = fixture.services.documents.listPartners().find((partner) => partner.kind === 'employee');
      if (!employee) throw new Error('no employee');
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const page = await openTab(context, () => documents.getByRole('button', { name: 'Payslip passwords' }).click());
      await page.getByRole('button', { name: `Set the password for ${employee.name}` }).click();
      const field = page.getByRole('textbox', { name: new RegExp(`^New password for ${employee.name}`) });
      const attempts = [
        ['800101/1238', 'A payslip password needs at least 12 characters.'],
        ['800101 / 1238', 'This password is a date, a birth number, a PESEL or a phone number'],
        [`${employee.name} 1980`, `This password is made of ${employee.name}’s own name`],
        ['00420 603 123 456', 'This password is a date, a birth number, a PESEL or a phone number'],
      ] as const;
      for (const [typed, reason] of attempts) {
        await field.fill(typed);
        await page.getByRole('button', { name: 'Save password' }).click();
        await page.getByText(reason, { exact: false }).waitFor();
        expect(await fixture.secrets.get(payslipPasswordKey(employee.id))).toBeNull();
      }
      await field.fill('Modrá-konvice-na-čaj');
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.getByText(`The password for ${employee.name} was saved.`).waitFor();
      expect(await fixture.secrets.get(payslipPasswordKey(employee.id))).toBe('Modrá-konvice-na-čaj');
    },
  );
});
