/**
 * Runs once before all tests. Builds the app (`out/`: the renderer the web shell serves, and the main
 * and preload bundles Electron launches) when an end-to-end or Electron test is part of the run, so
 * those never drive a stale build. Unit and integration runs skip the build.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const needsBuild = ['e2e', 'electron'].map((tier) => path.join(repoRoot, 'tests', tier) + path.sep);

/** Builds the app with electron-vite (argv array, no shell). */
export function buildApp(): void {
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The file filters given on the command line (`vitest run tests/unit`). Vitest keeps them on the
 * instance as `filenamePattern` (not in its public types) and sets them before global setup runs;
 * without them every test file counts as selected, which only means building when it was not needed.
 */
function commandLineFilters(project: TestProject): string[] | undefined {
  const { filenamePattern } = project.vitest as unknown as { filenamePattern?: unknown };
  return Array.isArray(filenamePattern)
    ? filenamePattern.filter((item) => typeof item === 'string')
    : project.vitest.config.filters;
}

/** Builds when the files this run selects (config globs plus CLI filters) include an e2e or Electron test. */
export async function setup(project: TestProject): Promise<void> {
  const { testFiles } = await project.globTestFiles(commandLineFilters(project));
  if (!testFiles.some((file) => needsBuild.some((dir) => path.resolve(file).startsWith(dir)))) return;
  buildApp();
  // Watch mode: a rerun should see the current renderer sources too.
  project.onTestsRerun(() => {
    buildApp();
  });
}
