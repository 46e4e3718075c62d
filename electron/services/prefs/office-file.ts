/**
 * The office (global) preferences file, read asynchronously and cached. It is read once, then again only
 * when it changes: a watch on its folder says so at once where the system can tell (a local disk), and a
 * poll of its size, time and inode catches what a network share does not report. A read that does not
 * answer in time (a share that hangs) keeps the last good copy and says so; while it still hangs, no
 * second read is started — each would hold one of the few threads Node's file I/O runs on.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GlobalPrefs, PrefsView } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import { withDeadline } from '../time/deadline';
import { NotAnswering, PrefsFile, type PrefsFileSpec } from './prefs-file';
import { globalPrefsDir, globalPrefsSpec, userPrefsSpec } from './prefs-files';

/** Where the office file is and how it was chosen. */
export type OfficeSource = PrefsView['globalLocation']['source'];

/** What the office file needs. */
export interface OfficeFileOptions {
  readonly logger: Logger;
  readonly clock: () => Date;
  /** How long one look at the file may take (5 s by default). */
  readonly timeoutMs?: number;
  /** How often the file is looked at besides the watch (10 s by default). */
  readonly pollMs?: number;
  /** A new copy was read (the service records its recovery, if any, and tells whoever listens). */
  readonly changed: (file: PrefsFile<GlobalPrefs>) => void;
}

/** What one read of the office file gave: its text (null: unreadable, with why), or null when there is no file. */
export type OfficeRead = { readonly text: string | null; readonly error?: unknown } | null;

/**
 * The office file as read at start-up, before the services are made ({@link readOfficeAtStart}): what
 * it said, or — when it did not answer in time — the read still under way (the cache takes it over, so
 * no second read is started while it hangs, and uses what it gives as soon as it answers).
 */
export interface OfficeStart {
  readonly spec: PrefsFileSpec<GlobalPrefs>;
  readonly source: OfficeSource;
  readonly outcome:
    { readonly answered: true; readonly read: OfficeRead } | { readonly answered: false; readonly reading: Promise<OfficeRead> };
}

/**
 * Reads the office file where the user's preferences put it, within `timeoutMs` (5 s by default, as
 * each later look), so that a share that hangs at start-up cannot freeze the app before any window
 * shows. The user file is local; it is only peeked at here (the service reads and repairs it).
 */
export async function readOfficeAtStart(options: {
  readonly dataDir: string;
  readonly machinePrefsDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}): Promise<OfficeStart> {
  const user = await PrefsFile.peek(userPrefsSpec(options.dataDir));
  const { dir, source } = globalPrefsDir(user, options.env, options.machinePrefsDir);
  const spec = globalPrefsSpec(dir, source === 'machine');
  const reading = readOffice(spec.filePath);
  try {
    const read = await withDeadline(reading, options.timeoutMs ?? 5_000, { onTimeout: () => new NotAnswering(spec.filePath) });
    return { spec, source, outcome: { answered: true, read } };
  } catch (error) {
    if (!(error instanceof NotAnswering)) throw error;
    return { spec, source, outcome: { answered: false, reading } };
  }
}

/** Reads the office file's text; never rejects. */
function readOffice(filePath: string): Promise<OfficeRead> {
  return readFile(filePath, 'utf8').then(
    (text): OfficeRead => ({ text }),
    (error: unknown): OfficeRead => ((error as NodeJS.ErrnoException).code === 'ENOENT' ? null : { text: null, error }),
  );
}

/** The office file as a read gave it: the defaults when there is none; an unreadable one is reported. */
export function officeFileFrom(
  spec: PrefsFileSpec<GlobalPrefs>,
  read: OfficeRead,
  io: { readonly logger: Logger; readonly clock: () => Date },
): PrefsFile<GlobalPrefs> {
  if (read === null) return PrefsFile.defaults(spec);
  if (read.text === null) io.logger.warn('prefsUnreadable', { file: 'global', filePath: spec.filePath, error: read.error });
  return PrefsFile.fromText(spec, read.text, io);
}

/** The cached office file. */
export class OfficeFile {
  readonly #o: OfficeFileOptions;
  #file: PrefsFile<GlobalPrefs>;
  #source: OfficeSource;
  /** Size, time and inode of the copy read last; null: not known (read again). */
  #stamp: string | null = null;
  #notAnswering: Date | null = null;
  /** The look under way: callers share it. */
  #looking: Promise<void> | null = null;
  /** A read that did not answer and still hangs. */
  #hung: Promise<unknown> | null = null;
  #watcher: FSWatcher | null = null;
  #watchedDir: string | null = null;
  #poll: NodeJS.Timeout | undefined;
  /** False while the file has not answered once since start-up (its defaults stand in for it). */
  #answered = true;
  #closed = false;

  /**
   * `initial.reading`: the start-up read did not answer in time (`file` holds the defaults); it is kept
   * as the hung read, and what it gives is used as soon as it answers.
   */
  constructor(
    initial: {
      file: PrefsFile<GlobalPrefs>;
      source: OfficeSource;
      reading?: { readonly spec: PrefsFileSpec<GlobalPrefs>; readonly read: Promise<OfficeRead> };
    },
    options: OfficeFileOptions,
  ) {
    this.#o = options;
    this.#file = initial.file;
    this.#source = initial.source;
    if (initial.reading) this.#awaitStart(initial.reading);
  }

  /** Whether the file has answered since start-up; until then its values are the defaults, not the office's. */
  get answered(): boolean {
    return this.#answered;
  }

  /** The last good copy. */
  get file(): PrefsFile<GlobalPrefs> {
    return this.#file;
  }

  get source(): OfficeSource {
    return this.#source;
  }

  /** Since when the file has not answered (its last good copy is in use); null while it answers. */
  get notAnsweringSince(): Date | null {
    return this.#notAnswering;
  }

  /**
   * Looks at the file at `spec` (the office file may have moved: a new share folder) and reads it when
   * it changed. Resolves within the timeout whatever the share does.
   */
  refresh(spec: PrefsFileSpec<GlobalPrefs>, source: OfficeSource): Promise<void> {
    this.#looking ??= this.#look(spec, source).finally(() => {
      this.#looking = null;
    });
    return this.#looking;
  }

  /** Watches the file's folder and polls it, reading it again when it changes. */
  watch(spec: () => { spec: PrefsFileSpec<GlobalPrefs>; source: OfficeSource }): void {
    const again = () => {
      const { spec: current, source } = spec();
      this.#watchFolder(path.dirname(current.filePath), again);
      this.refresh(current, source).catch((error: unknown) => {
        this.#o.logger.warn('officePrefsRefreshFailed', { error });
      });
    };
    this.#watchFolder(path.dirname(spec().spec.filePath), again);
    clearInterval(this.#poll);
    this.#poll = setInterval(again, this.#o.pollMs ?? 10_000);
    this.#poll.unref();
  }

  /** Stops watching. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
    this.#watcher?.close();
    this.#watcher = null;
    this.#watchedDir = null;
  }

  async #look(spec: PrefsFileSpec<GlobalPrefs>, source: OfficeSource): Promise<void> {
    const timeoutMs = this.#o.timeoutMs ?? 5_000;
    const moved = spec.filePath !== this.#file.filePath;
    if (this.#hung !== null && !moved) {
      this.#stillNotAnswering(spec.filePath);
      return;
    }
    try {
      const stamp = await withDeadline(stampOf(spec.filePath), timeoutMs, { onTimeout: () => new NotAnswering(spec.filePath) });
      if (!moved && stamp === this.#stamp && this.#stamp !== null) {
        this.#notAnswering = null;
        return;
      }
      const reading = readOffice(spec.filePath);
      this.#hung = reading;
      const read = await withDeadline(reading, timeoutMs, { onTimeout: () => new NotAnswering(spec.filePath) });
      this.#hung = null;
      this.#take(spec, source, read, stamp);
    } catch (error) {
      if (!(error instanceof NotAnswering)) throw error;
      // The hung read is forgotten only once it ends (a share may answer after minutes).
      const hung = this.#hung;
      hung
        ?.finally(() => {
          if (this.#hung === hung) this.#hung = null;
        })
        .catch(() => undefined);
      this.#stillNotAnswering(spec.filePath);
    }
  }

  /** A read answered: its copy is the one in use from now on. */
  #take(spec: PrefsFileSpec<GlobalPrefs>, source: OfficeSource, read: OfficeRead, stamp: string | null): void {
    // No file (yet): the defaults; an unreadable one is reported like at start-up.
    this.#file = officeFileFrom(spec, read, { logger: this.#o.logger, clock: this.#o.clock });
    this.#source = source;
    this.#stamp = stamp;
    this.#notAnswering = null;
    this.#answered = true;
    this.#o.changed(this.#file);
  }

  /** The start-up read hangs: it is the hung read, and its copy is taken when it answers (unless the file moved meanwhile). */
  #awaitStart(reading: { readonly spec: PrefsFileSpec<GlobalPrefs>; readonly read: Promise<OfficeRead> }): void {
    this.#answered = false;
    this.#hung = reading.read;
    this.#stillNotAnswering(reading.spec.filePath);
    const defaults = this.#file;
    reading.read
      .then((read) => {
        if (this.#hung !== reading.read) return;
        this.#hung = null;
        // Not stamped: the next look reads it again (it may have changed while the read hung).
        if (!this.#closed && this.#file === defaults) this.#take(reading.spec, this.#source, read, null);
      })
      .catch((error: unknown) => {
        this.#o.logger.warn('officePrefsRefreshFailed', { error });
      });
  }

  #stillNotAnswering(filePath: string): void {
    if (this.#notAnswering === null) {
      this.#notAnswering = this.#o.clock();
      this.#o.logger.warn('officePrefsNotAnswering', { filePath });
    }
  }

  #watchFolder(dir: string, again: () => void): void {
    if (this.#watchedDir === dir) return;
    this.#watcher?.close();
    this.#watcher = null;
    this.#watchedDir = dir;
    try {
      // The folder, not the file: a save replaces the file (rename), which a watch on it would lose.
      this.#watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name === path.basename(this.#file.filePath)) again();
      });
      this.#watcher.on('error', () => {
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch {
      // No folder yet, or a share that cannot be watched: the poll still looks.
      this.#watcher = null;
    }
  }
}

/** Size, modification time and inode: what changes when the file is saved or replaced. */
async function stampOf(filePath: string): Promise<string | null> {
  try {
    const info = await stat(filePath, { bigint: true });
    return `${String(info.size)}:${String(info.mtimeNs)}:${String(info.ino)}`;
  } catch {
    return 'missing';
  }
}
