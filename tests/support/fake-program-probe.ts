/** A ProgramProbe over a made-up computer: listed files and folders exist, listed queries answer. */
import type { ProgramProbe } from '../../electron/services/handoff/program-probe';

/** What the fake computer has, and every query it was asked (argv joined with a space). */
export function fakeProgramProbe(computer: {
  readonly files?: readonly string[];
  readonly dirs?: readonly string[];
  /** argv joined with single spaces → stdout; anything else answers null (exit 1, as reg.exe does). */
  readonly answers?: Readonly<Record<string, string>>;
  /** Path → content of the files it can read. */
  readonly texts?: Readonly<Record<string, string>>;
}): ProgramProbe & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    isExecutableFile: (path) => Promise.resolve(computer.files?.includes(path) ?? false),
    isDirectory: (path) => Promise.resolve(computer.dirs?.includes(path) ?? false),
    readText: (path) => Promise.resolve(computer.texts?.[path] ?? null),
    query: (argv) => {
      const key = argv.join(' ');
      asked.push(key);
      return Promise.resolve(computer.answers?.[key] ?? null);
    },
  };
}
