/**
 * Every file Kurier writes for the user (PDFs, CSV exports, handover sheets) is a new file: never an
 * overwrite (a second one gets ` (2)`), written under a temporary name and renamed into place, so a full
 * disk or a crash never leaves half a file under the real name.
 */
import { access, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import { uniquePath } from './file-names';

/**
 * Writes `data` as a new file named like `fileName` in `folder` and returns its path. `mode` limits who
 * may read it (0o600 for files holding passwords). Throws `export.diskFull` or `export.folderNotWritable`.
 */
export async function writeNewFile(
  folder: string,
  fileName: string,
  data: Buffer | string,
  options: { readonly mode?: number } = {},
): Promise<string> {
  const target = await uniquePath(folder, fileName, (candidate) =>
    access(candidate).then(
      () => true,
      () => false,
    ),
  );
  const partial = path.join(folder, `.${path.basename(target)}.part`);
  try {
    await writeFile(partial, data, { flag: 'wx', ...(options.mode !== undefined ? { mode: options.mode } : {}) });
    await rename(partial, target);
    return path.resolve(target);
  } catch (error) {
    await rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new KurierError('export.diskFull', {}, { cause: error });
    // EACCES, EPERM and EROFS are the usual answers; special file systems (/proc, some network
    // shares) refuse with others, and for the user each means the same: pick another folder.
    if (typeof code === 'string') throw new KurierError('export.folderNotWritable', { folder, reason: code }, { cause: error });
    throw error;
  }
}
