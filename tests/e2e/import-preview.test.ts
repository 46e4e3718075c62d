/**
 * Importing through the Import… button in Chromium (web shell, real services, real SQLite): an invoice
 * PDF with an embedded ISDOC, an .isdocx and a refused (XXE) file previewed together, the good two
 * imported and listed, then the PDF's invoice sent from the list (Send…) with an e-mail copy that a local
 * SMTP server receives in its company's name with the imported PDF byte for byte; a Windows-1250
 * partner list mapped column by column (the mapping remembered for the company); and a payroll PDF
 * whose split rule is confirmed once, after which the company's watched folder takes payroll too. Files
 * dropped onto the documents window (a real drop event carrying the files' bytes) reach the same preview.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createAppFixture, keyringAvailable, type AppFixture } from '../support/app-fixture';
import { expectNoAxeViolations } from '../support/axe';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { renderPayrollPdf } from '../support/payroll-pdf';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';
import { encodeWindows1250 } from '../support/windows-1250';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/documents');
const czechCompany = 'Účetní kancelář Bílá & Čížek s.r.o.';

async function startApp(viewport?: { width: number; height: number }) {
  const fixture = await createAppFixture();
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser(viewport ? { viewport } : {});
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('heading', { name: 'Documents' }).waitFor();
  await documents.locator('table.documents tbody tr').first().waitFor();
  return { fixture, context, documents };
}

/** Clicks Import… and hands the files to the file chooser it opens (the web shell's way in). */
async function importByButton(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import…', exact: true }).click(),
  ]);
  await chooser.setFiles(files);
}

/**
 * Drags files over the documents window and drops them: real dragover and drop events whose DataTransfer
 * holds File objects made in the page from the files' bytes, as the browser hands a drop from the desktop.
 */
async function dropFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (given) => {
      const transfer = new DataTransfer();
      for (const file of given) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.mimeType }));
      }
      return transfer;
    },
    files.map((file) => ({ name: file.name, mimeType: file.mimeType, base64: file.buffer.toString('base64') })),
  );
  const window = page.locator('main.window');
  await window.dispatchEvent('dragover', { dataTransfer });
  await page.getByText('Drop the files to import them').waitFor();
  await window.dispatchEvent('drop', { dataTransfer });
}

function companyId(fixture: AppFixture, name: string): number {
  const company = fixture.services.documents.companies.list().find((item) => item.name === name);
  if (!company) throw new Error(`no company ${name}`);
  return company.id;
}

describe.skipIf(!keyringAvailable)('import by the button', () => {
  test(
    'an ISDOC PDF, an .isdocx and a refused file: preview, import, list, then Send… an e-mail copy with the same PDF in its company’s name',
    { timeout: 150_000 },
    async () => {
      const certificate = createTestCertificate();
      const server = await startSmtpTestServer({ certificate, secure: true });
      onTestFinished(() => server.close());
      const { fixture, context, documents } = await startApp({ width: 1024, height: 800 });
      await fixture.services.prefs.updateUser(
        {
          exportFolder: '',
          globalPrefsFolder: '',
          overrides: {
            language: 'en',
            smtp: testSmtpAccount({ port: server.port, security: 'ssl', trustedCertificate: certificate.cert }),
          },
        },
        { action: 'set', value: 'správné-heslo' },
      );
      fixture.services.db
        .prepare(
          "UPDATE companies SET sender_name = 'Bílá & Čížek – fakturace', reply_to = 'fakturace@bila-cizek.example' WHERE id = ?",
        )
        .run(companyId(fixture, czechCompany));

      const original = await readFile(path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf'));
      // Three files chosen at once: the preview says per file what will happen, and imports only the good ones.
      await importByButton(documents, [
        { name: 'FV-2026-0905.pdf', mimeType: 'application/pdf', buffer: original },
        {
          name: 'FV-2026-0906.isdocx',
          mimeType: 'application/octet-stream',
          buffer: await readFile(path.join(fixtures, 'isdocx-FV-2026-0906.isdocx')),
        },
        {
          name: 'entity.isdoc',
          mimeType: 'application/xml',
          buffer: await readFile(path.join(fixtures, 'hostile', 'isdoc-xxe.isdoc')),
        },
      ]);
      const dialog = documents.getByRole('dialog', { name: 'Import preview' });
      await dialog.waitFor();
      const previewRow = async (file: RegExp) => (await dialog.getByRole('row', { name: file }).textContent()) ?? '';
      const pdfRow = await previewRow(/FV-2026-0905\.pdf/);
      expect(pdfRow).toContain('Invoice FV-2026-0905');
      expect(pdfRow).toContain('its own PDF is kept');
      expect(pdfRow).toContain(czechCompany);
      expect(pdfRow).toContain('Will be imported');
      const isdocxRow = await previewRow(/FV-2026-0906\.isdocx/);
      expect(isdocxRow).toContain('its own PDF is kept');
      expect(isdocxRow).toContain('Will be imported');
      expect(await previewRow(/entity\.isdoc/)).toContain(
        'The file declares a DTD or entities; Kurier refuses them for safety (XXE, entity expansion).',
      );
      await expectNoAxeViolations(documents, 'import preview');
      // The README's picture: the window as a 1024 px wide screen shows it, the preview over the list.
      await screenshot(documents, 'import-preview.png', { fullPage: false });
      await dialog.getByRole('button', { name: 'Import 2 files' }).click();
      const result = documents.getByRole('dialog', { name: 'Import result' });
      await result.getByText('Imported: 2. Not imported: 1.').waitFor();
      expect(await result.getByRole('row', { name: /entity\.isdoc/ }).textContent()).toContain('refuses them for safety');
      await documents.getByRole('button', { name: 'Close' }).click();
      const listed = documents.getByRole('row', { name: /FV-2026-0905/ });
      await listed.waitFor();
      await documents.getByRole('row', { name: /FV-2026-0906/ }).waitFor();
      expect(await listed.getByTestId('last-send').textContent()).toBe('Not sent');

      // The list's way to send: the row chosen (focus), then the primary Send… for it.
      await listed.focus();
      const exportDialog = await openTab(context, () => documents.getByRole('button', { name: 'Send… FV-2026-0905' }).click());
      await exportDialog.getByRole('heading', { name: 'Export FV-2026-0905' }).waitFor();
      await exportDialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
      await exportDialog.getByLabel('Subject', { exact: true }).waitFor();
      await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
      // Rendering, the SMTP session and the outbox row take a while on a loaded machine.
      await exportDialog.getByTestId('mail-sent').waitFor({ timeout: 60_000 });

      const message = await server.nextMessage();
      expect(message.parsed.from?.value).toEqual([{ name: 'Bílá & Čížek – fakturace', address: 'ucetni@kancelar.example' }]);
      expect(message.parsed.replyTo?.value).toEqual([{ name: '', address: 'fakturace@bila-cizek.example' }]);
      expect(message.parsed.subject).toContain('FV-2026-0905');
      const recipient = message.envelopeTo[0] ?? '';
      expect(recipient).toMatch(/@.+\.example$/);
      const pdfs = message.parsed.attachments.filter((item) => item.contentType === 'application/pdf');
      expect(pdfs).toHaveLength(1);
      // The issuer's own PDF, not a rendering of the imported data: byte for byte what was imported.
      expect(pdfs[0]?.content.equals(original)).toBe(true);
      // The list's Sent column follows the send made in the export tab.
      await documents.bringToFront();
      await expect
        .poll(() => listed.getByTestId('last-send').textContent(), { timeout: 20_000 })
        .toContain(`sent to ${recipient}`);
    },
  );

  test(
    'a Windows-1250 partner list: columns mapped in the preview, and the mapping remembered',
    { timeout: 60_000 },
    async () => {
      const { fixture, documents } = await startApp();
      const csv = encodeWindows1250(
        [
          'Název;IČO;Poznámka;E-mail',
          'Žluťoučký kůň, s.r.o.;25796101;Jiří Řezníček;fakturace@kun.example',
          'Bez adresy a.s.;;;bez-zavinace',
        ].join('\r\n'),
      );
      const file = { name: 'partneri.csv', mimeType: 'text/csv', buffer: csv };
      await importByButton(documents, [file]);
      // The heading, and so the dialog's name, changes to the result's after the import.
      const dialog = documents.getByTestId('partner-import-dialog');
      await documents.getByRole('dialog', { name: 'Import partners: partneri.csv' }).waitFor();
      await dialog.getByLabel('Into company').selectOption({ label: czechCompany });
      await dialog.getByText('Encoding: Windows-1250. Delimiter: semicolon. Rows: 2.').waitFor();
      const note = dialog.getByLabel('Column “Poznámka” holds');
      expect(await note.inputValue()).toBe('ignore');
      expect(await dialog.getByLabel('Column “Název” holds').inputValue()).toBe('name');
      expect(await dialog.getByLabel('Column “IČO” holds').inputValue()).toBe('identifier');
      const rows = dialog.getByTestId('partner-rows');
      await rows
        .getByRole('row', { name: /Bez adresy/ })
        .getByText('“bez-zavinace” is not an e-mail address')
        .waitFor();
      await note.selectOption({ label: 'Contact person' });
      await expect.poll(() => note.inputValue()).toBe('contactPerson');
      await dialog.getByText('New: 1. Updated: 0. Unchanged: 0. Not imported: 1.').waitFor();
      await expectNoAxeViolations(documents, 'partner import preview');
      await dialog.getByRole('button', { name: 'Import 1 partner' }).click();
      await dialog
        .getByTestId('partner-result')
        .getByRole('row', { name: /Žluťoučký kůň/ })
        .getByText('Created')
        .waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();

      const partner = fixture.services.documents.listPartners().find((item) => item.name === 'Žluťoučký kůň, s.r.o.');
      expect(partner).toMatchObject({
        contactPerson: 'Jiří Řezníček',
        email: 'fakturace@kun.example',
        registrationNumber: '25796101',
      });

      await importByButton(documents, [file]);
      const again = documents.getByRole('dialog', { name: 'Import partners: partneri.csv' });
      await again.getByLabel('Into company').selectOption({ label: czechCompany });
      await again.getByText('The columns are mapped as in the last partner import of this company.').waitFor();
      expect(await again.getByLabel('Column “Poznámka” holds').inputValue()).toBe('contactPerson');
      await again
        .getByTestId('partner-rows')
        .getByRole('row', { name: /Žluťoučký kůň/ })
        .getByText('Already in Kurier, unchanged')
        .waitFor();
    },
  );

  test(
    'a payroll PDF: the rule confirmed once, then payslips imported and the watched folder takes payroll',
    { timeout: 150_000 },
    async () => {
      const { fixture, documents } = await startApp();
      const company = companyId(fixture, czechCompany);
      // Demo employees get their payroll personal numbers (their own column since migration 17).
      const setNumber = fixture.services.db.prepare('UPDATE partners SET personal_number = ? WHERE company_id = ? AND name = ?');
      setNumber.run('501', company, 'Kateřina Nováčková');
      setNumber.run('502', company, 'Jiří Růžička');
      const entries = [
        { personalNumber: '501', name: 'Kateřina Nováčková', pages: 2 },
        { personalNumber: '502', name: 'Jiří Růžička', pages: 1 },
        { personalNumber: '777', name: 'Neznámý Člověk', pages: 1 },
      ];
      const pdf = await renderPayrollPdf(entries, { title: 'Výplatní páska za listopad 2026' });
      await importByButton(documents, [{ name: 'mzdy-2026-11.pdf', mimeType: 'application/pdf', buffer: pdf }]);
      // The heading, and so the dialog's name, changes to the result's after the import.
      const dialog = documents.getByTestId('payroll-import-dialog');
      await documents.getByRole('dialog', { name: 'Import payroll: mzdy-2026-11.pdf' }).waitFor();
      await dialog.getByLabel('Into company').selectOption({ label: czechCompany });
      await dialog
        .getByTestId('payroll-rule-status')
        .getByText(/confirm the rule once for/)
        .waitFor();
      expect(await dialog.getByLabel('Each payslip is marked by').inputValue()).toBe('personalNumber');
      expect(await dialog.getByLabel('Printed after the label').inputValue()).toBe('Osobní číslo');
      expect(await dialog.getByLabel('Pay period (month)').inputValue()).toBe('2026-11');
      const samples = dialog.getByTestId('payroll-samples');
      expect(await samples.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual([
        '501',
        'nothing (continues the previous payslip)',
        '502',
        '777',
      ]);
      const payslips = dialog.getByTestId('payroll-payslips');
      await payslips
        .getByRole('row', { name: /Kateřina Nováčková/ })
        .getByText('Will be imported')
        .waitFor();
      await payslips.getByRole('row', { name: /777/ }).getByText('No employee with 777').waitFor();
      const commit = dialog.getByRole('button', { name: 'Import 2 payslips' });
      expect(await commit.isDisabled()).toBe(true);
      await expectNoAxeViolations(documents, 'payroll import preview');
      await screenshot(documents, 'import-payroll.png', { fullPage: false });

      await dialog.getByRole('button', { name: 'Confirm the rule' }).click();
      await dialog
        .getByTestId('payroll-rule-status')
        .getByText(/This rule is confirmed for/)
        .waitFor();
      expect(fixture.services.importSettings.get(company).payrollRule).toEqual({ by: 'personalNumber', label: 'Osobní číslo' });
      await commit.click();
      await dialog.getByText('2 payslips imported.').waitFor();
      await dialog.getByTestId('payroll-result').getByText('VL-2026-11-501 – Kateřina Nováčková').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await documents.getByRole('row', { name: /VL-2026-11-502/ }).waitFor();

      // The confirmed rule now splits the company's payroll arriving in its watched folder.
      const folder = path.join(await tempDir('kurier-inbox-'), 'zasobnik');
      fixture.services.importSettings.update(company, { inboxFolder: folder, autoSendKinds: [] });
      await fixture.services.inbox.reconfigure(company);
      const december = await renderPayrollPdf(entries.slice(0, 2), { title: 'Výplatní páska za prosinec 2026' });
      await writeFile(path.join(folder, 'mzdy-2026-12.pdf'), december);
      await expect.poll(() => existsSync(path.join(folder, 'imported', 'mzdy-2026-12.pdf')), { timeout: 20_000 }).toBe(true);
      const numbers = fixture.services.documents.listDocuments().map((doc) => doc.number);
      expect(numbers).toEqual(expect.arrayContaining(['VL-2026-12-501', 'VL-2026-12-502']));
    },
  );

  test('files dropped onto the documents window reach the preview and are imported', { timeout: 90_000 }, async () => {
    const { fixture, documents } = await startApp();
    const isdoc = await readFile(path.join(fixtures, 'isdoc-1-invoice.isdoc'));
    const ksef = await readFile(path.join(fixtures, '6772244113-20260915-0A1B2C3D4E5F-7C.xml'));
    await dropFiles(documents, [
      { name: 'isdoc-1-invoice.isdoc', mimeType: 'application/xml', buffer: isdoc },
      { name: '6772244113-20260915-0A1B2C3D4E5F-7C.xml', mimeType: 'application/xml', buffer: ksef },
    ]);
    const dialog = documents.getByRole('dialog', { name: 'Import preview' });
    await dialog.waitFor();
    // The drop hint is gone once the files are dropped.
    await documents.getByText('Drop the files to import them').waitFor({ state: 'detached' });
    expect(await dialog.getByRole('row', { name: /isdoc-1-invoice\.isdoc/ }).textContent()).toContain('Invoice FV-2026-0901');
    const polishRow = (await dialog.getByRole('row', { name: /6772244113-20260915/ }).textContent()) ?? '';
    expect(polishRow).toContain('FV/2026/09/001');
    expect(polishRow).toContain('KSeF number 6772244113-20260915-0A1B2C3D4E5F-7C');
    // Two files: the KSeF number comes from the file name, no field asks for it.
    expect(await dialog.getByTestId('import-ksef-number').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Import 2 files' }).click();
    await documents.getByRole('dialog', { name: 'Import result' }).getByText('Imported: 2. Not imported: 0.').waitFor();
    await documents.getByRole('button', { name: 'Close' }).click();
    await documents.getByRole('row', { name: /FV-2026-0901/ }).waitFor();
    await documents.getByRole('row', { name: /FV\/2026\/09\/001/ }).waitFor();
    const numbers = fixture.services.documents.listDocuments().map((doc) => doc.number);
    expect(numbers).toEqual(expect.arrayContaining(['FV-2026-0901', 'FV/2026/09/001']));
  });
});
