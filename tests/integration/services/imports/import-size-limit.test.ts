/**
 * One size limit for every way a file comes in (issue 15: "a 50 MB file"): the Import… button (the
 * native picker's paths, or the page's file input), drag and drop (the page hands over only the size of
 * a file it did not read), the `kurier` command line and the watched folder all refuse a file over
 * `maxImportFileBytes` with the same translated reason, `imports.reasons.tooLarge`, which names that
 * limit. The files are sparse (50 MB and 21 MB on paper, no disk used). The original stays where it was,
 * unchanged — except in the watched folder, which moves it into rejected/ beside its reason file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { maxImportFileBytes } from '../../../../shared/imports';
import { createTranslator } from '../../../../shared/i18n';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ImportDesk } from '../../../../electron/services/imports/import-desk';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { ImportSettingsRepository } from '../../../../electron/services/imports/import-settings';
import { inboxDocuments } from '../../../../electron/services/imports/inbox-documents';
import { InboxLedger } from '../../../../electron/services/imports/inbox-ledger';
import { InboxService } from '../../../../electron/services/imports/inbox-service';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { buildApp } from '../../../support/global-setup';
import { importDatabase } from '../../../support/import-db';
import { tempDir } from '../../../support/temp-dir';

const root = path.resolve(import.meta.dirname, '../../../..');
const MB = 1024 * 1024;
const fiftyMb = { code: 'tooLarge', details: { sizeMb: 50, limitMb: 20 } };

beforeAll(() => {
  if (!existsSync(path.join(root, 'out', 'main', 'cli.js'))) buildApp();
}, 180_000);

/** A sparse file of `bytes` (a hole: nothing is written). */
async function sparse(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'w');
  await handle.truncate(bytes);
  await handle.close();
  return file;
}

/** Size and modification time: what "unchanged" means for a file nobody may write to. */
async function fingerprint(file: string): Promise<{ size: number; mtimeMs: number }> {
  const info = await stat(file);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

describe('one size limit for imports', () => {
  it('is 20 MB, and its sentence names it in Czech, Polish and English', () => {
    expect(maxImportFileBytes).toBe(20 * MB);
    const details = fiftyMb.details;
    expect(createTranslator('cs')('imports.reasons.tooLarge', details)).toBe(
      'Soubor má 50 MB; Kurier importuje soubory do 20 MB.',
    );
    expect(createTranslator('pl')('imports.reasons.tooLarge', details)).toBe('Plik ma 50 MB; Kurier importuje pliki do 20 MB.');
    expect(createTranslator('en')('imports.reasons.tooLarge', details)).toBe(
      'The file has 50 MB; Kurier imports files up to 20 MB.',
    );
  });

  it('the import service refuses it by the button (paths), by the page (size only) and as a partner list or payroll', async () => {
    const { db, dir } = await importDatabase();
    const desk = new ImportDesk(new ImportService({ db, documents: new DocumentRepository(db), clock: () => new Date() }));
    const files = [
      await sparse(path.join(dir, 'faktura 50 MB.isdoc'), 50 * MB),
      await sparse(path.join(dir, 'partneri.csv'), 21 * MB),
      await sparse(path.join(dir, 'mzdy.pdf'), 21 * MB),
    ];
    const before = await Promise.all(files.map(fingerprint));

    const byPaths = await desk.planPaths(files);
    expect(byPaths.items.map((item) => [item.fileName, item.status, item.reason])).toEqual([
      ['faktura 50 MB.isdoc', 'rejected', fiftyMb],
      ['partneri.csv', 'rejected', { code: 'tooLarge', details: { sizeMb: 21, limitMb: 20 } }],
      ['mzdy.pdf', 'rejected', { code: 'tooLarge', details: { sizeMb: 21, limitMb: 20 } }],
    ]);
    expect([byPaths.partnerFiles, byPaths.payrollFiles]).toEqual([[], []]);

    // Dropped on the window (or picked in the web shell's file input): the page read nothing, only the size.
    const dropped = await desk.planBytes([
      { name: 'faktura 50 MB.isdoc', size: 50 * MB },
      { name: 'partneri.csv', size: 21 * MB },
    ]);
    expect(dropped.items.map((item) => item.reason)).toEqual([
      fiftyMb,
      { code: 'tooLarge', details: { sizeMb: 21, limitMb: 20 } },
    ]);
    expect(dropped.partnerFiles).toEqual([]);

    expect(await Promise.all(files.map(fingerprint))).toEqual(before);
    expect((await readdir(dir)).filter((name) => !name.startsWith('kurier.sqlite')).sort()).toEqual([
      'faktura 50 MB.isdoc',
      'mzdy.pdf',
      'partneri.csv',
    ]);
  });

  it('the command line refuses it with exit code 1 and the same reason', { timeout: 60_000 }, async () => {
    const dataDir = await tempDir('kurier-size-cli-');
    const big = await sparse(path.join(dataDir, 'faktura 50 MB.isdoc'), 50 * MB);
    const list = await sparse(path.join(dataDir, 'partneri.csv'), 21 * MB);
    const before = await Promise.all([big, list].map(fingerprint));
    const run = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin', 'kurier.mjs'), 'import', big, list, '--json'],
      {
        env: { ...process.env, KURIER_DATA_DIR: dataDir, HOME: dataDir },
      },
    ).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(run.code).toBe(1);
    const lines = run.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { fileName: string; status: string; reason: unknown });
    expect(lines.map((line) => [line.fileName, line.status, line.reason])).toEqual([
      ['faktura 50 MB.isdoc', 'rejected', fiftyMb],
      ['partneri.csv', 'rejected', { code: 'tooLarge', details: { sizeMb: 21, limitMb: 20 } }],
    ]);
    expect(await Promise.all([big, list].map(fingerprint))).toEqual(before);
  });

  it(
    'the watched folder moves it into rejected/ with the translated reason, whatever its type',
    { timeout: 60_000 },
    async () => {
      const { db, dir, companyId } = await importDatabase();
      const inboxDir = path.join(dir, 'zasobnik');
      await mkdir(inboxDir);
      new ImportSettingsRepository(db).update(companyId, {
        inboxFolder: inboxDir,
        payrollRule: { by: 'personalNumber', label: 'Osobní číslo' },
      });
      await sparse(path.join(inboxDir, 'faktura 50 MB.isdoc'), 50 * MB);
      await sparse(path.join(inboxDir, 'partneri.csv'), 21 * MB);
      await sparse(path.join(inboxDir, 'mzdy.pdf'), 21 * MB);
      const inbox = new InboxService({
        db,
        settings: new ImportSettingsRepository(db),
        ledger: new InboxLedger(db),
        logger: createLogger('inbox', nullSink),
        language: () => 'cs',
        documents: inboxDocuments({ db, documents: new DocumentRepository(db), clock: () => new Date() }),
        autoSend: () => Promise.resolve(),
        stableMs: 150,
        pollMs: 100,
      });
      onTestFinished(() => inbox.stop());
      await inbox.start();
      const rejected = path.join(inboxDir, 'rejected');
      const until = Date.now() + 30_000;
      while ((await readdir(inboxDir)).some((name) => name !== 'rejected' && name !== 'imported') && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const t = createTranslator('cs');
      expect(await readFile(path.join(rejected, 'faktura 50 MB.isdoc.reason.txt'), 'utf8')).toBe(
        `${t('imports.reasons.tooLarge', fiftyMb.details)}\n`,
      );
      for (const name of ['partneri.csv', 'mzdy.pdf']) {
        expect(await readFile(path.join(rejected, `${name}.reason.txt`), 'utf8'), name).toBe(
          `${t('imports.reasons.tooLarge', { sizeMb: 21, limitMb: 20 })}\n`,
        );
      }
      // Moved as they were; nothing imported.
      expect((await stat(path.join(rejected, 'faktura 50 MB.isdoc'))).size).toBe(50 * MB);
      expect((await stat(path.join(rejected, 'partneri.csv'))).size).toBe(21 * MB);
      expect(await readdir(path.join(inboxDir, 'imported'))).toEqual([]);
      expect((db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(0);
    },
  );
});
