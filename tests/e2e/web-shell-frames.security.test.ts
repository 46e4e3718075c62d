/**
 * Hostile WebSocket frames against a web shell running in its own process: a frame over the size
 * limit, one with invalid UTF-8, and JSON that is not a call (`null`, `[]`, `42`, `"x"`). Each once
 * ended the whole process with an uncaught exception (and with it any batch it was sending). Now each
 * is answered with `input.invalid` or closes only that socket with its RFC 6455 code, and after each
 * the process is alive and a new connection is served.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import type WebSocket from 'ws';
import { tempDir } from '../support/temp-dir';
import { call, closeCode, connectAs, openStartUrl, type WebShellSession } from '../support/web-shell-client';

const require = createRequire(import.meta.url);
const jitiCli = path.join(path.dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
const child = path.resolve(import.meta.dirname, '..', 'support', 'web-shell-child.ts');

interface RunningShell {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly session: WebShellSession;
  readonly stderr: () => string;
}

async function startShellProcess(): Promise<RunningShell> {
  const dataDir = await tempDir('kurier-shell-data-');
  const staticDir = await tempDir('kurier-shell-static-');
  await writeFile(path.join(staticDir, 'index.html'), '<div id="root"></div>');
  const proc = spawn(process.execPath, [jitiCli, child, dataDir, path.join(dataDir, 'machine'), staticDir], { env: process.env });
  let err = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  onTestFinished(() => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^URL (\S+)$/m.exec(out);
      if (line?.[1] !== undefined) resolve(line[1]);
    });
    proc.once('exit', (code) => {
      reject(new Error(`web shell exited with ${String(code)}: ${err}`));
    });
  });
  return { proc, session: await openStartUrl(url), stderr: () => err };
}

/** The process is alive and a fresh connection answers a real call. */
async function expectServing(shell: RunningShell, label: string): Promise<void> {
  expect(shell.proc.exitCode, `${label}: ${shell.stderr()}`).toBeNull();
  expect(shell.proc.signalCode, label).toBeNull();
  const socket = await connectAs(shell.session);
  const answer = await call(socket, { id: 7, channel: 'documents:list' }, 7);
  expect(answer.result, label).toMatchObject({ ok: true });
  socket.close();
}

/** Waits until the server has dealt with the frame sent before: it answered a later call, or closed. */
async function settle(socket: WebSocket): Promise<void> {
  await Promise.race([closeCode(socket), call(socket, { id: 99, channel: 'documents:list' }, 99).catch(() => undefined)]);
}

/** The shell's frame limit: a company logo of up to 1 MiB travels as Base64 in one call. */
const frameLimit = 1.5 * 1024 * 1024;

describe('the web shell process against hostile frames', () => {
  test('a frame over 1.5 MiB closes that socket with 1009, and the shell keeps serving', { timeout: 60_000 }, async () => {
    const shell = await startShellProcess();
    const socket = await connectAs(shell.session);
    const closed = closeCode(socket);
    socket.send(JSON.stringify({ id: 1, channel: 'documents:list', input: 'x'.repeat(frameLimit + 10) }));
    expect(await closed).toBe(1009);
    await expectServing(shell, 'after an oversized frame');
  });

  test('a frame with invalid UTF-8 closes that socket with 1007, and the shell keeps serving', { timeout: 60_000 }, async () => {
    const shell = await startShellProcess();
    const socket = await connectAs(shell.session);
    const closed = closeCode(socket);
    // A text frame whose bytes are not UTF-8 (a lone continuation byte and an overlong form).
    socket.send(Buffer.from([0x7b, 0x80, 0xc0, 0xaf, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    await expectServing(shell, 'after invalid UTF-8');
  });

  test('JSON that is not a call is answered with input.invalid on the same socket', { timeout: 60_000 }, async () => {
    const shell = await startShellProcess();
    const socket = await connectAs(shell.session);
    for (const frame of ['null', '[]', '42', '"documents:list"', 'true']) {
      const answer = await call(socket, frame, -1);
      expect(answer.result, frame).toEqual({ ok: false, error: { code: 'input.invalid', details: { _: 'notACall' } } });
      await expectServing(shell, `after ${frame}`);
    }
    // The socket that received them still works.
    expect((await call(socket, { id: 3, channel: 'documents:list' }, 3)).result).toMatchObject({ ok: true });
  });

  test('a frame that is not JSON, or a binary one, closes that socket with 1003', { timeout: 60_000 }, async () => {
    const shell = await startShellProcess();
    for (const [label, frame] of [
      ['text', 'not json {'],
      ['binary', Buffer.from('{"id":1,"channel":"documents:list"}')],
    ] as const) {
      const socket = await connectAs(shell.session);
      const closed = closeCode(socket);
      socket.send(frame, { binary: typeof frame !== 'string' });
      expect(await closed, label).toBe(1003);
      await expectServing(shell, `after a ${label} frame`);
    }
  });

  test('many hostile frames in a row on many sockets leave the shell serving', { timeout: 60_000 }, async () => {
    const shell = await startShellProcess();
    const frames: (string | Buffer)[] = [
      'null',
      Buffer.from([0xff, 0xfe]),
      'x'.repeat(frameLimit + 1),
      '{"id":"a","channel":{}}',
      '[null]',
    ];
    for (const frame of frames) {
      const socket = await connectAs(shell.session);
      socket.send(frame, { binary: false });
      await settle(socket);
    }
    await expectServing(shell, 'after the volley');
  });
});
