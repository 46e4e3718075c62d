/**
 * Where Thunderbird is: the registry and install folders on Windows, the app bundle on macOS, PATH,
 * snap and flatpak on Linux. Candidates are plain data, so the order is tested on any machine; a
 * {@link ProgramProbe} says which of them exist.
 */
import path from 'node:path';
import type { ProgramProbe } from './program-probe';
import type { ThunderbirdProgram } from './thunderbird-compose';
import { parseRegQuery, programPathFromRegistry, regQueryArgv, windowsEnv, type Environment } from './windows-commands';
import { appxQueryArgv, executionAlias, parsePackageFamilies, storeThunderbird } from './windows-store';

/**
 * How Thunderbird is installed; snap and flatpak ones can read only non-hidden files in the home folder,
 * `store` is the Microsoft Store package started through its execution alias.
 */
export type ThunderbirdPackaging = 'native' | 'snap' | 'flatpak' | 'store';

/** A Thunderbird that was found. */
export interface ThunderbirdLocation extends ThunderbirdProgram {
  readonly packaging: ThunderbirdPackaging;
  /** The Store package's family name (its redirected app-data folder is named after it). */
  readonly packageFamily?: string;
}

/** One place to look, in order of preference. */
export type ThunderbirdCandidate =
  /** A program file. */
  | { readonly kind: 'file'; readonly path: string; readonly packaging: ThunderbirdPackaging }
  /** A reg.exe query whose value is the program's path (App Paths). */
  | { readonly kind: 'registry'; readonly argv: readonly string[] }
  /** A Store package (Get-AppxPackage); its execution alias is started without looking at it on disk. */
  | { readonly kind: 'appx'; readonly argv: readonly string[]; readonly alias: string }
  /** The flatpak app, run through the first `flatpak` program that exists. */
  | { readonly kind: 'flatpak'; readonly appDirs: readonly string[]; readonly flatpakPrograms: readonly string[] };

const flatpakAppId = 'org.mozilla.Thunderbird';
const appPaths = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\thunderbird.exe';

/** Absolute PATH folders only: an empty or relative entry would make the current folder a candidate. */
function pathDirs(env: Environment): string[] {
  return (env.PATH ?? '').split(':').filter((dir) => path.posix.isAbsolute(dir));
}

/** Every place Thunderbird may be on `platform`, best first. */
export function thunderbirdCandidates(platform: NodeJS.Platform, env: Environment): ThunderbirdCandidate[] {
  if (platform === 'win32') {
    const folders = [windowsEnv(env, 'ProgramFiles'), windowsEnv(env, 'ProgramFiles(x86)')].filter((dir) => dir !== undefined);
    const perUser = windowsEnv(env, 'LOCALAPPDATA');
    const alias = executionAlias(env, storeThunderbird);
    return [
      { kind: 'registry', argv: regQueryArgv(env, `HKLM\\${appPaths}`, null) },
      { kind: 'registry', argv: regQueryArgv(env, `HKCU\\${appPaths}`, null) },
      ...[...folders, ...(perUser !== undefined ? [perUser] : [])].map((dir): ThunderbirdCandidate => ({
        kind: 'file',
        path: path.win32.join(dir, 'Mozilla Thunderbird', 'thunderbird.exe'),
        packaging: 'native',
      })),
      ...(alias !== null ? [{ kind: 'appx', argv: appxQueryArgv(env, storeThunderbird), alias } as const] : []),
    ];
  }
  if (platform === 'darwin') {
    const bundles = ['/Applications', ...(env.HOME !== undefined ? [path.posix.join(env.HOME, 'Applications')] : [])];
    return bundles.map((dir) => ({
      kind: 'file',
      path: path.posix.join(dir, 'Thunderbird.app', 'Contents', 'MacOS', 'thunderbird'),
      packaging: 'native',
    }));
  }
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return [];
  const onPath = ['thunderbird', 'thunderbird-esr'].flatMap((name) => pathDirs(env).map((dir) => path.posix.join(dir, name)));
  const files = [...onPath, '/snap/bin/thunderbird', '/usr/lib/thunderbird/thunderbird'];
  const appDirs = [
    ...(env.HOME !== undefined ? [path.posix.join(env.HOME, '.local', 'share', 'flatpak', 'app', flatpakAppId)] : []),
    path.posix.join('/var/lib/flatpak/app', flatpakAppId),
  ];
  const flatpakPrograms = [...pathDirs(env).map((dir) => path.posix.join(dir, 'flatpak')), '/usr/bin/flatpak'];
  return [
    ...[...new Set(files)].map((file): ThunderbirdCandidate => ({
      kind: 'file',
      path: file,
      packaging: file.startsWith('/snap/') ? 'snap' : 'native',
    })),
    { kind: 'flatpak', appDirs, flatpakPrograms: [...new Set(flatpakPrograms)] },
  ];
}

/** The first Thunderbird that exists, or null when there is none. */
export async function findThunderbird(
  platform: NodeJS.Platform,
  env: Environment,
  probe: ProgramProbe,
): Promise<ThunderbirdLocation | null> {
  for (const candidate of thunderbirdCandidates(platform, env)) {
    const found = await check(candidate, env, probe);
    if (found) return found;
  }
  return null;
}

async function check(
  candidate: ThunderbirdCandidate,
  env: Environment,
  probe: ProgramProbe,
): Promise<ThunderbirdLocation | null> {
  switch (candidate.kind) {
    case 'file':
      return (await probe.isExecutableFile(candidate.path))
        ? { command: [candidate.path], packaging: candidate.packaging }
        : null;
    case 'registry': {
      const output = await probe.query(candidate.argv);
      const value = output === null ? null : parseRegQuery(output);
      if (value === null) return null;
      const program = programPathFromRegistry(value, env);
      // The registry only points; the program must be there and absolute (it is run without a shell).
      if (!path.win32.isAbsolute(program) || !(await probe.isExecutableFile(program))) return null;
      return { command: [program], packaging: 'native' };
    }
    case 'appx': {
      const [family] = parsePackageFamilies((await probe.query(candidate.argv)) ?? '');
      return family === undefined ? null : { command: [candidate.alias], packaging: 'store', packageFamily: family };
    }
    case 'flatpak': {
      let installed = false;
      for (const dir of candidate.appDirs) installed ||= await probe.isDirectory(dir);
      if (!installed) return null;
      for (const flatpak of candidate.flatpakPrograms) {
        if (await probe.isExecutableFile(flatpak)) return { command: [flatpak, 'run', flatpakAppId], packaging: 'flatpak' };
      }
      return null;
    }
    default: {
      const unknown: never = candidate;
      throw new Error(`unknown candidate ${JSON.stringify(unknown)}`);
    }
  }
}
