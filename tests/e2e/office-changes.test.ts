/**
 * An office preferences file edited behind Kurier's back, end to end in Chromium through the web shell:
 * the export dialog and the preferences window both say what changed, the copy waits, and "I have
 * checked these changes" clears the banner and lets the next copy go out — once — to a real SMTP server.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { globalPrefsFileName } from '../../electron/services/prefs/prefs-files';
import type { GlobalPrefs } from '../../shared/prefs';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const invoiceNumber = 'FV-2026-0001';

describe.skipIf(!keyringAvailable)('office preferences changed behind Kurier’s back', () => {
  test(
    'the export dialog and the preferences window show the change; confirming clears it and the copy goes once',
    { timeout: 90_000 },
    async () => {
      const certificate = createTestCertificate();
      const server = await startSmtpTestServer({ certificate, secure: false });
      onTestFinished(() => server.close());
      const fixture = await createAppFixture();
      const account = testSmtpAccount({
        port: server.port,
        trustedCertificate: certificate.cert,
        replyTo: 'fakturace@kancelar.example',
      });
      await fixture.services.prefs.updateGlobal({ smtp: account, language: 'en' }, { action: 'set', value: 'správné-heslo' });

      // Someone with write access to the office file changes it directly.
      const filePath = path.join(fixture.machinePrefsDir, globalPrefsFileName);
      const stored = JSON.parse(await readFile(filePath, 'utf8')) as { version: number; prefs: GlobalPrefs };
      await writeFile(
        filePath,
        JSON.stringify({ ...stored, prefs: { ...stored.prefs, smtp: { ...account, replyTo: 'platby@podvodnik.example' } } }),
      );

      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      await documents.getByRole('row', { name: new RegExp(invoiceNumber) }).waitFor();

      const dialog = await openTab(context, () => documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click());
      await dialog.getByRole('heading', { name: `Export ${invoiceNumber}` }).waitFor();
      const banner = (page: Page) =>
        page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'The office preferences have changed' }) });
      await banner(dialog).waitFor();
      expect(await banner(dialog).getByRole('listitem').allTextContents()).toEqual(['Reply-to address (changed: replyTo)']);
      await screenshot(dialog, 'export-dialog-office-changed.png');

      await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
      await dialog.getByLabel('Subject', { exact: true }).waitFor();
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog
        .getByRole('alert')
        .filter({ hasText: 'Sending waits: the office preferences changed since you last checked them.' })
        .waitFor();
      expect(server.received).toHaveLength(0);

      const prefs = await openTab(context, () => documents.getByRole('button', { name: 'User preferences' }).click());
      await prefs.getByRole('heading', { name: 'User preferences' }).waitFor();
      await banner(prefs).waitFor();
      await screenshot(prefs, 'user-preferences-office-changed.png');
      const confirm = banner(prefs).getByRole('button', { name: 'I have checked these changes' });
      await confirm.focus();
      await prefs.keyboard.press('Enter');
      await prefs.getByRole('status').filter({ hasText: 'Confirmed. Sending goes on with the checked settings.' }).waitFor();
      expect(await banner(prefs).count()).toBe(0);

      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();
      expect(await banner(dialog).count()).toBe(0);
      const message = await server.nextMessage();
      expect(message.parsed.replyTo?.text).toBe('platby@podvodnik.example');
      expect(server.received).toHaveLength(0);
    },
  );
});
