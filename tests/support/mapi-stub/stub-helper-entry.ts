/**
 * A helper entry for tests, started by the real Node runner: Kurier's runMapiHelper exactly as
 * mapi-helper-entry.ts runs it, except that it acts as on Windows and loads the C stand-in (the first
 * argument) instead of MAPI32.dll. Production code has no switch for this; only this file does.
 */
import { importKoffi, readAll, runMapiHelper } from '../../../electron/services/handoff/mapi-helper';

const libraryPath = process.argv[2];
if (libraryPath === undefined) throw new Error('usage: stub-helper-entry <library>');
const result = await runMapiHelper({
  platform: 'win32',
  readInput: () => readAll(process.stdin),
  loadKoffi: importKoffi,
  libraryPath,
});
process.stdout.write(`${result.line}\n`, () => process.exit(result.exitCode));
