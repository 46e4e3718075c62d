/**
 * The README's screenshots, in Czech and Polish at 1024 px: the document list (one copy already sent),
 * the export dialog with the copy on and a file added, and user preferences. Each window is checked as it
 * is shown — in its language, nothing wider than the 1024 px window, zero axe violations — and saved to
 * docs/screenshots/ only when KURIER_SCREENSHOTS=1 (a normal run leaves the tree clean).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Language } from '../../shared/domain';
import { createTranslator } from '../../shared/i18n';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { expectNoAxeViolations } from '../support/axe';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testSmtpAccount } from '../support/smtp-test-server';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

const invoiceNumber = 'FV-2026-0001';
const width = 1024;

/** Nothing in the window is wider than it: no horizontal scrolling at 1024 px. */
async function expectFitsWidth(page: Page, label: string): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  // Named in the failure: the elements reaching furthest right, which make the window scroll sideways.
  const widest = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .map((element) => ({
        right: Math.round(element.getBoundingClientRect().right),
        what: `${element.tagName}.${element.className} ${element.textContent.slice(0, 30)}`,
      }))
      .sort((a, b) => b.right - a.right)
      .slice(0, 3),
  );
  expect(scrollWidth, `${label} is ${String(scrollWidth)} px wide: ${JSON.stringify(widest)}`).toBeLessThanOrEqual(width);
}

describe.skipIf(!keyringAvailable).each(['cs', 'pl'] as const)('README screenshots in %s at 1024 px', (language: Language) => {
  test('the document list, the export dialog with a file added, user preferences', { timeout: 90_000 }, async () => {
    const t = createTranslator(language);
    const certificate = createTestCertificate();
    const server = await startSmtpTestServer({ certificate, secure: false });
    onTestFinished(() => server.close());
    const app = await createAppFixture();
    await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          language,
          smtp: testSmtpAccount({ senderName: 'Účetní kancelář Bílá', port: server.port, trustedCertificate: certificate.cert }),
          sending: { route: 'smtp', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'display' },
        },
      },
      { action: 'set', value: 'správné-heslo' },
    );
    // One copy already went out, so the list's Sent column has something to show.
    const sent = app.services.documents.listDocuments().find((doc) => doc.kind === 'invoice' && doc.number !== invoiceNumber);
    if (!sent) throw new Error('the demo data has only one invoice');
    const draft = await app.services.sender.prepare(sent.id);
    await app.services.sender.run({
      documentId: sent.id,
      format: 'pdf',
      folder: app.exportDir,
      smtpPassword: null,
      copy: { to: draft.to || 'jana@firma.example', subject: draft.subject, body: draft.body, cc: '', bcc: '', route: 'smtp' },
    });
    await server.nextMessage();

    const shell = await startTestWebShell(app);
    const { context } = await launchTestBrowser({ viewport: { width, height: 768 } });
    const documents = await context.newPage();
    await documents.goto(shell.url);
    await documents.getByRole('heading', { name: t('documents.title'), level: 1 }).waitFor();
    await documents
      .getByRole('row', { name: new RegExp(sent.number) })
      .getByTestId('last-send')
      .getByText(/\S/u)
      .waitFor();
    await expectFitsWidth(documents, 'the document list');
    await expectNoAxeViolations(documents, `documents (${language}, 1024 px)`);
    await screenshot(documents, `documents-${language}.png`, { fullPage: false });

    const dialog = await openTab(context, () =>
      documents.getByRole('button', { name: `${t('documents.export')} ${invoiceNumber}`, exact: true }).click(),
    );
    await dialog.getByRole('heading', { name: t('export.title', { number: invoiceNumber }) }).waitFor();
    await dialog.getByLabel(t('export.subject'), { exact: true }).waitFor();
    const folder = await tempDir('kurier-user-files-');
    const power = path.join(folder, language === 'cs' ? 'Plná moc.pdf' : 'Pełnomocnictwo.pdf');
    await writeFile(power, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(48_000, 32)]));
    const [chooser] = await Promise.all([
      dialog.waitForEvent('filechooser'),
      dialog.getByRole('button', { name: t('export.addFiles') }).click(),
    ]);
    await chooser.setFiles([power]);
    await dialog.getByRole('button', { name: t('export.removeAttachment', { name: path.basename(power) }) }).waitFor();
    await expectFitsWidth(dialog, 'the export dialog');
    await expectNoAxeViolations(dialog, `export dialog with a file added (${language}, 1024 px)`);
    await screenshot(dialog, `export-dialog-${language}.png`);

    const prefs = await openTab(context, () =>
      documents.getByRole('button', { name: t('documents.userPrefs'), exact: true }).click(),
    );
    await prefs.getByRole('heading', { name: t('documents.userPrefs'), level: 1 }).waitFor();
    await expectFitsWidth(prefs, 'user preferences');
    await expectNoAxeViolations(prefs, `user preferences (${language}, 1024 px)`);
    // The window as it opens: section links, the SMTP account near the top, the Save bar at the bottom.
    await screenshot(prefs, `user-preferences-${language}.png`, { fullPage: false });
  });
});
