/**
 * Entry script of the Simple MAPI helper process. It reads one {@link MapiPlan} as JSON (from stdin, or
 * from the first message on `process.parentPort` when started as an Electron utility process, which has
 * no stdin), calls MAPISendMailW once and prints `{"mapiCode":N}`. Its exit codes are
 * {@link mapiHelperExitCodes}; main reads them with mapiHelperOutcome(). A provider DLL that crashes
 * takes only this process down.
 *
 * It must be built as its own entry (like main.ts and web-shell/start.ts) and runs with the bitness of
 * the runtime that starts it.
 */
import path from 'node:path';
import { mapiHelperExitCodes, parseMapiPlan } from './mapi';
import { loadMapiSendMail, type Koffi } from './mapi-koffi';
import { systemRoot } from './windows-commands';

/** The utility-process port (Electron's `process.parentPort`), typed here so nothing imports electron. */
interface ParentPort {
  once(event: 'message', listener: (message: { data: unknown }) => void): void;
}

// Read untyped: electron.d.ts, when present, declares parentPort as always there.
const port = (process as unknown as { readonly parentPort?: ParentPort }).parentPort;

function readInput(): Promise<string> {
  if (port !== undefined) {
    return new Promise((resolve) => {
      port.once('message', (message) => {
        resolve(typeof message.data === 'string' ? message.data : '');
      });
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    process.stdin.on('error', reject);
  });
}

function answer(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<number> {
  if (process.platform !== 'win32') {
    answer({ error: 'notWindows', platform: process.platform });
    return mapiHelperExitCodes.notWindows;
  }
  const plan = parseMapiPlan(await readInput());
  if (plan === null) {
    answer({ error: 'badInput' });
    return mapiHelperExitCodes.badInput;
  }
  let koffi: Koffi;
  try {
    // A variable specifier: koffi is optional, so neither tsc nor the bundler may insist on it.
    const specifier = 'koffi';
    const loaded = (await import(specifier)) as { default?: Koffi } & Koffi;
    koffi = loaded.default ?? loaded;
  } catch {
    answer({ error: 'noFfi' });
    return mapiHelperExitCodes.noFfi;
  }
  let send: ReturnType<typeof loadMapiSendMail>;
  try {
    // By absolute path: a bare name would be searched in the application's folder first. A 32-bit
    // process asking for System32 gets SysWOW64, the stub of its own bitness.
    send = loadMapiSendMail(koffi, path.win32.join(systemRoot(process.env), 'System32', 'MAPI32.dll'));
  } catch {
    answer({ error: 'noMapiLibrary' });
    return mapiHelperExitCodes.noMapiLibrary;
  }
  answer({ mapiCode: send(plan) });
  return mapiHelperExitCodes.called;
}

const exitCode = await main();
process.exitCode = exitCode;
// A utility process lives as long as its port is open: end it once the answer is out.
if (port !== undefined) process.stdout.write('', () => process.exit(exitCode));
