/**
 * In Chromium through the web shell: someone edits the office preferences file so the office account
 * points at another server. The export dialog and the office preferences window say that the saved
 * password belongs elsewhere, naming both destinations; sending without typing it gets no AUTH to the new
 * server; typing it there is the user's decision, and only then does the message go.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { SmtpAccount } from '../../shared/prefs';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const password = 'správné-heslo';
const invoiceNumber = 'FV-2026-0001';

describe.skipIf(!keyringAvailable)('a changed office file in the windows', () => {
  test('the export dialog names both servers, sends no password until it is typed again, then delivers', async () => {
    const certificate = createTestCertificate();
    const home = await startSmtpTestServer({ certificate, secure: false });
    const other = await startSmtpTestServer({ certificate, secure: false });
    onTestFinished(async () => {
      await home.close();
      await other.close();
    });
    const fixture = await createAppFixture();
    await fixture.services.prefs.updateGlobal(
      { smtp: testSmtpAccount({ port: home.port, trustedCertificate: certificate.cert }), language: 'en' },
      { action: 'set', value: password },
    );

    // The office file is rewritten on disk: same everything, another port.
    const filePath = (await fixture.services.prefs.view()).globalLocation.filePath;
    const file = JSON.parse(await readFile(filePath, 'utf8')) as { prefs: { smtp: SmtpAccount } };
    file.prefs.smtp.port = other.port;
    await writeFile(filePath, JSON.stringify(file));
    // The user has already confirmed the changed office settings (the office-file check): what remains is
    // the password, which stays bound to the server it was saved for.
    await fixture.services.confirmOffice((await fixture.services.prefs.officeReview()).digests);

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
    const saidFor = `ucetni@kancelar.example @ 127.0.0.1:${String(home.port)} STARTTLS`;
    const saysNow = `ucetni@kancelar.example @ 127.0.0.1:${String(other.port)} STARTTLS`;
    expect(await prompt.getByRole('alert').textContent()).toContain(
      `The saved password was saved for ${saidFor}; the settings now say ${saysNow}`,
    );

    // Export without typing it: the copy fails with the same explanation and no server got an AUTH.
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.locator('[data-error-code="smtp.passwordWithheld"]').last().waitFor();
    expect(home.authAttempts() + other.authAttempts()).toBe(0);

    // The office preferences window says it too.
    const prefs = await openTab(context, () => documents.getByRole('button', { name: 'Office preferences' }).click());
    await prefs.getByRole('heading', { name: 'Office preferences' }).waitFor();
    expect(
      await prefs.locator('fieldset[data-section="smtp"] [data-error-code="smtp.passwordWithheld"]').textContent(),
    ).toContain(saidFor);

    // Typed again in the dialog: now it is the user's decision, and the message goes to the new server.
    await dialog.reload();
    await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
    await dialog.getByLabel('Office account password', { exact: true }).fill(password);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('mail-sent').waitFor();
    expect(other.authAttempts()).toBe(1);
    expect(home.authAttempts()).toBe(0);
    const message = await other.nextMessage();
    expect(message.parsed.subject).toContain(invoiceNumber);
  });
});
