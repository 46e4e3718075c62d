/**
 * Both preferences windows end to end in Chromium through the web shell: office values followed by the
 * user window with their source shown, an override and the way back, a read-only office folder, and —
 * against real SMTP, DNS and HTTP servers on 127.0.0.1 — detection from an address and a connection
 * test whose failures offer their fixes.
 */
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { FetchLike } from '../../electron/services/autoconfig/detect-smtp';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import { createAppFixture, keyringAvailable, type AppFixture, savedSmtpPassword } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshot } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startDnsTestServer } from '../support/dns-test-server';
import { readOnlyDir } from '../support/read-only-dir';
import { startSmtpTestServer } from '../support/smtp-test-server';
import { tempDir } from '../support/temp-dir';
import { startTestWebShell } from '../support/web-shell-fixture';

interface Running {
  readonly fixture: AppFixture;
  readonly context: BrowserContext;
  readonly documents: Page;
}

async function startApp(options: Parameters<typeof createAppFixture>[0] = {}): Promise<Running> {
  const fixture = await createAppFixture(options);
  const shell = await startTestWebShell(fixture);
  const { context } = await launchTestBrowser();
  const documents = await context.newPage();
  await documents.goto(shell.url);
  await documents.getByRole('heading', { name: 'Documents' }).waitFor();
  return { fixture, context, documents };
}

async function openPrefs(app: Running, which: 'Office preferences' | 'User preferences'): Promise<Page> {
  const page = await openTab(app.context, () => app.documents.getByRole('button', { name: which }).click());
  await page.getByRole('heading', { name: which }).waitFor();
  return page;
}

const section = (page: Page, name: string) => page.locator(`fieldset[data-section="${name}"]`);

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Preferences saved.').waitFor();
}

/** A web server that has no autoconfig file for anyone, standing in for every provider's site. */
async function emptyWebServer(): Promise<FetchLike> {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );
  const { port } = server.address() as AddressInfo;
  return (url, init) => {
    const target = new URL(url);
    return fetch(`http://127.0.0.1:${String(port)}/${target.host}${target.pathname}`, init);
  };
}

describe.skipIf(!keyringAvailable)('preferences windows', () => {
  test('office values reach the user window with their source, an override, and the way back', { timeout: 60_000 }, async () => {
    const app = await startApp();
    const office = await openPrefs(app, 'Office preferences');
    await office
      .getByTestId('global-location')
      .getByText(path.join(app.fixture.machinePrefsDir, 'global-preferences.json'), { exact: false })
      .waitFor();
    await office.getByLabel('Language', { exact: true }).selectOption('en');
    await office.getByRole('textbox', { name: 'Office e-mail' }).fill('kancelar@kancelar.example');
    await office.getByLabel('Tick “Send a copy to e-mail” in every export dialog').check();
    await office.getByRole('textbox', { name: 'Always copy to (CC)' }).fill('sef@kancelar.example');
    await save(office);
    const officeFile = JSON.parse(await readFile(path.join(app.fixture.machinePrefsDir, 'global-preferences.json'), 'utf8')) as {
      prefs: Record<string, unknown>;
    };
    expect(officeFile.prefs).toMatchObject({
      personalEmail: 'kancelar@kancelar.example',
      sending: { sendCopy: true, cc: 'sef@kancelar.example' },
    });

    const user = await openPrefs(app, 'User preferences');
    const personal = section(user, 'personalEmail');
    const personalInput = user.getByRole('textbox', { name: 'My personal e-mail' });
    expect(await personal.getAttribute('data-source')).toBe('global');
    expect(await personal.getByTestId('source-personalEmail').textContent()).toBe('From the office preferences.');
    expect(await personalInput.inputValue()).toBe('kancelar@kancelar.example');
    expect(await personalInput.isDisabled()).toBe(true);
    expect(await section(user, 'bulk').getByTestId('source-bulk').textContent()).toBe(
      'Kurier’s default (not set in the office preferences).',
    );

    await user.getByRole('button', { name: 'Use my own setting – My personal e-mail' }).click();
    await personalInput.fill('ja@kancelar.example');
    await save(user);
    expect(await personal.getByTestId('source-personalEmail').textContent()).toBe('Your own setting.');
    expect(app.fixture.services.prefs.userPrefs().overrides.personalEmail).toBe('ja@kancelar.example');
    await screenshot(user, 'user-preferences-sources.png');

    const invoice = app.fixture.services.documents.listDocuments()[0];
    const dialog = await openTab(app.context, () =>
      app.documents.getByRole('button', { name: `Export… ${invoice?.number ?? ''}` }).click(),
    );
    await dialog.getByLabel('Recipient', { exact: true }).waitFor();
    expect(await dialog.getByLabel('Send a copy to e-mail', { exact: true }).isChecked()).toBe(true);
    expect(await dialog.getByRole('textbox', { name: 'Copy (CC)' }).inputValue()).toBe('sef@kancelar.example');
    const options = await dialog.getByLabel('Recipient', { exact: true }).locator('option').allTextContents();
    expect(options).toContain('My personal e-mail – ja@kancelar.example');
    expect(options).toContain('Office e-mail – kancelar@kancelar.example');

    await user.getByRole('button', { name: 'Return to the office setting – My personal e-mail' }).click();
    expect(await personalInput.inputValue()).toBe('kancelar@kancelar.example');
    await save(user);
    expect(await personal.getAttribute('data-source')).toBe('global');
    expect(app.fixture.services.prefs.userPrefs().overrides.personalEmail).toBeUndefined();
  });

  test(
    'an office folder the user may not write to is shown read-only and refuses to save, in plain words',
    { timeout: 60_000 },
    async () => {
      const dir = readOnlyDir({
        'global-preferences.json': JSON.stringify({ version: 1, prefs: { personalEmail: 'kancelar@kancelar.example' } }),
      });
      const app = await startApp({ machinePrefsDir: dir });
      const office = await openPrefs(app, 'Office preferences');
      await office.getByText('saving them needs administrator rights', { exact: false }).waitFor();
      await office.getByRole('textbox', { name: 'Office e-mail' }).fill('jiny@kancelar.example');
      await office.getByRole('button', { name: 'Save', exact: true }).click();
      const refused = office.locator('[role="alert"][data-error-code="prefs.globalNotWritable"]');
      await refused.waitFor();
      expect(await refused.textContent()).toContain(
        `Saving the office preferences to ${path.join(dir, 'global-preferences.json')} needs administrator rights.`,
      );
      expect(await readFile(path.join(dir, 'global-preferences.json'), 'utf8')).toContain('kancelar@kancelar.example');
    },
  );

  test(
    'a damaged preferences file is reported with where its backup is, and the window still works',
    { timeout: 60_000 },
    async () => {
      const dataDir = await tempDir('kurier-data-');
      await writeFile(path.join(dataDir, 'user-preferences.json'), '{"version":2,"prefs":{"overrides":');
      const app = await startApp({ dataDir });
      const user = await openPrefs(app, 'User preferences');
      const notice = user.getByTestId('prefs-recovered');
      expect(await notice.getAttribute('role')).toBe('alert');
      const text = (await notice.textContent()) ?? '';
      expect(text).toContain('Your preferences file could not be read, so Kurier started with defaults.');
      expect(text).toContain('is damaged (not valid JSON)');
      const backup = (await readdir(dataDir)).find((name) => name.startsWith('user-preferences.invalid-')) ?? 'missing';
      expect(text).toContain(`the old file is kept as ${path.join(dataDir, backup)}`);
      expect(await readFile(path.join(dataDir, backup), 'utf8')).toBe('{"version":2,"prefs":{"overrides":');
      await user.getByRole('button', { name: 'Use my own setting – My personal e-mail' }).click();
      await user.getByRole('textbox', { name: 'My personal e-mail' }).fill('ja@kancelar.example');
      await save(user);
    },
  );

  test('detects the server from the address, and each failed test offers its fix', { timeout: 90_000 }, async () => {
    const certificate = createTestCertificate(['DNS:smtp.kancelar.example']);
    const fingerprint = new X509Certificate(certificate.cert).fingerprint256;
    const server = await startSmtpTestServer({ certificate, secure: false });
    onTestFinished(() => server.close());
    const dns = await startDnsTestServer({
      srv: {
        '_submission._tcp.kancelar.example': [{ priority: 0, weight: 1, port: server.port, target: 'smtp.kancelar.example' }],
      },
      txt: { 'kancelar.example': ['v=spf1 ip4:192.0.2.0/24 -all'] },
    });
    onTestFinished(() => dns.close());
    const app = await startApp({
      network: {
        dnsServers: [`127.0.0.1:${String(dns.port)}`],
        fetch: await emptyWebServer(),
        resolveHost: () => Promise.resolve(['127.0.0.1']),
        stepTimeoutMs: 2_000,
      },
    });
    const office = await openPrefs(app, 'Office preferences');
    await office.getByLabel('Send e-mail directly through an SMTP server', { exact: true }).check();
    await office.getByLabel('Sender name', { exact: true }).fill('Účetní kancelář Bílá');
    await office.getByLabel('Sender e-mail address', { exact: true }).fill('ucetni@kancelar.example');
    // Leaving the address field looks the server up.
    await office.keyboard.press('Tab');
    const detection = office.getByTestId('detection');
    await detection
      .getByText(`Found smtp.kancelar.example, port ${String(server.port)} (DNS service record).`, { exact: false })
      .waitFor();
    expect(await detection.locator('li').allTextContents()).toContain(
      `DNS service record _submission._tcp.kancelar.example – found`,
    );
    expect(await office.getByLabel('SMTP server', { exact: true }).inputValue()).toBe('smtp.kancelar.example');
    expect(await office.getByLabel('Port', { exact: true }).inputValue()).toBe(String(server.port));
    expect(await office.getByLabel('Connection security', { exact: true }).inputValue()).toBe('starttls');
    expect(await office.getByLabel('User name', { exact: true }).inputValue()).toBe('ucetni@kancelar.example');
    await office.getByLabel('Password', { exact: true }).fill('správné-heslo');

    const testButton = office.getByRole('button', { name: 'Test connection' });
    const results = office.getByTestId('connection-test');
    // 1. The server's own certificate: its fingerprint is shown and can be trusted for this host only.
    await testButton.click();
    await results.locator('[data-error-code="smtp.certificateUntrusted"]').waitFor();
    expect(await results.getByTestId('certificate-fingerprint').textContent()).toContain(fingerprint);
    await results.getByRole('button', { name: 'Trust this certificate for smtp.kancelar.example' }).click();
    expect(await office.getByLabel('Trusted server certificate (PEM, optional)').inputValue()).toContain('BEGIN CERTIFICATE');

    // 2. It works now; the SPF record of kancelar.example does not allow this server, and it says so.
    await testButton.click();
    await results.getByTestId('test-ok').waitFor();
    const spf = results.getByTestId('spf');
    expect(await spf.getAttribute('data-verdict')).toBe('notAllowed');
    expect(await spf.textContent()).toContain(
      'the domain kancelar.example does not list smtp.kancelar.example as allowed to send its mail',
    );
    expect(await results.locator('li[data-step="ehlo"]').textContent()).toContain('PLAIN LOGIN');
    await screenshot(office, 'office-preferences-test.png');

    // 3. SSL/TLS on a STARTTLS port: the fix switches the mode back.
    await office.getByLabel('Connection security', { exact: true }).selectOption('ssl');
    await testButton.click();
    await results.locator('[data-error-code="smtp.tlsModeMismatch"]').waitFor();
    await results.getByRole('button', { name: `Use STARTTLS on port ${String(server.port)}` }).click();
    expect(await office.getByLabel('Connection security', { exact: true }).inputValue()).toBe('starttls');
    await testButton.click();
    await results.getByTestId('test-ok').waitFor();

    // 4. A wrong password: the login fails and the next test waits, visibly.
    await office.getByLabel('Password', { exact: true }).fill('špatné-heslo');
    const attempts = server.authAttempts();
    await testButton.click();
    await results.locator('[data-error-code="smtp.authRejected"]').waitFor();
    expect(await office.getByTestId('cooldown').textContent()).toMatch(/^Next test possible in \d+ s\.$/);
    expect(await testButton.isDisabled()).toBe(true);
    expect(server.authAttempts()).toBe(attempts + 1);

    await office.getByLabel('Password', { exact: true }).fill('správné-heslo');
    await save(office);
    expect(await savedSmtpPassword(app.fixture.secrets, smtpPasswordKeys.global)).toBe('správné-heslo');
    const officeFile = await readFile(path.join(app.fixture.machinePrefsDir, 'global-preferences.json'), 'utf8');
    expect(officeFile).toContain('smtp.kancelar.example');
    expect(officeFile).not.toContain('správné-heslo');

    // The user follows the office account: shown, not editable, with its password state.
    const user = await openPrefs(app, 'User preferences');
    const smtp = section(user, 'smtp');
    expect(await smtp.getByTestId('source-smtp').textContent()).toBe('From the office preferences.');
    expect(await user.getByLabel('SMTP server', { exact: true }).inputValue()).toBe('smtp.kancelar.example');
    expect(await user.getByLabel('SMTP server', { exact: true }).isDisabled()).toBe(true);
    expect(await smtp.getByTestId('password-state').textContent()).toBe(
      'The office account password is saved in your system keychain.',
    );
  });
});
