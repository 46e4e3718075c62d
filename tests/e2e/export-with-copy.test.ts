/**
 * End to end through the web shell in Chromium: set up the SMTP account in user preferences (password
 * to the keychain, never to the file), export an invoice with an e-mail copy to a real STARTTLS server,
 * and see a rejected password reported in the user's language.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import { fakeProgramProbe } from '../support/fake-program-probe';
import { createAppFixture, keyringAvailable, type AppFixture, savedSmtpPassword } from '../support/app-fixture';
import { launchTestBrowser, openTab } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const account = {
  senderName: 'Účetní kancelář Bílá',
  senderAddress: 'ucetni@kancelar.example',
  replyTo: 'odpovedi@kancelar.example',
  username: 'ucetni@kancelar.example',
  password: 'správné-heslo',
};
const invoiceNumber = 'FV-2026-0001';

interface Running {
  readonly fixture: AppFixture;
  readonly server: SmtpTestServer;
  readonly context: BrowserContext;
  readonly documents: Page;
  /** The test server's certificate, pasted into preferences so the client trusts it. */
  readonly certificatePem: string;
}

async function startApp(fixtureOptions: Parameters<typeof createAppFixture>[0] = {}): Promise<Running> {
  const certificate = createTestCertificate();
  const server = await startSmtpTestServer({ certificate, secure: false });
  onTestFinished(() => server.close());
  const fixture = await createAppFixture(fixtureOptions);
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser();
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('row', { name: new RegExp(invoiceNumber) }).waitFor();
  return { fixture, server, context, documents, certificatePem: certificate.cert };
}

/** Opens user preferences from the documents window and fills the SMTP account through the form. */
async function configureAccount(app: Running): Promise<Page> {
  const prefs = await openTab(app.context, () => app.documents.getByRole('button', { name: 'User preferences' }).click());
  await prefs.getByRole('heading', { name: 'User preferences' }).waitFor();
  await prefs.getByRole('button', { name: 'Use my own setting – Language' }).click();
  await prefs.getByLabel('Language', { exact: true }).selectOption('en');
  await prefs.getByRole('button', { name: 'Use my own setting – SMTP account for sending e-mail' }).click();
  await prefs.getByLabel('Send e-mail directly through an SMTP server', { exact: true }).check();
  await prefs.getByLabel('Sender name', { exact: true }).fill(account.senderName);
  await prefs.getByLabel('Sender e-mail address', { exact: true }).fill(account.senderAddress);
  await prefs.getByLabel('Reply-to address (optional)', { exact: true }).fill(account.replyTo);
  await prefs.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
  await prefs.getByLabel('Connection security', { exact: true }).selectOption('starttls');
  await prefs.getByLabel('Port', { exact: true }).fill(String(app.server.port));
  await prefs.getByLabel('User name', { exact: true }).fill(account.username);
  await prefs.getByLabel('Password', { exact: true }).fill(account.password);
  await prefs.getByLabel('Trusted server certificate (PEM, optional)', { exact: true }).fill(app.certificatePem);
  await prefs.getByRole('button', { name: 'Save', exact: true }).click();
  // After a save with a password the form offers to change it: the reload from main has happened.
  await prefs.getByRole('button', { name: 'Change password' }).waitFor();
  return prefs;
}

/** Opens the export dialog of the invoice and ticks the e-mail copy. */
async function openExportWithCopy(app: Running): Promise<Page> {
  const dialog = await openTab(app.context, () =>
    app.documents.getByRole('button', { name: `Export… ${invoiceNumber}` }).click(),
  );
  await dialog.getByRole('heading', { name: `Export ${invoiceNumber}` }).waitFor();
  await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
  await dialog.getByLabel('Subject', { exact: true }).waitFor();
  return dialog;
}

function invoiceId(fixture: AppFixture): number {
  const invoice = fixture.services.documents.listDocuments().find((doc) => doc.number === invoiceNumber);
  if (!invoice) throw new Error(`the demo data has no ${invoiceNumber}`);
  return invoice.id;
}

describe.skipIf(!keyringAvailable)('export with an e-mail copy through the web shell', () => {
  test('saves the SMTP account and sends the PDF with diacritics intact', { timeout: 60_000 }, async () => {
    const app = await startApp();
    const prefs = await configureAccount(app);

    await prefs.getByRole('status').filter({ hasText: 'A password is saved in the system keychain.' }).waitFor();
    await prefs.getByText('Preferences saved.').waitFor();
    const prefsFile = await readFile(path.join(app.fixture.dataDir, 'user-preferences.json'), 'utf8');
    expect(prefsFile).toContain(account.senderName);
    expect(prefsFile).not.toContain(account.password);
    expect(await savedSmtpPassword(app.fixture.secrets, smtpPasswordKeys.user)).toBe(account.password);

    const draft = await app.fixture.services.sender.prepare(invoiceId(app.fixture));
    const dialog = await openExportWithCopy(app);
    expect(await dialog.getByLabel('Recipient', { exact: true }).inputValue()).toBe(draft.to);
    expect(await dialog.getByLabel('Subject', { exact: true }).inputValue()).toBe(draft.subject);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    const sent = dialog.getByTestId('mail-sent');
    await sent.waitFor();
    expect(await sent.textContent()).toBe(`The e-mail with the PDF was sent to ${draft.to}.`);
    expect(await dialog.getByRole('status').filter({ hasText: 'Saved to' }).count()).toBe(1);
    expect(await exportedFiles(app.fixture.exportDir)).toEqual({ pdfs: [draft.fileName], isdocs: 1 });
    expect(draft.fileName).toMatch(/\P{ASCII}/u);

    const message = await app.server.nextMessage();
    expect(message.user).toBe(account.username);
    expect(message.envelopeTo).toEqual([draft.to]);
    expect(message.parsed.subject).toBe(draft.subject);
    expect(message.parsed.from?.value).toEqual([{ name: account.senderName, address: account.senderAddress }]);
    expect(message.parsed.to).toMatchObject({ value: [{ address: draft.to }] });
    expect(message.parsed.replyTo?.value).toEqual([{ name: '', address: account.replyTo }]);
    const [attachment, ...others] = message.parsed.attachments;
    // The Czech invoice's ISDOC, written beside the PDF, travels with it (issue 16).
    expect(others.map((other) => other.filename)).toEqual([expect.stringMatching(/\.isdoc$/u)]);
    expect(attachment?.filename).toBe(draft.fileName);
    expect(attachment?.contentType).toBe('application/pdf');
    expect(attachment?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  test('reports a rejected password in English and in Czech', { timeout: 60_000 }, async () => {
    const app = await startApp();
    const prefs = await configureAccount(app);
    await prefs.getByRole('button', { name: 'Change password' }).click();
    await prefs.getByLabel('Password', { exact: true }).fill('špatné-heslo');
    await prefs.getByRole('button', { name: 'Save', exact: true }).click();
    await prefs.getByRole('button', { name: 'Change password' }).waitFor();
    expect(await savedSmtpPassword(app.fixture.secrets, smtpPasswordKeys.user)).toBe('špatné-heslo');

    const dialog = await openExportWithCopy(app);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const rejected = dialog.locator('[role="alert"][data-error-code="smtp.authRejected"]');
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain('The server rejected the user name or password.');
    // The PDF is saved even though the copy was not sent.
    await dialog.getByRole('status').filter({ hasText: 'Saved to' }).waitFor();
    expect(app.server.received).toEqual([]);

    // The rejected password is not tried again: the dialog says so instead of logging in.
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const notRetried = dialog.locator('[role="alert"][data-error-code="smtp.passwordRejected"]');
    await notRetried.waitFor();
    expect(await notRetried.textContent()).toContain('Kurier did not try it again');
    await prefs.reload();
    await prefs.getByRole('alert').filter({ hasText: 'The server rejected this password.' }).waitFor();

    // Entering a (still wrong) password again lifts the guard; the answer now comes in Czech.
    await prefs.getByLabel('Language', { exact: true }).selectOption({ label: 'Čeština' });
    await prefs.getByRole('button', { name: 'Change password' }).click();
    await prefs.getByLabel('Password', { exact: true }).fill('jiné-špatné-heslo');
    await prefs.getByRole('button', { name: 'Save', exact: true }).click();
    await prefs.getByRole('heading', { name: 'Uživatelské nastavení' }).waitFor();

    await dialog.reload();
    await dialog.getByRole('heading', { name: `Export ${invoiceNumber}` }).waitFor();
    await dialog.getByLabel('Odeslat kopii na e-mail', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Exportovat', exact: true }).click();
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain('Server odmítl uživatelské jméno nebo heslo.');
    expect(await rejected.textContent()).not.toContain('The server rejected');
  });

  test(
    'after a rejected password, hands the PDF already saved to a mail program instead of exporting it again',
    { timeout: 60_000 },
    async () => {
      // A computer without mail programs: the offer falls to the mailto link, which the browser can open.
      const app = await startApp({ handoff: { probe: fakeProgramProbe({}) } });
      const prefs = await configureAccount(app);
      await prefs.getByRole('button', { name: 'Change password' }).click();
      await prefs.getByLabel('Password', { exact: true }).fill('špatné-heslo');
      await prefs.getByRole('button', { name: 'Save', exact: true }).click();
      await prefs.getByRole('button', { name: 'Change password' }).waitFor();

      const dialog = await openExportWithCopy(app);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.locator('[role="alert"][data-error-code="smtp.authRejected"]').waitFor();
      const saved = await app.fixture.services.sender.prepare(invoiceId(app.fixture));
      expect(await exportedFiles(app.fixture.exportDir)).toEqual({ pdfs: [saved.fileName], isdocs: 1 });

      await dialog.getByRole('button', { name: 'Open it in A mailto link (no attachment) instead' }).click();
      await dialog.getByTestId('mail-handed-off').waitFor();
      expect(await dialog.getByLabel('Send the copy through').inputValue()).toBe('mailto');
      // The same file, named for attaching by hand; nothing exported a second time, nothing sent.
      await dialog.getByText(`Attach this file: ${path.join(app.fixture.exportDir, saved.fileName)}`).waitFor();
      expect(await exportedFiles(app.fixture.exportDir)).toEqual({ pdfs: [saved.fileName], isdocs: 1 });
      expect(app.server.received).toEqual([]);
    },
  );

  test('marks invalid addresses in the form, translated and read out, and saves nothing', { timeout: 60_000 }, async () => {
    const app = await startApp();
    const prefs = await openTab(app.context, () => app.documents.getByRole('button', { name: 'User preferences' }).click());
    await prefs.getByRole('heading', { name: 'User preferences' }).waitFor();
    await prefs.getByRole('button', { name: 'Use my own setting – SMTP account for sending e-mail' }).click();
    await prefs.getByRole('button', { name: 'Use my own setting – My personal e-mail' }).click();
    await prefs.getByLabel('Send e-mail directly through an SMTP server', { exact: true }).check();
    await prefs.getByLabel('Sender name', { exact: true }).fill('Eve');
    await prefs.getByLabel('Sender e-mail address', { exact: true }).fill('ucetni@kancelar');
    await prefs.getByLabel('SMTP server', { exact: true }).fill('smtp.kancelar.example');
    // A browser strips CR/LF from single-line inputs; what is left is still not one address.
    await prefs.getByRole('textbox', { name: 'My personal e-mail' }).fill('ja@kancelar.example\r\nBcc: all@example.com');
    await prefs.getByRole('button', { name: 'Save', exact: true }).click();

    const sender = prefs.getByLabel('Sender e-mail address', { exact: true });
    await prefs.getByRole('alert').filter({ hasText: '2 fields need fixing.' }).waitFor();
    expect(await sender.getAttribute('aria-invalid')).toBe('true');
    // The problem is part of the field's accessible description, so a screen reader says it.
    const describedBy = (await sender.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(describedBy.split(' ').map((id) => prefs.locator(`[id="${id}"]`).textContent()));
    expect(descriptions).toContain('This is not a valid e-mail address.');
    const prefsFile = await readFile(path.join(app.fixture.dataDir, 'user-preferences.json'), 'utf8').catch(() => '');
    expect(prefsFile).not.toContain('ucetni@kancelar');
    expect(app.fixture.services.prefs.userPrefs().overrides.smtp).toBeUndefined();
  });

  test(
    'asks once for the office account password, sends with it, and remembers it when told to',
    { timeout: 60_000 },
    async () => {
      const app = await startApp();
      await app.fixture.services.prefs.updateGlobal(
        {
          smtp: {
            senderName: account.senderName,
            senderAddress: account.senderAddress,
            replyTo: '',
            bccSelf: true,
            host: '127.0.0.1',
            port: app.server.port,
            security: 'starttls',
            cipherStrength: 'default',
            auth: 'password',
            username: account.username,
            trustedCertificate: app.certificatePem,
          },
        },
        { action: 'keep' },
      );

      const dialog = await openExportWithCopy(app);
      const prompt = dialog.getByTestId('office-password');
      expect(await prompt.textContent()).toContain(
        `The office SMTP account (${account.username}) has no password on this computer yet.`,
      );
      await dialog.getByLabel('Office account password', { exact: true }).fill(account.password);
      expect(await dialog.getByLabel('Remember it in my system keychain', { exact: true }).isChecked()).toBe(true);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByTestId('mail-sent').waitFor();

      const message = await app.server.nextMessage();
      expect(message.user).toBe(account.username);
      // "Send me a blind copy" puts the sender among the envelope recipients and nowhere in the headers.
      expect(message.envelopeTo.at(-1)).toBe(account.senderAddress);
      expect(message.parsed.bcc).toBeUndefined();
      expect(await savedSmtpPassword(app.fixture.secrets, smtpPasswordKeys.global)).toBe(account.password);
      expect(await savedSmtpPassword(app.fixture.secrets, smtpPasswordKeys.user)).toBeNull();

      await dialog.reload();
      await dialog.getByLabel('Send a copy to e-mail', { exact: true }).check();
      await dialog.getByLabel('Subject', { exact: true }).waitFor();
      expect(await dialog.getByTestId('office-password').count()).toBe(0);
    },
  );
});

/** What the export folder holds: the PDFs by name, and how many ISDOC files a Czech invoice got beside them. */
async function exportedFiles(folder: string): Promise<{ pdfs: string[]; isdocs: number }> {
  const names = await readdir(folder);
  return { pdfs: names.filter((name) => name.endsWith('.pdf')), isdocs: names.filter((name) => name.endsWith('.isdoc')).length };
}
