#!/usr/bin/env node
// Runs a command (the test runner) inside a private D-Bus session with an unlocked gnome-keyring, so
// tests use the real Secret Service without touching the developer's own keychain. Every child gets
// an argv array; nothing goes through a shell.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-test-session.mjs <command> [args…]');
  process.exit(2);
}

function has(program) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], { stdio: 'ignore' }).status === 0;
}

function run(cmd, argv, env) {
  const child = spawn(cmd, argv, { stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env.KURIER_TEST_SESSION === 'inner') {
  // Inside dbus-run-session: start gnome-keyring with a fresh home and unlock it with a throwaway password.
  const home = mkdtempSync(path.join(tmpdir(), 'kurier-keyring-'));
  const env = { ...process.env, XDG_DATA_HOME: path.join(home, 'data'), XDG_CACHE_HOME: path.join(home, 'cache') };
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'kurier-test-keyring',
    env,
    encoding: 'utf8',
  });
  if (keyring.status !== 0) {
    console.error('gnome-keyring-daemon failed to start:', keyring.stderr);
    process.exit(1);
  }
  const child = spawn(command, args, { stdio: 'inherit', env: { ...env, KURIER_KEYRING: 'gnome-keyring' } });
  child.on('exit', (code, signal) => {
    rmSync(home, { recursive: true, force: true });
    process.exit(code ?? (signal ? 1 : 0));
  });
} else if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
  run('dbus-run-session', ['--', process.execPath, new URL(import.meta.url).pathname, command, ...args], {
    ...process.env,
    KURIER_TEST_SESSION: 'inner',
  });
} else {
  console.warn('dbus-run-session or gnome-keyring-daemon missing: keychain tests will be skipped.');
  run(command, args, process.env);
}
