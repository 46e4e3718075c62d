/**
 * Files the page hands to main in parts (drag and drop, the browser's file picker): one call begins an
 * upload with the file's name and size, each part follows in order, and the finished upload's id then
 * stands for the file wherever the page used to send its bytes (`imports:planFiles`,
 * `attachments:addFiles`). No call carries more than one part, so no file is too large for the web
 * shell's WebSocket frames (1 MiB); Electron takes the same way, the page does not know which it runs in.
 */
import { z } from 'zod';
import { maxImportFileBytes } from './imports';

/** The largest part of a file in one call (Base64 makes it 4/3 as long, well under a 1 MiB frame). */
export const uploadPartBytes = 512 * 1024;
/** The largest file the page hands over: the import limit, which is also beyond any message's attachments. */
export const maxUploadBytes = maxImportFileBytes;

/** An upload begun: the file's name and its whole size, which its parts may not exceed. */
export const uploadBeginSchema = z.object({
  name: z.string().min(1).max(255),
  size: z.number().int().min(0).max(maxUploadBytes, { message: 'tooLarge' }),
});

/** One part of an upload, in order from 0. */
export const uploadPartSchema = z.object({
  uploadId: z.uuid(),
  index: z
    .number()
    .int()
    .min(0)
    .max(Math.ceil(maxUploadBytes / uploadPartBytes)),
  // Base64 of at most uploadPartBytes (4 characters per 3 bytes, padded).
  // Checked as Base64: Buffer.from would silently drop other characters and the file would arrive changed.
  base64: z
    .string()
    .max(Math.ceil(uploadPartBytes / 3) * 4)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
});

/** A file the page uploaded, named by its upload. */
export const uploadedFileSchema = z.object({ uploadId: z.uuid() });
