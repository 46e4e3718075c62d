/**
 * How the hand-off routes look at the computer: whether a file or folder is there, and what a small
 * query program (reg.exe, xdg-mime) answers. Behind an interface so that the Windows, macOS and Linux
 * logic that decides what to run is tested on any machine with a fake.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';

/** Looks, never changes anything. */
export interface ProgramProbe {
  /** True when `path` is a regular file (after links) this process may execute. */
  isExecutableFile(path: string): Promise<boolean>;
  /** True when `path` is a folder (after links). */
  isDirectory(path: string): Promise<boolean>;
  /**
   * Runs `argv` (an absolute program path first; no shell) and returns what it printed, or null when
   * it could not start, failed (reg.exe exits 1 for a missing key) or took too long.
   */
  query(argv: readonly string[]): Promise<string | null>;
  /** The text of a small file (a desktop entry, profiles.ini, prefs.js), or null when it cannot be read. */
  readText(path: string): Promise<string | null>;
}

/** The real probe: node:fs, and execFile with a time limit (and `env`, Kurier's own by default). */
export function nodeProgramProbe(options: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {}): ProgramProbe {
  const timeout = options.timeoutMs ?? 10_000;
  return {
    async isExecutableFile(path) {
      try {
        if (!(await stat(path)).isFile()) return false;
        await access(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    async isDirectory(path) {
      return stat(path).then(
        (s) => s.isDirectory(),
        () => false,
      );
    },
    readText(path) {
      return readFile(path, 'utf8').catch(() => null);
    },
    query(argv) {
      const [program, ...args] = argv;
      if (program === undefined) return Promise.resolve(null);
      return new Promise((resolve) => {
        execFile(
          program,
          args,
          {
            shell: false,
            windowsHide: true,
            timeout,
            encoding: 'utf8',
            maxBuffer: 1024 * 1024,
            ...(options.env ? { env: options.env } : {}),
          },
          (error, stdout) => {
            resolve(error ? null : stdout);
          },
        );
      });
    },
  };
}
