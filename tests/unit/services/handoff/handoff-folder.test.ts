/**
 * The hand-off folder on a real file system: copies keep their names, never overwrite, and the
 * retention cleanup removes only old regular files directly inside a Kurier/Outbox folder.
 */
import { mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanOldHandoffFiles,
  copyToHandoffFolder,
  handoffFolder,
  newHandoffSubfolder,
  unsplittableFileName,
} from '../../../../electron/services/handoff/handoff-folder';
import { tempDir } from '../../../support/temp-dir';

const day = 24 * 60 * 60 * 1000;

describe('handoffFolder', () => {
  it('is Kurier/Outbox in the documents folder', () => {
    expect(handoffFolder('/home/jana/Dokumenty')).toBe(path.join('/home/jana/Dokumenty', 'Kurier', 'Outbox'));
  });
});

describe('copyToHandoffFolder', () => {
  it('creates the folder, keeps diacritics and commas, and never overwrites', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'export.pdf');
    await writeFile(source, '%PDF first');
    const folder = handoffFolder(dir);

    const first = await copyToHandoffFolder(folder, source, 'Faktura, č. 1 – Dvořák.pdf');
    await writeFile(source, '%PDF second');
    const second = await copyToHandoffFolder(folder, source, 'Faktura, č. 1 – Dvořák.pdf');

    expect(first).toBe(path.join(folder, 'Faktura, č. 1 – Dvořák.pdf'));
    expect(second).toBe(path.join(folder, 'Faktura, č. 1 – Dvořák (2).pdf'));
    expect(await readFile(first, 'utf8')).toBe('%PDF first');
    expect(await readFile(second, 'utf8')).toBe('%PDF second');
    expect((await readdir(folder)).sort()).toEqual(['Faktura, č. 1 – Dvořák (2).pdf', 'Faktura, č. 1 – Dvořák.pdf']);
  });

  it('keeps the copy inside the folder whatever the name says', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'export.pdf');
    await writeFile(source, '%PDF');
    const folder = handoffFolder(dir);
    expect(await copyToHandoffFolder(folder, source, '../../Faktura "1"?.pdf')).toBe(path.join(folder, 'Faktura 1.pdf'));
    expect(await copyToHandoffFolder(folder, source, '..')).toBe(path.join(folder, 'document'));
    expect(await copyToHandoffFolder(folder, source, 'a.p\\df')).toBe(path.join(folder, 'a.p df'));
    expect((await readdir(dir)).sort()).toEqual(['Kurier', 'export.pdf']);
  });

  it('names a source that is gone', async () => {
    const dir = await tempDir();
    const missing = path.join(dir, 'gone.pdf');
    await expect(copyToHandoffFolder(handoffFolder(dir), missing)).rejects.toMatchObject({
      code: 'handoff.attachmentMissing',
      details: { path: missing, reason: 'ENOENT' },
    });
  });
});

describe('newHandoffSubfolder', () => {
  it('gives each hand-off its own dated folder, so a re-sent document keeps its real name', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'export.pdf');
    await writeFile(source, '%PDF');
    const folder = handoffFolder(dir);
    const name = "Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf";
    const now = Date.UTC(2026, 2, 1, 12);

    const first = await copyToHandoffFolder(await newHandoffSubfolder(folder, now), source, name);
    const second = await copyToHandoffFolder(await newHandoffSubfolder(folder, now), source, name);

    expect(path.basename(first)).toBe(name);
    expect(path.basename(second)).toBe(name);
    expect(path.dirname(first)).not.toBe(path.dirname(second));
    for (const copy of [first, second]) expect(path.basename(path.dirname(copy))).toMatch(/^2026-03-01-[0-9a-f]{8}$/u);
  });
});

describe('unsplittableFileName', () => {
  it.each([
    ["Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf", 'Faktura FV-2026-0007 ABC spol. s r.o. kůň.pdf'],
    ["Faktura Evil s.r.o.',bcc=attacker@evil.example,x.pdf", 'Faktura Evil s.r.o.bcc-attacker@evil.examplex.pdf'],
    ['Mzda 100% \\ "leden" & únor?.pdf', 'Mzda 100- - leden - únor-.pdf'],
  ])('%j → %j', (name, safe) => {
    expect(unsplittableFileName(name)).toBe(safe);
  });
});

describe('cleanOldHandoffFiles', () => {
  it('removes old hand-off subfolders with their files, keeps fresh ones, never follows a link', async () => {
    const dir = await tempDir();
    const folder = handoffFolder(dir);
    const now = Date.now();
    const oldSub = await newHandoffSubfolder(folder, now - 40 * day);
    const freshSub = await newHandoffSubfolder(folder, now);
    await writeFile(path.join(oldSub, 'Faktura.pdf'), 'x');
    await writeFile(path.join(freshSub, 'Faktura.pdf'), 'x');
    // A link inside an old subfolder, and a link named like a subfolder, both to precious files.
    const preciousDir = path.join(dir, 'precious');
    await mkdir(preciousDir);
    await writeFile(path.join(preciousDir, 'keep.pdf'), 'x');
    await symlink(preciousDir, path.join(oldSub, 'inside-link'));
    const linkedSub = path.join(folder, '2020-01-01-0badc0de');
    await symlink(preciousDir, linkedSub);
    const when = new Date(now - 40 * day);
    for (const entry of [oldSub, preciousDir, path.join(preciousDir, 'keep.pdf')]) await utimes(entry, when, when);

    expect(await cleanOldHandoffFiles(folder, 30 * day, now)).toEqual([oldSub]);
    expect((await readdir(folder)).sort()).toEqual([path.basename(linkedSub), path.basename(freshSub)].sort());
    expect(await readFile(path.join(preciousDir, 'keep.pdf'), 'utf8')).toBe('x');
  });

  it('removes old regular files only, and never a link’s target or a subfolder', async () => {
    const dir = await tempDir();
    const folder = handoffFolder(dir);
    await mkdir(path.join(folder, 'sub'), { recursive: true });
    const now = Date.now();
    const age = async (file: string, days: number): Promise<void> => {
      const when = new Date(now - days * day);
      await utimes(file, when, when);
    };

    const old = path.join(folder, 'Faktura, stará.pdf');
    const fresh = path.join(folder, 'Faktura, nová.pdf');
    const deep = path.join(folder, 'sub', 'old.pdf');
    const precious = path.join(dir, 'precious.pdf');
    const link = path.join(folder, 'link.pdf');
    for (const file of [old, fresh, deep, precious]) await writeFile(file, 'x');
    await symlink(precious, link);
    await age(old, 40);
    await age(fresh, 2);
    await age(deep, 40);
    await age(precious, 40);

    expect(await cleanOldHandoffFiles(folder, 30 * day, now)).toEqual([old]);
    expect((await readdir(folder)).sort()).toEqual(['Faktura, nová.pdf', 'link.pdf', 'sub']);
    expect((await stat(deep)).isFile()).toBe(true);
    expect(await readFile(precious, 'utf8')).toBe('x');
  });

  it('refuses any folder but a Kurier/Outbox one, and ignores one that is a link', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'mine.pdf'), 'x');
    await expect(cleanOldHandoffFiles(dir, 0, Date.now() + day)).rejects.toThrow(/Not a hand-off folder/u);
    expect(await readdir(dir)).toEqual(['mine.pdf']);

    await mkdir(path.join(dir, 'Kurier'));
    await symlink(dir, path.join(dir, 'Kurier', 'Outbox'));
    expect(await cleanOldHandoffFiles(handoffFolder(dir), 0, Date.now() + day)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['Kurier', 'mine.pdf']);
  });

  it('is a no-op when the folder does not exist yet', async () => {
    const dir = await tempDir();
    expect(await cleanOldHandoffFiles(handoffFolder(dir), 0, Date.now())).toEqual([]);
  });
});
