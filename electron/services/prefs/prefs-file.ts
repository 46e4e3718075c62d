/**
 * One versioned preferences file: `{ "version": n, "prefs": {…} }`, validated with a shared schema on
 * every read and write, migrated forward from older versions, written atomically (a temporary file in
 * the same folder, flushed, then renamed over the old one, so a crash mid-save leaves the old file).
 *
 * A user file that is not JSON, not valid preferences (unknown keys included), or from a newer Kurier
 * is moved aside as `<name>.invalid-<time>.json` and reported; Kurier then starts with defaults for this
 * file only. The office (global) file is never moved — it is shared, and an older Kurier must not take
 * it away from everyone — nor is a file that cannot be read at all: both are reported and left as they
 * are. Nothing is silently dropped.
 *
 * Unlike `conf`, opening never creates or writes anything: the global file's folder may not exist or
 * may be read-only for this user, and reading it must still work.
 */
import { constants, existsSync, readFileSync, renameSync } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { KurierError } from '../../../shared/errors';
import type { PrefsRecovery } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import { withDeadline } from '../time/deadline';

/** Turns the `prefs` of version n into those of version n + 1. */
export type PrefsMigration = (prefs: Record<string, unknown>) => Record<string, unknown>;

/** What a preferences file is. */
export interface PrefsFileSpec<T> {
  readonly kind: PrefsRecovery['file'];
  readonly filePath: string;
  /** The version written now. */
  readonly version: number;
  /** Validates (and fills defaults into) the `prefs` object of the current version. */
  readonly schema: z.ZodType<T>;
  /** `migrations[n]` upgrades version n to n + 1; every version below `version` needs one. */
  readonly migrations: Readonly<Record<number, PrefsMigration>>;
  /** File mode for new files: 0o600 for a user's own, 0o644 for the office-wide file. */
  readonly mode: number;
  /** Whether saving may create the folder (not for a share: a missing one is not connected). */
  readonly createFolder: boolean;
}

/** A preferences file, read once at opening and rewritten on each save. */
export class PrefsFile<T> {
  readonly filePath: string;
  readonly recovery: PrefsRecovery | null;
  readonly #spec: PrefsFileSpec<T>;
  #value: T;

  private constructor(spec: PrefsFileSpec<T>, value: T, recovery: PrefsRecovery | null) {
    this.#spec = spec;
    this.filePath = spec.filePath;
    this.#value = value;
    this.recovery = recovery;
  }

  /** Reads the file (repairing what cannot be read) without writing anything else. Start-up only. */
  static open<T>(spec: PrefsFileSpec<T>, options: { readonly logger: Logger; readonly clock: () => Date }): PrefsFile<T> {
    if (!existsSync(spec.filePath)) return new PrefsFile(spec, spec.schema.parse({}), null);
    let text: string | null = null;
    try {
      text = readFileSync(spec.filePath, 'utf8');
    } catch (error) {
      options.logger.warn('prefsUnreadable', { file: spec.kind, filePath: spec.filePath, error });
    }
    return PrefsFile.fromText(spec, text, options);
  }

  /**
   * What the file says, or the defaults when it is missing or cannot be used — without reporting or
   * repairing anything ({@link open} does that). For a local file only: it is read without a deadline.
   */
  static async peek<T>(spec: PrefsFileSpec<T>): Promise<T> {
    const text = await readFile(spec.filePath, 'utf8').catch(() => null);
    const read: ReadOutcome<T> = text === null ? { reason: 'unreadable' } : readPrefs(spec, text);
    return 'value' in read ? read.value : spec.schema.parse({});
  }

  /** A file that does not exist: the defaults. */
  static defaults<T>(spec: PrefsFileSpec<T>): PrefsFile<T> {
    return new PrefsFile(spec, spec.schema.parse({}), null);
  }

  /** The file as `text` says (null: it could not be read), repaired like {@link open} repairs it. */
  static fromText<T>(
    spec: PrefsFileSpec<T>,
    text: string | null,
    options: { readonly logger: Logger; readonly clock: () => Date },
  ): PrefsFile<T> {
    const defaults = spec.schema.parse({});
    const read: ReadOutcome<T> = text === null ? { reason: 'unreadable' } : readPrefs(spec, text);
    if ('value' in read) {
      if (read.migratedFrom !== null)
        options.logger.info('prefsMigrated', { file: spec.kind, from: read.migratedFrom, to: spec.version });
      return new PrefsFile(spec, read.value, null);
    }
    // The office file is shared: one Kurier (perhaps an older one) must not move it away from everyone.
    const backupPath = spec.kind === 'global' || read.reason === 'unreadable' ? null : moveAside(spec.filePath, options.clock());
    const recovery: PrefsRecovery = { file: spec.kind, filePath: spec.filePath, backupPath, reason: read.reason };
    options.logger.warn('prefsRecovered', { ...recovery });
    return new PrefsFile(spec, defaults, recovery);
  }

  /** The preferences, defaults filled in. */
  get(): T {
    return this.#value;
  }

  /**
   * Whether a save can succeed as far as permissions go (the folder, or the nearest one that exists).
   * Asynchronous: the folder may be a share that does not answer (then: not writable, after `timeoutMs`).
   */
  async isWritable(timeoutMs = 5_000): Promise<boolean> {
    const check = async () => {
      let dir = path.dirname(this.filePath);
      while (!(await exists(dir)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      await access((await exists(this.filePath)) ? this.filePath : dir, constants.W_OK);
      await access(dir, constants.W_OK);
      return true;
    };
    return withDeadline(check(), timeoutMs, { onTimeout: () => new NotAnswering(this.filePath) }).catch(() => false);
  }

  /**
   * Validates and saves, asynchronously and within `timeoutMs` (5 s by default): the office file may sit
   * on a share that does not answer, and the main thread must not wait for it. Throws
   * `prefs.globalNotWritable` when this user may not write the global file (it needs administrator
   * rights, or write access to the share), `prefs.notAnswering` when the folder did not answer in time,
   * else `prefs.notWritable` with `reason` (`permission`, `readOnly`, `diskFull` or the system code). On
   * failure the previous value stays, in memory and on disk.
   */
  async save(value: T, timeoutMs = 5_000): Promise<void> {
    const valid = this.#spec.schema.parse(value);
    const text = `${JSON.stringify({ version: this.#spec.version, prefs: valid }, null, 2)}\n`;
    const dir = path.dirname(this.filePath);
    const temporary = path.join(dir, `.${path.basename(this.filePath)}.${String(process.pid)}.tmp`);
    const write = async () => {
      if (this.#spec.createFolder) await mkdir(dir, { recursive: true, mode: this.#spec.kind === 'user' ? 0o700 : 0o755 });
      const handle = await open(temporary, 'w', this.#spec.mode);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.filePath);
    };
    try {
      await withDeadline(write(), timeoutMs, { onTimeout: () => new NotAnswering(this.filePath) });
    } catch (error) {
      if (error instanceof NotAnswering) {
        // The hung write may still finish after minutes; the old file stays whole either way (rename).
        throw new KurierError(
          'prefs.notAnswering',
          { path: this.filePath, seconds: Math.ceil(timeoutMs / 1000) },
          { cause: error },
        );
      }
      await rm(temporary, { force: true }).catch(() => undefined);
      const reason = writeFailure(error);
      const needsRights = this.#spec.kind === 'global' && (reason === 'permission' || reason === 'readOnly');
      throw new KurierError(
        needsRights ? 'prefs.globalNotWritable' : 'prefs.notWritable',
        { path: this.filePath, reason },
        { cause: error },
      );
    }
    this.#value = valid;
  }
}

/** A preferences file (on a share) that did not answer within the time allowed. */
export class NotAnswering extends Error {
  constructor(readonly filePath: string) {
    super(`${filePath} did not answer in time`);
    this.name = 'NotAnswering';
  }
}

/** Whether `target` exists (false when it cannot be asked). */
export async function exists(target: string): Promise<boolean> {
  return access(target).then(
    () => true,
    () => false,
  );
}

type ReadOutcome<T> = { readonly value: T; readonly migratedFrom: number | null } | { readonly reason: PrefsRecovery['reason'] };

function readPrefs<T>(spec: PrefsFileSpec<T>, text: string): ReadOutcome<T> {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return { reason: 'notJson' };
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { reason: 'invalid' };
  const { version, prefs } = stored as { version?: unknown; prefs?: unknown };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return { reason: 'invalid' };
  if (version > spec.version) return { reason: 'newerVersion' };
  let current: unknown = prefs ?? {};
  for (let from = version; from < spec.version; from += 1) {
    const migrate = spec.migrations[from];
    if (!migrate || typeof current !== 'object' || current === null) return { reason: 'invalid' };
    current = migrate(current as Record<string, unknown>);
  }
  const parsed = spec.schema.safeParse(current);
  if (!parsed.success) return { reason: 'invalid' };
  return { value: parsed.data, migratedFrom: version === spec.version ? null : version };
}

/** Renames the unreadable file beside itself; null when its folder does not allow that. */
function moveAside(filePath: string, now: Date): string | null {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const backupPath = filePath.replace(/(\.json)?$/, `.invalid-${stamp}.json`);
  try {
    renameSync(filePath, backupPath);
    return backupPath;
  } catch {
    return null;
  }
}

function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'EROFS') return 'readOnly';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'diskFull';
  return code;
}
