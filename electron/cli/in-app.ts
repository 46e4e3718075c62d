/**
 * The `kurier` command line run by the app binary itself (`Kurier --cli -- ARGS`, see invocation.ts):
 * the packaged app has no Node to run bin/kurier.mjs, so main hands the arguments to the same {@link run}
 * before it takes the single-instance lock or opens a window. Output goes to the process's stdout and
 * stderr as the checkout's command writes it; main exits with the code returned (0, 1 or 2).
 */
import { run } from './kurier';

/** Where the app keeps what the command needs. */
export interface InAppOptions {
  /** The fonts in the app's resources (the asar archive cannot hold them for PDFKit). */
  readonly fontDir: string;
}

/** Runs one command; resolves with the exit code once everything written has been handed to the OS. */
export async function runInApp(args: readonly string[], options: InAppOptions): Promise<number> {
  // A reader that stops early (`kurier documents | head`) is not an error of ours: what is left is dropped.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`kurier: ${error.message}\n`);
  });
  let code: number;
  try {
    code = await run(args, { fontDir: options.fontDir });
  } catch (error) {
    // What Node prints for an uncaught error when the command runs from the checkout, with its exit code.
    process.stderr.write(`kurier: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = 1;
  }
  // Pipes are asynchronous on Windows: exiting at once could cut the output a calling program reads.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  return code;
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else
      stream.write('', () => {
        resolve();
      });
  });
}
