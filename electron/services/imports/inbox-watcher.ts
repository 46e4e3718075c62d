/**
 * A company's watched folder ("zásobník"): the accounting program exports into it; Kurier imports each
 * new file and moves the original into `imported/` or `rejected/` (with `<name>.reason.txt` saying why).
 *
 * - New files are noticed by `fs.watch` and, because watching is unreliable on network shares and some
 *   file systems, by a poll as well; what arrived while Kurier was closed is found by the first scan.
 * - A file is read only once it is stable: its size and modification time unchanged for `stableMs`, so
 *   a file still being written by the exporter is never read half-way.
 * - A file over the import limit (`maxImportFileBytes`, the same for every way in) is not read at all.
 * - The original is never written to: it is read, then renamed into its sub-folder (the only change).
 * - A file whose SHA-256 the ledger already records as imported is not imported again: a crash between
 *   the import and the move only finishes the move on the next run.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { maxImportFileBytes } from '../../../shared/imports';
import type { Logger } from '../logging/logger';

/** A stable file ready to import. */
export interface InboxFile {
  readonly path: string;
  readonly name: string;
  readonly bytes: Buffer;
  readonly sha256: string;
}

/**
 * What became of one file; `reason` (and `note`, for a file imported only in part) is the translated
 * text written into the reason file.
 */
export type InboxOutcome =
  | { readonly status: 'imported'; readonly documentIds: readonly number[]; readonly note?: string }
  | { readonly status: 'rejected'; readonly reason: string };

/** What the watcher needs from the rest of Kurier. */
export interface InboxHandler {
  /** Whether a file with this hash was imported before (then it is only moved to `imported/`). */
  wasImported(sha256: string): boolean;
  /**
   * Imports one file. Must record the hash as imported in the same transaction as the import (so that
   * {@link wasImported} is true exactly when the documents exist), and must not throw for bad input:
   * bad input is a `rejected` outcome with its reason.
   */
  importFile(file: InboxFile): Promise<InboxOutcome>;
  /** The outcome for a file over the import limit, which is moved to `rejected/` without being read. */
  tooLarge(file: { readonly name: string; readonly size: number }): InboxOutcome;
  /** Called after each file has been moved. */
  onSettled?(file: { readonly name: string; readonly movedTo: string }, outcome: InboxOutcome): void;
}

/** Options of {@link InboxWatcher}. */
export interface InboxWatcherOptions {
  readonly folder: string;
  readonly handler: InboxHandler;
  readonly logger: Logger;
  /** How long size and mtime must stay unchanged; 2 s by default. */
  readonly stableMs?: number;
  /** The poll interval; 5 s by default. */
  readonly pollMs?: number;
}

/** Sub-folders the originals are moved into. */
export const importedFolder = 'imported';
export const rejectedFolder = 'rejected';

// Files an exporter is still writing or that are not exports: temporary names, Office lock files, our own
// reason files (in case someone copies one back).
function isCandidate(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('~$') && !/\.(tmp|part|crdownload|partial|reason\.txt)$/i.test(name);
}

/** Watches one folder; {@link start} begins, {@link stop} ends and waits for the file in hand. */
export class InboxWatcher {
  readonly #o: Required<Omit<InboxWatcherOptions, 'handler' | 'logger'>> & Pick<InboxWatcherOptions, 'handler' | 'logger'>;
  readonly #seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #scanQueued = false;
  #stopped = true;

  constructor(options: InboxWatcherOptions) {
    this.#o = { stableMs: 2_000, pollMs: 5_000, ...options };
  }

  /** The watched folder. */
  get folder(): string {
    return this.#o.folder;
  }

  /** Starts watching (creating the folder and its sub-folders if needed) and scans at once. */
  async start(): Promise<void> {
    await mkdir(path.join(this.#o.folder, importedFolder), { recursive: true });
    await mkdir(path.join(this.#o.folder, rejectedFolder), { recursive: true });
    this.#stopped = false;
    try {
      this.#watcher = watch(this.#o.folder, { persistent: false }, () => {
        this.#schedule();
      });
      this.#watcher.on('error', (error) => {
        // The poll keeps working; a watcher that fails (folder on a share that went away) is not retried.
        this.#o.logger.warn('inbox.watchFailed', { error: String(error) });
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch (error) {
      this.#o.logger.warn('inbox.watchUnavailable', { error: String(error) });
    }
    this.#timer = setInterval(() => {
      this.#schedule();
    }, this.#o.pollMs);
    this.#timer.unref();
    this.#schedule();
  }

  /** Stops watching and waits for the file being imported, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcher = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** Scans now and resolves when every file that was stable during that scan is settled (tests, "check now"). */
  async scanNow(): Promise<void> {
    this.#schedule();
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped || this.#scanQueued) return;
    this.#scanQueued = true;
    this.#running = this.#running
      .then(() => {
        this.#scanQueued = false;
        return this.#scan();
      })
      .catch((error: unknown) => {
        this.#o.logger.error('inbox.scanFailed', { error: String(error) });
      });
  }

  async #scan(): Promise<void> {
    const entries = await readdir(this.#o.folder, { withFileTypes: true });
    const now = Date.now();
    const present = new Set<string>();
    let waiting = false;
    for (const entry of entries) {
      if (this.#stopped) return;
      if (!entry.isFile() || !isCandidate(entry.name)) continue;
      present.add(entry.name);
      const full = path.join(this.#o.folder, entry.name);
      const info = await stat(full).catch(() => null);
      if (!info) continue;
      const previous = this.#seen.get(entry.name);
      if (!previous || previous.size !== info.size || previous.mtimeMs !== info.mtimeMs) {
        this.#seen.set(entry.name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
        waiting = true;
        continue;
      }
      if (now - previous.since < this.#o.stableMs) {
        waiting = true;
        continue;
      }
      await this.#settle(full, entry.name, info.size);
      this.#seen.delete(entry.name);
    }
    for (const name of this.#seen.keys()) if (!present.has(name)) this.#seen.delete(name);
    // A file that is not stable yet is looked at again when it can be, not only at the next poll.
    if (waiting && !this.#stopped) {
      setTimeout(() => {
        this.#schedule();
      }, this.#o.stableMs + 20).unref();
    }
  }

  async #settle(full: string, name: string, size: number): Promise<void> {
    const { handler, logger } = this.#o;
    if (size > maxImportFileBytes) {
      await this.#move(full, name, handler.tooLarge({ name, size }));
      return;
    }
    const bytes = await readFile(full);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let outcome: InboxOutcome;
    if (handler.wasImported(sha256)) {
      outcome = { status: 'imported', documentIds: [] };
      logger.info('inbox.alreadyImported', { file: name });
    } else {
      try {
        outcome = await handler.importFile({ path: full, name, bytes, sha256 });
      } catch (error) {
        // An unexpected failure (database locked, disk gone) leaves the file where it is, to be tried
        // again by the next scan: moving it to rejected/ would tell the user the file was bad.
        logger.error('inbox.importFailed', { file: name, error: String(error) });
        return;
      }
    }
    await this.#move(full, name, outcome);
  }

  /** Moves the original into `imported/` or `rejected/`, with its reason file when there is something to say. */
  async #move(full: string, name: string, outcome: InboxOutcome): Promise<void> {
    const { handler, logger } = this.#o;
    const targetFolder = path.join(this.#o.folder, outcome.status === 'imported' ? importedFolder : rejectedFolder);
    const target = await freeName(targetFolder, name);
    const reason = outcome.status === 'rejected' ? outcome.reason : outcome.note;
    if (reason !== undefined && reason !== '')
      await writeFile(`${target}.reason.txt`, `${reason}\n`, { encoding: 'utf8', flag: 'wx' });
    await rename(full, target);
    logger.info('inbox.settled', { file: name, status: outcome.status });
    handler.onSettled?.({ name, movedTo: target }, outcome);
  }
}

/** `folder/name`, or `folder/name (2).ext`… when a file of that name was moved there before. */
async function freeName(folder: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, n === 1 ? name : `${base} (${String(n)})${ext}`);
    const taken = await stat(candidate).then(
      () => true,
      () => false,
    );
    const reasonTaken = await stat(`${candidate}.reason.txt`).then(
      () => true,
      () => false,
    );
    if (!taken && !reasonTaken) return candidate;
  }
}
