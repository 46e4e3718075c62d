/**
 * The default mail program on Linux as the desktop knows it: `xdg-mime query default
 * x-scheme-handler/mailto` names a desktop entry, whose `Exec` line says which program it starts. Kurier
 * then talks to that program itself where its command line is documented (Thunderbird, Evolution,
 * KMail, Claws Mail, Geary) and leaves only other programs to xdg-email, which loses or splits
 * attachments (a comma in a file name) and lets a quote in a file name add a Bcc when it calls
 * Thunderbird itself (xdg-utils 1.1.3 `run_thunderbird`).
 * https://specifications.freedesktop.org/desktop-entry-spec/latest/exec-variables.html
 */
import path from 'node:path';
import type { ProgramProbe } from './program-probe';
import type { ThunderbirdPackaging } from './thunderbird-location';
import type { Environment } from './windows-commands';

/** Which program handles mailto: links. */
export type LinuxMailProgram = 'thunderbird' | 'evolution' | 'kmail' | 'claws' | 'geary' | 'other';

/** The resolved handler. */
export interface ResolvedMailHandler {
  readonly desktopFile: string;
  readonly program: LinuxMailProgram;
  /** How to start it (absolute program first, then fixed arguments such as `run <app id>`); empty for `other`. */
  readonly command: readonly string[];
  /** For Thunderbird: how it is packaged (snap and flatpak read only some folders). */
  readonly packaging: ThunderbirdPackaging;
  /** The Exec line's program is exo-open (XFCE's preferred-application launcher), which passes only a mailto link. */
  readonly viaExoOpen: boolean;
}

/** The folders desktop entries are looked up in, in order (XDG Base Directory). */
export function desktopEntryDirs(env: Environment): string[] {
  const dataHome = env.XDG_DATA_HOME ?? (env.HOME !== undefined ? path.posix.join(env.HOME, '.local', 'share') : undefined);
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':');
  return [...(dataHome !== undefined ? [dataHome] : []), ...dataDirs, '/var/lib/snapd/desktop']
    .filter((dir) => path.posix.isAbsolute(dir))
    .map((dir) => path.posix.join(dir, 'applications'));
}

/**
 * The `Exec` value of the `[Desktop Entry]` group split into arguments as the specification says
 * (double quotes group, `\"` `` \` `` `\$` `\\` escape inside them; `\\s` etc. are already unescaped
 * by the string rules), with field codes (`%u`, `%U`, `%f`…) and flatpak's `@@u`/`@@` markers left out.
 * Null when there is no Exec line.
 */
export function desktopExec(desktopEntry: string): string[] | null {
  let inEntry = false;
  for (const line of desktopEntry.split(/\r?\n/u)) {
    if (/^\[.*\]$/u.test(line.trim())) inEntry = line.trim() === '[Desktop Entry]';
    const match = inEntry ? /^Exec\s*=\s*(.*)$/u.exec(line) : null;
    if (match) return splitExec(unescapeString(match[1] ?? ''));
  }
  return null;
}

function unescapeString(value: string): string {
  return value.replace(/\\([sntr\\])/gu, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
}

function splitExec(exec: string): string[] {
  const args: string[] = [];
  let current: string | null = null;
  let quoted = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i] ?? '';
    if (quoted) {
      if (c === '\\' && i + 1 < exec.length) current = (current ?? '') + (exec[++i] ?? '');
      else if (c === '"') quoted = false;
      else current = (current ?? '') + c;
    } else if (c === '"') {
      quoted = true;
      current ??= '';
    } else if (c === ' ' || c === '\t') {
      if (current !== null) args.push(current);
      current = null;
    } else current = (current ?? '') + c;
  }
  if (current !== null) args.push(current);
  return args.filter((arg) => !/^%[a-zA-Z%]$/u.test(arg) && !/^@@[uf]?$/u.test(arg));
}

const programs: readonly [RegExp, LinuxMailProgram][] = [
  [/^(?:thunderbird(?:-esr|-bin)?|icedove|org\.mozilla\.thunderbird|net\.thunderbird\.thunderbird)$/iu, 'thunderbird'],
  [/^(?:evolution|org\.gnome\.evolution)$/iu, 'evolution'],
  [/^kmail$/iu, 'kmail'],
  [/^claws-mail$/iu, 'claws'],
  [/^(?:geary|org\.gnome\.geary)$/iu, 'geary'],
];

/** What an Exec argv starts: the program, skipping `env VAR=…`, and the app id of `flatpak run`. */
export function classifyExec(exec: readonly string[]): {
  program: LinuxMailProgram;
  packaging: ThunderbirdPackaging;
  argv: string[];
  viaExoOpen: boolean;
} {
  let rest: string[] = [...exec];
  if (path.posix.basename(rest[0] ?? '') === 'env') {
    rest = rest.slice(1);
    while (rest[0] !== undefined && (rest[0].includes('=') || rest[0].startsWith('-'))) rest = rest.slice(1);
  }
  const first = rest[0] ?? '';
  const base = path.posix.basename(first);
  if (base === 'flatpak' && rest[1] === 'run') {
    const appId = rest.slice(2).find((arg) => !arg.startsWith('-')) ?? '';
    const program = programs.find(([pattern]) => pattern.test(appId))?.[1] ?? 'other';
    // Only Thunderbird's flatpak is handed a compose line; other sandboxed clients go through xdg-email.
    return program === 'thunderbird'
      ? { program, packaging: 'flatpak', argv: [first, 'run', appId], viaExoOpen: false }
      : { program: 'other', packaging: 'native', argv: [], viaExoOpen: false };
  }
  const program = programs.find(([pattern]) => pattern.test(base))?.[1] ?? 'other';
  const packaging: ThunderbirdPackaging = first.startsWith('/snap/') ? 'snap' : 'native';
  return { program, packaging, argv: program === 'other' ? [] : [first], viaExoOpen: base === 'exo-open' };
}

/**
 * Asks xdg-mime for the mailto handler, reads its desktop entry and resolves its program on PATH.
 * Null when no handler is set or its entry cannot be found; `program: 'other'` when it is not one
 * Kurier knows (or its program is not where the entry says).
 */
export async function resolveLinuxMailHandler(
  probe: ProgramProbe,
  env: Environment,
  xdgMime: string,
): Promise<ResolvedMailHandler | null> {
  const answer = (await probe.query([xdgMime, 'query', 'default', 'x-scheme-handler/mailto'])) ?? '';
  const desktopFile = answer.trim().split(/\s+/u)[0] ?? '';
  if (!/^[^/]+\.desktop$/u.test(desktopFile)) return null;
  let exec: string[] | null = null;
  for (const dir of desktopEntryDirs(env)) {
    const text = await probe.readText(path.posix.join(dir, desktopFile));
    if (text !== null) {
      exec = desktopExec(text);
      break;
    }
  }
  if (exec === null || exec.length === 0) return null;
  const found = classifyExec(exec);
  const [program, ...fixed] = found.argv;
  const resolved = program === undefined ? null : await onPath(probe, env, program);
  if (resolved === null) return { desktopFile, program: 'other', command: [], packaging: 'native', viaExoOpen: found.viaExoOpen };
  return { desktopFile, program: found.program, command: [resolved, ...fixed], packaging: found.packaging, viaExoOpen: false };
}

/** `name` as an absolute executable: as it is when absolute, else the first PATH folder holding it. */
export async function onPath(probe: ProgramProbe, env: Environment, name: string): Promise<string | null> {
  if (path.posix.isAbsolute(name)) return (await probe.isExecutableFile(name)) ? name : null;
  if (name.includes('/')) return null;
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (dir === '' || !path.posix.isAbsolute(dir)) continue;
    const candidate = path.posix.join(dir, name);
    if (await probe.isExecutableFile(candidate)) return candidate;
  }
  return null;
}
