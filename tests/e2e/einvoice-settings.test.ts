/**
 * A company's e-invoice settings in the office preferences, in Chromium through the web shell: the
 * ISDOC embedded in the PDF instead of beside it for the Czech company, the Polish banks' transfer QR
 * turned on for the Polish one — and what the next export then gives (no .isdoc file, an ISDOC inside
 * the PDF; a transfer QR code that decodes on the Polish invoice). The Polish company set to issue in
 * KSeF's test environment: its invoice from KSeF then carries KOD I on the test host. Remembered when the
 * window opens again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { decodeQrCodes } from '../support/qr-images';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const run = promisify(execFile);
/** An FA(3) invoice of the demo Polish company, named by its KSeF number. */
const ksefFile = path.resolve(import.meta.dirname, '../fixtures/documents/6772244113-20260915-0A1B2C3D4E5F-7C.xml');

describe.skipIf(!keyringAvailable)('e-invoice settings of a company', () => {
  test('embed the ISDOC, print the Polish transfer QR, issue in the KSeF test environment', { timeout: 90_000 }, async () => {
    const fixture = await createAppFixture();
    const { documents } = fixture.services;
    const czech = documents.companies.list().find((company) => company.country === 'CZ');
    const polish = documents.companies.list().find((company) => company.country === 'PL');
    if (!czech || !polish) throw new Error('the demo has a Czech and a Polish company');
    const shell = await startTestWebShell(fixture);
    const { context } = await launchTestBrowser();
    const list = await context.newPage();
    await list.goto(shell.url);
    await list.getByRole('heading', { name: 'Documents' }).waitFor();
    const open = async () => {
      const page = await openTab(context, () => list.getByRole('button', { name: 'Office preferences' }).click());
      await page.getByRole('heading', { name: 'E-invoices' }).waitFor();
      return page;
    };

    const page = await open();
    const company = page.getByLabel('Company (e-invoices)');
    await company.selectOption({ label: czech.name });
    expect(await page.getByRole('radio', { name: 'As its own attachment beside the PDF (recommended)' }).isChecked()).toBe(true);
    // A Czech company has no Polish transfer QR to offer.
    expect(await page.getByRole('checkbox', { name: /Polish banks’ transfer QR/u }).count()).toBe(0);
    // Nor a KSeF environment: KSeF is Poland's.
    expect(await page.getByLabel('KSeF environment').count()).toBe(0);
    await page.getByRole('radio', { name: 'Embedded in the PDF' }).check();
    await page.getByRole('button', { name: 'Save e-invoice settings' }).click();
    await page.getByText(`Saved for ${czech.name}.`).waitFor();
    await company.selectOption({ label: polish.name });
    await page.getByRole('checkbox', { name: /Polish banks’ transfer QR/u }).check();
    const environment = page.getByLabel('KSeF environment');
    expect(await environment.inputValue()).toBe('production');
    await page.getByText('Demo and test are for trying KSeF out; an invoice issued for real must use production.').waitFor();
    await environment.selectOption({ label: 'Test' });
    await page.getByRole('button', { name: 'Save e-invoice settings' }).click();
    await page.getByText(`Saved for ${polish.name}.`).waitFor();
    await page.close();

    const again = await open();
    await again.getByLabel('Company (e-invoices)').selectOption({ label: czech.name });
    expect(await again.getByRole('radio', { name: 'Embedded in the PDF' }).isChecked()).toBe(true);
    await again.getByLabel('Company (e-invoices)').selectOption({ label: polish.name });
    expect(await again.getByRole('checkbox', { name: /Polish banks’ transfer QR/u }).isChecked()).toBe(true);
    expect(await again.getByLabel('KSeF environment').inputValue()).toBe('test');

    // What the next export gives: the Czech invoice carries its ISDOC inside the PDF, none beside it.
    const czechInvoice = documents
      .listDocuments({ companyId: czech.id })
      .find((doc) => doc.kind === 'invoice' && documents.getPartner(doc.partnerId)?.address.country === 'CZ');
    if (!czechInvoice) throw new Error('no Czech invoice for a Czech partner');
    const folder = await tempDir('kurier-einvoice-e2e-');
    const exported = await fixture.services.exporter.exportFile(czechInvoice.id, folder);
    expect(exported.companion).toBeUndefined();
    expect(await readdir(folder)).toEqual([path.basename(exported.filePath)]);
    const { stdout } = await run('/usr/bin/pdfdetach', ['-list', exported.filePath], { encoding: 'utf8' });
    expect(stdout).toContain(`${czechInvoice.number}.isdoc`);

    // The Polish invoice in złoty carries the transfer code, naming its own number as the title.
    const polishInvoice = documents.listDocuments({ companyId: polish.id }).find((doc) => doc.kind === 'invoice');
    if (!polishInvoice) throw new Error('no Polish invoice');
    const exportedCodes = async (documentId: number) => {
      const pdf = await fixture.services.exporter.exportFile(documentId, await tempDir('kurier-einvoice-e2e-'));
      return decodeQrCodes(await readFile(pdf.filePath));
    };
    const codes = await exportedCodes(polishInvoice.id);
    expect(
      codes.some(
        (code) => code.startsWith(`${documents.getCompany(polish.id).taxId}|PL|`) && code.includes(`|${polishInvoice.number}|`),
      ),
    ).toBe(true);

    // The Polish company's invoice issued in KSeF: KOD I on the test host, over the file's own bytes.
    const plan = await fixture.services.imports.planPaths([ksefFile]);
    expect(fixture.services.imports.commit(plan.planId, false).imported).toBe(1);
    const fromKsef = documents.listDocuments({ companyId: polish.id }).find((doc) => doc.number === 'FV/2026/09/001');
    if (!fromKsef) throw new Error('the FA(3) invoice was not imported for the Polish company');
    const kodI = await exportedCodes(fromKsef.id);
    const hash = createHash('sha256')
      .update(await readFile(ksefFile))
      .digest('base64url');
    expect(kodI).toContain(`https://qr-test.ksef.mf.gov.pl/invoice/6772244113/15-09-2026/${hash}`);
    expect(kodI.some((code) => code.includes('//qr.ksef.mf.gov.pl/'))).toBe(false);
  });
});
