/**
 * The scripts Kurier ships (PowerShell for Outlook, AppleScript for Mail) are constants in the code, so
 * plain Node has them without an asar or a resources folder. The interpreters want a file: this writes
 * the constant once under a fixed name and rewrites it only when its content differs (an older Kurier's
 * script, or one changed by someone else).
 */
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeNewFile } from '../files/new-file';

/**
 * Makes `folder/fileName` hold exactly `text` (UTF-8, no BOM) and returns its absolute path. The new
 * content is written as a new file and renamed over the old one, so an interpreter never reads half a
 * script. Throws `export.folderNotWritable` or `export.diskFull`.
 */
export async function ensureScriptFile(folder: string, fileName: string, text: string): Promise<string> {
  const target = path.resolve(folder, fileName);
  const current = await readFile(target, 'utf8').catch(() => null);
  if (current === text) return target;
  const written = await writeNewFile(folder, fileName, text);
  if (written !== target) await rename(written, target);
  return target;
}
