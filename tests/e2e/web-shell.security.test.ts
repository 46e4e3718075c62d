/**
 * The web shell's guards over real HTTP and WebSocket connections: the per-run token and its cookie,
 * the Host check (DNS rebinding), static paths that try to leave the renderer folder, the WebSocket
 * Origin check, and hostile or unknown calls answered as `input.invalid` without reaching a service.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import type { WebShell } from '../../electron/web-shell/web-shell-server';
import { tempDir } from '../support/temp-dir';
import { createAppFixture, keyringAvailable, type AppFixture } from '../support/app-fixture';
import { call, closeCode, connect, connectAs, openStartUrl, rawGet, type WebShellSession } from '../support/web-shell-client';
import { startTestWebShell } from '../support/web-shell-fixture';

interface Started {
  readonly fixture: AppFixture;
  readonly shell: WebShell;
  /** What the browser holds after opening the start URL: the cookie and the socket token. */
  readonly session: WebShellSession;
  /** `kurier-<port>=…`, as the browser sends it after opening the start URL. */
  readonly cookie: string;
}

async function start(options: { staticDir?: string } = {}): Promise<Started> {
  const fixture = await createAppFixture();
  const shell = await startTestWebShell(fixture, options);
  const session = await openStartUrl(shell.url);
  return { fixture, shell, session, cookie: session.cookie };
}

const validRun = (folder: string) => ({ documentId: 1, format: 'pdf', folder, copy: null });

describe('web shell HTTP guards', () => {
  test('refuses a request without the token', async () => {
    const { shell } = await start();
    const response = await fetch(`${shell.origin}/`);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('<script');
    expect((await fetch(`${shell.origin}/?token=wrong`)).status).toBe(403);
  });

  test('refuses a foreign Host header, even with the token (DNS rebinding)', async () => {
    const { shell, cookie } = await start();
    const { port } = new URL(shell.origin);
    const startPath = new URL(shell.url).pathname + new URL(shell.url).search;
    const withToken = await rawGet(shell.origin, startPath, { host: `evil.example:${port}` });
    expect(withToken.status).toBe(421);
    expect(withToken.headers['set-cookie']).toBeUndefined();
    expect((await rawGet(shell.origin, '/', { host: `evil.example:${port}`, cookie })).status).toBe(421);
    expect((await rawGet(shell.origin, '/', { host: `localhost:${port}`, cookie })).status).toBe(421);
  });

  test('swaps the start token for an HttpOnly SameSite=Strict cookie and redirects to / with the socket token', async () => {
    const { shell } = await start();
    const response = await fetch(shell.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/#kurier\.[\w-]{40,}$/);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kurier-\d+=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await fetch(`${shell.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  test('the token exchange redirects only to /, whatever path or query the start URL carries', async () => {
    const { shell } = await start();
    const token = new URL(shell.url).searchParams.get('token') ?? '';
    // `/.//evil.example` parses to the path `//evil.example`, which a browser reads as another host.
    const hostile = [
      '/.//evil.example?token=T',
      '/x/..//evil.example?token=T',
      '//evil.example/?token=T',
      '/\\evil.example?token=T',
      '/?token=T&next=//evil.example',
    ];
    for (const startPath of hostile) {
      const response = await rawGet(shell.origin, startPath.replace('T', token));
      expect(response.status, startPath).toBe(303);
      const location = String(response.headers.location);
      expect(location.split('#')[0], startPath).toBe('/');
      expect(new URL(location, shell.origin).origin, startPath).toBe(shell.origin);
    }
  });

  test('keeps static paths inside the renderer folder', async () => {
    const { shell, cookie } = await start();
    // The first ones the URL parser already folds back to the root; the encoded slashes survive it and
    // would reach the repository's package.json without the server's own check.
    const hostilePaths = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%00index.html',
      '/%E0%A4%A',
    ];
    for (const hostile of hostilePaths) {
      const response = await rawGet(shell.origin, hostile, { cookie });
      expect(response.status, hostile).toBe(404);
      expect(response.body, hostile).not.toContain('"dependencies"');
    }
  });

  test('serves no symlink from the static folder, wherever it points', async () => {
    const staticDir = await tempDir('kurier-static-');
    const secretDir = await tempDir('kurier-secret-');
    const secret = path.join(secretDir, 'id_ed25519');
    await writeFile(secret, 'PRIVATE KEY 4f9a');
    await writeFile(path.join(staticDir, 'index.html'), '<div id="root"></div>');
    await mkdir(path.join(staticDir, 'assets'));
    await symlink(secret, path.join(staticDir, 'leak.js'));
    await symlink(secretDir, path.join(staticDir, 'assets', 'linked'));
    // A link that stays inside the folder is refused as well: no symlink is served at all.
    await symlink(path.join(staticDir, 'index.html'), path.join(staticDir, 'alias.html'));
    const { shell, cookie } = await start({ staticDir });
    expect((await rawGet(shell.origin, '/', { cookie })).status).toBe(200);
    for (const linked of ['/leak.js', '/assets/linked/id_ed25519', '/alias.html']) {
      const response = await rawGet(shell.origin, linked, { cookie });
      expect(response.status, linked).toBe(404);
      expect(response.body, linked).not.toContain('PRIVATE KEY');
    }
  });

  test('sends a Content-Security-Policy without unsafe-inline on the page and its scripts', async () => {
    const { shell, cookie } = await start();
    const page = await rawGet(shell.origin, '/', { cookie });
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    for (const response of [page, await rawGet(shell.origin, script ?? '', { cookie })]) {
      expect(response.status).toBe(200);
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("default-src 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('web shell WebSocket guards', () => {
  test('refuses a foreign Origin, a missing Origin, a missing cookie and a missing socket token', async () => {
    const { shell, session, cookie } = await start();
    const protocols = session.protocols;
    const refused = (headers: Parameters<typeof connect>[1]) =>
      expect(connect(shell.origin, headers)).rejects.toThrow('refused with 403');
    await refused({ origin: 'http://evil.example', cookie, protocols });
    await refused({ origin: shell.origin.replace('127.0.0.1', 'localhost'), cookie, protocols });
    await refused({ cookie, protocols });
    await refused({ origin: shell.origin, protocols });
    await refused({ origin: shell.origin, cookie: `${cookie.split('=')[0] ?? ''}=guessed`, protocols });
    // The cookie alone, as any program on another port of 127.0.0.1 receives it from the browser.
    await refused({ origin: shell.origin, cookie });
    await refused({ origin: shell.origin, cookie, protocols: ['kurier'] });
    await refused({ origin: shell.origin, cookie, protocols: ['kurier', 'kurier.guessed'] });
    expect(protocols).toHaveLength(2);
    expect(protocols[1]).toMatch(/^kurier\.[\w-]{40,}$/);
  });

  test('two shells on two ports: each cookie is named after its port, and neither is accepted by the other', async () => {
    const one = await start();
    const two = await start();
    for (const [own, other] of [
      [one, two],
      [two, one],
    ] as const) {
      expect(own.session.setCookie).toMatch(new RegExp(`^kurier-${new URL(own.shell.origin).port}=[\\w-]{40,};`));
      // A browser holds both cookies side by side (the same name would have replaced one with the
      // other) and sends both to each port: each shell takes only its own.
      const both = `${one.cookie}; ${two.cookie}`;
      expect((await rawGet(own.shell.origin, '/', { cookie: both })).status).toBe(200);
      expect((await rawGet(own.shell.origin, '/', { cookie: other.cookie })).status).toBe(403);
      const withOthers = { origin: own.shell.origin, cookie: other.cookie, protocols: other.session.protocols };
      await expect(connect(own.shell.origin, withOthers)).rejects.toThrow('refused with 403');
      const ownSocket = await connect(own.shell.origin, {
        origin: own.shell.origin,
        cookie: both,
        protocols: own.session.protocols,
      });
      expect((await call(ownSocket, { id: 1, channel: 'documents:list' }, 1)).result).toMatchObject({ ok: true });
    }
  });

  test('answers a valid call from our origin with the cookie', async () => {
    const { session } = await start();
    const socket = await connectAs(session);
    const answer = await call(socket, { id: 1, channel: 'documents:list' }, 1);
    expect(answer.result).toMatchObject({ ok: true });
    expect((answer.result as { value: unknown[] }).value.length).toBeGreaterThan(0);
  });

  test('answers unknown channels and hostile inputs with input.invalid, without running the service', async () => {
    const { fixture, session } = await start();
    const socket = await connectAs(session);
    const invalid = { ok: false, error: { code: 'input.invalid' } };
    const hostile = [
      { channel: 'shell:exec', input: { command: 'rm -rf /' } },
      { channel: '__proto__', input: {} },
      { channel: 'export:run', input: { ...validRun(fixture.exportDir), documentId: -1 } },
      { channel: 'export:run', input: { ...validRun(fixture.exportDir), documentId: '1 OR 1=1' } },
      {
        channel: 'export:run',
        input: { ...validRun(fixture.exportDir), copy: { to: 'jana@example.com', subject: 'Faktura\r\nBcc: x@y.z', body: '' } },
      },
      {
        channel: 'export:run',
        input: { ...validRun(fixture.exportDir), copy: { to: 'jana@example.com\r\nBcc: x@y.z', subject: 'Faktura', body: '' } },
      },
    ];
    for (const [index, frame] of hostile.entries()) {
      const answer = await call(socket, { id: index + 10, ...frame }, index + 10);
      expect(answer.result, frame.channel).toMatchObject(invalid);
    }
    expect(await readdir(fixture.exportDir)).toEqual([]);
    expect(fixture.events).toEqual([]);
  });

  test('closes the socket on a frame that is not JSON', async () => {
    const { session } = await start();
    const socket = await connectAs(session);
    const closed = closeCode(socket);
    socket.send('not json {');
    expect(await closed).toBe(1003);
  });

  test.skipIf(!keyringAvailable)('never returns the saved password', async () => {
    const { fixture, session } = await start();
    await fixture.secrets.set(smtpPasswordKeys.user, 'tajné-heslo-123');
    const socket = await connectAs(session);
    const answer = await call(socket, { id: 1, channel: 'prefs:get' }, 1);
    expect(answer.result).toMatchObject({ ok: true, value: { passwords: { user: { saved: true } } } });
    expect(JSON.stringify(answer)).not.toContain('tajné-heslo-123');
  });
});
