/**
 * A small timing harness: runs a function repeatedly and reports mean, median, p95 and throughput.
 * Results are written as Markdown (tests/bench/results.md) and printed; nothing is asserted.
 *
 * The file is started once per `npm run bench` by {@link startRun} (vitest global setup); each bench
 * file then appends its own section: the standard timing table ({@link startResults} + {@link record})
 * or a table with its own columns ({@link startTable} + {@link row}), plus free-text notes ({@link note}).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One measured row. */
export interface Measurement {
  readonly name: string;
  readonly iterations: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly perSecond: number;
  readonly rssMiB: number;
}

const resultsPath = path.join(import.meta.dirname, 'results.md');

/** Runs `fn` `iterations` times after `warmup` runs and returns the statistics. */
export async function measure(name: string, iterations: number, fn: () => Promise<unknown>, warmup = 3): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  return {
    name,
    iterations,
    meanMs: mean,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    p95Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0,
    perSecond: 1000 / mean,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  };
}

/** Appends to the results file and prints the same text. */
function emit(text: string): void {
  appendFileSync(resultsPath, text);
  process.stdout.write(text);
}

/** Starts a fresh results file with a header naming the machine (once per run, from global setup). */
export function startRun(title = 'Kurier benchmarks'): void {
  writeFileSync(
    resultsPath,
    `# ${title}\n\nNode ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}\n`,
  );
}

/** Starts a section with the standard timing table; rows follow with {@link record}. */
export function startResults(title: string): void {
  startTable(title, ['benchmark', 'iterations', 'mean ms', 'median ms', 'p95 ms', 'per second', 'RSS MiB']);
}

/** Appends a timing row to the results file and prints it. */
export function record(m: Measurement): void {
  row([
    m.name,
    m.iterations,
    m.meanMs.toFixed(1),
    m.medianMs.toFixed(1),
    m.p95Ms.toFixed(1),
    m.perSecond.toFixed(1),
    m.rssMiB.toFixed(0),
  ]);
}

/** Starts a section with a table of the given columns (the first left-aligned, the rest right-aligned). */
export function startTable(title: string, columns: readonly string[]): void {
  emit(`\n## ${title}\n\n| ${columns.join(' | ')} |\n|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|\n`);
}

/** Appends one table row (numbers as given: format them first). */
export function row(cells: readonly (string | number)[]): void {
  emit(`| ${cells.map(String).join(' | ')} |\n`);
}

/** Appends a paragraph after the current table (how it was measured, what a number means). */
export function note(text: string): void {
  emit(`\n${text}\n`);
}
