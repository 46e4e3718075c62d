/**
 * The `kurier` command of the installed app: build/cli/kurier (Linux, macOS) is run from the layouts
 * electron-builder makes — resources/cli beside the app binary, reached directly or through the
 * /usr/bin/kurier link the deb makes — with a stand-in app binary that prints the argv it received as
 * JSON. What a user or an accounting program passes must arrive intact: no shell reads it again.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '..', '..');
const launcher = path.join(root, 'build', 'cli', 'kurier');
const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  extraResources: { from: string; to: string }[];
  linux: { executableName?: string };
  deb: { afterInstall?: string; afterRemove?: string };
  rpm: { afterInstall?: string; afterRemove?: string };
};

/** A stand-in for the app binary: prints its arguments and whether ELECTRON_RUN_AS_NODE reached it. */
const standIn = `#!${process.execPath}
process.stdout.write(JSON.stringify({ args: process.argv.slice(2), runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));
process.exitCode = Number(process.env.STAND_IN_EXIT ?? 0);
`;

/** Lays out `<base>/resources/cli/kurier` and the app binary at `<base>/<binary>`; returns the launcher. */
async function installed(base: string, binary: string): Promise<string> {
  const installedLauncher = path.join(base, 'resources', 'cli', 'kurier');
  await mkdir(path.dirname(installedLauncher), { recursive: true });
  await copyFile(launcher, installedLauncher);
  await chmod(installedLauncher, 0o755);
  await mkdir(path.dirname(path.join(base, binary)), { recursive: true });
  await writeFile(path.join(base, binary), standIn, { mode: 0o755 });
  return installedLauncher;
}

async function launch(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** What the launcher puts before --cli: on Linux, Chromium's headless platform (the command draws nothing). */
const headless = process.platform === 'linux' ? ['--ozone-platform=headless', '--disable-gpu'] : [];

const hostile = [
  'import',
  'Faktury 2026/FV 1.isdoc',
  'it\'s "quoted"',
  '$(touch pwned)',
  '`touch pwned-too`',
  '${HOME}',
  'line one\nline two',
  '',
  '--no-sandbox',
  '--',
  '; touch pwned-three',
  '*',
  'Účetnictví – Łódź',
];

describe.skipIf(process.platform === 'win32')('build/cli/kurier', () => {
  it('starts the Linux app binary with --cli -- and every argument intact, without ELECTRON_RUN_AS_NODE', async () => {
    const base = await tempDir('kurier-installed-');
    const installedLauncher = await installed(base, 'kurier');
    const cwd = await tempDir('kurier-cwd-');
    const result = await launch(installedLauncher, hostile, { cwd });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ args: [...headless, '--cli', '--', ...hostile], runAsNode: null });
    expect(await readdir(cwd)).toEqual([]);
  });

  it('works through the /usr/bin/kurier link the deb makes, and through a relative link to that', async () => {
    const base = await tempDir('kurier-opt-');
    const installedLauncher = await installed(path.join(base, 'opt', 'Kurier'), 'kurier');
    await mkdir(path.join(base, 'usr', 'bin'), { recursive: true });
    const usrBin = path.join(base, 'usr', 'bin', 'kurier');
    await symlink(installedLauncher, usrBin);
    await mkdir(path.join(base, 'home', 'bin'), { recursive: true });
    const relative = path.join(base, 'home', 'bin', 'kurier');
    await symlink(path.join('..', '..', 'usr', 'bin', 'kurier'), relative);
    for (const command of [usrBin, relative]) {
      const result = await launch(command, ['documents', '--json', 'a b'], { cwd: base });
      expect(JSON.parse(result.stdout), command).toEqual({
        args: [...headless, '--cli', '--', 'documents', '--json', 'a b'],
        runAsNode: null,
      });
    }
  });

  it('finds the binary inside Kurier.app on macOS', async () => {
    const app = path.join(await tempDir('kurier-mac-'), 'Kurier.app', 'Contents');
    const installedLauncher = await installed(app, path.join('MacOS', 'Kurier'));
    const result = await launch(installedLauncher, ['documents', "O'Brien & Co"], { cwd: app });
    expect(JSON.parse(result.stdout)).toEqual({
      args: [...headless, '--cli', '--', 'documents', "O'Brien & Co"],
      runAsNode: null,
    });
  });

  it("passes the app's exit code on, and says so when the app is missing", async () => {
    const base = await tempDir('kurier-exit-');
    const installedLauncher = await installed(base, 'kurier');
    expect((await launch(installedLauncher, ['frobnicate'], { cwd: base, env: { STAND_IN_EXIT: '2' } })).code).toBe(2);
    expect((await launch(installedLauncher, ['import', 'x'], { cwd: base, env: { STAND_IN_EXIT: '1' } })).code).toBe(1);

    const empty = await tempDir('kurier-broken-');
    const lone = path.join(empty, 'resources', 'cli', 'kurier');
    await mkdir(path.dirname(lone), { recursive: true });
    await copyFile(launcher, lone);
    await chmod(lone, 0o755);
    const missing = await launch(lone, ['documents'], { cwd: empty });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('the Kurier app was not found');
  });
});

describe('the command line in the packaging config', () => {
  it('ships build/cli as resources/cli, and the Linux binary the launcher starts is named kurier', () => {
    expect(config.extraResources).toContainEqual({ from: 'build/cli', to: 'cli' });
    expect(config.linux.executableName).toBe('kurier');
    expect(existsSync(path.join(root, 'build', 'cli', 'kurier.cmd'))).toBe(true);
  });

  it('Windows: kurier.cmd starts Kurier.exe two folders up with --cli -- and the arguments as given', () => {
    const cmd = readFileSync(path.join(root, 'build', 'cli', 'kurier.cmd'), 'utf8');
    expect(cmd).toContain('"%~dp0..\\..\\Kurier.exe" --cli -- %*\r\n');
    expect(cmd).toContain('set ELECTRON_RUN_AS_NODE=\r\n');
    expect(cmd).toContain('exit /b %ERRORLEVEL%');
    // Batch files are read with CRLF line ends.
    expect(cmd.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('deb and rpm link /usr/bin/kurier to the installed launcher and remove only that link', () => {
    for (const target of [config.deb, config.rpm]) {
      expect(target.afterInstall).toBe('build/linux/after-install.tpl');
      expect(target.afterRemove).toBe('build/linux/after-remove.tpl');
    }
    const install = readFileSync(path.join(root, 'build', 'linux', 'after-install.tpl'), 'utf8');
    const remove = readFileSync(path.join(root, 'build', 'linux', 'after-remove.tpl'), 'utf8');
    const launcherPath = "launcher='/opt/${sanitizedProductName}/resources/cli/kurier'";
    expect(install).toContain(launcherPath);
    expect(install).toContain('ln -sfn "$launcher" \'/usr/bin/kurier\'');
    expect(remove).toContain(launcherPath);
    expect(remove).toContain('[ "$(readlink \'/usr/bin/kurier\')" = "$launcher" ]');
  });
});
