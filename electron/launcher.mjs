#!/usr/bin/env node
// `npm start`: build, then run Kurier in Electron. Where the Electron runtime cannot be had (no
// internet to download it, as on our build machines), say so plainly and serve the same UI through
// the web shell on 127.0.0.1 instead. Children get argv arrays; nothing goes through a shell.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  if (process.env.KURIER_FORCE_WEB_SHELL === '1') return { path: null, reason: 'KURIER_FORCE_WEB_SHELL=1 is set.' };
  try {
    // The electron package resolves to its binary, downloading it on first use when it can.
    return { path: require('electron'), reason: '' };
  } catch (error) {
    return { path: null, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function forward(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron.path) {
  forward(spawn(electron.path, [root], { cwd: root, stdio: 'inherit' }));
} else {
  console.log('\nThe Electron runtime is not available on this computer, so Kurier cannot open its own window.');
  console.log(`(${electron.reason})`);
  console.log('Starting the same Kurier UI in the web shell instead: it runs on this computer only (127.0.0.1).\n');
  forward(spawn(process.execPath, [path.join(root, 'out', 'main', 'web-shell.js')], { cwd: root, stdio: 'inherit' }));
}
