/**
 * The template editor end to end: in the office preferences, a misspelt placeholder is named with its
 * likely meaning, the preview fills the template with a real Polish invoice, and after saving, an export
 * with a copy for a Polish partner reaches the SMTP server with the edited Polish subject and text — and
 * an HTML part made from the same text.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

describe.skipIf(!keyringAvailable)('e-mail templates in the browser', () => {
  test('edit the Polish invoice template, preview it, and send with it', { timeout: 60_000 }, async () => {
    const certificate = createTestCertificate();
    const server = await startSmtpTestServer({ certificate, secure: false });
    onTestFinished(() => server.close());
    const fixture = await createAppFixture();
    await fixture.services.prefs.updateGlobal(
      {
        language: 'en',
        smtp: testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert, senderName: 'Biuro Rachunkowe' }),
      },
      { action: 'set', value: 'správné-heslo' },
    );
    const invoice = fixture.services.documents
      .listDocuments()
      .find(
        (doc) =>
          doc.kind === 'invoice' &&
          fixture.services.exporter.load(doc.id).partner.language === 'pl' &&
          fixture.services.exporter.load(doc.id).partner.email !== '',
      );
    if (!invoice) throw new Error('the demo data has no Polish invoice with an e-mail address');
    const { partner } = fixture.services.exporter.load(invoice.id);

    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const documents = await context.newPage();
    await documents.goto(shell.url);
    const office = await openTab(context, () => documents.getByRole('button', { name: 'Office preferences' }).click());
    await office.getByRole('heading', { name: 'Office preferences' }).waitFor();
    const templates = office.locator('fieldset[data-section="templates"]');
    await templates.getByLabel('Message', { exact: true }).selectOption('invoice');
    await templates.getByLabel('Language of the message', { exact: true }).selectOption('pl');
    expect(await templates.getByTestId('template-state').textContent()).toBe('Kurier’s default text.');

    const subject = templates.getByLabel('Subject', { exact: true });
    const body = templates.getByLabel('Text', { exact: true });
    await subject.fill('Faktura {{numbr}} – {{companyName}}');
    expect(await templates.getByTestId('unknown-placeholders').textContent()).toBe(
      '{{numbr}} is not a placeholder Kurier knows. Did you mean {{number}}?',
    );
    await subject.fill('Faktura {{number}} – {{companyName}}, prosimy o potwierdzenie');
    await body.fill(
      'Dzień dobry {{contactPerson}},\n\nkwota {{amount}} jest płatna do {{dueDate}}.\nTytuł przelewu: {{variableSymbol}}.\n\n{{senderName}}',
    );
    const preview = templates.getByTestId('template-preview');
    await preview.getByText(`Faktura ${invoice.number.slice(0, 3)}`, { exact: false }).waitFor();
    expect(await preview.textContent()).toContain('Preview on');
    expect(await preview.locator('pre').textContent()).toMatch(
      /^Dzień dobry .+,\n\nkwota .+ jest płatna do .+\.\nTytuł przelewu: .+\.\n\nBiuro Rachunkowe$/,
    );
    await screenshot(office, 'template-editor.png');
    await office.getByRole('button', { name: 'Save', exact: true }).click();
    await office.getByText('Preferences saved.').waitFor();
    expect(await templates.getByTestId('template-state').textContent()).toBe('Changed from Kurier’s default.');
    const officeFile = await readFile(path.join(fixture.machinePrefsDir, 'global-preferences.json'), 'utf8');
    expect(officeFile).toContain('"invoice.pl"');

    const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoice.number}` }).click());
    await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
    const expectedSubject = `Faktura ${invoice.number} – ${invoice.companyName}, prosimy o potwierdzenie`;
    expect(await dialog.getByLabel('Subject', { exact: true }).inputValue()).toBe(expectedSubject);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('mail-sent').waitFor();

    const message = await server.nextMessage();
    expect(message.envelopeTo).toEqual([partner.email]);
    expect(message.parsed.subject).toBe(expectedSubject);
    expect(message.parsed.text).toContain(`Dzień dobry ${partner.contactPerson},`);
    expect(message.parsed.text).toContain('jest płatna do');
    expect(message.parsed.html).toContain(`<p>Dzień dobry ${partner.contactPerson},</p>`);
    expect(message.parsed.html).toContain('lang="pl"');
  });
});
