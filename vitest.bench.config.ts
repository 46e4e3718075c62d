import { defineConfig } from 'vitest/config';

// `npm run bench`: measurements only, written to tests/bench/results.md; never pass/fail on timings.
export default defineConfig({
  test: {
    include: ['tests/bench/**/*.bench.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
  },
});
