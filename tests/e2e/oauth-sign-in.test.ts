/**
 * "Sign in with Microsoft" end to end in Chromium through the web shell: the button opens the provider's
 * consent page in a new browser tab (a local OAuth2 server standing in for Microsoft), the provider sends
 * the browser back to Kurier's one-shot listener, the tab says it can be closed, and the preferences
 * window shows the signed-in mailbox. The connection test then logs in with XOAUTH2 at a real SMTP
 * server that verifies the token; signing out empties the keychain entry.
 */
import type { Page } from 'playwright-core';
import { describe, expect, onTestFinished, test } from 'vitest';
import { oauthTokenKeys } from '../../electron/services/oauth/oauth-service';
import { oauthAppsSchema } from '../../shared/prefs';
import { createAppFixture, keyringAvailable } from '../support/app-fixture';
import { launchTestBrowser, openTab, screenshotOf } from '../support/browser';
import { createTestCertificate } from '../support/certificates';
import { startFaultySmtpServer } from '../support/faulty-smtp-server';
import { startOAuthTestServer } from '../support/oauth-test-server';
import { testSmtpAccount } from '../support/smtp-test-server';
import { startTestWebShell } from '../support/web-shell-fixture';

const mailbox = 'ucetni@kancelar.example';

describe.skipIf(!keyringAvailable)('signing in with Microsoft in the preferences window', () => {
  test(
    'the browser goes to the consent page and back; the window shows the account; the test logs in with it',
    { timeout: 60_000 },
    async () => {
      const certificate = createTestCertificate();
      const idp = await startOAuthTestServer();
      const smtp = await startFaultySmtpServer({
        certificate,
        xoauth2: (user, token) => user === mailbox && idp.isValidAccessToken(token, 'https://outlook.office.com/SMTP.Send'),
      });
      onTestFinished(() => smtp.close());
      const fixture = await createAppFixture({ oauth: { endpoints: idp.endpoints } });
      await fixture.services.prefs.updateUser(
        {
          exportFolder: '',
          globalPrefsFolder: '',
          overrides: {
            smtp: testSmtpAccount({
              senderName: 'Účetní kancelář Bílá',
              senderAddress: mailbox,
              port: smtp.port,
              auth: 'microsoft',
              username: '',
              trustedCertificate: certificate.cert,
            }),
            oauthApps: oauthAppsSchema.parse({ microsoft: idp.app }),
            language: 'en',
          },
        },
        { action: 'keep' },
      );
      const shell = await startTestWebShell(fixture);
      const { context } = await launchTestBrowser();
      const documents = await context.newPage();
      await documents.goto(shell.url);
      const prefs = await openTab(context, () => documents.getByRole('button', { name: 'User preferences' }).click());
      await prefs.getByRole('heading', { name: 'User preferences' }).waitFor();

      const smtpSection = prefs.locator('fieldset[data-section="smtp"]');
      await expect.poll(() => smtpSection.getByLabel('How Kurier logs in').inputValue()).toBe('microsoft');
      // No password field for a sign-in account; the status says nobody is signed in yet.
      expect(await smtpSection.getByLabel('Password', { exact: true }).count()).toBe(0);
      await smtpSection.getByTestId('sign-in-state').getByText('Not signed in yet.', { exact: false }).waitFor();

      const consent: Page = await openTab(context, () =>
        smtpSection.getByRole('button', { name: 'Sign in with Microsoft' }).click(),
      );
      // The tab went to the provider's authorize endpoint and was sent back to Kurier's listener.
      await consent.getByRole('heading', { name: 'Kurier is signed in' }).waitFor();
      expect(consent.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/);
      await consent.getByText('You can close this tab and return to Kurier.').waitFor();
      expect(idp.authorizations[0]?.get('login_hint')).toBe(mailbox);

      await smtpSection.getByTestId('sign-in-state').getByText(`Signed in as ${mailbox} (Microsoft).`).waitFor();
      // The user name follows the signed-in mailbox; nothing secret reached the page.
      expect(await smtpSection.getByRole('textbox', { name: 'User name' }).inputValue()).toBe(mailbox);
      const stored = JSON.parse((await fixture.secrets.get(oauthTokenKeys.user)) ?? '{}') as {
        refreshToken?: string;
        accessToken?: string;
      };
      const html = await prefs.content();
      expect(stored.refreshToken).toBeTruthy();
      expect(html.includes(stored.refreshToken ?? '-')).toBe(false);
      expect(html.includes(stored.accessToken ?? '-')).toBe(false);
      await screenshotOf(smtpSection, 'sign-in-with-microsoft.png');

      await prefs.getByRole('button', { name: 'Save', exact: true }).click();
      await prefs.getByText('Preferences saved.').waitFor();
      await smtpSection.getByRole('button', { name: 'Test connection' }).click();
      await smtpSection
        .getByTestId('connection-test')
        .locator('[data-step="auth"][data-status="ok"]')
        .waitFor({ timeout: 20_000 });
      expect(smtp.stats().authAttempts).toBe(1);

      await smtpSection.getByRole('button', { name: 'Sign out' }).click();
      await smtpSection.getByText('Signed out: the tokens were removed from the keychain.').waitFor();
      expect(await fixture.secrets.get(oauthTokenKeys.user)).toBeNull();
    },
  );
});
