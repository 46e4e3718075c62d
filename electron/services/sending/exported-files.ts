/**
 * What this session exported, as far as sending needs to know: the e-invoice written beside each PDF
 * (handed to mail programs with it) and the PDFs whose SMTP copy certainly failed, which the dialog may
 * hand to a mail program instead without exporting again. A window cannot name another file.
 */
import type { CompanionFile } from '../export/export-service';

/** How many exported files the dialog's hand-off fallback may still refer to. */
const remembered = 200;

/** The session's exported files (newest {@link remembered} of each kind). */
export class ExportedFiles {
  /** Files whose SMTP copy failed: path → document. */
  readonly #fallback = new Map<string, number>();
  readonly #companions = new Map<string, CompanionFile | undefined>();

  /** Records the PDF at `filePath` and the e-invoice written beside it (if any). */
  exported(filePath: string, companion: CompanionFile | undefined): void {
    keepNewest(this.#companions, filePath, companion);
  }

  /** The e-invoice written beside the PDF at `filePath`. */
  companionOf(filePath: string): CompanionFile | undefined {
    return this.#companions.get(filePath);
  }

  /** The SMTP copy of `filePath` certainly did not go out: a mail program may take it instead. */
  allowFallback(filePath: string, documentId: number): void {
    keepNewest(this.#fallback, filePath, documentId);
  }

  /** Whether `filePath` is a PDF of `documentId` that {@link allowFallback} let through. */
  mayFallBack(filePath: string, documentId: number): boolean {
    return this.#fallback.get(filePath) === documentId;
  }
}

function keepNewest<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= remembered) break;
    map.delete(oldest);
  }
}
