/** Vitest global setup of `npm run bench`: starts tests/bench/results.md once; each bench file appends its section. */
import { startRun } from './measure';

export function setup(): void {
  startRun();
}
