/**
 * A full disk, for real: a 12 KiB tmpfs is mounted (root only; skipped with the reason otherwise) and
 * the export must say the disk is full and leave no half-written file behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppFixture } from '../../../support/app-fixture';

function mountTinyDisk(): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'kurier-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write('full-disk test skipped: mounting a tmpfs needs root.\n');
    return null;
  }
}

const disk = mountTinyDisk();
afterAll(() => {
  if (!disk) return;
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

describe.skipIf(!disk)('export onto a full disk', () => {
  it('reports export.diskFull and leaves the folder as it was', async () => {
    const app = await createAppFixture();
    const doc = app.services.documents.listDocuments()[0];
    const folder = disk ?? '';
    await expect(
      app.services.sender.run({ documentId: doc?.id ?? 0, format: 'pdf', folder, copy: null, smtpPassword: null }),
    ).rejects.toMatchObject({
      code: 'export.diskFull',
    });
    expect(readdirSync(folder)).toEqual([]);
  });
});
