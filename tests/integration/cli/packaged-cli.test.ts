/**
 * The command line inside the packaged app: the BUILT out/main/main.js, the file the app binary runs, is
 * started as the launchers in build/cli start it (`Kurier --cli -- ARGS`) under plain Node, with a small
 * stand-in for the `electron` module (tests/support/electron-stub) that reports `app.isPackaged = true`,
 * gives the packaged argv layout and records what main asks of Electron. So the real main.ts decides, and
 * the test sees what a script sees: stdout, the exit code, the data on disk — and that no window opened
 * and no single-instance lock was taken. (The Electron runtime itself is not installed on build machines.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../support/global-setup';
import { tempDir } from '../../support/temp-dir';

const root = path.resolve(import.meta.dirname, '../../..');
const mainJs = path.join(root, 'out', 'main', 'main.js');
const register = path.join(root, 'tests', 'support', 'electron-stub', 'register.mjs');
const fixtures = path.join(root, 'tests', 'fixtures', 'documents');

beforeAll(() => {
  if (!existsSync(mainJs) || !existsSync(path.join(root, 'out', 'main', 'cli.js'))) buildApp();
}, 180_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What main asked of Electron, one call per line. */
  readonly electron: string[];
}

async function packaged(dataDir: string, args: string[], resources = path.join(root, 'build')): Promise<Run> {
  const log = path.join(dataDir, `electron-calls-${String(Date.now())}-${String(Math.random()).slice(2)}.log`);
  const env = {
    ...process.env,
    KURIER_DATA_DIR: dataDir,
    HOME: dataDir,
    ELECTRON_STUB_LOG: log,
    ELECTRON_STUB_RESOURCES: resources,
  };
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', register, mainJs, ...args], { env });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    result = { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
  const electron = existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '') : [];
  return { ...result, electron };
}

/** The checkout's command (bin/kurier.mjs) on the same data, to compare with. */
async function checkout(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'kurier.mjs'), ...args], {
    env: { ...process.env, KURIER_DATA_DIR: dataDir, HOME: dataDir },
  });
  return stdout;
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Neither a window nor the single-instance lock nor the app's start-up: only the command ran. */
function expectOnlyTheCommand(run: Run): void {
  expect(run.electron.filter((call) => /BrowserWindow|requestSingleInstanceLock|whenReady|protocol|ipcMain/.test(call))).toEqual(
    [],
  );
}

describe('kurier in the packaged app (Kurier --cli -- …)', () => {
  it('lists the documents as JSON, the same as the checkout command, without opening a window', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir('kurier-packaged-cli-');
    const listed = await packaged(dataDir, ['--cli', '--', 'documents', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const rows = jsonLines(listed.stdout);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toMatchObject({ source: 'demo', status: 'ok' });
    expect(listed.stdout).toBe(await checkout(dataDir, ['documents', '--json']));
    expectOnlyTheCommand(listed);
  });

  it('imports a real ISDOC file whose path has spaces and shell characters', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir('kurier-packaged-cli-');
    const folder = path.join(dataDir, 'Faktury $(touch pwned) & "přijaté"');
    await mkdir(folder);
    const file = path.join(folder, "FV 0901 'září'.isdoc");
    await copyFile(path.join(fixtures, 'isdoc-1-invoice.isdoc'), file);
    const original = await readFile(file);

    const imported = await packaged(dataDir, ['--cli', '--', 'import', file, '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(jsonLines(imported.stdout)).toEqual([
      expect.objectContaining({ status: 'imported', fileName: "FV 0901 'září'.isdoc", number: 'FV-2026-0901' }),
    ]);
    expectOnlyTheCommand(imported);
    // In the data, as the app and the checkout command see it; the original untouched.
    const listed = jsonLines(await checkout(dataDir, ['documents', '--json']));
    expect(listed.find((row) => row['number'] === 'FV-2026-0901')).toMatchObject({
      source: 'isdoc',
      sourceFile: "FV 0901 'září'.isdoc",
    });
    expect((await readFile(file)).equals(original)).toBe(true);
    expect(await readdir(folder)).toEqual(["FV 0901 'září'.isdoc"]);
    expect(existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
  });

  it('exports a PDF with the fonts from the app’s resources folder', { timeout: 90_000 }, async () => {
    const dataDir = await tempDir('kurier-packaged-cli-');
    const [first] = jsonLines((await packaged(dataDir, ['--cli', '--', 'documents', '--json'])).stdout);
    const number = String(first?.['number']);
    // resources/fonts as electron-builder lays it out (extraResources), and a resources folder without it.
    const resources = path.join(dataDir, 'resources');
    await mkdir(path.join(resources, 'fonts'), { recursive: true });
    for (const font of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
      await copyFile(path.join(root, 'build', 'fonts', font), path.join(resources, 'fonts', font));
    }
    const out = path.join(dataDir, 'out');
    const exported = await packaged(dataDir, ['--cli', '--', 'export', number, '--out', out, '--json'], resources);
    expect(exported.code).toBe(0);
    const [written] = jsonLines(exported.stdout) as { path: string }[];
    expect(path.dirname(written?.path ?? '')).toBe(out);
    expect((await readFile(written?.path ?? '')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectOnlyTheCommand(exported);

    const noFonts = await packaged(
      dataDir,
      ['--cli', '--', 'export', number, '--out', path.join(dataDir, 'out2')],
      path.join(dataDir, 'empty'),
    );
    expect(noFonts.code).toBe(1);
    expect(noFonts.stderr).toContain('DejaVuSans');
  });

  it('exits 2 with the usage on bad usage, and 1 when a file is refused', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir('kurier-packaged-cli-');
    for (const args of [
      ['--cli', '--'],
      ['--cli', '--', 'frobnicate'],
      ['--cli', '--', 'documents', '--colour'],
      ['--cli', '--', 'import'],
    ]) {
      const run = await packaged(dataDir, args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage:');
      expectOnlyTheCommand(run);
    }
    const refused = await packaged(dataDir, [
      '--cli',
      '--',
      'import',
      path.join(fixtures, 'hostile', 'isdoc-xxe.isdoc'),
      '--json',
    ]);
    expect(refused.code).toBe(1);
    expect(jsonLines(refused.stdout)).toMatchObject([{ status: 'rejected', reason: { code: 'doctypeRefused' } }]);
  });

  it(
    'starts as the app (the lock, then the window once ready) without --cli first, in KURIER_DATA_DIR',
    { timeout: 60_000 },
    async () => {
      const dataDir = await tempDir('kurier-packaged-cli-');
      for (const args of [[], ['faktura.isdoc', '--cli', '--', 'documents']]) {
        const run = await packaged(dataDir, args);
        expect(run.stdout).toBe('');
        expect(run.electron).toEqual([
          `app.setPath(userData, ${dataDir})`,
          'protocol.registerSchemesAsPrivileged()',
          'app.requestSingleInstanceLock',
          'app.whenReady',
        ]);
      }
    },
  );
});
