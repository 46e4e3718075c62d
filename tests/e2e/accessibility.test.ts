/**
 * axe-core on every window state the e2e tests reach, in the light and the dark colour scheme: the
 * documents list (in English, Czech and Polish — the button names differ by language), the export
 * dialog (copy on and off, a partner without an address, the password prompt, after a send, the
 * "send again?" question), both preferences windows with the template editor's preview, bulk sending
 * (dry run, finished batch, "already sent — skip them?"), the send history and the payslip passwords. Zero violations each.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import { keyringAvailable } from '../support/app-fixture';
import { expectNoAxeViolations } from '../support/axe';
import { openTab } from '../support/browser';
import { documentOf, startExportDialogApp, type ExportDialogApp } from '../support/export-dialog-fixture';
import { faultyServers } from '../support/faulty-smtp-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const smtpServers = faultyServers();
const dvorak = 'Dvořák & synové s.r.o.';
const bakery = 'Pekařství U Růžičků s.r.o.';

async function openWindow(run: ExportDialogApp, button: string, heading: string): Promise<Page> {
  const page = await openTab(run.context, () => run.documents.getByRole('button', { name: button, exact: true }).click());
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  return page;
}

async function documentsIn(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('table.documents tbody tr').first().waitFor();
  return page;
}

describe.skipIf(!keyringAvailable).each(['light', 'dark'] as const)('accessibility in the %s colour scheme', (colorScheme) => {
  const start = async () => startExportDialogApp(await smtpServers.start(), smtpServers, { colorScheme });

  test('the documents list in English, Czech and Polish', { timeout: 60_000 }, async () => {
    const run = await start();
    await run.documents.locator('table.documents tbody tr').first().waitFor();
    await expectNoAxeViolations(run.documents, `documents (en, ${colorScheme})`);
    for (const language of ['cs', 'pl'] as const) {
      const shell = await startTestWebShell(run.app, { systemLanguage: language });
      await expectNoAxeViolations(await documentsIn(run.context, shell.url), `documents (${language}, ${colorScheme})`);
    }
  });

  test(
    'the export dialog: copy on and off, no address, password prompt, after a send, asked again',
    { timeout: 90_000 },
    async () => {
      const run = await start();
      const dialog = await run.openExport(documentOf(run.app, dvorak));
      await dialog.getByLabel('Subject', { exact: true }).waitFor();
      await expectNoAxeViolations(dialog, `export dialog, copy on (${colorScheme})`);
      await dialog.getByLabel('Send a copy to e-mail', { exact: true }).uncheck();
      await expectNoAxeViolations(dialog, `export dialog, copy off (${colorScheme})`);
      await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();
      await expectNoAxeViolations(dialog, `export dialog, after a send (${colorScheme})`);
      await dialog.getByRole('button', { name: 'Export again…' }).click();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByRole('dialog').waitFor();
      await expectNoAxeViolations(dialog, `export dialog, send again? (${colorScheme})`);

      const orphan = await run.openExport(documentOf(run.app, bakery));
      await orphan.getByTestId('no-partner-address').waitFor();
      await expectNoAxeViolations(orphan, `export dialog, partner without an address (${colorScheme})`);
      await orphan.getByLabel('Send a copy to e-mail', { exact: true }).check();
      await orphan.getByLabel('Recipient', { exact: true }).selectOption('__other__');
      await orphan.getByLabel('E-mail address', { exact: true }).fill('not an address');
      await orphan.getByRole('button', { name: 'Export', exact: true }).click();
      await orphan.locator('[aria-invalid="true"]').first().waitFor();
      await expectNoAxeViolations(orphan, `export dialog, invalid address (${colorScheme})`);

      await run.app.secrets.delete(smtpPasswordKeys.user);
      const prompt = await run.openExport(documentOf(run.app, dvorak));
      await prompt.getByTestId('office-password').waitFor();
      await expectNoAxeViolations(prompt, `export dialog, password prompt (${colorScheme})`);
    },
  );

  test('both preferences windows and the template editor', { timeout: 60_000 }, async () => {
    const run = await start();
    const user = await openWindow(run, 'User preferences', 'User preferences');
    await expectNoAxeViolations(user, `user preferences (${colorScheme})`);
    const office = await openWindow(run, 'Office preferences', 'Office preferences');
    await expectNoAxeViolations(office, `office preferences (${colorScheme})`);
    const templates = office.locator('fieldset[data-section="templates"]');
    await templates.getByLabel('Message', { exact: true }).selectOption('invoice');
    await templates.getByTestId('template-preview').locator('pre').waitFor();
    await expectNoAxeViolations(office, `templates with a preview (${colorScheme})`);
    await templates.getByLabel('Subject', { exact: true }).fill('Faktura {{numbr}}');
    await templates.getByTestId('unknown-placeholders').waitFor();
    await expectNoAxeViolations(office, `templates with an unknown placeholder (${colorScheme})`);
  });

  test('bulk sending, the send history and payslip passwords', { timeout: 90_000 }, async () => {
    const run = await start();
    const bulk = await openWindow(run, 'Send many…', 'Export and send many documents');
    await expectNoAxeViolations(bulk, `bulk send (${colorScheme})`);
    await bulk.getByLabel('Select all shown').check();
    await bulk.getByRole('button', { name: 'Check before sending' }).click();
    await bulk.getByTestId('dry-run').waitFor();
    await expectNoAxeViolations(bulk, `bulk send, dry run (${colorScheme})`);
    await bulk.getByRole('button', { name: /^Send \d+ messages$/ }).click();
    await bulk.getByTestId('batch-progress').and(bulk.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    await expectNoAxeViolations(bulk, `bulk send, finished batch (${colorScheme})`);
    // The same documents again: Kurier asks first, listing who sent each (issue 20).
    await bulk.getByRole('button', { name: 'Check before sending' }).click();
    await bulk.getByTestId('dry-run').waitFor();
    await bulk.getByRole('button', { name: /^Send \d+ messages$/ }).click();
    await bulk.getByTestId('earlier-copies-dialog').waitFor();
    await expectNoAxeViolations(bulk, `bulk send, already sent? (${colorScheme})`);
    await bulk.getByRole('button', { name: 'Don’t send', exact: true }).click();

    const history = await openWindow(run, 'Send history', 'Send history');
    await history.getByTestId('history').locator('tbody tr').first().waitFor();
    await expectNoAxeViolations(history, `send history (${colorScheme})`);

    const payslips = await openWindow(run, 'Payslip passwords', 'Payslip passwords');
    await expectNoAxeViolations(payslips, `payslip passwords (${colorScheme})`);
    await payslips
      .getByRole('button', { name: /^Generate new password for / })
      .first()
      .click();
    await payslips.getByTestId('payslip-confirm').waitFor();
    await expectNoAxeViolations(payslips, `payslip passwords, asked before generating (${colorScheme})`);
    await payslips.getByRole('button', { name: 'Generate new password', exact: true }).click();
    await payslips.getByText('was generated', { exact: false }).waitFor();
    await expectNoAxeViolations(payslips, `payslip passwords, one generated (${colorScheme})`);
  });
});
