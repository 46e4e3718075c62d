/**
 * Starts a mail program and lets it go: argv array, no shell, detached from Kurier so closing Kurier
 * does not close the user's compose window. Thunderbird's launcher hands the message to a running
 * instance and exits at once; a first start keeps running — so Kurier waits briefly for an early exit
 * (a program that refuses its arguments) and otherwise reports the hand-off as done.
 */
import { spawn } from 'node:child_process';

/** What happened to a launched program within the wait. */
export type LaunchOutcome =
  { readonly kind: 'exited'; readonly code: number | null; readonly stderr: string } | { readonly kind: 'running' };

/** Launch options: the environment (default: Kurier's own) and how long to watch for an early exit. */
export interface LaunchOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly waitMs?: number;
}

/**
 * Runs `argv` (program first). Rejects with the spawn error when the program cannot start (not found,
 * not executable); resolves with its exit when it ends within `waitMs`, else `running`.
 */
export function launchDetached(argv: readonly string[], options: LaunchOptions = {}): Promise<LaunchOutcome> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new Error('nothing to launch'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      shell: false,
      detached: true,
      windowsHide: false,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: options.env ?? process.env,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      // Still running: it is the mail program itself now, not ours to wait for.
      child.stderr.destroy();
      child.unref();
      resolve({ kind: 'running' });
    }, options.waitMs ?? 3_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'exited', code, stderr: stderr.slice(0, 2000) });
    });
  });
}
