import { defineConfig } from 'vitest/config';

// `npm run bench`: measurements only, written to tests/bench/results.md; never pass/fail on timings.
export default defineConfig({
  test: {
    include: ['tests/bench/**/*.bench.ts'],
    globalSetup: ['tests/bench/results-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
