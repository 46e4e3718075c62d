/**
 * A folder this process cannot write to, for real: as root (who ignores permission bits) a small tmpfs
 * remounted read-only, so writes fail with EROFS; otherwise a folder with mode 0555, so they fail with
 * EACCES. Either way it is what a non-administrator meets in /etc/xdg or %ProgramData%. Removed when
 * the test finishes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

const isRoot = process.getuid?.() === 0;

/** Creates the folder holding `files` (name → content), then makes it read-only. */
export function readOnlyDir(files: Readonly<Record<string, string>> = {}): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'kurier-ro-'));
  const dir = path.join(parent, 'kurier');
  mkdirSync(dir);
  if (isRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  if (isRoot) execFileSync('mount', ['-o', 'remount,ro', dir]);
  else chmodSync(dir, 0o555);
  onTestFinished(() => {
    if (isRoot) execFileSync('umount', [dir]);
    else chmodSync(dir, 0o755);
    rmSync(parent, { recursive: true, force: true });
  });
  return dir;
}
