/**
 * The zone rules are enforced by lint: these feed the real ESLint config code that breaks each rule,
 * in the file where it would live, and expect the rule to fire.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('zone boundaries', () => {
  it('a service importing a value from electron is an error; a type import is allowed', async () => {
    expect(
      await ruleIds('electron/services/app-services.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('electron/services/app-services.ts', "import type { App } from 'electron';\nexport type X = App;\n"),
    ).not.toContain('no-restricted-imports');
  });

  it('the renderer cannot import main-process code or Node', async () => {
    const fromMain =
      "import { createAppServices } from '../electron/services/app-services';\nexport const x = createAppServices;\n";
    expect(await ruleIds('renderer/kurier.ts', fromMain)).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/kurier.ts', "import { readFile } from 'node:fs';\nexport const x = readFile;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('components get the API through hooks; hooks and plain renderer modules may import it', async () => {
    const direct = "import { kurier } from '../kurier';\nexport const x = kurier;\n";
    expect(await ruleIds('renderer/windows/HistoryWindow.tsx', direct)).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/App.tsx', "import { kurier } from './kurier';\nexport const x = kurier;\n")).toContain(
      'no-restricted-imports',
    );
    // The component zone keeps the renderer's own restrictions too.
    expect(
      await ruleIds('renderer/windows/HistoryWindow.tsx', "import { readFile } from 'node:fs';\nexport const x = readFile;\n"),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('renderer/hooks/use-kurier.ts', direct)).not.toContain('no-restricted-imports');
    expect(await ruleIds('renderer/documents/open-pdf.ts', direct)).not.toContain('no-restricted-imports');
  });

  it('shared imports neither zone nor Node', async () => {
    expect(
      await ruleIds('shared/errors.ts', "import { kurier } from '../renderer/kurier';\nexport const x = kurier;\n"),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('shared/errors.ts', "import os from 'node:os';\nexport const x = os;\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('raw ipcMain is allowed only in the IPC wrapper', async () => {
    expect(
      await ruleIds('electron/ipc/handlers.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"),
    ).toContain('no-restricted-syntax');
  });
});
