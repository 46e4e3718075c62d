/**
 * A client company's own SMTP account, end to end in Chromium through the web shell: the office
 * preferences give the invoice's company its own account (keyboard only, password to the keychain
 * under the company's scope, never to the office file), its connection test passes, and the export
 * dialog's copy of the company's invoice arrives at the company's server — not the office's — in the
 * company's name. Where this user has no password for it yet, the dialog asks for it naming the company.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { companyKey } from '../../shared/company-identifiers';
import { companyScope } from '../../shared/prefs';
import { smtpPasswordKey } from '../../electron/services/prefs/preferences-service';
import { globalPrefsFileName } from '../../electron/services/prefs/prefs-files';
import { createAppFixture, keyringAvailable, savedSmtpPassword } from '../support/app-fixture';
import { expectNoAxeViolations } from '../support/axe';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const invoiceNumber = 'FV-2026-0001';
const companyPassword = 'heslo-firmy-9c2';

describe.skipIf(!keyringAvailable)("a company's own SMTP account in the office preferences", () => {
  test('is set with the keyboard, tested, and carries the company’s copy to its server', { timeout: 90_000 }, async () => {
    const certificate = createTestCertificate();
    const companyServer = await startSmtpTestServer({
      certificate,
      secure: false,
      users: { 'faktury@firma.example': companyPassword },
    });
    const officeServer = await startSmtpTestServer({ certificate, secure: false });
    onTestFinished(() => companyServer.close());
    onTestFinished(() => officeServer.close());
    const fixture = await createAppFixture();
    const { services } = fixture;
    await services.prefs.updateGlobal(
      {
        smtp: {
          senderName: 'Účetní kancelář Bílá',
          senderAddress: 'ucetni@kancelar.example',
          replyTo: '',
          bccSelf: false,
          host: '127.0.0.1',
          port: officeServer.port,
          security: 'starttls',
          cipherStrength: 'default',
          auth: 'password',
          username: 'ucetni@kancelar.example',
          trustedCertificate: certificate.cert,
        },
      },
      { action: 'set', value: 'správné-heslo' },
    );
    const invoice = services.documents.listDocuments().find((doc) => doc.number === invoiceNumber);
    if (!invoice) throw new Error(`the demo data has no ${invoiceNumber}`);
    const company = services.exporter.load(invoice.id).company;
    const key = companyKey(company) ?? '';
    onTestFinished(async () => {
      await fixture.secrets.delete(smtpPasswordKey(companyScope(key))).catch(() => false);
    });
    services.db.prepare('UPDATE companies SET sender_name = ? WHERE id = ?').run('Firma na fakturách', company.id);

    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('row', { name: new RegExp(invoiceNumber) }).waitFor();
    const office = await openTab(context, () => documents.getByRole('button', { name: 'Office preferences' }).click());
    await office.getByRole('heading', { name: 'Office preferences' }).waitFor();

    const section = office.getByTestId('company-smtp');
    await section.getByRole('heading', { name: 'SMTP account per company' }).waitFor();
    await section.getByLabel('Company (SMTP account)', { exact: true }).selectOption({ label: company.name });
    const own = section.getByRole('radio', { name: 'This company’s own account' });
    // Keyboard only: focus the choice, pick "own" with the arrow key, then type into each field.
    await section.getByRole('radio', { name: 'The office default (or the user’s own account)' }).focus();
    await office.keyboard.press('ArrowDown');
    expect(await own.isChecked()).toBe(true);
    const fill = async (label: string, value: string) => {
      const field = section.getByLabel(label, { exact: true });
      await field.focus();
      await field.fill(value);
    };
    await fill('Sender name', 'Firma – fakturace');
    await fill('Sender e-mail address', 'faktury@firma.example');
    await fill('SMTP server', '127.0.0.1');
    await section.getByLabel('Connection security', { exact: true }).selectOption('starttls');
    await fill('Port', String(companyServer.port));
    await fill('User name', 'faktury@firma.example');
    await fill('Password', companyPassword);
    await fill('Trusted server certificate (PEM, optional)', certificate.cert);

    // The office window with both accounts' forms and two connection tests: no accessibility violation.
    await expectNoAxeViolations(office, 'office preferences with a company account');

    // The company account's own connection test logs in at the company's server.
    await section.getByRole('button', { name: 'Test connection' }).click();
    await section.getByTestId('test-ok').waitFor();
    expect(officeServer.authAttempts()).toBe(0);

    await section.getByRole('button', { name: `Save the SMTP account of ${company.name}` }).press('Enter');
    await section.getByText(`Saved for ${company.name}.`).waitFor();
    await section.getByRole('status').filter({ hasText: 'A password is saved in the system keychain.' }).waitFor();

    expect(await savedSmtpPassword(fixture.secrets, smtpPasswordKey(companyScope(key)))).toBe(companyPassword);
    const officeFile = await readFile(path.join(fixture.machinePrefsDir, globalPrefsFileName), 'utf8');
    expect(officeFile).toContain('faktury@firma.example');
    expect(officeFile).not.toContain(companyPassword);

    const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click());
    await dialog.getByRole('heading', { name: `Export ${invoiceNumber}` }).waitFor();
    await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
    await dialog.getByLabel('Subject', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('mail-sent').waitFor();

    const received = await companyServer.nextMessage();
    expect(received.user).toBe('faktury@firma.example');
    expect(received.parsed.from?.value).toEqual([{ name: 'Firma na fakturách', address: 'faktury@firma.example' }]);
    expect(received.parsed.subject).toContain(invoiceNumber);
    expect(officeServer.received).toHaveLength(0);
  });
  test('the export dialog asks for the company account’s password, naming the company', { timeout: 60_000 }, async () => {
    const certificate = createTestCertificate();
    const companyServer = await startSmtpTestServer({
      certificate,
      secure: false,
      users: { 'faktury@firma.example': companyPassword },
    });
    onTestFinished(() => companyServer.close());
    const fixture = await createAppFixture();
    const { services } = fixture;
    const invoice = services.documents.listDocuments().find((doc) => doc.number === invoiceNumber);
    if (!invoice) throw new Error(`the demo data has no ${invoiceNumber}`);
    const company = services.exporter.load(invoice.id).company;
    const key = companyKey(company) ?? '';
    onTestFinished(async () => {
      await fixture.secrets.delete(smtpPasswordKey(companyScope(key))).catch(() => false);
    });
    // Set by an administrator at another desk: the office file has the account, this keychain no password.
    await services.prefs.updateCompanySmtp(
      key,
      {
        senderName: 'Firma – fakturace',
        senderAddress: 'faktury@firma.example',
        replyTo: '',
        bccSelf: false,
        host: '127.0.0.1',
        port: companyServer.port,
        security: 'starttls',
        cipherStrength: 'default',
        auth: 'password',
        username: 'faktury@firma.example',
        trustedCertificate: certificate.cert,
      },
      { action: 'keep' },
    );

    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('row', { name: new RegExp(invoiceNumber) }).waitFor();
    const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click());
    await dialog.getByRole('heading', { name: `Export ${invoiceNumber}` }).waitFor();
    await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
    const prompt = dialog.getByTestId('office-password');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain(
      `The SMTP account of ${company.name} (faktury@firma.example) has no password on this computer yet.`,
    );
    await dialog.getByLabel(`Password of ${company.name}’s account`, { exact: true }).fill(companyPassword);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('mail-sent').waitFor();

    expect((await companyServer.nextMessage()).user).toBe('faktury@firma.example');
    expect(await savedSmtpPassword(fixture.secrets, smtpPasswordKey(companyScope(key)))).toBe(companyPassword);
  });
});
