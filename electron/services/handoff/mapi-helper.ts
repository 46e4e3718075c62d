/**
 * What the Simple MAPI helper process does, as a function without side effects: check the platform,
 * read one {@link MapiPlan} as JSON, load koffi and MAPISendMailW, call it once and answer with one
 * line, `{"mapiCode":N}` or `{"error":…}`, and an exit code from {@link mapiHelperExitCodes} that main
 * reads with mapiHelperOutcome(). The process itself is mapi-helper-entry.ts; tests call this with a
 * stand-in library and platform `win32`.
 */
import path from 'node:path';
import { mapiHelperExitCodes, parseMapiPlan } from './mapi';
import { loadMapiSendMail, type Koffi } from './mapi-koffi';
import { systemRoot } from './windows-commands';

/** What one helper run needs from its process. */
export interface MapiHelperOptions {
  readonly platform: NodeJS.Platform;
  /** The plan's JSON; read only once the platform is known to be Windows. */
  readonly readInput: () => Promise<string>;
  /** koffi, or a rejection when it cannot be loaded. */
  readonly loadKoffi: () => Promise<Koffi>;
  /** The library that exports MAPISendMailW: {@link mapiLibraryPath} in the real helper. */
  readonly libraryPath: string;
}

/** The helper's answer: its exit code and the one line it prints. */
export interface MapiHelperResult {
  readonly exitCode: number;
  readonly line: string;
}

/**
 * The system's MAPI32.dll by absolute path: a bare name would be searched in the application's folder
 * first. A 32-bit process asking for System32 gets SysWOW64, the stub of its own bitness.
 */
export function mapiLibraryPath(env: Readonly<Record<string, string | undefined>>): string {
  return path.win32.join(systemRoot(env), 'System32', 'MAPI32.dll');
}

/** koffi from node_modules, whether it comes as an ES module namespace or as CommonJS. */
export async function importKoffi(): Promise<Koffi> {
  // A variable specifier: the bundler must leave koffi (a native package) to Node's resolution.
  const specifier = 'koffi';
  const loaded = (await import(specifier)) as { default?: Koffi } & Koffi;
  return loaded.default ?? loaded;
}

/** Everything `stream` (the helper's stdin) delivers until it ends, as UTF-8. */
export function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    stream.on('error', reject);
  });
}

/**
 * One helper run. A MAPISendMailW call that throws in JavaScript (koffi refusing a value) rejects; the
 * entry then exits with a code mapiHelperOutcome() reads as a failed helper.
 */
export async function runMapiHelper(options: MapiHelperOptions): Promise<MapiHelperResult> {
  if (options.platform !== 'win32') {
    return answer(mapiHelperExitCodes.notWindows, { error: 'notWindows', platform: options.platform });
  }
  const plan = parseMapiPlan(await options.readInput());
  if (plan === null) return answer(mapiHelperExitCodes.badInput, { error: 'badInput' });
  let koffi: Koffi;
  try {
    koffi = await options.loadKoffi();
  } catch {
    return answer(mapiHelperExitCodes.noFfi, { error: 'noFfi' });
  }
  let send: ReturnType<typeof loadMapiSendMail>;
  try {
    send = loadMapiSendMail(koffi, options.libraryPath);
  } catch {
    return answer(mapiHelperExitCodes.noMapiLibrary, { error: 'noMapiLibrary' });
  }
  return answer(mapiHelperExitCodes.called, { mapiCode: send(plan) });
}

function answer(exitCode: number, line: object): MapiHelperResult {
  return { exitCode, line: JSON.stringify(line) };
}
