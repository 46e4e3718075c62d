/**
 * The web shell's guards over real HTTP and WebSocket connections: the per-run token and its cookie,
 * the Host check (DNS rebinding), static paths that try to leave the renderer folder, the WebSocket
 * Origin check, and hostile or unknown calls answered as `input.invalid` without reaching a service.
 */
import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { describe, expect, onTestFinished, test } from 'vitest';
import WebSocket from 'ws';
import { smtpPasswordKeys } from '../../electron/services/prefs/preferences-service';
import type { WebShell } from '../../electron/web-shell/web-shell-server';
import { createAppFixture, keyringAvailable, type AppFixture } from '../support/app-fixture';
import { startTestWebShell } from '../support/web-shell-fixture';

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

interface Started {
  readonly fixture: AppFixture;
  readonly shell: WebShell;
  /** `kurier-token=…`, as the browser sends it after opening the start URL. */
  readonly cookie: string;
}

async function start(): Promise<Started> {
  const fixture = await createAppFixture();
  const shell = await startTestWebShell(fixture);
  const response = await fetch(shell.url, { redirect: 'manual' });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { fixture, shell, cookie };
}

/**
 * A GET with the path sent byte for byte: fetch would normalise `/../` away before it left the client,
 * and it does not let the caller choose the Host header.
 */
function rawGet(shell: WebShell, rawPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(shell.origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET', headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(new Error(`GET ${rawPath} timed out`)); });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the RPC socket; resolves with it when open, rejects with the HTTP status when refused. */
function connect(shell: WebShell, headers: { origin?: string; cookie?: string }): Promise<WebSocket> {
  const url = `${shell.origin.replace(/^http/, 'ws')}/rpc`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      handshakeTimeout: 5_000,
      ...(headers.origin !== undefined ? { origin: headers.origin } : {}),
      ...(headers.cookie !== undefined ? { headers: { cookie: headers.cookie } } : {}),
    });
    socket.once('open', () => {
      onTestFinished(() => { socket.terminate(); });
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => {
      socket.terminate();
      reject(new Error(`refused with ${response.statusCode ?? 0}`));
    });
    socket.once('error', reject);
  });
}

/** Sends one call and resolves with the frame that answers it. */
function call(socket: WebSocket, frame: unknown, id: number): Promise<{ id: number; result: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('no answer')); }, 5_000);
    const onMessage = (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      const answer = JSON.parse(text) as { id: number; result: unknown };
      if (answer.id !== id) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(answer);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify(frame));
  });
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
    const withToken = await rawGet(shell, startPath, { host: `evil.example:${port}` });
    expect(withToken.status).toBe(421);
    expect(withToken.headers['set-cookie']).toBeUndefined();
    expect((await rawGet(shell, '/', { host: `evil.example:${port}`, cookie })).status).toBe(421);
    expect((await rawGet(shell, '/', { host: `localhost:${port}`, cookie })).status).toBe(421);
  });

  test('swaps the start token for an HttpOnly SameSite=Strict cookie and redirects without it', async () => {
    const { shell } = await start();
    const response = await fetch(shell.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kurier-token=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await fetch(`${shell.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
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
      const response = await rawGet(shell, hostile, { cookie });
      expect(response.status, hostile).toBe(404);
      expect(response.body, hostile).not.toContain('"dependencies"');
    }
  });

  test('sends a Content-Security-Policy without unsafe-inline on the page and its scripts', async () => {
    const { shell, cookie } = await start();
    const page = await rawGet(shell, '/', { cookie });
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    for (const response of [page, await rawGet(shell, script ?? '', { cookie })]) {
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
  test('refuses a foreign Origin, a missing Origin and a missing cookie', async () => {
    const { shell, cookie } = await start();
    await expect(connect(shell, { origin: 'http://evil.example', cookie })).rejects.toThrow('refused with 403');
    await expect(connect(shell, { origin: shell.origin.replace('127.0.0.1', 'localhost'), cookie })).rejects.toThrow('refused with 403');
    await expect(connect(shell, { cookie })).rejects.toThrow('refused with 403');
    await expect(connect(shell, { origin: shell.origin })).rejects.toThrow('refused with 403');
    await expect(connect(shell, { origin: shell.origin, cookie: 'kurier-token=guessed' })).rejects.toThrow('refused with 403');
  });

  test('answers a valid call from our origin with the cookie', async () => {
    const { shell, cookie } = await start();
    const socket = await connect(shell, { origin: shell.origin, cookie });
    const answer = await call(socket, { id: 1, channel: 'documents:list' }, 1);
    expect(answer.result).toMatchObject({ ok: true });
    expect((answer.result as { value: unknown[] }).value.length).toBeGreaterThan(0);
  });

  test('answers unknown channels and hostile inputs with input.invalid, without running the service', async () => {
    const { fixture, shell, cookie } = await start();
    const socket = await connect(shell, { origin: shell.origin, cookie });
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
    const { shell, cookie } = await start();
    const socket = await connect(shell, { origin: shell.origin, cookie });
    const closed = new Promise<number>((resolve) => { socket.once('close', (code) => { resolve(code); }); });
    socket.send('not json {');
    expect(await closed).toBe(1003);
  });

  test.skipIf(!keyringAvailable)('never returns the saved password', async () => {
    const { fixture, shell, cookie } = await start();
    await fixture.secrets.set(smtpPasswordKeys.user, 'tajné-heslo-123');
    const socket = await connect(shell, { origin: shell.origin, cookie });
    const answer = await call(socket, { id: 1, channel: 'prefs:get' }, 1);
    expect(answer.result).toMatchObject({ ok: true, value: { passwords: { user: { saved: true } } } });
    expect(JSON.stringify(answer)).not.toContain('tajné-heslo-123');
  });
});
