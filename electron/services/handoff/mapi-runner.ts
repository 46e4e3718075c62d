/**
 * Starting the Simple MAPI helper (mapi-helper-entry.ts) and waiting for its answer. The hand-off
 * service sees only {@link MapiHelperRunner}; under Electron the runner is a utility process
 * (platform/mapi-utility.ts), under plain Node a child process ({@link nodeMapiHelperRunner}). Both
 * collect stdout the same way ({@link watchMapiHelper}) and hand it to mapiHelperOutcome().
 */
import { spawn } from 'node:child_process';
import { KurierError } from '../../../shared/errors';

/** How a helper run ended: its exit code (null when a signal ended it) and what it printed. */
export interface MapiHelperRun {
  readonly exitCode: number | null;
  readonly stdout: string;
}

/** Runs the helper with one plan (its JSON) and resolves when the helper has ended. */
export type MapiHelperRunner = (planJson: string) => Promise<MapiHelperRun>;

/**
 * With MAPI_DIALOG the call returns only when the user closes the compose window, and some clients
 * draw that window inside the helper: killing it would throw away what the user is writing. So the
 * limit is a working day — it only ends a helper that hangs for good (a provider stuck without a window).
 */
export const mapiHelperTimeoutMs = 8 * 60 * 60_000;

/** The helper prints one short line; a chatty provider DLL must not fill Kurier's memory. */
export const mapiHelperStdoutCap = 64 * 1024;

// Exit can come before the last stdout chunk; a grandchild holding the pipe must not keep us waiting.
const stdoutGraceMs = 2_000;

/** Limits of one helper run. */
export interface MapiHelperLimits {
  readonly timeoutMs?: number;
  readonly stdoutCap?: number;
}

/** A started helper as {@link watchMapiHelper} needs it: Node's ChildProcess and Electron's UtilityProcess fit. */
export interface MapiHelperProcess {
  readonly stdout: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): boolean;
}

/**
 * Collects `child`'s stdout (its last `stdoutCap` characters, where the answer line is) until it exits.
 * Past `timeoutMs` it kills the helper and rejects with `handoff.mapiFailed` (reason `timeout`).
 */
export function watchMapiHelper(child: MapiHelperProcess, limits: MapiHelperLimits = {}): Promise<MapiHelperRun> {
  const cap = limits.stdoutCap ?? mapiHelperStdoutCap;
  const timeoutMs = limits.timeoutMs ?? mapiHelperTimeoutMs;
  return new Promise((resolve, reject) => {
    let stdout = '';
    let exitCode: number | null | undefined;
    let stdoutEnded = child.stdout === null;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill();
      clearTimeout(grace);
      reject(new KurierError('handoff.mapiFailed', { reason: 'timeout', timeoutMs }));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      clearTimeout(grace);
      resolve({ exitCode: exitCode ?? null, stdout });
    };
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-cap);
    });
    child.stdout?.once('end', () => {
      stdoutEnded = true;
      if (exitCode !== undefined) finish();
    });
    child.once('exit', (code) => {
      exitCode = code;
      if (stdoutEnded) finish();
      else grace = setTimeout(finish, stdoutGraceMs);
    });
  });
}

/** How {@link nodeMapiHelperRunner} starts the helper. */
export interface NodeMapiHelperOptions extends MapiHelperLimits {
  /** The built helper entry, e.g. `out/main/mapi-helper.js`. */
  readonly helperPath: string;
  /** The program and arguments before `helperPath`; `[process.execPath]` by default (tests add a TypeScript loader). */
  readonly runtime?: readonly [string, ...string[]];
  /** Arguments after `helperPath`. */
  readonly args?: readonly string[];
  /** The helper's environment; Kurier's own by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The environment for a helper started with `process.execPath`: under Electron that binary is Kurier
 * itself, which runs the script as Node only with ELECTRON_RUN_AS_NODE (and only while the runAsNode
 * fuse is on, as in development; packaged Kurier uses the utility process instead).
 */
export function nodeHelperEnv(env: NodeJS.ProcessEnv, versions: { readonly electron?: string }): NodeJS.ProcessEnv {
  return versions.electron === undefined ? env : { ...env, ELECTRON_RUN_AS_NODE: '1' };
}

/**
 * A runner that starts the helper as a child process: an argv array and no shell, the plan on stdin.
 * Rejects with `handoff.mapiUnavailable` (reason `helperNotStarted`) when the runtime cannot start.
 */
export function nodeMapiHelperRunner(options: NodeMapiHelperOptions): MapiHelperRunner {
  const [program, ...runtimeArgs] = options.runtime ?? [process.execPath];
  return (planJson) =>
    new Promise((resolve, reject) => {
      const child = spawn(program, [...runtimeArgs, options.helperPath, ...(options.args ?? [])], {
        shell: false,
        stdio: ['pipe', 'pipe', 'ignore'],
        env: nodeHelperEnv(options.env ?? process.env, process.versions),
        // Not windowsHide: its SW_HIDE would also apply to the first window the helper shows, the
        // compose window itself.
        windowsHide: false,
      });
      // Watch only a started process: one that failed to start never exits, and its timer would linger.
      child.once('spawn', () => {
        watchMapiHelper(child, options).then(resolve, reject);
      });
      child.once('error', (error) => {
        reject(new KurierError('handoff.mapiUnavailable', { reason: 'helperNotStarted' }, { cause: error }));
      });
      // A helper that ends without reading (not Windows) closes stdin under our write: not an error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(planJson);
    });
}
