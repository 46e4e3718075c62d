/**
 * The web shell process started while its office preferences file does not answer (a FIFO without a
 * writer stands in for a hung network share, issue 18 item 5): it listens anyway after the deadline,
 * the preferences say the file is not answering, and the office values arrive once it answers — no
 * restart.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, onTestFinished, test, vi } from 'vitest';
import { globalPrefsFileName } from '../../electron/services/prefs/prefs-files';
import type { PrefsView } from '../../shared/prefs';
import { tempDir } from '../support/temp-dir';
import { call, connectAs, openStartUrl } from '../support/web-shell-client';

const require = createRequire(import.meta.url);
const jitiCli = path.join(path.dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
const child = path.resolve(import.meta.dirname, '..', 'support', 'web-shell-child.ts');

test('the web shell starts with a hung office file and takes its values when it answers', { timeout: 60_000 }, async () => {
  const dataDir = await tempDir('kurier-shell-data-');
  const staticDir = await tempDir('kurier-shell-static-');
  const machinePrefsDir = await tempDir('kurier-shell-share-');
  const officePath = path.join(machinePrefsDir, globalPrefsFileName);
  execFileSync('mkfifo', [officePath]);
  await writeFile(path.join(staticDir, 'index.html'), '<div id="root"></div>');
  const proc = spawn(process.execPath, [jitiCli, child, dataDir, machinePrefsDir, staticDir, '1000'], { env: process.env });
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
  const socket = await connectAs(await openStartUrl(url));
  let id = 0;
  const prefsView = async (): Promise<PrefsView> => {
    id += 1;
    const answer = await call(socket, { id, channel: 'prefs:get' }, id);
    const result = answer.result as { ok: boolean; value: PrefsView };
    expect(result.ok, JSON.stringify(answer.result)).toBe(true);
    return result.value;
  };

  const hung = await prefsView();
  expect(hung.globalLocation.notAnsweringSince).not.toBeNull();
  expect(hung.global.personalEmail).toBeUndefined();

  // The share answers: the hung start-up read gets the file, and a regular file takes the FIFO's place.
  const text = `${JSON.stringify({ version: 1, prefs: { personalEmail: 'ucetni@kancelar.example' } })}\n`;
  const writer = openSync(officePath, constants.O_WRONLY | constants.O_NONBLOCK);
  writeSync(writer, text);
  closeSync(writer);
  await writeFile(`${officePath}.tmp`, text);
  await rename(`${officePath}.tmp`, officePath);
  await vi.waitFor(
    async () => {
      const view = await prefsView();
      expect(view.global.personalEmail).toBe('ucetni@kancelar.example');
      expect(view.globalLocation.notAnsweringSince).toBeNull();
    },
    { timeout: 15_000, interval: 200 },
  );
  socket.close();
});
