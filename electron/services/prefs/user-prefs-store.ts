/**
 * The user preferences file, through `conf` (atomic writes, so a crash mid-save leaves the old file).
 * Every read is validated with the shared schema. A file that is not valid JSON or not valid
 * preferences is moved aside as `<name>.invalid-<time>.json` and reported; Kurier then starts with
 * defaults for this file only. Nothing is silently dropped: the backup keeps every byte.
 */
import Conf from 'conf';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import { userPrefsSchema, type UserPrefs } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';

/** The current file format version. */
export const userPrefsVersion = 1;

interface StoredFile {
  version: number;
  prefs: unknown;
}

/** What happened to a file that could not be read. */
export interface PrefsRecovery {
  readonly backupPath: string;
  readonly reason: 'notJson' | 'invalid' | 'newerVersion';
}

/** Reads and writes the user preferences file. */
export class UserPrefsStore {
  readonly filePath: string;
  readonly recovery: PrefsRecovery | null;
  readonly #conf: Conf<StoredFile>;

  private constructor(conf: Conf<StoredFile>, recovery: PrefsRecovery | null) {
    this.#conf = conf;
    this.filePath = conf.path;
    this.recovery = recovery;
  }

  /** Opens (and if needed repairs) the file in `dir`. Synchronous: called once at start-up. */
  static open(options: { dir: string; logger: Logger; clock?: () => Date }): UserPrefsStore {
    const filePath = path.join(options.dir, 'user-preferences.json');
    const recovery = quarantineIfUnreadable(filePath, options.clock ?? (() => new Date()));
    if (recovery) options.logger.warn('prefsRecovered', { ...recovery });
    const conf = new Conf<StoredFile>({
      cwd: options.dir,
      configName: 'user-preferences',
      projectName: 'kurier',
      defaults: { version: userPrefsVersion, prefs: {} },
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
    });
    return new UserPrefsStore(conf, recovery);
  }

  /** The preferences, with defaults for anything not set. */
  get(): UserPrefs {
    const parsed = userPrefsSchema.safeParse(this.#conf.get('prefs'));
    return parsed.success ? parsed.data : userPrefsSchema.parse({});
  }

  /** Replaces the preferences. Throws `prefs.notWritable` when the disk refuses. */
  set(prefs: UserPrefs): void {
    const valid = userPrefsSchema.parse(prefs);
    try {
      this.#conf.set({ version: userPrefsVersion, prefs: valid });
    } catch (error) {
      throw new KurierError('prefs.notWritable', { path: this.filePath }, { cause: error });
    }
  }
}

function quarantineIfUnreadable(filePath: string, clock: () => Date): PrefsRecovery | null {
  if (!existsSync(filePath)) return null;
  const reason = unreadableReason(readFileSync(filePath, 'utf8'));
  if (!reason) return null;
  const stamp = clock().toISOString().replace(/[:.]/g, '-');
  const backupPath = filePath.replace(/\.json$/, `.invalid-${stamp}.json`);
  renameSync(filePath, backupPath);
  return { backupPath, reason };
}

function unreadableReason(text: string): PrefsRecovery['reason'] | null {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return 'notJson';
  }
  if (typeof stored !== 'object' || stored === null) return 'invalid';
  const { version, prefs } = stored as Partial<StoredFile>;
  if (typeof version === 'number' && version > userPrefsVersion) return 'newerVersion';
  return userPrefsSchema.safeParse(prefs ?? {}).success ? null : 'invalid';
}
