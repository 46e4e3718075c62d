/**
 * The retention cleanup against symlink traps on a real file system: when `Documents/Kurier` or
 * `Documents/Kurier/Outbox` is a link to another folder, the old files there must survive — the
 * cleanup once followed a linked `Kurier` and deleted another folder's files.
 */
import { mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanOldHandoffFiles, handoffFolder } from '../../../../electron/services/handoff/handoff-folder';
import { tempDir } from '../../../support/temp-dir';

const day = 24 * 60 * 60 * 1000;

/** A folder elsewhere holding an `Outbox` with two files last changed 90 days ago. */
async function victimFolder(now: number): Promise<{ root: string; outbox: string }> {
  const root = await tempDir('kurier-victim-');
  const outbox = path.join(root, 'Outbox');
  await mkdir(outbox);
  const when = new Date(now - 90 * day);
  for (const name of ['Smlouva.pdf', 'Výplatní páska 2025-08.pdf']) {
    await writeFile(path.join(outbox, name), 'precious');
    await utimes(path.join(outbox, name), when, when);
  }
  return { root, outbox };
}

describe('cleanOldHandoffFiles and symlinks', () => {
  it('does not clean through Documents/Kurier when it is a link to another folder', async () => {
    const now = Date.now();
    const victim = await victimFolder(now);
    const documents = await tempDir('kurier-documents-');
    await symlink(victim.root, path.join(documents, 'Kurier'));

    expect(await cleanOldHandoffFiles(handoffFolder(documents), 30 * day, now)).toEqual([]);
    expect((await readdir(victim.outbox)).sort()).toEqual(['Smlouva.pdf', 'Výplatní páska 2025-08.pdf']);
  });

  it('does not clean through Documents/Kurier/Outbox when it is a link to another folder', async () => {
    const now = Date.now();
    const victim = await victimFolder(now);
    const documents = await tempDir('kurier-documents-');
    await mkdir(path.join(documents, 'Kurier'));
    await symlink(victim.outbox, path.join(documents, 'Kurier', 'Outbox'));

    expect(await cleanOldHandoffFiles(handoffFolder(documents), 30 * day, now)).toEqual([]);
    expect((await readdir(victim.outbox)).sort()).toEqual(['Smlouva.pdf', 'Výplatní páska 2025-08.pdf']);
  });

  it('still cleans a real Kurier/Outbox inside a documents folder that is itself a link', async () => {
    // ~/Documents linked to another disk is common and legitimate; only Kurier and Outbox must be real.
    const now = Date.now();
    const realDocuments = await tempDir('kurier-real-documents-');
    const home = await tempDir('kurier-home-');
    const outbox = handoffFolder(realDocuments);
    await mkdir(outbox, { recursive: true });
    const old = path.join(outbox, 'Faktura 2025-0001.pdf');
    await writeFile(old, 'x');
    await utimes(old, new Date(now - 40 * day), new Date(now - 40 * day));
    await symlink(realDocuments, path.join(home, 'Documents'));

    const removed = await cleanOldHandoffFiles(handoffFolder(path.join(home, 'Documents')), 30 * day, now);
    expect(removed).toHaveLength(1);
    expect(await readdir(outbox)).toEqual([]);
  });
});
