/**
 * A file over the import limit, in Chromium (web shell, real services): chosen with the Import… button
 * (a 50 MB sparse file on disk) or dropped on the window (21 MB made in the page), the page does not read
 * it and the preview names the file with the translated reason — the same sentence, from the same 20 MB
 * limit, as the command line and the watched folder give. Nothing is imported and the window keeps working.
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createTranslator } from '../../shared/i18n';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser } from '../support/browser';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const MB = 1024 * 1024;
const fixtures = path.resolve(import.meta.dirname, '../fixtures/documents');
const en = createTranslator('en');

async function startApp() {
  const fixture = await createAppFixture();
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser();
  const page = await context.newPage();
  await page.goto(shell.url);
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  await page.locator('table.documents tbody tr').first().waitFor();
  return { fixture, page };
}

/** Drops one file made in the page (`zeros` bytes of zeros, or `text`) on the window, as a file manager would. */
async function drop(page: Page, name: string, content: { zeros: number } | { text: string }): Promise<void> {
  await page.evaluate(
    ({ name, content }) => {
      const transfer = new DataTransfer();
      const part = 'zeros' in content ? new Uint8Array(content.zeros) : content.text;
      transfer.items.add(new File([part], name));
      const main = document.querySelector('main');
      main?.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      main?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, content },
  );
}

/** The preview's row for `file`, once the preview is open. */
async function previewRow(page: Page, file: string): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Import preview' });
  await dialog.waitFor();
  return (await dialog.getByRole('row', { name: new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).textContent()) ?? '';
}

describe.skipIf(!keyringAvailable)('import of a file over the limit', () => {
  test(
    'by the Import… button: the preview gives the translated reason and nothing is imported',
    { timeout: 90_000 },
    async () => {
      const { fixture, page } = await startApp();
      const before = fixture.services.documents.listDocuments().length;
      const big = path.join(await tempDir('kurier-too-large-'), 'faktura 50 MB.isdoc');
      const handle = await open(big, 'w');
      await handle.truncate(50 * MB);
      await handle.close();

      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Import…', exact: true }).click(),
      ]);
      await chooser.setFiles(big);
      const row = await previewRow(page, 'faktura 50 MB.isdoc');
      expect(row).toContain(en('imports.reasons.tooLarge', { sizeMb: 50, limitMb: 20 }));
      expect(row).toContain('The file has 50 MB; Kurier imports files up to 20 MB.');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Import preview' }).waitFor({ state: 'detached' });
      expect(fixture.services.documents.listDocuments()).toHaveLength(before);
    },
  );

  test('dropped on the window: the same reason, and the window still answers afterwards', { timeout: 90_000 }, async () => {
    const { fixture, page } = await startApp();
    const before = fixture.services.documents.listDocuments().length;
    await drop(page, 'partneri.csv', { zeros: 21 * MB });
    expect(await previewRow(page, 'partneri.csv')).toContain('The file has 21 MB; Kurier imports files up to 20 MB.');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Import preview' }).waitFor({ state: 'detached' });
    expect(fixture.services.documents.listDocuments()).toHaveLength(before);
    // The connection to Kurier is still open: a good file dropped next is previewed as usual.
    await drop(page, 'FV-2026-0901.isdoc', { text: await readFile(path.join(fixtures, 'isdoc-1-invoice.isdoc'), 'utf8') });
    expect(await previewRow(page, 'FV-2026-0901.isdoc')).toContain('Will be imported');
  });
});
