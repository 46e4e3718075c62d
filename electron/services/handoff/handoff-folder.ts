/**
 * Where attachments for the hand-off routes live: a visible folder in the user's documents, not the
 * temp or app-data folder. Snap and flatpak Thunderbird read only non-hidden files in the home folder
 * (https://snapcraft.io/docs/home-interface), and Thunderbird and Outlook return at once while the
 * running instance reads the file later (cyanfish/naps2#469), so the files stay when Kurier's launcher
 * exits; {@link cleanOldHandoffFiles} removes them after a retention period. Each hand-off gets its own
 * subfolder (`Outbox/<date>-<id>/`), so a re-sent document keeps its real name instead of ` (2).pdf`.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import { safeFileName } from '../files/file-names';
import { writeNewFile } from '../files/new-file';

const folderParts = ['Kurier', 'Outbox'] as const;
const subfolderName = /^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/u;

/** `<documents>/Kurier/Outbox`. */
export function handoffFolder(documentsDir: string): string {
  return path.join(documentsDir, ...folderParts);
}

/**
 * Creates a new, empty subfolder of `folder` for one hand-off and returns its path: `<YYYY-MM-DD>-<id>`
 * with 8 random hex digits, a name with no separator, quote or comma that any mail program reads.
 */
export async function newHandoffSubfolder(folder: string, now: number): Promise<string> {
  await mkdir(folder, { recursive: true }).catch(() => undefined);
  const date = new Date(now).toISOString().slice(0, 10);
  for (;;) {
    const candidate = path.join(folder, `${date}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      const reason = (error as NodeJS.ErrnoException).code ?? 'unwritable';
      throw new KurierError('export.folderNotWritable', { folder, reason }, { cause: error });
    }
  }
}

/**
 * `fileName` without the characters a mail program splitting a list or a mailto link could stop at:
 * `,` `;` `'` `"` `` ` `` go (a space before them stays), `\ % & = ? #` become `-`. Letters, diacritics,
 * digits, spaces, dots and dashes stay, so the name still reads the same:
 * `Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf` → `Faktura FV-2026-0007 ABC spol. s r.o. kůň.pdf`.
 */
export function unsplittableFileName(fileName: string): string {
  return fileName
    .replace(/[,;'"`]/gu, '')
    .replace(/[\\%&=?#$]/gu, '-')
    .replace(/ {2,}/gu, ' ');
}

/**
 * Copies `sourcePath` into `folder` (created when missing) as a new file named `fileName` (the source's
 * name by default), made safe on every OS by safeFileName() (diacritics and commas kept; separators,
 * `..` and control characters gone, so the copy stays inside `folder`); a name already there gets
 * ` (2)`, ` (3)`, … Returns the copy's absolute path. Throws `handoff.attachmentMissing` when the source
 * cannot be read, and what writeNewFile throws when the folder cannot be written.
 */
export async function copyToHandoffFolder(
  folder: string,
  sourcePath: string,
  fileName = path.basename(sourcePath),
): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(sourcePath);
  } catch (error) {
    throw new KurierError(
      'handoff.attachmentMissing',
      { path: sourcePath, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' },
      { cause: error },
    );
  }
  await mkdir(folder, { recursive: true }).catch(() => undefined);
  return writeNewFile(folder, safeName(fileName), data);
}

/** `fileName` as one safe segment; an odd extension (`.p/df`, eleven letters) counts as part of the stem. */
function safeName(fileName: string): string {
  const extension = path.extname(fileName);
  const keep = /^\.[\p{L}\p{N}]{1,10}$/u.test(extension);
  return keep ? safeFileName(fileName.slice(0, -extension.length), extension) : safeFileName(fileName, '');
}

/**
 * Removes the regular files and the hand-off subfolders (`<date>-<id>`, see {@link newHandoffSubfolder})
 * directly in `folder` whose last change is more than `olderThanMs` before `now`, and returns their
 * paths. It never follows a link (a link is neither a regular file nor a folder here, and removing a
 * subfolder removes links inside it, never their targets), leaves other subfolders alone, and refuses
 * any folder that is not a `Kurier/Outbox` folder, so a wrong argument cannot empty someone's documents.
 * Nothing is removed when `Kurier` or `Outbox` is a link (the files there belong to the folder it points
 * to), nor when the folder's real path is not `Kurier/Outbox` under the documents folder's real path.
 */
export async function cleanOldHandoffFiles(folder: string, olderThanMs: number, now: number): Promise<string[]> {
  const resolved = path.resolve(folder);
  if (path.basename(resolved) !== folderParts[1] || path.basename(path.dirname(resolved)) !== folderParts[0]) {
    throw new Error(`Not a hand-off folder: ${folder}`);
  }
  if (!(await isRealFolderChain(resolved))) return [];
  const removed: string[] = [];
  for (const entry of await readdir(resolved, { withFileTypes: true })) {
    const subfolder = entry.isDirectory() && subfolderName.test(entry.name);
    if (!entry.isFile() && !subfolder) continue;
    const file = path.join(resolved, entry.name);
    const stats = await lstat(file).catch(() => null);
    if (stats === null || now - stats.mtimeMs <= olderThanMs) continue;
    if (subfolder ? !stats.isDirectory() : !stats.isFile()) continue;
    await rm(file, { force: true, recursive: subfolder });
    removed.push(file);
  }
  return removed;
}

/**
 * True when `Kurier` and `Outbox` of `<documents>/Kurier/Outbox` are both real folders (lstat, so a link
 * is not followed) and the folder's real path is theirs. The documents folder itself may be a link
 * (`~/Documents` on another disk is common).
 */
async function isRealFolderChain(outbox: string): Promise<boolean> {
  const kurier = path.dirname(outbox);
  for (const folder of [kurier, outbox]) {
    const info = await lstat(folder).catch(() => null);
    if (info === null || info.isSymbolicLink() || !info.isDirectory()) return false;
  }
  const [realOutbox, realDocuments] = await Promise.all([realpath(outbox), realpath(path.dirname(kurier))]).catch(() => [
    null,
    null,
  ]);
  return realOutbox !== null && realDocuments !== null && realOutbox === path.join(realDocuments, ...folderParts);
}
