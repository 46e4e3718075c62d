/**
 * A client company's data in the office preferences, in Chromium through the web shell (issue 15): a bad
 * IČO and reply-to are refused field by field (marked, described, focus on the first), then the
 * company's sender name and reply-to are changed, and a copy of one of its invoices sent over SMTP
 * reaches a real server From "the new name" with the new Reply-To. A logo that is not a picture is
 * refused with the reason, a PNG is kept. A company added by hand is listed.
 */
import { PNG } from 'pngjs';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { stripedPng } from '../support/png-image';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const newName = 'Nové jméno – fakturace';
const newReplyTo = 'fakturace@nove-jmeno.example';

/** The sentences a field is described by (its hint and its problem), as a screen reader reads them. */
async function description(page: Page, label: string): Promise<string[]> {
  const ids = (await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby')) ?? '';
  return Promise.all(ids.split(' ').map(async (id) => (await page.locator(`[id="${id}"]`).textContent()) ?? ''));
}

/** The app on a real SMTP server (the user's account), the documents list and the office preferences open. */
async function startOffice() {
  const certificate = createTestCertificate();
  const server = await startSmtpTestServer({ certificate, secure: false });
  onTestFinished(() => server.close());
  const fixture = await createAppFixture();
  const { documents, prefs } = fixture.services;
  await prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: {
        smtp: testSmtpAccount({
          port: server.port,
          trustedCertificate: certificate.cert,
          replyTo: 'kancelar@kancelar.example',
        }),
        sending: { route: 'smtp', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'display' },
      },
    },
    { action: 'set', value: 'správné-heslo' },
  );
  const company = documents.companies.list().find((candidate) => candidate.country === 'CZ');
  if (!company) throw new Error('the demo has a Czech company');
  const invoice = documents
    .listDocuments({ companyId: company.id })
    .find((doc) => doc.kind === 'invoice' && documents.getPartner(doc.partnerId)?.email !== '');
  if (!invoice) throw new Error('the Czech company has an invoice for a partner with an e-mail');

  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser();
  const list = await context.newPage();
  await list.goto(shell.url);
  await list.getByRole('heading', { name: 'Documents' }).waitFor();
  const page = await openTab(context, () => list.getByRole('button', { name: 'Office preferences' }).click());
  return { fixture, server, context, list, page, company, invoice, documents };
}

/** Sends a copy of the invoice numbered `number` from its export dialog; resolves once it was sent. */
async function sendCopy(context: BrowserContext, list: Page, number: string): Promise<void> {
  const dialog = await openTab(context, () => list.getByRole('button', { name: `Export… ${number}`, exact: true }).click());
  await dialog.getByRole('heading', { name: `Export ${number}` }).waitFor();
  await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByTestId('mail-sent').waitFor();
  await dialog.close();
}

describe.skipIf(!keyringAvailable)('a company edited in the office preferences', () => {
  test('its new sender name and reply-to are what its copies go out with', { timeout: 90_000 }, async () => {
    const { server, context, list, page, company, invoice, documents } = await startOffice();
    const section = page.getByTestId('company-profiles');
    await section.getByRole('heading', { name: 'Companies' }).waitFor();
    await section.getByLabel('Company to edit', { exact: true }).selectOption({ label: company.name });
    await expect.poll(() => section.getByLabel('IČO / REGON', { exact: true }).inputValue()).toBe(company.registrationNumber);

    // A wrong check digit and a reply-to that is no address: both marked, the first one focused.
    const ico = section.getByLabel('IČO / REGON', { exact: true });
    await ico.fill(`${company.registrationNumber.slice(0, 7)}${(Number(company.registrationNumber.at(7)) + 1) % 10}`);
    await section.getByLabel('Reply-to address of its e-mails', { exact: true }).fill('fakturace@');
    await section.getByRole('button', { name: 'Save company' }).click();
    await section.getByRole('alert').filter({ hasText: '2 fields need fixing.' }).waitFor();
    expect(await ico.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => ico.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await description(page, 'IČO / REGON')).toContain(
      'This is not a valid IČO: 8 digits whose last one is the check digit.',
    );
    expect(await description(page, 'Reply-to address of its e-mails')).toContain('This is not a valid e-mail address.');
    expect(documents.companies.get(company.id)?.registrationNumber).toBe(company.registrationNumber);

    await ico.fill(company.registrationNumber);
    await section.getByLabel('Sender name of its e-mails', { exact: true }).fill(newName);
    await section.getByLabel('Reply-to address of its e-mails', { exact: true }).fill(newReplyTo);
    await section.getByRole('button', { name: 'Save company' }).click();
    await section.getByText(`Saved ${company.name}.`).waitFor();
    expect(await ico.getAttribute('aria-invalid')).toBe('false');

    // The copy of the company's invoice, from the export dialog, goes out in the company's new name.
    await sendCopy(context, list, invoice.number);
    const message = await server.nextMessage();
    expect(message.parsed.from?.value).toEqual([{ name: newName, address: 'ucetni@kancelar.example' }]);
    expect(message.parsed.replyTo?.value).toEqual([{ name: '', address: newReplyTo }]);

    await page.bringToFront();
    // A logo: a file that is not a picture is refused with the reason; a PNG is kept.
    const logoInput = section.getByLabel('Choose a logo file', { exact: true });
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7\n') });
    await section
      .getByRole('alert')
      .filter({ hasText: 'This file is not a PNG or JPEG picture, so it cannot be the company’s logo.' })
      .waitFor();
    expect(documents.companies.get(company.id)?.hasLogo).toBe(false);
    await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: stripedPng(240, 80) });
    await section.getByText(`Logo saved for ${company.name}.`).waitFor();
    expect(await section.getByTestId('company-logo-state').textContent()).toBe('The company’s documents carry its logo.');
    // Kept re-encoded (logo-image.ts), with the same pixels.
    expect(PNG.sync.read(Buffer.from(documents.companies.logo(company.id) ?? [])).data).toEqual(
      PNG.sync.read(stripedPng(240, 80)).data,
    );

    // A company added by hand joins the list, checked like an edited one.
    await section.getByRole('button', { name: 'Add company' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('company-name');
    await section.getByLabel('Company name', { exact: true }).fill('Zakład Stolarski Łoś');
    await section.getByLabel('Country (two-letter code)', { exact: true }).fill('PL');
    await section.getByLabel('DIČ / NIP', { exact: true }).fill('526-025-02-74');
    await section.getByRole('button', { name: 'Create company' }).click();
    await section.getByText('Created Zakład Stolarski Łoś.').waitFor();
    expect(documents.companies.list().find((candidate) => candidate.name === 'Zakład Stolarski Łoś')?.taxId).toBe('5260250274');
    expect(await section.getByLabel('Company to edit', { exact: true }).inputValue()).toBe(
      String(documents.companies.list().find((candidate) => candidate.name === 'Zakład Stolarski Łoś')?.id),
    );
  });
});

describe.skipIf(!keyringAvailable)('a company’s own templates in the office preferences', () => {
  test('its invoice copies go out with its subject; another company’s keep the office’s', { timeout: 90_000 }, async () => {
    const { server, context, list, page, company, invoice, documents, fixture } = await startOffice();
    const partner = documents.getPartner(invoice.partnerId);
    if (!partner) throw new Error('the invoice has a partner');
    const other = documents
      .listDocuments()
      .find((doc) => doc.kind === 'invoice' && doc.companyId !== company.id && documents.getPartner(doc.partnerId)?.email !== '');
    if (!other) throw new Error('another company has an invoice');
    const officeSubject = (await fixture.services.sender.prepare(other.id)).subject;

    const templates = page.locator('#section-templates');
    await templates.getByLabel('Templates of', { exact: true }).selectOption({ label: company.name });
    await templates.getByLabel('Message', { exact: true }).selectOption('invoice');
    await templates.getByLabel('Language of the message', { exact: true }).selectOption(partner.language);
    await templates.getByText('The office’s text: this company has none of its own for this message.').waitFor();
    await templates.getByLabel('Subject', { exact: true }).fill('Faktura {{number}} od Pekárny Úsvit');
    await templates.getByText('This company’s own text for this message.').waitFor();
    await templates.getByRole('button', { name: `Save templates for ${company.name}` }).click();
    await templates.getByText(`Templates saved for ${company.name}.`).waitFor();

    await sendCopy(context, list, invoice.number);
    const message = await server.nextMessage();
    expect(message.parsed.subject).toBe(`Faktura ${invoice.number} od Pekárny Úsvit`);
    expect((await fixture.services.sender.prepare(other.id)).subject).toBe(officeSubject);

    // Back to the office default: the office's own editor, unchanged.
    await templates.getByLabel('Templates of', { exact: true }).selectOption('office');
    await templates.getByText('Kurier’s default text.').waitFor();
  });
});

/** The names a `<select>` offers, as the user sees them. */
async function optionsOf(page: Page, label: string): Promise<string[]> {
  return page.getByLabel(label, { exact: true }).locator('option').allTextContents();
}

describe.skipIf(!keyringAvailable)('a company added or renamed in the office preferences', () => {
  test('reaches every picker and the open document list without reloading', { timeout: 90_000 }, async () => {
    const { list, page, company } = await startOffice();
    const section = page.getByTestId('company-profiles');
    await section.getByRole('heading', { name: 'Companies' }).waitFor();
    // The other sections have read their lists before the company exists.
    await expect.poll(() => optionsOf(page, 'Company (e-invoices)')).toContain(company.name);
    await expect.poll(() => optionsOf(page, 'Company (SMTP account)')).toContain(company.name);
    expect(await optionsOf(page, 'Company (e-invoices)')).not.toContain('Zakład Stolarski Łoś');

    await section.getByRole('button', { name: 'Add company' }).click();
    await section.getByLabel('Company name', { exact: true }).fill('Zakład Stolarski Łoś');
    await section.getByLabel('Country (two-letter code)', { exact: true }).fill('PL');
    await section.getByLabel('DIČ / NIP', { exact: true }).fill('526-025-02-74');
    await section.getByRole('button', { name: 'Create company' }).click();
    await section.getByText('Created Zakład Stolarski Łoś.').waitFor();
    await expect.poll(() => optionsOf(page, 'Company (e-invoices)')).toContain('Zakład Stolarski Łoś');
    await expect.poll(() => optionsOf(page, 'Company (SMTP account)')).toContain('Zakład Stolarski Łoś');
    await expect.poll(() => optionsOf(page, 'Company')).toContain('Zakład Stolarski Łoś');

    // Renamed here, the document list open in another tab offers it under its new name.
    await expect.poll(() => optionsOf(list, 'Company')).toContain(company.name);
    await section.getByLabel('Company to edit', { exact: true }).selectOption({ label: company.name });
    await expect.poll(() => section.getByLabel('IČO / REGON', { exact: true }).inputValue()).toBe(company.registrationNumber);
    await section.getByLabel('Company name', { exact: true }).fill('Pekárna Úsvit Brno');
    await section.getByRole('button', { name: 'Save company' }).click();
    await section.getByText('Saved Pekárna Úsvit Brno.').waitFor();
    await expect.poll(() => optionsOf(list, 'Company')).toContain('Pekárna Úsvit Brno');
    expect(await optionsOf(list, 'Company')).not.toContain(company.name);
    expect(await optionsOf(list, 'Company')).toContain('Zakład Stolarski Łoś');
  });
});
