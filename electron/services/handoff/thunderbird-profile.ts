/**
 * Whether Thunderbird can take a message at all: `-compose` opens a compose window only when the
 * profile it starts with has a mail account with an identity; otherwise only the account wizard appears
 * and the message is gone (checked on Thunderbird 153). This reads the default profile the way
 * Thunderbird picks it — `installs.ini` (one default per installation), else the `[Install…]` or
 * `Default=1` entry of `profiles.ini`, else the only profile — and looks in its `prefs.js` and
 * `user.js` for an account listed in `mail.accountmanager.accounts` whose `mail.account.<id>.identities`
 * names an identity with an address (`mail.identity.<id>.useremail`).
 */
import path from 'node:path';
import type { ThunderbirdPackaging } from './thunderbird-location';
import { windowsEnv, type Environment } from './windows-commands';
import { packageRoamingDir } from './windows-store';

/** Reads a text file; null when it is not there or cannot be read. */
export type ReadText = (file: string) => Promise<string | null>;

/** The folders that may hold Thunderbird's `profiles.ini` on `platform`, most likely first. */
export function thunderbirdDataDirs(
  platform: NodeJS.Platform,
  env: Environment,
  packaging: ThunderbirdPackaging = 'native',
  packageFamily?: string,
): string[] {
  if (platform === 'win32') {
    const appData = windowsEnv(env, 'APPDATA');
    // A Store Thunderbird's writes to %APPDATA% may be redirected into its package folder.
    const redirected = packaging === 'store' && packageFamily !== undefined ? packageRoamingDir(env, packageFamily) : null;
    return [...(appData !== undefined ? [appData] : []), ...(redirected !== null ? [redirected] : [])].map((dir) =>
      path.win32.join(dir, 'Thunderbird'),
    );
  }
  const home = env.HOME;
  if (home === undefined) return [];
  if (platform === 'darwin') return [path.posix.join(home, 'Library', 'Thunderbird')];
  const native = [
    path.posix.join(home, '.thunderbird'),
    path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), 'thunderbird'),
  ];
  if (packaging === 'snap') return [path.posix.join(home, 'snap', 'thunderbird', 'common', '.thunderbird'), ...native];
  if (packaging === 'flatpak')
    return [path.posix.join(home, '.var', 'app', 'org.mozilla.Thunderbird', '.thunderbird'), ...native];
  return native;
}

type IniSections = Map<string, Map<string, string>>;

/** A small INI reader: `[section]`, `key=value`, `;`/`#` comments. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/u)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/u.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1] ?? '', current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current !== undefined && eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** The default profile folder named by `profiles.ini` / `installs.ini` in `dataDir`, or null. */
export function defaultProfileDir(
  dataDir: string,
  profilesIni: string,
  installsIni: string | null,
  pathApi: path.PlatformPath,
): string | null {
  const profiles = parseIni(profilesIni);
  const resolve = (value: string, relative: boolean): string => (relative ? pathApi.join(dataDir, ...value.split('/')) : value);
  const installDefault = [
    ...parseIni(installsIni ?? '').values(),
    ...[...profiles].filter(([name]) => name.startsWith('Install')).map(([, s]) => s),
  ]
    .map((section) => section.get('Default'))
    .find((value) => value !== undefined && value !== '');
  if (installDefault !== undefined) return resolve(installDefault, !pathApi.isAbsolute(installDefault));
  const entries = [...profiles].filter(([name]) => /^Profile\d+$/u.test(name)).map(([, s]) => s);
  const chosen = entries.find((s) => s.get('Default') === '1') ?? (entries.length === 1 ? entries[0] : undefined);
  const value = chosen?.get('Path');
  if (chosen === undefined || value === undefined) return null;
  return resolve(value, chosen.get('IsRelative') !== '0');
}

/** The `user_pref("name", value)` string values of a prefs.js or user.js. */
export function readPrefs(text: string): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const match of text.matchAll(/user_pref\(\s*"([^"]+)"\s*,\s*(?:"((?:[^"\\]|\\.)*)"|([^)\s]+))\s*\)/gu)) {
    prefs.set(match[1] ?? '', match[2] ?? match[3] ?? '');
  }
  return prefs;
}

/** True when `prefs` hold a mail account with an identity that has an address. */
export function hasMailAccount(prefs: ReadonlyMap<string, string>): boolean {
  const list = (value: string | undefined): string[] =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  return list(prefs.get('mail.accountmanager.accounts')).some((account) =>
    list(prefs.get(`mail.account.${account}.identities`)).some(
      (identity) => (prefs.get(`mail.identity.${identity}.useremail`) ?? '') !== '',
    ),
  );
}

/** Whether the profile Thunderbird would start with has a mail account (`profile` given: that one). */
export async function thunderbirdHasAccount(
  readText: ReadText,
  platform: NodeJS.Platform,
  env: Environment,
  location: { readonly packaging: ThunderbirdPackaging; readonly packageFamily?: string },
  profile?: string,
): Promise<boolean> {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  let profileDir = profile ?? null;
  for (const dataDir of profile === undefined
    ? thunderbirdDataDirs(platform, env, location.packaging, location.packageFamily)
    : []) {
    const profilesIni = await readText(pathApi.join(dataDir, 'profiles.ini'));
    if (profilesIni === null) continue;
    profileDir = defaultProfileDir(dataDir, profilesIni, await readText(pathApi.join(dataDir, 'installs.ini')), pathApi);
    if (profileDir !== null) break;
  }
  if (profileDir === null) return false;
  // user.js is copied over prefs.js at every start, so together they are what Thunderbird will use.
  const prefs = new Map([
    ...readPrefs((await readText(pathApi.join(profileDir, 'prefs.js'))) ?? ''),
    ...readPrefs((await readText(pathApi.join(profileDir, 'user.js'))) ?? ''),
  ]);
  return hasMailAccount(prefs);
}
