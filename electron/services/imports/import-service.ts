/**
 * Imports as the app, the web shell and the command line use them: `plan` reads and matches files (from
 * paths — files or folders — or from bytes the page read) and keeps the plan in memory under a random id;
 * `commit` writes it and forgets it. Plans are few and short-lived: at most {@link maxPlans} are kept.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { CompanyRecord } from '../../../shared/domain';
import {
  maxImportFileBytes,
  tooLargeDetails,
  type ImportBytes,
  type ImportPlan,
  type ImportResult,
} from '../../../shared/imports';
import type { DocumentRepository } from '../documents/document-repository';
import { commitPlan } from './import-commit';
import { ImportRejection } from './import-error';
import { planFile, rejectedFile, type PlannedFile } from './import-plan';
import { readImportFile, type ReadOptions } from './read-file';

const maxPlans = 8;

/** A file of a plan, as it can be read again when the user re-plans it with a KSeF number. */
interface PlanSource {
  readonly name: string;
  readonly load: () => Promise<Uint8Array>;
}
/** Extensions taken from a folder; other files there (reason files, notes) are left alone. */
const importable = /\.(isdoc|isdocx|xml|pdf)$/i;

/** Plan options. */
export interface PlanOptions extends ReadOptions {
  /** Only documents issued by this company are accepted. */
  readonly company?: CompanyRecord | undefined;
}

/** Collaborators of {@link ImportService}. */
export interface ImportServiceOptions {
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly clock: () => Date;
}

/** Plans and commits imports. */
export class ImportService {
  readonly #o: ImportServiceOptions;
  readonly #plans = new Map<
    string,
    { readonly planned: readonly PlannedFile[]; readonly sources: readonly PlanSource[]; readonly options: PlanOptions }
  >();

  constructor(options: ImportServiceOptions) {
    this.#o = options;
  }

  /** Plans files given as bytes (drag and drop, a file input); one the page did not read is refused by its size. */
  async planBytes(files: readonly ImportBytes[], options: PlanOptions = {}): Promise<ImportPlan> {
    return this.#plan(
      files.map((file) => ({
        name: path.basename(file.name),
        load: () =>
          'bytes' in file
            ? Promise.resolve(file.bytes)
            : Promise.reject(new ImportRejection('tooLarge', tooLargeDetails(file.size))),
      })),
      options,
    );
  }

  /** Plans files and folders (a folder: its importable files, sorted by name, not recursing). */
  async planPaths(paths: readonly string[], options: PlanOptions = {}): Promise<ImportPlan> {
    const files = await expandImportPaths(paths);
    return this.#plan(
      files.map((filePath) => ({
        name: path.basename(filePath),
        load: async () => {
          const info = await stat(filePath);
          // Refused before reading, so a huge file never fills memory.
          if (info.size > maxImportFileBytes) throw new ImportRejection('tooLarge', tooLargeDetails(info.size));
          return new Uint8Array(await readFile(filePath));
        },
      })),
      options,
    );
  }

  /**
   * Plans the files of an earlier plan again with the KSeF number the user typed in the preview (for a
   * single FA file whose name carries none); the earlier plan is forgotten.
   * @throws ImportRejection `unreadable` when the plan is unknown (committed already, or too old).
   */
  async replan(planId: string, ksefNumber: string): Promise<ImportPlan> {
    const earlier = this.#plans.get(planId);
    if (earlier === undefined) throw new ImportRejection('unreadable', { planId });
    this.#plans.delete(planId);
    return this.#plan(earlier.sources, { ...earlier.options, ksefNumber });
  }

  /**
   * Commits a plan made before; `createCompanies` creates the issuing companies Kurier does not know.
   * @throws ImportRejection `unreadable` when the plan is unknown (committed already, or too old).
   */
  commit(planId: string, createCompanies: boolean): ImportResult {
    const plan = this.#plans.get(planId);
    if (plan === undefined) throw new ImportRejection('unreadable', { planId });
    this.#plans.delete(planId);
    const items = commitPlan({ ...this.#o, createCompanies }, plan.planned);
    return {
      items,
      imported: items.filter((item) => item.status === 'imported').length,
      rejected: items.filter((item) => item.status === 'rejected').length,
    };
  }

  async #planOne(
    fileName: string,
    load: () => Promise<Uint8Array>,
    options: PlanOptions,
    seen: Set<string>,
  ): Promise<PlannedFile> {
    try {
      const read = await readImportFile(fileName, await load(), options);
      return planFile({ documents: this.#o.documents, company: options.company }, fileName, read, seen);
    } catch (error) {
      if (error instanceof ImportRejection) return rejectedFile(fileName, error);
      if (isFsError(error)) return rejectedFile(fileName, new ImportRejection('unreadable', { problem: error.code }));
      throw error;
    }
  }

  async #plan(sources: readonly PlanSource[], options: PlanOptions): Promise<ImportPlan> {
    const seen = new Set<string>();
    const planned: PlannedFile[] = [];
    for (const source of sources) planned.push(await this.#planOne(source.name, source.load, options, seen));
    const planId = randomUUID();
    this.#plans.set(planId, { planned, sources, options });
    for (const key of this.#plans.keys()) {
      if (this.#plans.size <= maxPlans) break;
      this.#plans.delete(key);
    }
    return { planId, items: planned.map((file) => file.view) };
  }
}

/**
 * The files that `paths` name: a file as it is, a folder as its files whose names match `accepted`, sorted
 * by name, without recursing (the import desk passes a wider pattern that includes partner lists).
 */
export async function expandImportPaths(paths: readonly string[], accepted: RegExp = importable): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(given, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && accepted.test(entry.name))
        .map((entry) => path.join(given, entry.name))
        .sort();
      files.push(...names);
    } else {
      files.push(given);
    }
  }
  return files;
}

function isFsError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
