/**
 * Launches the real Electron app with Playwright's Electron support and checks the first window: the
 * documents list renders, `window.kurier` is the only bridge, and Node is out of the page's reach.
 * Skipped, with the reason printed, where the Electron runtime is not installed (it is downloaded on
 * first use and our build machines have no internet).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '..', '..');

function electronBinary(): string | null {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
if (!binary) {
  process.stdout.write(
    'tests/electron: skipped — the Electron runtime is not installed here (node_modules/electron/dist is missing; ' +
      'it is downloaded on first use and this machine has no internet).\n',
  );
}

describe.skipIf(!binary)('Electron app', () => {
  it('opens the documents window with only window.kurier exposed', async () => {
    const userData = await tempDir('kurier-electron-');
    const app = await electron.launch({
      executablePath: binary ?? '',
      args: [root, `--user-data-dir=${userData}`, '--no-sandbox'],
      env: { ...process.env, KURIER_DATA_DIR: userData },
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('table').waitFor();
      const exposure = await page.evaluate(() => ({
        hasKurier: typeof (window as unknown as { kurier?: unknown }).kurier === 'object',
        hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
        hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined',
        origin: window.location.origin,
      }));
      expect(exposure).toEqual({ hasKurier: true, hasRequire: false, hasProcess: false, origin: 'app://kurier' });
    } finally {
      await app.close();
    }
  });
});
