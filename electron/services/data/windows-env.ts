/**
 * Facts of a Windows environment that several rooms need (the office folder's ACL in prefs/, the
 * hand-off routes' programs in handoff/): kept at the bottom so neither has to import the other.
 */

/** An environment as Node gives it (`process.env`), or a fake one in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable of a Windows environment: names there are case-insensitive (`ProgramFiles(x86)`, `SYSTEMROOT`). */
export function windowsEnv(env: Environment, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** `%SystemRoot%`, `C:\Windows` when unset. */
export function systemRoot(env: Environment): string {
  return windowsEnv(env, 'SystemRoot') ?? 'C:\\Windows';
}
