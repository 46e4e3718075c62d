/**
 * The two preferences files: where they live, their versions and their migrations.
 *
 * - The **user** file sits in the user's data folder (`user-preferences.json`).
 * - The **global** (office-wide) file `global-preferences.json` sits in a machine-wide folder — Windows
 *   `%ProgramData%\Kurier`, macOS `/Library/Application Support/Kurier`, Linux `/etc/xdg/kurier` —
 *   unless an office share is named: the `KURIER_GLOBAL_PREFS_DIR` environment variable (set once by an
 *   administrator for every user) wins over the user's own "office preferences folder" setting.
 */
import path from 'node:path';
import {
  globalPrefsSchema,
  userPrefsSchema,
  type GlobalPrefs,
  type GlobalPrefsLocation,
  type UserPrefs,
} from '../../../shared/prefs';
import type { PrefsFileSpec, PrefsMigration } from './prefs-file';

/** The environment variable naming the folder of the global preferences (an office share). */
export const globalPrefsDirVariable = 'KURIER_GLOBAL_PREFS_DIR';
/** The global file's name, in whichever folder holds it. */
export const globalPrefsFileName = 'global-preferences.json';

/** The machine-wide folder for the global preferences on `platform`. */
export function machinePrefsDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Kurier');
  if (platform === 'darwin') return '/Library/Application Support/Kurier';
  return '/etc/xdg/kurier';
}

/** Which folder holds the global file for this user, and why. */
export function globalPrefsDir(
  user: UserPrefs,
  env: Readonly<Record<string, string | undefined>>,
  machineDir: string,
): { readonly dir: string; readonly source: GlobalPrefsLocation['source'] } {
  const fromEnvironment = env[globalPrefsDirVariable]?.trim() ?? '';
  if (fromEnvironment !== '') return { dir: path.resolve(fromEnvironment), source: 'environment' };
  if (user.globalPrefsFolder.trim() !== '') return { dir: path.resolve(user.globalPrefsFolder.trim()), source: 'setting' };
  return { dir: machineDir, source: 'machine' };
}

/**
 * Version 1 (the walking skeleton) had no global file: every value in it was the user's own. Version 2
 * keeps the export folder and turns each value the user had changed from its default into an override,
 * so nothing the user set is lost and nothing left at its default shadows the office's value.
 */
const userV1toV2: PrefsMigration = (old) => {
  const overrides: Record<string, unknown> = {};
  if (typeof old.language === 'string' && old.language !== 'system') overrides.language = old.language;
  if (typeof old.personalEmail === 'string' && old.personalEmail.trim() !== '') overrides.personalEmail = old.personalEmail;
  if (old.smtp !== undefined && old.smtp !== null) overrides.smtp = old.smtp;
  return { exportFolder: old.exportFolder ?? '', overrides };
};

/** The user preferences file in `dataDir`. */
export function userPrefsSpec(dataDir: string): PrefsFileSpec<UserPrefs> {
  return {
    kind: 'user',
    filePath: path.join(dataDir, 'user-preferences.json'),
    version: 2,
    schema: userPrefsSchema,
    migrations: { 1: userV1toV2 },
    mode: 0o600,
    createFolder: true,
  };
}

/**
 * The global preferences file in `dir`; readable by every user of the machine (it holds no secret).
 * Only the machine-wide folder is created on first save: a share's folder that is missing is a share
 * that is not connected, and creating it would hide the file in a local folder under the mount point.
 */
export function globalPrefsSpec(dir: string, createFolder: boolean): PrefsFileSpec<GlobalPrefs> {
  return {
    kind: 'global',
    filePath: path.join(dir, globalPrefsFileName),
    version: 1,
    schema: globalPrefsSchema,
    migrations: {},
    mode: 0o644,
    createFolder,
  };
}
