/**
 * Programs installed from the Microsoft Store (MSIX): Thunderbird from the Store and the new Outlook.
 * They start through an app execution alias, `%LOCALAPPDATA%\Microsoft\WindowsApps\<name>.exe`, a
 * reparse point that CreateProcess runs but that fs.stat cannot read (it fails with EACCES/UNKNOWN), so
 * an alias is never checked on disk: the package is asked for with `Get-AppxPackage` (a fixed
 * PowerShell command, the package name a constant) and the alias is then started as it is.
 * https://learn.microsoft.com/en-us/powershell/module/appx/get-appxpackage
 */
import path from 'node:path';
import { powershellPath, windowsEnv, type Environment } from './windows-commands';

/** A Store package Kurier can start. */
export interface StorePackage {
  /** The package name `Get-AppxPackage -Name` matches (wildcards allowed). */
  readonly name: string;
  /** The execution alias file name. */
  readonly alias: string;
}

/** Thunderbird from the Microsoft Store (publisher MZLA). */
export const storeThunderbird: StorePackage = { name: 'MozillaThunderbird*', alias: 'thunderbird.exe' };
/** The new Outlook for Windows. */
export const storeNewOutlook: StorePackage = { name: 'Microsoft.OutlookForWindows', alias: 'olk.exe' };

/**
 * The argv that prints the package family name of every installed package called `pkg.name`, one a
 * line (nothing when none). The command text is fixed: only the constant package name is in it.
 */
export function appxQueryArgv(env: Environment, pkg: StorePackage): string[] {
  if (!/^[A-Za-z0-9.*]+$/u.test(pkg.name)) throw new Error(`not a package name: ${pkg.name}`);
  return [
    powershellPath(env),
    '-NoLogo',
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    `Get-AppxPackage -Name '${pkg.name}' | ForEach-Object { $_.PackageFamilyName }`,
  ];
}

/** The package family names in {@link appxQueryArgv}'s output. */
export function parsePackageFamilies(stdout: string): string[] {
  return stdout
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9.-]+_[a-z0-9]{13}$/u.test(line));
}

/** The execution alias of `pkg` for the current user; null without LOCALAPPDATA. */
export function executionAlias(env: Environment, pkg: StorePackage): string | null {
  const localAppData = windowsEnv(env, 'LOCALAPPDATA');
  return localAppData === undefined ? null : path.win32.join(localAppData, 'Microsoft', 'WindowsApps', pkg.alias);
}

/**
 * Where a Store app's `%APPDATA%` writes may land: MSIX can redirect them into the package's
 * `LocalCache\Roaming`, so a profile is looked for there as well as in the real folder.
 */
export function packageRoamingDir(env: Environment, packageFamily: string): string | null {
  const localAppData = windowsEnv(env, 'LOCALAPPDATA');
  return localAppData === undefined ? null : path.win32.join(localAppData, 'Packages', packageFamily, 'LocalCache', 'Roaming');
}
