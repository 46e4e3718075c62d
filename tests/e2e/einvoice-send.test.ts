/**
 * Issue 16's proof end to end, in Chromium through the web shell: a Czech and a Polish invoice sent by
 * the user over a real SMTP server, and the received messages read as the partner's mail program would.
 * The Czech one carries its PDF with a QR Platba matching the document and an ISDOC that validates against
 * the official 6.0.2 XSD and says what the document says; the Polish one — imported from an FA(3) file
 * whose name carries no KSeF number, the number typed in the import preview — carries its PDF with KOD I
 * (the URL computed here independently from the XML bytes) and the typed number printed under it, and
 * the original XML byte for byte. A Polish invoice still without its number gets it typed in the export
 * dialog, or in the check before a bulk send: the received PDF prints it instead of OFFLINE.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { computeTotals } from '../../shared/domain';
import { createAppFixture, keyringAvailable, type AppFixture } from '../support/app-fixture';
import { withKsefChecksum } from '../support/ksef-number';
import { expectNoAxeViolations } from '../support/axe';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { decodeQrCodes, pdfText } from '../support/qr-images';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../support/smtp-test-server';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const run = promisify(execFile);
const fixtures = path.resolve(import.meta.dirname, '../fixtures/documents');
const schema = path.resolve(import.meta.dirname, '../fixtures/isdoc-schema/isdoc-invoice-6.0.2.xsd');
/** The FA(3) fixture, imported under a name that does not carry its KSeF number. */
const faFixture = path.join(fixtures, '6772244113-20260915-0A1B2C3D4E5F-7C.xml');
/** The number typed for it (its check part right; the file name's made-up one is only checked for format). */
const ksefNumber = withKsefChecksum('6772244113-20260915-0A1B2C3D4E5F');
const polishNumber = 'FV/2026/09/001';
const czechNumber = 'FV-2026-0001';

interface Running {
  readonly fixture: AppFixture;
  readonly server: SmtpTestServer;
  readonly context: BrowserContext;
  readonly documents: Page;
}

async function startApp(): Promise<Running> {
  const certificate = createTestCertificate();
  const server = await startSmtpTestServer({ certificate, secure: false });
  onTestFinished(() => server.close());
  const fixture = await createAppFixture();
  await fixture.services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: { language: 'en', smtp: testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert }) },
    },
    { action: 'set', value: 'správné-heslo' },
  );
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser();
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('row', { name: new RegExp(czechNumber) }).waitFor();
  return { fixture, server, context, documents };
}

/** Imports the FA(3) file under a plain name through Import…; `typed` goes into the preview's KSeF field. */
async function importPolishInvoice(app: Running, typed: string | null): Promise<void> {
  const [chooser] = await Promise.all([
    app.documents.waitForEvent('filechooser'),
    app.documents.getByRole('button', { name: 'Import…', exact: true }).click(),
  ]);
  await chooser.setFiles([{ name: 'faktura.xml', mimeType: 'application/xml', buffer: await readFile(faFixture) }]);
  const dialog = app.documents.getByRole('dialog', { name: 'Import preview' });
  await dialog.waitFor();
  const field = dialog.getByLabel('KSeF number (for a single KSeF file whose name does not carry it)');
  if (typed !== null) {
    // A wrong number is refused in words before anything is planned again.
    await field.fill('6772244113-20260915-XYZ');
    await dialog.getByText('This is not a KSeF number').waitFor();
    expect(await dialog.getByRole('button', { name: 'Use this KSeF number' }).isDisabled()).toBe(true);
    await field.fill(typed.toLowerCase());
    await dialog.getByRole('button', { name: 'Use this KSeF number' }).click();
    // Planned again: the preview shows the number the import will store.
    await dialog
      .getByRole('row', { name: /faktura\.xml/ })
      .getByText(`KSeF number ${typed}`)
      .waitFor();
    await expectNoAxeViolations(app.documents, 'import preview with the KSeF number field');
  } else {
    await field.waitFor();
  }
  await dialog.getByRole('button', { name: 'Import 1 file' }).click();
  await app.documents.getByRole('dialog', { name: 'Import result' }).getByText('Imported: 1. Not imported: 0.').waitFor();
  await app.documents.getByRole('button', { name: 'Close' }).click();
  await app.documents.getByRole('row', { name: new RegExp(polishNumber) }).waitFor();
}

/** Opens the export dialog of a document with the e-mail copy ticked. */
async function openExport(app: Running, number: string): Promise<Page> {
  const dialog = await openTab(app.context, () =>
    app.documents.getByRole('button', { name: `Export… ${number}`, exact: true }).click(),
  );
  await dialog.getByRole('heading', { name: `Export ${number}` }).waitFor();
  return dialog;
}

async function sendCopy(dialog: Page) {
  await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
  await dialog.getByLabel('Subject', { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByTestId('mail-sent').waitFor({ timeout: 60_000 });
}

/** KOD I as computed here from the XML file alone: seller NIP, P_1 as DD-MM-YYYY, SHA-256 of the bytes. */
function expectedKodI(xml: Buffer): string {
  const text = xml.toString('utf8');
  const nip = /<Podmiot1>[\s\S]*?<NIP>(\d{10})<\/NIP>/u.exec(text)?.[1];
  const [year, month, day] = (/<P_1>(\d{4}-\d{2}-\d{2})<\/P_1>/u.exec(text)?.[1] ?? '').split('-');
  if (nip === undefined || day === undefined || month === undefined || year === undefined) throw new Error('fixture');
  const hash = createHash('sha256').update(xml).digest('base64url');
  return `https://qr.ksef.mf.gov.pl/invoice/${nip}/${day}-${month}-${year}/${hash}`;
}

/** libxml2's XSD validator on the received ISDOC; rejects with its report. */
async function xmllint(bytes: Buffer): Promise<string> {
  const file = path.join(await tempDir(), 'received.isdoc');
  await writeFile(file, bytes);
  try {
    const { stderr } = await run('/usr/bin/xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    return stderr;
  } catch (error) {
    throw new Error(`xmllint rejected the ISDOC: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

function decimal(minor: number): string {
  const abs = Math.abs(minor);
  return `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

describe.skipIf(!keyringAvailable)('e-invoices over SMTP', () => {
  test(
    'a Czech invoice with QR Platba and a valid ISDOC, a Polish one with KOD I, its typed KSeF number and its FA(3) XML',
    { timeout: 180_000 },
    async () => {
      const app = await startApp();

      // Czech: the demo invoice, its ISDOC generated by Kurier.
      const czech = await openExport(app, czechNumber);
      await sendCopy(czech);
      const czechMail = await app.server.nextMessage();
      expect(czechMail.parsed.subject).toContain(czechNumber);
      const czechPdf = czechMail.parsed.attachments.find((item) => item.contentType === 'application/pdf');
      const isdoc = czechMail.parsed.attachments.find((item) => item.filename?.endsWith('.isdoc'));
      if (!czechPdf || !isdoc) throw new Error('the Czech copy lacks its PDF or ISDOC');
      expect(await xmllint(isdoc.content)).toContain('validates');
      const summary = app.fixture.services.documents.listDocuments().find((doc) => doc.number === czechNumber);
      const document = summary && app.fixture.services.documents.getDocument(summary.id);
      if (!document) throw new Error('no demo invoice');
      const company = app.fixture.services.documents.getCompany(document.companyId);
      const totalMinor = computeTotals(document.lines).totalMinor;
      const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(isdoc.content.toString('utf8')) as {
        Invoice: {
          ID: string;
          DocumentType: string;
          IssueDate: string;
          LegalMonetaryTotal: { PayableAmount: string };
          PaymentMeans?: { Payment?: { Details?: { VariableSymbol?: string; IBAN?: string } } };
        };
      };
      expect(parsed.Invoice.ID).toBe(czechNumber);
      expect(parsed.Invoice.DocumentType).toBe('1');
      expect(parsed.Invoice.IssueDate).toBe(document.issueDate);
      expect(parsed.Invoice.LegalMonetaryTotal.PayableAmount).toBe(decimal(totalMinor));
      expect(parsed.Invoice.PaymentMeans?.Payment?.Details?.VariableSymbol).toBe(document.variableSymbol);
      // QR Platba as a phone reads it from the received PDF.
      const spayd = (await decodeQrCodes(czechPdf.content)).find((code) => code.startsWith('SPD*'));
      if (spayd === undefined) throw new Error('no QR Platba on the received Czech PDF');
      const fields = new Map(spayd.split('*').map((part) => [part.split(':')[0], part.slice(part.indexOf(':') + 1)]));
      expect(fields.get('ACC')?.split('+')[0]).toBe(company.iban.replace(/\s/gu, ''));
      expect(fields.get('AM')).toBe(decimal(totalMinor));
      expect(fields.get('CC')).toBe(document.currency);
      expect(fields.get('X-VS')).toBe(document.variableSymbol);
      expect(await pdfText(czechPdf.content)).toContain('QR Platba');
      await czech.close();

      // Polish: imported from a file whose name has no KSeF number, the number typed in the preview.
      await importPolishInvoice(app, ksefNumber);
      const polish = await openExport(app, polishNumber);
      // It has its number: nothing to ask.
      expect(await polish.getByTestId('ksef-offline').count()).toBe(0);
      await sendCopy(polish);
      const polishMail = await app.server.nextMessage();
      expect(polishMail.parsed.subject).toContain(polishNumber);
      const original = await readFile(faFixture);
      const polishPdf = polishMail.parsed.attachments.find((item) => item.contentType === 'application/pdf');
      const xml = polishMail.parsed.attachments.find((item) => item.filename?.endsWith('.xml'));
      if (!polishPdf || !xml) throw new Error('the Polish copy lacks its PDF or XML');
      expect(xml.content.equals(original)).toBe(true);
      expect(await decodeQrCodes(polishPdf.content)).toContain(expectedKodI(original));
      const text = await pdfText(polishPdf.content);
      expect(text).toContain(ksefNumber);
      expect(text).not.toContain('OFFLINE');
    },
  );

  test(
    'a Polish invoice without its KSeF number: typed in the export dialog, the received PDF prints it instead of OFFLINE',
    { timeout: 150_000 },
    async () => {
      const app = await startApp();
      await importPolishInvoice(app, null);
      const dialog = await openExport(app, polishNumber);
      const notice = dialog.getByTestId('ksef-offline');
      await notice.getByText('the KSeF code on the PDF will carry OFFLINE').waitFor();
      const field = notice.getByLabel(`KSeF number of ${polishNumber}`, { exact: false });
      await field.fill('nonsense');
      await notice.getByText('This is not a KSeF number').waitFor();
      expect(await notice.getByRole('button', { name: 'Save the KSeF number' }).isDisabled()).toBe(true);
      // One character off: the format is right but the check part is not — a typo, said as such.
      const typo = ksefNumber.replace('0A1B', '0A1C');
      await field.fill(typo);
      await notice.getByText('The KSeF number has a typo: the check characters at the end do not match').waitFor();
      expect(await notice.getByText('This is not a KSeF number').count()).toBe(0);
      expect(await notice.getByRole('button', { name: 'Save the KSeF number' }).isDisabled()).toBe(true);
      // Nothing saved: no note, the invoice still asks (a stored number is never overwritten, so the
      // right one saved next and printed on the PDF below proves the typo was not stored).
      expect(await dialog.getByTestId('ksef-saved').count()).toBe(0);
      expect(await dialog.getByTestId('ksef-offline').count()).toBe(1);
      await field.fill(` ${ksefNumber.toLowerCase()} `);
      await expectNoAxeViolations(dialog, 'export dialog asking for the KSeF number');
      await notice.getByRole('button', { name: 'Save the KSeF number' }).click();
      await dialog.getByTestId('ksef-saved').getByText('1 KSeF number saved').waitFor();
      expect(await dialog.getByTestId('ksef-offline').count()).toBe(0);
      await sendCopy(dialog);

      const received = await app.server.nextMessage();
      const pdf = received.parsed.attachments.find((item) => item.contentType === 'application/pdf');
      if (!pdf) throw new Error('no PDF received');
      const original = await readFile(faFixture);
      expect(await decodeQrCodes(pdf.content)).toContain(expectedKodI(original));
      const text = await pdfText(pdf.content);
      expect(text).toContain(ksefNumber);
      expect(text).not.toContain('OFFLINE');
    },
  );

  test(
    'a bulk send with a Polish invoice without its KSeF number asks for it; typed, the batch goes and the received PDF prints it',
    { timeout: 150_000 },
    async () => {
      const app = await startApp();
      await importPolishInvoice(app, null);
      const bulk = await openTab(app.context, () => app.documents.getByRole('button', { name: 'Send many…' }).click());
      await bulk.getByRole('heading', { name: 'Export and send many documents', level: 1 }).waitFor();
      await bulk.getByLabel(`Select ${polishNumber}`, { exact: true }).check();
      await bulk.getByLabel(`Select ${czechNumber}`, { exact: true }).check();
      await bulk.getByText('2 documents selected.').waitFor();
      await bulk.getByRole('button', { name: 'Check before sending' }).click();

      const prompt = bulk.getByTestId('ksef-numbers');
      await prompt.getByRole('heading', { name: '1 Polish invoice has no KSeF number yet' }).waitFor();
      const field = prompt.getByLabel(`KSeF number of ${polishNumber}`, { exact: false });
      await field.fill(ksefNumber);
      await expectNoAxeViolations(bulk, 'bulk check asking for a KSeF number');
      await prompt.getByRole('button', { name: 'Save KSeF numbers' }).click();
      // Checked again with the number saved: nothing is left to ask.
      await expect.poll(() => bulk.getByTestId('ksef-numbers').count(), { timeout: 20_000 }).toBe(0);
      await bulk.getByRole('button', { name: 'Send 2 messages' }).click();
      await bulk.getByTestId('batch-progress').and(bulk.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });

      const received = [await app.server.nextMessage(), await app.server.nextMessage()];
      const polishMail = received.find((message) => message.parsed.subject?.includes(polishNumber));
      expect(received.some((message) => message.parsed.subject?.includes(czechNumber))).toBe(true);
      const pdf = polishMail?.parsed.attachments.find((item) => item.contentType === 'application/pdf');
      if (!pdf) throw new Error('the Polish invoice did not arrive with its PDF');
      const original = await readFile(faFixture);
      expect(await decodeQrCodes(pdf.content)).toContain(expectedKodI(original));
      const text = await pdfText(pdf.content);
      expect(text).toContain(ksefNumber);
      expect(text).not.toContain('OFFLINE');
    },
  );
});
