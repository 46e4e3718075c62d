/**
 * Shows a file in the system's file manager (Explorer, Finder, the desktop's file manager), selected,
 * so the user can drag it into a mail program that could not take it as an attachment.
 */
import { shell } from 'electron';

/** Reveals `filePath`; the caller checked that Kurier wrote it. */
export function revealFile(filePath: string): Promise<boolean> {
  shell.showItemInFolder(filePath);
  return Promise.resolve(true);
}

/** Opens `filePath` (a PDF Kurier wrote) in the system's viewer; false when the system could not. */
export async function openFile(filePath: string): Promise<boolean> {
  // openPath answers with an error message, '' on success.
  return (await shell.openPath(filePath)) === '';
}
