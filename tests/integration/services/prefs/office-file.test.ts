/**
 * The office preferences file is cached and read asynchronously (issue 18, item 5): an edit on disk is
 * picked up by the folder watch without anyone asking, and a file that never answers — a FIFO without a
 * writer stands in for a hung network share — neither blocks the thread nor loses the settings: the look
 * times out, the last good copy stays in use, and the view says so until the file answers again.
 */
import { constants, openSync, writeSync, closeSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { AccountStateStore } from '../../../../electron/services/prefs/account-state-store';
import { PreferencesService } from '../../../../electron/services/prefs/preferences-service';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import { createTranslator } from '../../../../shared/i18n';
import { MemorySecretStore } from '../../../support/memory-secret-store';
import { tempDir } from '../../../support/temp-dir';

const opened: PreferencesService[] = [];
afterEach(() => {
  for (const prefs of opened.splice(0)) prefs.close();
});

const officeFile = (personalEmail: string) => `${JSON.stringify({ version: 1, prefs: { personalEmail } })}\n`;

async function setUp(timeouts: { officeTimeoutMs?: number; officePollMs?: number } = {}) {
  const dataDir = await tempDir('kurier-office-file-');
  const machinePrefsDir = await tempDir('kurier-office-share-');
  const filePath = path.join(machinePrefsDir, globalPrefsFileName);
  await writeFile(filePath, officeFile('ucetni@kancelar.example'));
  const prefs = new PreferencesService({
    dataDir,
    machinePrefsDir,
    env: {},
    secrets: new MemorySecretStore(),
    accountState: new AccountStateStore(openDatabase(path.join(dataDir, 'kurier.sqlite'))),
    logger: createLogger('test', nullSink),
    clock: () => new Date(),
    ...timeouts,
  });
  opened.push(prefs);
  return { prefs, filePath, machinePrefsDir };
}

/** Saves the office file the way an editor or another Kurier does: a new file renamed over the old one. */
async function saveOver(filePath: string, text: string): Promise<void> {
  const temporary = `${filePath}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, filePath);
}

describe('the office preferences file', () => {
  it('is read once, and again when it is edited on disk — without anyone asking', async () => {
    // No poll for a minute: only the folder watch can bring the edit in.
    const { prefs, filePath } = await setUp({ officePollMs: 60_000 });
    expect(prefs.globalPrefs().personalEmail).toBe('ucetni@kancelar.example');

    await saveOver(filePath, officeFile('nova@kancelar.example'));
    await vi.waitFor(
      () => {
        expect(prefs.globalPrefs().personalEmail).toBe('nova@kancelar.example');
      },
      { timeout: 15_000, interval: 50 },
    );
    expect((await prefs.view()).global.personalEmail).toBe('nova@kancelar.example');
  });

  it('that never answers keeps its last good copy, says so, blocks nothing, and comes back when it answers', async () => {
    const { prefs, filePath, machinePrefsDir } = await setUp({ officeTimeoutMs: 1_000, officePollMs: 60_000 });
    // A FIFO without a writer: opening it for reading waits for ever, like a read from a hung share.
    const fifo = path.join(machinePrefsDir, 'hung.fifo');
    execFileSync('mkfifo', [fifo]);
    await rename(fifo, filePath);

    // The thread stays free while the read hangs: timers keep firing.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const view = await prefs.view();
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
    expect(view.global.personalEmail).toBe('ucetni@kancelar.example');
    expect(view.globalLocation.notAnsweringSince).not.toBeNull();
    // A copy was read at start: that one stays in use, and the banner says so.
    expect(view.globalLocation.neverRead).toBe(false);
    expect(prefs.resolved().effective.personalEmail).toBe('ucetni@kancelar.example');
    // Sending goes on with the last good copy instead of waiting for the share.
    await expect(prefs.assertOfficeConfirmed()).resolves.toBeUndefined();
    for (const language of ['cs', 'pl', 'en'] as const) {
      const text = createTranslator(language)('prefs.officeNotAnswering', { path: filePath });
      expect(text).toContain(filePath);
      expect(text).not.toContain('prefs.');
    }

    // The share answers again (the hung read is released, the file is back): the view says nothing more.
    const writer = openSync(filePath, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(writer, officeFile('ignored@kancelar.example'));
    closeSync(writer);
    await saveOver(filePath, officeFile('zpet@kancelar.example'));
    await vi.waitFor(
      async () => {
        const again = await prefs.view();
        expect(again.globalLocation.notAnsweringSince).toBeNull();
        expect(again.global.personalEmail).toBe('zpet@kancelar.example');
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe('saving the office preferences', () => {
  it('to a share that does not answer times out with a translated error, blocks nothing and keeps the old copy', async () => {
    const { prefs, filePath, machinePrefsDir } = await setUp({ officeTimeoutMs: 1_000, officePollMs: 60_000 });
    // The save writes a temporary file beside the office file first: a FIFO without a reader in its place
    // makes opening it wait for ever, like a write to a hung share.
    const temporary = path.join(machinePrefsDir, `.${globalPrefsFileName}.${String(process.pid)}.tmp`);
    execFileSync('mkfifo', [temporary]);

    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    const saving = prefs.updateGlobal({ personalEmail: 'jina@kancelar.example' }, { action: 'keep' });
    await expect(saving).rejects.toMatchObject({ code: 'prefs.notAnswering', details: { path: filePath, seconds: 1 } });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(10);
    for (const language of ['cs', 'pl', 'en'] as const) {
      const text = createTranslator(language)('errors.prefs.notAnswering.message', { path: filePath, seconds: 1 });
      expect(text).toContain(filePath);
      expect(text).not.toContain('errors.');
    }
    // Nothing changed: not in memory, not on disk.
    expect(prefs.globalPrefs().personalEmail).toBe('ucetni@kancelar.example');
    expect(await readFile(filePath, 'utf8')).toBe(officeFile('ucetni@kancelar.example'));

    // Release the hung open (a reader appears), then the share answers again and the save goes through.
    const reader = openSync(temporary, constants.O_RDONLY | constants.O_NONBLOCK);
    closeSync(reader);
    await vi.waitFor(async () => {
      await rm(temporary, { force: true });
      await prefs.updateGlobal({ personalEmail: 'jina@kancelar.example' }, { action: 'keep' });
    });
    expect(JSON.parse(await readFile(filePath, 'utf8'))).toMatchObject({ prefs: { personalEmail: 'jina@kancelar.example' } });
  });
});
