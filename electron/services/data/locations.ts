/**
 * Where Kurier keeps things when Electron is not there to ask (the web shell, tests). The answers match
 * Electron's `app.getPath('userData')` for a product named Kurier, so both shells share one data folder.
 */
import { homedir } from 'node:os';
import path from 'node:path';

/** The user data directory; `KURIER_DATA_DIR` overrides it. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.KURIER_DATA_DIR) return path.resolve(env.KURIER_DATA_DIR);
  const home = homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Kurier');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Kurier');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Kurier');
}

/** The folder exports go to unless the user picks another: Documents/Kurier. */
export function defaultExportFolder(documentsDir = path.join(homedir(), 'Documents')): string {
  return path.join(documentsDir, 'Kurier');
}
