/**
 * The Windows programs the hand-off routes ask for facts (reg.exe) or run scripts with (PowerShell),
 * always by absolute path under %SystemRoot% (never found through PATH, which another program could
 * put a `reg.exe` in front of), and the parsing of what reg.exe prints.
 */
import path from 'node:path';
import { systemRoot, windowsEnv, type Environment } from '../data/windows-env';

export { systemRoot, windowsEnv, type Environment } from '../data/windows-env';

/** Windows PowerShell 5.1, which every supported Windows has (GitHub Desktop resolves it the same way). */
export function powershellPath(env: Environment): string {
  return path.win32.join(systemRoot(env), 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/**
 * The argv that asks reg.exe for one value of `key`: its default value when `valueName` is null
 * (`/ve`), else the named one (`/v name`). reg.exe exits 1 when the key or value does not exist.
 */
export function regQueryArgv(env: Environment, key: string, valueName: string | null): string[] {
  const reg = path.win32.join(systemRoot(env), 'System32', 'reg.exe');
  return valueName === null ? [reg, 'query', key, '/ve'] : [reg, 'query', key, '/v', valueName];
}

/** One value as reg.exe prints it. */
export interface RegistryValue {
  /** `REG_SZ`, `REG_EXPAND_SZ`, `REG_DWORD`, … */
  readonly type: string;
  /** As printed: a string, or `0x1` for a DWORD. */
  readonly data: string;
}

/**
 * The value in reg.exe's answer to one `query … /ve` or `/v name`. The output looks like
 * `HKEY_…\App Paths\thunderbird.exe` then `    (Default)    REG_SZ    C:\Program Files\…`; the value's
 * name is translated on localised Windows (`(Výchozí)`), so lines are matched by their type column.
 */
export function parseRegQuery(stdout: string): RegistryValue | null {
  for (const line of stdout.split(/\r?\n/u)) {
    const match = /^ {4}.*? {4}(REG_[A-Z_]+)(?: {4}(.*))?$/u.exec(line);
    if (match?.[1] !== undefined) return { type: match[1], data: (match[2] ?? '').trimEnd() };
  }
  return null;
}

/**
 * A program path from a registry string such as App Paths' default value: surrounding quotes removed
 * and, for REG_EXPAND_SZ, `%VAR%` expanded from `env` (unknown variables stay as they are).
 */
export function programPathFromRegistry(value: RegistryValue, env: Environment): string {
  let data = value.data.trim();
  if (data.startsWith('"')) data = data.slice(1, data.indexOf('"', 1) === -1 ? undefined : data.indexOf('"', 1));
  if (value.type !== 'REG_EXPAND_SZ') return data;
  return data.replace(/%([^%]+)%/gu, (whole, name: string) => windowsEnv(env, name) ?? whole);
}
