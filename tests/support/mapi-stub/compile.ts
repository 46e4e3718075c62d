/**
 * Builds tests/support/mapi-stub/mapi-stub.c into a shared library with gcc, for the tests that call
 * Kurier's koffi binding of MAPISendMailW on Linux. gcc is on every CI machine; elsewhere the tests say
 * why they did not run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The stand-in's source. */
export const mapiStubSource = path.join(import.meta.dirname, 'mapi-stub.c');

/** A test-owned helper entry: the real runMapiHelper with platform `win32` and the stand-in. */
export const mapiStubHelperEntry = path.join(import.meta.dirname, 'stub-helper-entry.ts');

/** Why the stand-in cannot be built here, or null when gcc is available. */
export function mapiStubUnavailable(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return `the stand-in is built for linux-x64, not ${process.platform}-${process.arch}`;
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'gcc was not found on PATH';
  }
}

/** Compiles the stand-in into `dir` and returns the library's path. */
export function compileMapiStub(dir: string): string {
  const library = path.join(dir, 'libmapi-stub.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O0', '-Wall', '-Wextra', '-o', library, mapiStubSource], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return library;
}

/** The variables the stand-in reads (see mapi-stub.c). */
export const mapiStubEnv = {
  out: 'KURIER_MAPI_STUB_OUT',
  result: 'KURIER_MAPI_STUB_RESULT',
  sleepMs: 'KURIER_MAPI_STUB_SLEEP_MS',
  crash: 'KURIER_MAPI_STUB_CRASH',
} as const;
