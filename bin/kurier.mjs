#!/usr/bin/env node
// The `kurier` command (package.json "bin"): runs the built CLI (out/main/cli.js, made by `npm run build`).
// It needs Node ≥ 22.5 for node:sqlite; on an older Node it re-runs itself with the Node the project pins
// (node_modules/.bin/node). The child gets an argv array; nothing goes through a shell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.stdout.on('error', (error) => {
  // A reader that stops early (`kurier documents | head`) is not an error of ours.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('kurier: the command line is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 5)) {
  const { run } = await import(pathToFileURL(cli).href);
  process.exitCode = await run(process.argv.slice(2), { fontDir: path.join(root, 'build', 'fonts') });
} else {
  const pinned = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
