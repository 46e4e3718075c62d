/**
 * `external:open` through the real handler table and the one dispatch wrapper: only the consent page of
 * a sign-in in progress, Kurier's fixed help links and mailto drafts reach the system browser; every
 * other address a window asks for is refused with `external.notAllowed` and opens nothing. Before, any
 * https address a window opened went to the browser and the sign-in check was never called.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers, type ShellAdapter } from '../../../electron/ipc/handlers';
import { dispatch } from '../../../electron/ipc/dispatch';
import { helpLinks } from '../../../shared/external-links';
import { oauthAppsSchema } from '../../../shared/prefs';
import { windowQuery } from '../../../shared/window-query';
import { createAppFixture, type AppFixture } from '../../support/app-fixture';

const microsoftApp = {
  clientId: 'kurier-test-client',
  clientSecret: '',
  tenant: 'common',
  authorizeUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
};

async function setUp(): Promise<{ fixture: AppFixture; opened: string[]; open: (url: string) => ReturnType<typeof dispatch> }> {
  const fixture = await createAppFixture();
  await fixture.services.prefs.updateUser(
    { exportFolder: '', globalPrefsFolder: '', overrides: { oauthApps: oauthAppsSchema.parse({ microsoft: microsoftApp }) } },
    { action: 'keep' },
  );
  const opened: string[] = [];
  const shell: ShellAdapter = {
    kind: 'electron',
    version: '0.0.0-test',
    systemLanguage: 'en',
    chooseFolder: () => Promise.resolve({ supported: false, path: null }),
    openWindow: (spec) => Promise.resolve({ opened: false, url: windowQuery(spec) }),
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve(true);
    },
    revealFile: () => Promise.resolve(false),
  };
  const handlers = createHandlers(fixture.services, shell);
  return { fixture, opened, open: (url) => dispatch(handlers, 'external:open', { url }, fixture.services.logger) };
}

const refused = { ok: false, error: { code: 'external.notAllowed' } };

describe('external:open', () => {
  it('opens the consent page of the sign-in in progress, and nothing like it', async () => {
    const { fixture, opened, open } = await setUp();
    const handlers = createHandlers(fixture.services, { openExternal: () => Promise.resolve(true) } as unknown as ShellAdapter);
    const begun = await dispatch(
      handlers,
      'oauth:begin',
      { scope: 'user', provider: 'microsoft', loginHint: '' },
      fixture.services.logger,
    );
    expect(begun.ok).toBe(true);
    if (!begun.ok) return;
    const { authorizeUrl, flowId } = begun.value as { authorizeUrl: string; flowId: string };
    const page = new URL(authorizeUrl);
    const state = page.searchParams.get('state') ?? '';

    const lookalikes = [
      `https://login.microsoftonline.com.evil.example/common/oauth2/v2.0/authorize?state=${state}`,
      `https://evil.example/?next=${encodeURIComponent(authorizeUrl)}`,
      `https://evil.example/common/oauth2/v2.0/authorize?state=${state}`,
      `${page.origin}${page.pathname}?state=guessed`,
      `${page.origin}${page.pathname}?x=state=${state}`,
      `https://user@login.microsoftonline.com${page.pathname}?state=${state}`,
    ];
    for (const url of lookalikes) expect(await open(url), url).toMatchObject(refused);
    expect(opened).toEqual([]);

    expect(await open(authorizeUrl)).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([authorizeUrl]);

    // Once the sign-in is cancelled, its page is refused as well.
    await dispatch(handlers, 'oauth:cancel', { flowId }, fixture.services.logger);
    expect(await open(authorizeUrl)).toMatchObject(refused);
    expect(opened).toHaveLength(1);
  });

  it('opens the help links and mailto drafts', async () => {
    const { opened, open } = await setUp();
    const mailto = 'mailto:jana.novakova@firma.example?subject=Faktura%20FV-2026-0042';
    for (const url of [...helpLinks, mailto]) expect(await open(url), url).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([...helpLinks, mailto]);
  });

  it('refuses every other address a window asks for, and opens nothing', async () => {
    const { opened, open } = await setUp();
    const hostile = [
      'https://evil.example/',
      'https://phishing.example/login?state=x',
      'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?state=nobody-started-this',
      'https://accounts.google.com/o/oauth2/v2/auth',
      'https://myaccount.google.com/apppasswords.evil.example/',
      'https://myaccount.google.com.evil.example/apppasswords',
      'http://myaccount.google.com/apppasswords',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'not a url',
      '',
    ];
    for (const url of hostile) expect(await open(url), url).toMatchObject(refused);
    expect(opened).toEqual([]);
  });
});
