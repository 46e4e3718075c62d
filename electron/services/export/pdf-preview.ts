/**
 * "Open PDF" in the document list: the document exactly as an export would write it (the imported
 * original when it came with one, else rendered), into Kurier's own preview folder — never the user's
 * export folder, so looking at a document leaves no file behind there. Earlier previews are removed
 * first (one a viewer still holds open stays until the next time).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ExportService } from './export-service';

/** A preview written to disk. */
export interface PdfPreviewFile {
  readonly filePath: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** Writes previews of documents into `folder`. */
export class PdfPreview {
  readonly #exporter: Pick<ExportService, 'exportFile'>;
  readonly #folder: string;

  constructor(exporter: Pick<ExportService, 'exportFile'>, folder: string) {
    this.#exporter = exporter;
    this.#folder = folder;
  }

  /** Renders the document's PDF into the preview folder and returns it. */
  async render(documentId: number): Promise<PdfPreviewFile> {
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.#folder))
      await rm(path.join(this.#folder, name), { force: true }).catch(() => undefined);
    // A preview is no export: nothing recorded (a payslip's export history), reported or logged as one.
    const exported = await this.#exporter.exportFile(documentId, this.#folder, { preview: true });
    if (exported.companion) await rm(exported.companion.path, { force: true }).catch(() => undefined);
    return { filePath: exported.filePath, fileName: exported.fileName, bytes: await readFile(exported.filePath) };
  }
}
