/**
 * The import button's way in (issue 15): sorts the chosen or dropped files — ISDOC and KSeF files (and
 * PDFs carrying an ISDOC) go to the document plan of {@link ImportService}; partner lists (`.csv`) and
 * PDFs without an ISDOC (payroll) are kept here, under a random id, for their own previews
 * (`partner-desk.ts`, `payroll-desk.ts`). Kept files are few and short-lived: the oldest go first.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportChoice, StagedFile } from '../../../shared/import-desk';
import { maxImportFileBytes, type ImportBytes } from '../../../shared/imports';
import { ImportRejection } from './import-error';
import { expandImportPaths, type ImportService, type PlanOptions } from './import-service';
import type { PayrollAnalysis } from './payroll-import';
import { readEmbeddedIsdoc } from './pdf-reader';

/** At most this many files are kept for previews (a folder of payslips counts one per employee). */
const maxStaged = 600;
/** Taken from a chosen folder; other files there are left alone. */
const importable = /\.(isdoc|isdocx|xml|pdf|csv)$/i;

/** A file kept for a preview. */
export interface StagedSource {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The pages' text, read once when the payroll preview first needs it. */
  analysis?: PayrollAnalysis['files'][number] | undefined;
}

/** Keeps the files the partner and payroll previews work on. */
export class ImportStaging {
  readonly #files = new Map<string, StagedSource>();

  /** Keeps a file; returns its id. */
  add(name: string, bytes: Uint8Array): StagedFile {
    const sourceId = randomUUID();
    this.#files.set(sourceId, { name, bytes });
    for (const key of this.#files.keys()) {
      if (this.#files.size <= maxStaged) break;
      this.#files.delete(key);
    }
    return { sourceId, name };
  }

  /** The kept file, or undefined when it is unknown (imported already, or too old). */
  get(sourceId: string): StagedSource | undefined {
    return this.#files.get(sourceId);
  }

  /** Forgets files after they were imported. */
  drop(sourceIds: readonly string[]): void {
    for (const id of sourceIds) this.#files.delete(id);
  }
}

type Kind = 'document' | 'partners' | 'payroll';

/** What a file is, by its name and, for a PDF, by whether it carries an ISDOC. */
async function kindOf(name: string, bytes: Uint8Array): Promise<Kind> {
  if (/\.csv$/i.test(name)) return 'partners';
  if (!Buffer.from(bytes.subarray(0, 5)).equals(Buffer.from('%PDF-'))) return 'document';
  try {
    await readEmbeddedIsdoc(bytes);
    return 'document';
  } catch (error) {
    // An encrypted or damaged PDF stays with the document plan, which says so in the preview.
    return error instanceof ImportRejection && error.code === 'pdfNoIsdoc' ? 'payroll' : 'document';
  }
}

/** Sorts chosen files into the document plan and the kept partner and payroll files. */
export class ImportDesk {
  readonly #imports: ImportService;
  readonly staging = new ImportStaging();

  constructor(imports: ImportService) {
    this.#imports = imports;
  }

  /** Files the page read. */
  async planBytes(files: readonly ImportBytes[], options: PlanOptions = {}): Promise<ImportChoice> {
    const documents: ImportBytes[] = [];
    const partnerFiles: StagedFile[] = [];
    const payrollFiles: StagedFile[] = [];
    for (const file of files) {
      const name = path.basename(file.name);
      // Too large (or not read by the page at all): the document planner gives the reason.
      if (!('bytes' in file) || file.bytes.byteLength > maxImportFileBytes) {
        documents.push(file);
        continue;
      }
      const kind = await kindOf(name, file.bytes);
      if (kind === 'partners') partnerFiles.push(this.staging.add(name, file.bytes));
      else if (kind === 'payroll') payrollFiles.push(this.staging.add(name, file.bytes));
      else documents.push(file);
    }
    const plan = await this.#imports.planBytes(documents, options);
    return { ...plan, partnerFiles, payrollFiles };
  }

  /** Files and folders chosen in the native picker (a folder: its importable files, sorted by name). */
  async planPaths(paths: readonly string[], options: PlanOptions = {}): Promise<ImportChoice> {
    const documents: string[] = [];
    const partnerFiles: StagedFile[] = [];
    const payrollFiles: StagedFile[] = [];
    for (const filePath of await expandImportPaths(paths, importable)) {
      const info = await stat(filePath).catch(() => null);
      // Too large, unreadable or not a file: the document planner gives the reason.
      if (!info?.isFile() || info.size > maxImportFileBytes || !/\.(csv|pdf)$/i.test(filePath)) {
        documents.push(filePath);
        continue;
      }
      const bytes = new Uint8Array(await readFile(filePath));
      const name = path.basename(filePath);
      const kind = await kindOf(name, bytes);
      if (kind === 'partners') partnerFiles.push(this.staging.add(name, bytes));
      else if (kind === 'payroll') payrollFiles.push(this.staging.add(name, bytes));
      else documents.push(filePath);
    }
    const plan = await this.#imports.planPaths(documents, options);
    return { ...plan, partnerFiles, payrollFiles };
  }
}
