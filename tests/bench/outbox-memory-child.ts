/**
 * The sending side of the outbox memory benchmark, in a process of its own: opens the services on fresh
 * folders, queues `count` messages straight into the outbox (all attaching the same file), samples
 * process.memoryUsage.rss() every 100 ms while the worker sends them to the SMTP server on
 * 127.0.0.1:`port`, and notes the memory when 1k, 5k and 10k (…) were sent. Prints one line
 * `RESULT {json}` and exits. The benchmark bundles it to plain JavaScript first and runs it with node,
 * as the packaged app runs its main process (no TypeScript transpiler in memory).
 *
 * argv: port attachmentPath count connections
 */

// RSS of the bare process (node alone) before any of Kurier's modules load.
const bareRss = process.memoryUsage.rss();
const { benchAccount, openBenchApp } = await import('./outbox-support');

const [portArg = '', attachment = '', countArg = '10000', connectionsArg = '2'] = process.argv.slice(2);
const count = Number(countArg);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
let start = 0;

/** Seconds since sending started, RSS, and how V8 and Buffers account for it, in MiB. */
function snapshot() {
  const m = process.memoryUsage();
  return {
    seconds: Math.round(performance.now() - start) / 1000,
    rss: mib(m.rss),
    heapTotal: mib(m.heapTotal),
    heapUsed: mib(m.heapUsed),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
  };
}

const startupRss = process.memoryUsage.rss();
const app = await openBenchApp({
  account: benchAccount(Number(portArg)),
  outbox: { connections: Number(connectionsArg), perMinute: Infinity, manualStart: true },
});
const batchId = app.queue(count, attachment);
const queuedRss = process.memoryUsage.rss();

let peak = queuedRss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 100);
const milestones = [1_000, 5_000, 10_000, 20_000, 50_000].filter((n) => n <= count);
const atSent: Record<string, ReturnType<typeof snapshot>> = {};
app.onProgress((progress) => {
  const next = milestones.find((n) => atSent[String(n)] === undefined);
  if (progress.batchId === batchId && next !== undefined && progress.counts.sent >= next) {
    const at = snapshot();
    peak = Math.max(peak, at.rss * 2 ** 20);
    atSent[String(next)] = at;
  }
});
const done = app.finished(batchId, 600_000);
start = performance.now();
app.services.worker.start();
const counts = await done;
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await app.close();
const result = {
  count,
  sent: counts.sent,
  failed: counts.failed,
  seconds,
  bareMiB: mib(bareRss),
  startupMiB: mib(startupRss),
  queuedMiB: mib(queuedRss),
  peakMiB: mib(peak),
  atSent,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);

export {};
