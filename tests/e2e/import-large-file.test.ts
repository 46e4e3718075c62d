/**
 * A 3 MB invoice PDF with an embedded ISDOC, in Chromium through the web shell (real services, real
 * SQLite): far more than one WebSocket frame (1 MiB) can carry, under the 20 MB import limit. Chosen with
 * the Import… button or dropped on the window, the page hands it to main in parts; the preview shows the
 * invoice, it is imported, and the PDF Kurier keeps for it is the dropped file byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser } from '../support/browser';
import { startTestWebShell } from '../support/web-shell-fixture';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/documents');

/** The ISDOC PDF fixture padded with an unreferenced 3 MB stream (incompressible bytes). */
async function largeIsdocPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.load(await readFile(path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf')));
  pdf.context.register(pdf.context.stream(randomBytes(3 * 1024 * 1024)));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

type PageFile = { name: string; mimeType: string; buffer: Buffer };

async function importByButton(page: Page, file: PageFile): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import…', exact: true }).click(),
  ]);
  await chooser.setFiles([file]);
}

/** A real drop: the DataTransfer holds a File made in the page from the bytes (sent there in slices). */
async function dropFile(page: Page, file: PageFile): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { testParts: string[] }).testParts = [];
  });
  const base64 = file.buffer.toString('base64');
  for (let offset = 0; offset < base64.length; offset += 400_000) {
    await page.evaluate(
      (part) => {
        (window as unknown as { testParts: string[] }).testParts.push(part);
      },
      base64.slice(offset, offset + 400_000),
    );
  }
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType }) => {
      const bytes = Uint8Array.from(atob((window as unknown as { testParts: string[] }).testParts.join('')), (char) =>
        char.charCodeAt(0),
      );
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mimeType }));
      return transfer;
    },
    { name: file.name, mimeType: file.mimeType },
  );
  const window = page.locator('main.window');
  await window.dispatchEvent('dragover', { dataTransfer });
  await page.getByText('Drop the files to import them').waitFor();
  await window.dispatchEvent('drop', { dataTransfer });
}

describe.skipIf(!keyringAvailable)('a large file through the web shell', () => {
  test.each(['button', 'drop'] as const)(
    'a 3 MB ISDOC PDF by the %s: previewed, imported, and kept byte for byte',
    { timeout: 120_000 },
    async (way) => {
      const original = await largeIsdocPdf();
      expect(original.length).toBeGreaterThan(3 * 1024 * 1024);
      const fixture = await createAppFixture();
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const page = await context.newPage();
      await page.goto(shell.url);
      await page.getByRole('heading', { name: 'Documents' }).waitFor();
      await page.locator('table.documents tbody tr').first().waitFor();

      const file = { name: 'FV-2026-0905.pdf', mimeType: 'application/pdf', buffer: original };
      if (way === 'button') await importByButton(page, file);
      else await dropFile(page, file);
      const dialog = page.getByRole('dialog', { name: 'Import preview' });
      await dialog.waitFor({ timeout: 60_000 });
      const row = (await dialog.getByRole('row', { name: /FV-2026-0905\.pdf/ }).textContent()) ?? '';
      expect(row).toContain('Invoice FV-2026-0905');
      expect(row).toContain('its own PDF is kept');
      expect(row).toContain('Will be imported');
      await dialog.getByRole('button', { name: 'Import 1 file' }).click();
      await page.getByRole('dialog', { name: 'Import result' }).getByText('Imported: 1.').waitFor();
      // The page's WebSocket stayed open: the list still answers.
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('row', { name: /FV-2026-0905/ }).waitFor();

      const imported = fixture.services.documents.listDocuments().find((doc) => doc.number === 'FV-2026-0905');
      if (!imported) throw new Error('FV-2026-0905 not imported');
      const kept = await fixture.services.preview.render(imported.id);
      expect(Buffer.from(kept.bytes).equals(original)).toBe(true);
    },
  );
});
