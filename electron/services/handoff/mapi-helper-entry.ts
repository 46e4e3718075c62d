/**
 * Entry script of the Simple MAPI helper process (see mapi-helper.ts for what it does). It reads the
 * plan from stdin, or from the first message on `process.parentPort` when started as an Electron
 * utility process, which has no stdin. A provider DLL that crashes takes only this process down.
 *
 * It is built as its own entry (`mapi-helper` in electron.vite.config.ts, next to main and web-shell)
 * and runs with the bitness of the runtime that starts it.
 */
import { importKoffi, mapiLibraryPath, readAll, runMapiHelper } from './mapi-helper';

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
  return readAll(process.stdin);
}

const result = await runMapiHelper({
  platform: process.platform,
  readInput,
  loadKoffi: importKoffi,
  libraryPath: mapiLibraryPath(process.env),
});
// Exit explicitly once the line is out: a utility process lives as long as its port is open, and on
// Windows a pipe write completes asynchronously.
process.stdout.write(`${result.line}\n`, () => process.exit(result.exitCode));
