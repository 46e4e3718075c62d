/**
 * Files the page read (drag and drop, the browser's file picker), handed to main in parts: `uploads:begin`
 * with the name and size, then `uploads:part` for every 512 KiB in order. Main answers with an upload id
 * that stands for the file in `imports:planFiles` and `attachments:addFiles`. No call carries a whole file,
 * so a file of any size up to the import limit fits the web shell's WebSocket frames; in Electron the same
 * calls go over IPC.
 */
import type { Result } from '../shared/errors';
import { maxImportFileBytes } from '../shared/imports';
import { uploadPartBytes } from '../shared/uploads';
import { kurier } from './kurier';

/** Bytes handed over so far of all bytes to hand over. */
export type UploadProgress = (sent: number, total: number) => void;

function toBase64(bytes: Uint8Array): string {
  // In slices: String.fromCharCode with a whole part would overflow the argument limit.
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

/** Uploads one file; `onPart` hears the bytes of each part main took. */
async function uploadFile(file: File, onPart: (bytes: number) => void): Promise<Result<string>> {
  const begun = await kurier.uploads.begin({ name: file.name, size: file.size });
  if (!begun.ok) return begun;
  const { uploadId } = begun.value;
  for (let index = 0, offset = 0; offset < file.size; index++, offset += uploadPartBytes) {
    // Read part by part: the page never holds the whole file as Base64.
    const part = new Uint8Array(await file.slice(offset, offset + uploadPartBytes).arrayBuffer());
    const sent = await kurier.uploads.part({ uploadId, index, base64: toBase64(part) });
    if (!sent.ok) {
      void kurier.uploads.cancel({ uploadId });
      return sent;
    }
    onPart(part.length);
  }
  return { ok: true, value: uploadId };
}

/** Uploads files one after another; on the first failure the ones already uploaded are cancelled. */
export async function uploadFiles(files: readonly File[], onProgress?: UploadProgress): Promise<Result<string[]>> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let sent = 0;
  const ids: string[] = [];
  for (const file of files) {
    const uploaded = await uploadFile(file, (bytes) => {
      sent += bytes;
      onProgress?.(sent, total);
    });
    if (!uploaded.ok) {
      for (const uploadId of ids) void kurier.uploads.cancel({ uploadId });
      return uploaded;
    }
    ids.push(uploaded.value);
  }
  return { ok: true, value: ids };
}

/**
 * Files the user dropped or picked for import, uploaded. A file over the import limit is not read: main
 * gets only its name and size, and the preview gives the reason as for every other way in.
 */
export async function uploadFilesForImport(
  files: readonly File[],
  onProgress?: UploadProgress,
): Promise<Result<({ uploadId: string } | { name: string; size: number })[]>> {
  const readable = files.filter((file) => file.size <= maxImportFileBytes);
  const uploaded = await uploadFiles(readable, onProgress);
  if (!uploaded.ok) return uploaded;
  const ids = uploaded.value;
  let next = 0;
  return {
    ok: true,
    value: files.map((file) =>
      file.size > maxImportFileBytes ? { name: file.name, size: file.size } : { uploadId: ids[next++] ?? '' },
    ),
  };
}
