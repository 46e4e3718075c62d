/**
 * The document list an accountant works in, in Chromium through the web shell: search, the filters
 * (company, type, period, sent state), sortable columns announced with `aria-sort`, the "Sent" column
 * with the last send by any route (an SMTP copy the test server received, a hand-off to a mail program),
 * keyboard navigation (arrows, Home/End, Enter opens the export), the primary Send… and Open PDF.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { openTab } from '../support/browser';
import { documentOf, startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';
import { tempDir } from '../support/temp-dir';

const smtpServers = faultyServers();
const dvorak = 'Dvořák & synové s.r.o.';
const dvorakAddress = 'jana.dvorakova@dvorak-stavby.example';

const rows = (page: Page) => page.locator('table.documents tbody tr');
const numbers = (page: Page) => rows(page).locator('th').allTextContents();
const focusedRow = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-document') ?? null);
const sentCell = (page: Page, number: string) => page.locator(`tr[data-document="${number}"] [data-testid="last-send"]`);

describe.skipIf(!keyringAvailable)('the document list', () => {
  test('search, filters, sorting with aria-sort', { timeout: 60_000 }, async () => {
    const run = await startExportDialogApp(await smtpServers.start(), smtpServers);
    const page = run.documents;
    const all = run.app.services.documents.listDocuments();
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(all.length);

    // Search ignores case and diacritics: "dvorak" finds Dvořák's documents only.
    await page.getByLabel('Search', { exact: true }).fill('dvorak');
    const dvoraks = all.filter((doc) => doc.partnerName === dvorak).map((doc) => doc.number);
    await expect.poll(() => numbers(page)).toEqual(expect.arrayContaining(dvoraks));
    expect((await numbers(page)).length).toBe(dvoraks.length);
    await page.getByLabel('Search', { exact: true }).fill('');

    // Type and period.
    await page.getByLabel('Type', { exact: true }).selectOption('creditNote');
    const credits = all.filter((doc) => doc.kind === 'creditNote');
    await expect.poll(() => rows(page).count()).toBe(credits.length);
    await page.getByLabel('Type', { exact: true }).selectOption('all');
    const month = all[0]?.issueDate.slice(0, 7) ?? '';
    await page.getByLabel('Period', { exact: true }).selectOption(month);
    await expect.poll(() => rows(page).count()).toBe(all.filter((doc) => doc.issueDate.startsWith(month)).length);
    await page.getByLabel('Period', { exact: true }).selectOption('all');
    await page.getByLabel('Search', { exact: true }).fill('nothing like this');
    await page.getByRole('status').getByText('No document matches the search and the filters.').waitFor();
    await page.getByLabel('Search', { exact: true }).fill('');

    // Sorting: newest first at the start; Total sorts ascending, then descending, said by aria-sort.
    const issued = page.getByRole('columnheader', { name: 'Issued' });
    expect(await issued.getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('button', { name: 'Total', exact: true }).click();
    const total = page.getByRole('columnheader', { name: 'Total' });
    expect(await total.getAttribute('aria-sort')).toBe('ascending');
    expect(await issued.getAttribute('aria-sort')).toBeNull();
    const byTotal = [...all].sort(
      (a, b) => a.totalMinor - b.totalMinor || a.number.localeCompare(b.number, undefined, { numeric: true }),
    );
    expect(await numbers(page)).toEqual(byTotal.map((doc) => doc.number));
    await page.getByRole('button', { name: 'Total', exact: true }).click();
    expect(await total.getAttribute('aria-sort')).toBe('descending');
    const totalOf = (number: string | undefined) => all.find((doc) => doc.number === number)?.totalMinor;
    expect(totalOf((await numbers(page))[0])).toBe(byTotal.at(-1)?.totalMinor);
  });

  test('the Sent column shows an SMTP copy and a hand-off; the sent filter follows it', { timeout: 90_000 }, async () => {
    const smtp = await smtpServers.start();
    const run = await startExportDialogApp(smtp, smtpServers);
    const page = run.documents;
    const invoice = documentOf(run.app, dvorak);
    const other = run.app.services.documents.listDocuments().find((doc) => doc.partnerName === dvorak && doc.number !== invoice);
    if (!other) throw new Error('the demo data has one document for Dvořák only');
    await rows(page).first().waitFor();
    expect(await sentCell(page, invoice).textContent()).toBe('Not sent');

    const dialog = await run.openExport(invoice);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('mail-sent').waitFor();
    expect(smtp.received.map((message) => message.envelopeTo)).toEqual([[dvorakAddress]]);
    await expect.poll(() => sentCell(page, invoice).textContent()).toContain(`sent to ${dvorakAddress}`);

    const handed = await run.openExport(other.number);
    await handed.getByLabel('Send the copy through').selectOption('mailto');
    await handed.getByRole('button', { name: 'Export', exact: true }).click();
    await handed.getByTestId('mail-handed-off').waitFor();
    await expect.poll(() => sentCell(page, other.number).textContent()).toContain(`handed to a mailto link (${dvorakAddress})`);
    expect(smtp.received).toHaveLength(1);

    await page.getByLabel('Sent state', { exact: true }).selectOption('sent');
    await expect.poll(() => numbers(page)).toEqual(expect.arrayContaining([invoice, other.number]));
    expect(await rows(page).count()).toBe(2);
    await page.getByLabel('Sent state', { exact: true }).selectOption('notSent');
    await expect.poll(() => rows(page).count()).toBe(run.app.services.documents.listDocuments().length - 2);
    expect(await numbers(page)).not.toContain(invoice);
  });

  test(
    'keyboard: one row in the tab order, arrows and Home/End move, Enter and Send… open the export',
    { timeout: 60_000 },
    async () => {
      const run = await startExportDialogApp(await smtpServers.start(), smtpServers);
      const page = run.documents;
      await rows(page).first().waitFor();
      const order = await numbers(page);
      expect(await page.locator('table.documents tbody tr[tabindex="0"]').count()).toBe(1);

      await rows(page).first().focus();
      expect(await focusedRow(page)).toBe(order[0]);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await focusedRow(page)).toBe(order[2]);
      await page.keyboard.press('ArrowUp');
      expect(await focusedRow(page)).toBe(order[1]);
      await page.keyboard.press('End');
      expect(await focusedRow(page)).toBe(order.at(-1));
      await page.keyboard.press('Home');
      expect(await focusedRow(page)).toBe(order[0]);
      await page.keyboard.press('ArrowDown');
      // The row left behind is out of the tab order, the focused one in it.
      expect(await page.locator('table.documents tbody tr[tabindex="0"]').getAttribute('data-document')).toBe(order[1]);

      const byEnter = await openTab(run.context, () => page.keyboard.press('Enter'));
      await byEnter.getByRole('heading', { name: `Export ${order[1] ?? ''}` }).waitFor();

      // The primary Send… acts on the chosen row.
      const send = page.getByRole('button', { name: `Send… ${order[1] ?? ''}`, exact: true });
      expect(await send.getAttribute('class')).toContain('primary');
      const bySend = await openTab(run.context, () => send.click());
      await bySend.getByRole('heading', { name: `Export ${order[1] ?? ''}` }).waitFor();
    },
  );

  test('Open PDF shows the document in a new tab (the web shell has no system viewer)', { timeout: 60_000 }, async () => {
    const run = await startExportDialogApp(await smtpServers.start(), smtpServers, { browser: { bypassCSP: true } });
    const invoice = documentOf(run.app, dvorak);
    const tab = await openTab(run.context, () =>
      run.documents.getByRole('button', { name: `Open PDF ${invoice}`, exact: true }).click(),
    );
    await tab.waitForURL(/^blob:/);
    const base64 = await tab.evaluate(async () => {
      const bytes = new Uint8Array(await (await fetch(location.href)).arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    });
    const file = path.join(await tempDir('kurier-preview-'), 'preview.pdf');
    await writeFile(file, Buffer.from(base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain(invoice);
    expect(text).toContain(dvorak);
    // Nothing was written to the user's export folder by looking.
    expect(execFileSync('ls', ['-A', run.app.exportDir], { encoding: 'utf8' })).toBe('');
  });
});
