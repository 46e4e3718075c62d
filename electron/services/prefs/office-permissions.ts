/**
 * Who may write the office preferences file. Whoever can write it can redirect everyone's mail, so the
 * windows warn when more than the file's owner (or root, or administrators) may write it or its folder.
 *
 * - Linux/macOS: the group and other write bits of the file and its folder (fs.stat's mode). A folder
 *   owned by the root group that is group-writable is root's business and not reported.
 * - Windows: `%ProgramData%\Kurier` is created with an ACL that lets only administrators and SYSTEM
 *   write (everyone else reads), and an existing folder or file whose ACL lets anyone else write is
 *   reported. `%ProgramData%` lets every user create folders in it, and the creator owns what they
 *   create — so a folder someone else made first is exactly what the warning is for.
 *
 * The Windows parts are pure functions (argv built, output parsed) tested with sample outputs: Windows
 * cannot run here, so the icacls calls themselves are not exercised by any test on this machine.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OfficePermissionWarning } from '../../../shared/office-review';

const groupWrite = 0o020;
const otherWrite = 0o002;

/** The warnings for one POSIX stat: other-write always, group-write unless the group is root's. */
export function posixWarnings(target: {
  readonly path: string;
  readonly kind: 'file' | 'folder';
  readonly mode: number;
  readonly gid: number;
}): OfficePermissionWarning[] {
  const warnings: OfficePermissionWarning[] = [];
  if ((target.mode & otherWrite) !== 0)
    warnings.push({ path: target.path, kind: target.kind, writableBy: 'others', principal: '' });
  if ((target.mode & groupWrite) !== 0 && target.gid !== 0)
    warnings.push({ path: target.path, kind: target.kind, writableBy: 'group', principal: String(target.gid) });
  return warnings;
}

/** Stats the office file (when it exists) and its folder (when it exists) and returns the warnings. */
export async function posixPermissionWarnings(filePath: string): Promise<OfficePermissionWarning[]> {
  const warnings: OfficePermissionWarning[] = [];
  for (const [target, kind] of [
    [filePath, 'file'],
    [path.dirname(filePath), 'folder'],
  ] as const) {
    const info = await stat(target).catch(() => null);
    if (info) warnings.push(...posixWarnings({ path: target, kind, mode: info.mode, gid: info.gid }));
  }
  return warnings;
}

// Well-known SIDs: names differ by Windows language (`BUILTIN\Administrátoři`), SIDs do not.
const administratorsSid = '*S-1-5-32-544';
const systemSid = '*S-1-5-18';
const usersSid = '*S-1-5-32-545';

/** icacls.exe by absolute path under %SystemRoot% (never through PATH). */
export function icaclsPath(systemRoot: string): string {
  return path.win32.join(systemRoot, 'System32', 'icacls.exe');
}

/**
 * The argv (no shell) that gives `folder` its own ACL: inherited entries removed (`/inheritance:r`;
 * %ProgramData% lets Users create files), full control for Administrators and SYSTEM, read and execute
 * for Users; files created inside inherit it (`(OI)(CI)`).
 */
export function officeFolderAclArgv(systemRoot: string, folder: string): string[] {
  return [
    icaclsPath(systemRoot),
    folder,
    '/inheritance:r',
    '/grant:r',
    `${administratorsSid}:(OI)(CI)F`,
    '/grant:r',
    `${systemSid}:(OI)(CI)F`,
    '/grant:r',
    `${usersSid}:(OI)(CI)RX`,
  ];
}

/** The argv (no shell) that prints `target`'s ACL. */
export function icaclsShowArgv(systemRoot: string, target: string): string[] {
  return [icaclsPath(systemRoot), target];
}

// Principals allowed to write: administrators, SYSTEM, TrustedInstaller, and the owner placeholder —
// in English, Czech and Polish Windows (icacls prints localised names).
const trustedPrincipals = [
  /\\administrators$/i,
  /\\administrátoři$/i,
  /\\administratorzy$/i,
  /^nt authority\\system$/i,
  /^nt authority\\systém$/i,
  /^zarządzanie nt\\system$/i,
  /\\trustedinstaller$/i,
  /^creator owner$/i,
  /^tvůrce vlastník$/i,
  /^twórca-właściciel$/i,
];

// Rights that let a principal change the file or add one to the folder (see `icacls /?`).
const writeRights = new Set(['F', 'M', 'W', 'WD', 'AD', 'WDAC', 'WO', 'GA', 'GW', 'D', 'DC', 'WA', 'WEA']);

/**
 * The principals whose ACL entries in icacls' output let them write `target`, other than the trusted
 * ones. An entry looks like `BUILTIN\Users:(OI)(CI)(WD,AD,WEA,WA)` or `Everyone:(M)`; the first line
 * carries the path before it. Deny entries are skipped, and so are inherit-only ones `(IO)` — they
 * apply to the children, not to `target` itself.
 */
export function parseIcaclsWriters(stdout: string, target: string): string[] {
  const writers = new Set<string>();
  for (const raw of stdout.split(/\r?\n/u)) {
    const line = raw.toLowerCase().startsWith(target.toLowerCase()) ? raw.slice(target.length) : raw;
    const match = /^\s*(.+?):((?:\([A-Z,]+\))+)\s*$/u.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const principal = match[1].trim();
    const flags = match[2]
      .slice(1, -1)
      .split(')(')
      .flatMap((part) => part.split(','));
    if (flags.includes('DENY') || flags.includes('IO')) continue;
    if (!flags.some((flag) => writeRights.has(flag))) continue;
    if (trustedPrincipals.some((pattern) => pattern.test(principal))) continue;
    writers.add(principal);
  }
  return [...writers];
}

/**
 * Creates `folder` (the machine-wide office folder) with the ACL of {@link officeFolderAclArgv}. An
 * existing folder is left alone (its ACL is reported by {@link windowsPermissionWarnings} instead).
 * Returns whether the folder was created and locked. Best run elevated (by the installer): a user who
 * is not an administrator owns what they create, and an owner may change the ACL back.
 */
export async function createWindowsOfficeFolder(folder: string, systemRoot: string, run: RunProgram): Promise<boolean> {
  try {
    await mkdir(folder);
  } catch {
    return false;
  }
  return (await run(officeFolderAclArgv(systemRoot, folder))) !== null;
}

/** Runs a program (argv, absolute path first, no shell); its output, or null when it failed. */
export type RunProgram = (argv: readonly string[]) => Promise<string | null>;

/** The Windows warnings for the office file and its folder, from icacls. */
export async function windowsPermissionWarnings(
  filePath: string,
  systemRoot: string,
  run: RunProgram,
): Promise<OfficePermissionWarning[]> {
  const warnings: OfficePermissionWarning[] = [];
  for (const [target, kind] of [
    [filePath, 'file'],
    [path.win32.dirname(filePath), 'folder'],
  ] as const) {
    const stdout = await run(icaclsShowArgv(systemRoot, target));
    if (stdout === null) continue;
    for (const principal of parseIcaclsWriters(stdout, target))
      warnings.push({ path: target, kind, writableBy: 'users', principal });
  }
  return warnings;
}
