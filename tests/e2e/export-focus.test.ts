/**
 * Keyboard focus in the export dialog: it starts on the first field, and a run that ends without
 * sending (here a refused address) puts it on the field to correct instead of dropping it to the page.
 */
import { describe, expect, test } from 'vitest';
import { keyringAvailable } from '../support/app-fixture';
import { documentOf, startExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';

const smtpServers = faultyServers();

describe.skipIf(!keyringAvailable)('focus in the export dialog', () => {
  test('starts on the first field and returns to the refused field after Export', { timeout: 60_000 }, async () => {
    const smtp = await smtpServers.start();
    const run = await startExportDialogApp(smtp, smtpServers);
    const dialog = await run.openExport(documentOf(run.app, 'Dvořák & synové s.r.o.'));
    await dialog.getByLabel('Subject', { exact: true }).waitFor();
    expect(await dialog.evaluate(() => document.activeElement?.closest('form') !== null)).toBe(true);

    await dialog.getByLabel('Recipient', { exact: true }).selectOption('__other__');
    const address = dialog.getByLabel('E-mail address', { exact: true });
    await address.fill('not an address');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.locator('[aria-invalid="true"]').first().waitFor();
    await expect.poll(() => address.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(smtp.received).toHaveLength(0);
  });
});
