import { maxImportFileBytes } from '../shared/imports';

/** One file the page read, as main takes it: its name and content in Base64. */
async function readAsBase64(file: File): Promise<{ name: string; base64: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // In slices: String.fromCharCode with a whole large file would overflow the argument limit.
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return { name: file.name, base64: btoa(binary) };
}

/** Files the page read, sent to main as Base64 (the web shell's way in; extra attachments use it too). */
export async function readFilesAsBase64(files: readonly File[]): Promise<{ name: string; base64: string }[]> {
  return Promise.all(files.map(readAsBase64));
}

/**
 * Files the user dropped or picked for import. A file over the import limit is not read: main gets only
 * its size, and the preview gives the reason as for every other way in.
 */
export async function readFilesForImport(
  files: readonly File[],
): Promise<({ name: string; base64: string } | { name: string; size: number })[]> {
  return Promise.all(
    files.map((file) =>
      file.size > maxImportFileBytes ? Promise.resolve({ name: file.name, size: file.size }) : readAsBase64(file),
    ),
  );
}
