/**
 * The real `kurier` command (bin/kurier.mjs → out/main/cli.js), spawned with an argv array on a temporary
 * KURIER_DATA_DIR: what a script sees on stdout and in the exit code, and what lands on disk.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../support/global-setup';

const root = path.resolve(import.meta.dirname, '../../..');
const bin = path.join(root, 'bin', 'kurier.mjs');
const fixtures = path.join(root, 'tests', 'fixtures', 'documents');
let dataDir: string;

beforeAll(() => {
  if (!existsSync(path.join(root, 'out', 'main', 'cli.js'))) buildApp();
}, 180_000);

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kurier-cli-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function kurier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...process.env, KURIER_DATA_DIR: dataDir, HOME: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('kurier command line', () => {
  it('imports a folder (exit 1 when something was rejected), lists the documents as JSON and exports one PDF', async () => {
    const dry = await kurier('import', path.join(fixtures, 'isdoc-1-invoice.isdoc'), '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual([
      expect.objectContaining({ dryRun: true, status: 'ready', fileName: 'isdoc-1-invoice.isdoc' }),
    ]);
    expect((await kurier('documents', '--json')).stdout).not.toContain('FV-2026-0901');

    const all = await kurier('import', fixtures, path.join(fixtures, 'hostile', 'isdoc-xxe.isdoc'), '--json');
    expect(all.code).toBe(1);
    const results = lines(all.stdout);
    expect(results.find((r) => r['fileName'] === 'isdoc-xxe.isdoc')).toMatchObject({
      status: 'rejected',
      reason: { code: 'doctypeRefused' },
    });
    expect(results.filter((r) => r['status'] === 'imported').length).toBeGreaterThanOrEqual(14);

    const listed = lines((await kurier('documents', '--company', '6772244113', '--json')).stdout);
    expect(listed.find((d) => d['number'] === 'FV/2026/09/001')).toEqual({
      company: { name: 'Biuro Rachunkowe Żuraw i Wspólnicy sp. z o.o.', registrationNumber: '365123458', taxId: '6772244113' },
      partner: { name: 'Przędzalnia Łódzka Źdźbło sp. z o.o.', registrationNumber: '', taxId: '5260259950' },
      kind: 'invoice',
      number: 'FV/2026/09/001',
      issueDate: '2026-09-15',
      dueDate: '2026-09-29',
      currency: 'PLN',
      totalMinor: 439_756,
      email: 'ksiegowosc@przedzalnia-zdzblo.example',
      sourceFile: '6772244113-20260915-0A1B2C3D4E5F-7C.xml',
      source: 'ksef',
      status: 'ok',
      ksefNumber: '6772244113-20260915-0A1B2C3D4E5F-7C',
    });
    expect(listed.every((d) => (d['company'] as { taxId: string }).taxId === '6772244113')).toBe(true);

    const out = path.join(dataDir, 'out');
    const exported = await kurier('export', 'FV-2026-0905', '--out', out, '--json');
    expect(exported.code).toBe(0);
    const { path: pdfPath } = lines(exported.stdout)[0] as { path: string };
    expect(path.dirname(pdfPath)).toBe(out);
    // Its own PDF (ISDOC embedded), byte for byte: never re-rendered.
    expect((await readFile(pdfPath)).equals(await readFile(path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf')))).toBe(
      true,
    );
  });

  it('says how to use it and exits 2 on bad usage', async () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['import'],
      ['documents', '--colour'],
      ['import', 'x.isdoc', '--company', '99999999'],
    ]) {
      const result = await kurier(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage:');
    }
    expect((await kurier('export', 'NO-SUCH-1')).code).toBe(1);
  });
});
