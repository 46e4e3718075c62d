/**
 * The outbox (bulk sending) measured on 127.0.0.1. Reported, never asserted on timings:
 *
 * 1. Throughput — 1,000 messages with a 60 KiB PDF-like attachment, no rate limit (outbox.perMinute
 *    Infinity), to Postfix's smtp-sink; against Postfix's smtp-source sending the same count and size over
 *    the same number of connections (the practical ceiling of a client), and a naive nodemailer sender
 *    (non-pooled transport: a new connection per message, one after the other).
 * 2. Pacing — 300 messages to a server that accepts 120 per rolling 10 s and answers 450 beyond that,
 *    with the outbox's ceiling above it: delivered fraction, duplicates, achieved rate against the limit.
 * 3. Memory — peak RSS of a separate sending process for a 10,000-message batch to smtp-sink.
 *
 * Messages are queued with OutboxStore.createBatch, every row pointing at the same attachment file (a
 * ~60 KB PDF is the large end of the demo documents): no PDF is rendered per message, so these numbers are
 * the outbox and SMTP alone. Rendering is measured in export.bench.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServicesOptions } from '../../electron/services/app-services';
import { createTestCertificate, type TestCertificate } from '../support/certificates';
import { startFaultySmtpServer } from '../support/faulty-smtp-server';
import { postfixToolsAvailable, runSmtpSource, startSmtpSink, type SmtpSink } from '../support/postfix-sink';
import { flakyServerRun, flakySimulation } from './flaky-pace';
import { note, row, startTable } from './measure';
import { attachmentBytes, benchAccount, benchMessages, benchSender, openBenchApp, writeAttachment } from './outbox-support';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const memoryChild = path.join(import.meta.dirname, 'outbox-memory-child.ts');
// Two levels below the repository root, as tests/bench is: outbox-support finds build/fonts from where it is.
const bundleDir = path.join(repoRoot, '.cache', 'bench');
const bundledChild = path.join(bundleDir, 'outbox-memory-child.mjs');

const throughputMessages = 1_000;
/** Runs per configuration; the median is reported. */
const runs = 3;

let sink: SmtpSink;
let workDir: string;
let attachment: string;
let certificate: TestCertificate;
/** Bytes of one message as the outbox composes it (the attachment in base64, the text and HTML parts, the headers). */
let messageBytes: number;

/** Login and password of the faulty server's account. */
const login = { username: 'ucetni@kancelar.example', password: 'správné-heslo' };

beforeAll(async () => {
  if (!postfixToolsAvailable) return;
  sink = await startSmtpSink();
  workDir = mkdtempSync(path.join(tmpdir(), 'kurier-bench-outbox-'));
  attachment = writeAttachment(workDir);
  certificate = createTestCertificate();
  messageBytes = await sentMessageBytes();
});

afterAll(async () => {
  if (postfixToolsAvailable) await sink.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** The size of one message as Kurier really sends it: one through the outbox to a server that records it. */
async function sentMessageBytes(): Promise<number> {
  const smtp = await startFaultySmtpServer({ certificate });
  const app = await openBenchApp({
    account: benchAccount(smtp.port, { username: login.username, trustedCertificate: certificate.cert }),
    password: login.password,
    outbox: { connections: 1, manualStart: true },
  });
  try {
    const done = app.finished(app.queue(1, attachment), 20_000);
    app.services.worker.start();
    await done;
    const [message] = smtp.received;
    if (!message) throw new Error('the message did not arrive');
    return message.sizeBytes;
  } finally {
    await app.close();
    await smtp.close();
  }
}

/** CPU time spent per message in the throughput runs (µs), by what was measured; the median is reported. */
const cpuPerMessage = new Map<string, number[]>();
const recordCpu = (key: string, microseconds: number, messages: number) => {
  cpuPerMessage.set(key, [...(cpuPerMessage.get(key) ?? []), microseconds / messages]);
};

/** User + system CPU time of process `pid` in µs, from /proc (clock ticks of 10 ms); 0 where unreadable. */
function processCpuMicros(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const fixed = (value: number, digits = 1) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');

/** Seconds Kurier's outbox takes to send `count` messages over `connections` to smtp-sink (worker start to batch done). */
async function kurierRun(count: number, connections: number): Promise<number> {
  const app = await openBenchApp({
    account: benchAccount(sink.port),
    outbox: { connections, perMinute: Infinity, manualStart: true },
  });
  try {
    const batchId = app.queue(count, attachment);
    const done = app.finished(batchId, 120_000);
    const sinkCpu = processCpuMicros(sink.pid);
    const ownCpu = process.cpuUsage();
    const loop = performance.eventLoopUtilization();
    const start = performance.now();
    app.services.worker.start();
    const counts = await done;
    const seconds = (performance.now() - start) / 1000;
    const own = process.cpuUsage(ownCpu);
    if (count === throughputMessages) {
      recordCpu(`kurier ${String(connections)}`, own.user + own.system, count);
      const sinkMicros = processCpuMicros(sink.pid) - sinkCpu;
      recordCpu(`sink-kurier ${String(connections)}`, sinkMicros, count);
      // Shares of the run's wall time, in percent, kept in the same map (as "per 1 message").
      recordCpu(`loop-busy ${String(connections)}`, 100 * performance.eventLoopUtilization(loop).utilization, 1);
      recordCpu(`sink-busy ${String(connections)}`, sinkMicros / (seconds * 1e4), 1);
    }
    expect(counts).toMatchObject({ sent: count, failed: 0, uncertain: 0 });
    return seconds;
  } finally {
    await app.close();
  }
}

/** Seconds a naive sender takes: nodemailer's default (non-pooled) transport, one message after another. */
async function naiveRun(count: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    logger: false,
  });
  const messages = benchMessages(count, attachment, Date.now());
  const start = performance.now();
  for (const message of messages) {
    await transport.sendMail({
      from: { name: benchSender.name, address: benchSender.address },
      to: { name: message.recipientName, address: message.recipient },
      subject: message.subject,
      text: message.body,
      messageId: message.messageId,
      attachments: [{ path: message.attachmentPath, filename: message.attachmentName, contentType: 'application/pdf' }],
    });
  }
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return seconds;
}

/**
 * Bundles the memory child into plain JavaScript, as the packaged app's main process is (electron-vite:
 * Kurier's own modules in the bundle, the npm packages imported from node_modules at run time), so the
 * measured process carries no TypeScript transpiler.
 */
async function bundleMemoryChild(): Promise<void> {
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'warn',
    build: {
      ssr: memoryChild,
      outDir: bundleDir,
      emptyOutDir: true,
      target: 'node24',
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name].mjs' } },
    },
  });
}

/** Runs the bundled memory child with plain node and `args`; resolves with its stdout. */
function runChild(args: readonly string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [bundledChild, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`memory child exited with ${String(code ?? signal)}: ${err.slice(-2000)}`));
    });
  });
}

/** Median seconds of `runs` runs. */
async function medianOf(run: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await run());
  return median(times);
}

/** This run's numbers for the before/after table of issue 18 (written once every test of the file ran). */
const after = { fraction2: Number.NaN, overNaive: Number.NaN, paced: [] as number[], peakMiB: Number.NaN };

/**
 * Before issue 18 the outbox took nodemailer's socket over after the login and spoke the message phase
 * itself, with the next envelope behind each final dot. Measured with that code: the issue's figure, and
 * `npm run bench` on the untouched branch on 2026-12-05 (a shared 2-core machine, busy).
 */
const before = {
  issue: { fraction2: 0.96 },
  measured: { fraction2: 0.72, overNaive: 4.36, paced: [0.97, 0.97], peakMiB: 170.0 },
};

describe.skipIf(!postfixToolsAvailable)('outbox', () => {
  afterAll(() => {
    const paced = (values: readonly number[]) => values.map((value) => fixed(value, 2)).join(' / ');
    startTable('Outbox before and after issue 18 (one SMTP session on nodemailer’s public API)', [
      'measure',
      'before: issue 18',
      'before: measured here (untouched branch)',
      'after: this run',
      'target',
    ]);
    row([
      'Kurier at 2 connections ÷ smtp-source -d at 2',
      fixed(before.issue.fraction2, 2),
      fixed(before.measured.fraction2, 2),
      fixed(after.fraction2, 2),
      `≥ 0.50: ${met(after.fraction2 >= 0.5)}`,
    ]);
    row([
      'Kurier at 2 connections ÷ naive nodemailer (speed-up)',
      '—',
      `${fixed(before.measured.overNaive, 2)}×`,
      `${fixed(after.overNaive, 2)}×`,
      `≥ 3×: ${met(after.overNaive >= 3)}`,
    ]);
    row([
      'achieved rate ÷ provider limit (120 per 10 s; 1 / 2 connections)',
      '—',
      paced(before.measured.paced),
      paced(after.paced),
      `≥ 0.95: ${met(after.paced.length > 0 && after.paced.every((value) => value >= 0.95))}`,
    ]);
    row([
      'peak RSS sending 10,000 messages (MiB, separate process)',
      '—',
      fixed(before.measured.peakMiB),
      fixed(after.peakMiB),
      `< 190.7: ${met(after.peakMiB < 200_000_000 / 2 ** 20)}`,
    ]);
    note(
      'What the simpler core costs: the outbox no longer owns the socket after the login (nodemailer’s private `_socket`, ' +
        '`_onSocketData`, `_maxAllowedSize` are gone), so the next envelope no longer rides behind the final dot and nodemailer ' +
        'dot-stuffs each message in its stream. The fastest provider allows about 10 messages a second; what a user feels is ' +
        'the achieved rate against that limit, the last row.',
    );
  });
  it('throughput to smtp-sink against smtp-source and a naive sender', { timeout: 240_000 }, async () => {
    // Warm up the JIT and the loopback path; not recorded.
    await kurierRun(200, 2);
    await runSmtpSource({ port: sink.port, sessions: 2, messages: 200, payloadBytes: messageBytes, reuse: true });

    const source = (sessions: number, reuse: boolean) => async () => {
      const sinkCpu = processCpuMicros(sink.pid);
      const run = await runSmtpSource({
        port: sink.port,
        sessions,
        messages: throughputMessages,
        payloadBytes: messageBytes,
        reuse,
      });
      if (reuse) recordCpu(`sink-source ${String(sessions)}`, processCpuMicros(sink.pid) - sinkCpu, throughputMessages);
      return run.seconds;
    };
    const results: { name: string; connections: number; seconds: number; ceiling: number | null }[] = [];
    for (const connections of [1, 2]) {
      const ceiling = await medianOf(source(connections, true));
      results.push({ name: 'smtp-source -d (connection kept; the ceiling)', connections, seconds: ceiling, ceiling: null });
      results.push({
        name: 'Kurier outbox',
        connections,
        seconds: await medianOf(() => kurierRun(throughputMessages, connections)),
        ceiling,
      });
    }
    const ceiling1 = results.find((r) => r.connections === 1 && r.ceiling === null)?.seconds ?? 0;
    const ceiling2 = results.find((r) => r.connections === 2 && r.ceiling === null)?.seconds ?? 0;
    results.push({
      name: 'smtp-source without -d (new connection per message)',
      connections: 2,
      seconds: await medianOf(source(2, false)),
      ceiling: ceiling2,
    });
    results.push({
      name: 'naive nodemailer (non-pooled, new connection per message, sequential)',
      connections: 1,
      seconds: await medianOf(() => naiveRun(throughputMessages)),
      ceiling: ceiling1,
    });

    startTable(
      `Outbox throughput: ${fixed(throughputMessages, 0)} messages of ${fixed(messageBytes / 1024)} KiB to smtp-sink, no rate limit`,
      ['sender', 'connections', 'runs', 'median s', 'msg/s', 'MiB/s', 'fraction of smtp-source -d (same connections)'],
    );
    for (const r of results) {
      const rate = throughputMessages / r.seconds;
      row([
        r.name,
        r.connections,
        runs,
        fixed(r.seconds, 2),
        fixed(rate, 0),
        fixed((rate * messageBytes) / 2 ** 20),
        r.ceiling === null ? '1.00' : fixed(r.ceiling / r.seconds, 2),
      ]);
    }
    const kurier2 = results.find((r) => r.name === 'Kurier outbox' && r.connections === 2);
    const fraction = kurier2 ? ceiling2 / kurier2.seconds : 0;
    const naive = results.find((r) => r.name.startsWith('naive'));
    after.fraction2 = fraction;
    after.overNaive = kurier2 && naive ? naive.seconds / kurier2.seconds : 0;
    note(
      `Each message: a ${fixed(attachmentBytes / 1024, 0)} KiB PDF-like attachment (written once, every outbox row points at it; ` +
        `queued with OutboxStore.createBatch), ${fixed(messageBytes / 1024)} KiB as sent (text and HTML parts, base64 attachment, headers: measured by sending one through ` +
        `the outbox to a server that records it); smtp-source sends ` +
        `\`-l ${String(messageBytes)}\` bytes of payload (plus its own few headers). Kurier: account with security 'none', no login, ` +
        `\`outbox.perMinute: Infinity\`, the daily cap at the preferences' 100,000 (so its per-message check runs); timed from ` +
        `worker start to the batch's 'done' event, every row 'sent'. Target (issue 18): Kurier at 2 connections ≥ 0.5 of smtp-source: ` +
        `${fixed(fraction, 2)}, ${met(fraction >= 0.5)}; ≥ 3× the naive sender: ${fixed(after.overNaive, 2)}×, ${met(after.overNaive >= 3)}.`,
    );

    const cpu = (key: string) => median(cpuPerMessage.get(key) ?? []);
    startTable('Outbox throughput: CPU time per message in the runs above (median, µs), and how busy each side was', [
      'connections',
      'smtp-sink, serving smtp-source -d',
      'smtp-sink, serving Kurier',
      'Kurier’s process (all its threads)',
      `ceiling for Kurier + smtp-sink on ${String(availableParallelism())} cores (msg/s)`,
      'Kurier’s event loop busy',
      'smtp-sink busy (serving Kurier)',
    ]);
    for (const connections of [1, 2]) {
      const both = cpu(`kurier ${String(connections)}`) + cpu(`sink-kurier ${String(connections)}`);
      row([
        connections,
        fixed(cpu(`sink-source ${String(connections)}`), 0),
        fixed(cpu(`sink-kurier ${String(connections)}`), 0),
        fixed(cpu(`kurier ${String(connections)}`), 0),
        both > 0 ? fixed((availableParallelism() * 1e6) / both, 0) : '?',
        `${fixed(cpu(`loop-busy ${String(connections)}`), 0)} %`,
        `${fixed(cpu(`sink-busy ${String(connections)}`), 0)} %`,
      ]);
    }
    note(
      'User + system CPU time over each timed run divided by its messages: smtp-sink’s from /proc/<pid>/stat (10 ms ticks), ' +
        'Kurier’s from process.cpuUsage() of the benchmark process (the outbox, its SQLite checkpoint thread, V8’s helpers). ' +
        'Kurier and smtp-sink share the machine’s cores (as smtp-source and smtp-sink do in its runs); the "ceiling" column is the ' +
        'rate at which the cores could do the work of both if neither ever waited for the other. The last two columns are shares ' +
        'of the run’s wall time: the outbox’s event loop (performance.eventLoopUtilization) and smtp-sink’s CPU. Since issue 18 ' +
        'each message goes through nodemailer’s public SMTPConnection.send on a kept, logged-in connection: the envelope ' +
        '(MAIL FROM, RCPT TO, DATA) pipelined when the server offers PIPELINING, then the message, dot-stuffed by nodemailer’s ' +
        'stream — no longer the next envelope behind the final dot on a socket taken from nodemailer. Both sides wait for each ' +
        'other (one message in flight per connection, two connections) on two shared cores, and the outbox spends CPU per message ' +
        '(SQLite’s row updates and their write-ahead-log pages, checkpointed on a thread of their own).',
    );
  });

  it('paces itself under a server limit of 120 messages per 10 s', { timeout: 150_000 }, async () => {
    const limit = { messages: 120, windowMs: 10_000 };
    const batchSize = 300;
    const ceilingPerMinute = 1_200;
    const pacer = { cooldownMs: 500, maxCooldownMs: 1_000, recoveryMs: 5_000 };
    const retry = { baseMs: 250, maxMs: 1_000, maxAttempts: 40 };
    // Pacer and retry times shortened for a 10 s window (the defaults — 60 s cooldown up to 30 min, 30 s
    // first retry — are for providers' minute-to-day windows); the algorithm is the app's. Chosen as the best
    // of a few tried (cooldown 0.5–10 s, cap 1–300 s, 2–10 successes per step): longer cooldowns leave the
    // window unused after it frees, and the pace, halved per 450, climbs back only step by step.
    const tuning: NonNullable<AppServicesOptions['outbox']> = {
      perMinute: ceilingPerMinute,
      pacer,
      retry,
      manualStart: true,
    };
    const limitPerSecond = limit.messages / (limit.windowMs / 1000);
    // The fastest any client can be: a full window at once, then a full window each time the first ages out.
    const fastestSeconds = (Math.floor((batchSize - 1) / limit.messages) * limit.windowMs) / 1000;
    startTable(
      `Outbox pacing: ${String(batchSize)} messages, server limit ${String(limit.messages)} per rolling ${String(limit.windowMs / 1000)} s ` +
        `(450 beyond it), outbox ceiling ${fixed(ceilingPerMinute, 0)}/min`,
      [
        'connections',
        'delivered',
        'duplicates',
        '450 answers',
        'seconds',
        'msg/s',
        'rate ÷ limit',
        `fastest possible (${String(fastestSeconds)} s) ÷ seconds`,
      ],
    );
    const fractions: number[] = [];
    for (const connections of [1, 2]) {
      const smtp = await startFaultySmtpServer({ certificate, faults: { rateLimit: limit } });
      const app = await openBenchApp({
        account: benchAccount(smtp.port, { username: login.username, trustedCertificate: certificate.cert }),
        password: login.password,
        outbox: { ...tuning, connections },
      });
      try {
        const batchId = app.queue(batchSize, attachment);
        const done = app.finished(batchId, 100_000);
        const start = Date.now();
        app.services.worker.start();
        const counts = await done;
        const rows = new Set(
          (await app.services.batches.history({ status: 'all', text: '', batchId, limit: 10_000 })).map((r) => r.messageId),
        );
        const received = new Map<string, number>();
        for (const message of smtp.received) received.set(message.messageId, (received.get(message.messageId) ?? 0) + 1);
        const delivered = [...received.keys()].filter((id) => rows.has(id)).length;
        const duplicates = [...received.values()].filter((n) => n > 1).length;
        const seconds = (Math.max(...smtp.received.map((m) => m.acceptedAt)) - start) / 1000;
        const rate = delivered / seconds;
        fractions.push(rate / limitPerSecond);
        after.paced.push(rate / limitPerSecond);
        row([
          connections,
          `${String(delivered)}/${String(batchSize)} (${fixed((100 * delivered) / batchSize, 0)}%)`,
          duplicates,
          smtp.stats().mailFromCount - smtp.received.length,
          fixed(seconds),
          fixed(rate),
          fixed(rate / limitPerSecond, 2),
          fixed(fastestSeconds / seconds, 2),
        ]);
        expect(counts.sent).toBe(batchSize);
      } finally {
        await app.close();
        await smtp.close();
      }
    }
    note(
      'The server (tests/support/faulty-smtp-server.ts, STARTTLS + AUTH) answers MAIL FROM with "450 4.7.0 Too many messages, slow down" ' +
        'once 120 messages were accepted in the last 10 s. The pacer starts at its ceiling, halves the pace on each 450 and waits a ' +
        `cooldown (here ${String(pacer.cooldownMs / 1000)} s, doubling per further 450 up to ${String(pacer.maxCooldownMs / 1000)} s; ` +
        `the app's default is 60 s up to 10 min), then adds a tenth of the ceiling per success and climbs back to the ceiling ` +
        `within ${String(pacer.recoveryMs / 1000)} s of quiet (default 3 min); the refused message is retried (here after ${String(retry.baseMs / 1000)} s, doubling up to ` +
        `${String(retry.maxMs / 1000)} s). With the defaults merely scaled to the 10 s window (cooldown 10 s, first retry 5 s) a ` +
        'trial run reached 0.60. "rate ÷ limit" is messages delivered per ' +
        'second, from worker start to the last acceptance, over 12/s: a client pacing at exactly the limit scores 1.0; the empty ' +
        'window at the start lets a client burst, so the fastest possible schedule scores 1.25. A 450 for a message already in ' +
        `flight on the other connection during a cooldown is the same overload and does not slow the pacer down again. Targets: 100% delivered, 0 duplicates, rate ≥ 0.9 of the limit: ${fractions.map((f) => fixed(f, 2)).join(' (1 connection), ')} ` +
        `(2 connections) — 1 connection ${met((fractions[0] ?? 0) >= 0.9)}, 2 connections ${met((fractions[1] ?? 0) >= 0.9)}.`,
    );
  });

  it('keeps the pace against a server refusing 20 % of MAIL FROM with 421', { timeout: 150_000 }, async () => {
    const real = await flakyServerRun({ certificate, login, attachment, messages: 100, seed: 22 });
    const simulated = flakySimulation(20);
    startTable('Outbox pacing against a flaky server: 100 messages, 20 % of MAIL FROM answered "421 4.3.0"', [
      'run',
      'delivered',
      'duplicates',
      '421 answers',
      'achieved ÷ configured pace',
    ]);
    row([
      `flaky 421 server: achieved ÷ configured pace (real time, ${fixed(real.perMinute, 0)}/min, times scaled 1/30)`,
      `${String(real.delivered)}/100`,
      real.duplicates,
      real.refusals,
      fixed(real.achievedRatio, 2),
    ]);
    row([
      'flaky 421 server: achieved ÷ configured pace (virtual clock, 20/min, app defaults, median of 20 seeds)',
      '100/100',
      0,
      '—',
      fixed(simulated.median, 2),
    ]);
    row(['the same, worst of the 20 seeds', '100/100', 0, '—', fixed(simulated.worst, 2)]);
    note(
      'A lone 421 puts only its message back (retried after half the first backoff step) and keeps the pace; three in a row with no ' +
        'success between halve it; it climbs back per success and with quiet time. "achieved" is messages delivered per minute from worker ' +
        `start to the last acceptance. Target ≥ 0.7: real time ${met(real.achievedRatio >= 0.7)}, virtual clock ${met(simulated.worst >= 0.7)}. ` +
        'Before issue 22 every 421 halved the pace: the same simulation gave 0.04–0.05 (the issue measured 0.93/min of 20).',
    );
    expect(real.delivered).toBe(100);
    expect(real.duplicates).toBe(0);
  });

  it('keeps memory flat sending 10,000 messages (separate process)', { timeout: 300_000 }, async () => {
    const count = 10_000;
    const connections = 2;
    await bundleMemoryChild();
    const output = await runChild([String(sink.port), attachment, String(count), String(connections)]);
    const line = output.split('\n').find((text) => text.startsWith('RESULT '));
    if (!line) throw new Error(`no RESULT from the memory child: ${output}`);
    interface Snapshot {
      seconds: number;
      rss: number;
      heapTotal: number;
      heapUsed: number;
      external: number;
    }
    const result = JSON.parse(line.slice('RESULT '.length)) as {
      sent: number;
      seconds: number;
      bareMiB: number;
      startupMiB: number;
      queuedMiB: number;
      peakMiB: number;
      atSent: Record<string, Snapshot>;
    };
    expect(result.sent).toBe(count);
    after.peakMiB = result.peakMiB;
    const at = (n: number) => result.atSent[String(n)];
    const a1 = at(1_000);
    const a5 = at(5_000);
    const a10 = at(10_000);
    startTable(
      `Outbox memory: ${fixed(count, 0)} messages to smtp-sink, ${String(connections)} connections, sending process on its own (MiB)`,
      ['point', 'RSS', 'V8 heap total', 'V8 heap used', 'external (Buffers)', 'seconds since start'],
    );
    row(['node, before Kurier loads', fixed(result.bareMiB), '', '', '', '']);
    row(['services open (after imports)', fixed(result.startupMiB), '', '', '', '']);
    row([`${fixed(count, 0)} rows queued`, fixed(result.queuedMiB), '', '', '', '0']);
    for (const [label, snap] of [
      ['1,000 sent', a1],
      ['5,000 sent', a5],
      ['10,000 sent', a10],
    ] as const) {
      if (snap)
        row([label, fixed(snap.rss), fixed(snap.heapTotal), fixed(snap.heapUsed), fixed(snap.external), fixed(snap.seconds)]);
    }
    row(['**peak (sampled every 100 ms)**', `**${fixed(result.peakMiB)}**`, '', '', '', fixed(result.seconds)]);
    const segment = (from: number | undefined, to: number | undefined, messages: number) =>
      from !== undefined && to !== undefined ? fixed(messages / (to - from), 0) : '?';
    const flat = a1 && a10 ? a10.rss - a1.rss : Number.NaN;
    note(
      `RSS changes by ${fixed(flat)} MiB from 1,000 to 10,000 sent (flat, taken as < 20 MiB: ${met(Math.abs(flat) < 20)}); peak ` +
        `${fixed(result.peakMiB)} MiB (target < 200 MB ≈ 190.7 MiB: ${met(result.peakMiB < 200_000_000 / 2 ** 20)}), of which node ` +
        `alone takes ${fixed(result.bareMiB)} MiB. The child is bundled to plain JavaScript with vite before it runs and is started ` +
        'with plain node, as electron-vite builds the packaged main process (Kurier’s own modules in the bundle, npm packages loaded ' +
        'from node_modules); earlier results ran it under jiti, whose transpiler alone added some 10 MiB (53.4 MiB bare then). At 10,000 ' +
        `sent V8 uses ${a10 ? fixed(a10.heapUsed) : '?'} MiB of the ${a10 ? fixed(a10.heapTotal) : '?'} MiB heap it has reserved. ` +
        'Each message is composed into one Buffer (the attachment read in one call and written into it as base64) instead of ' +
        'a tree of streams, so the garbage collector needs far less headroom than before (152 MiB heap reserved against 22 MiB used, ' +
        'then); with the streams, a trial run of 2,000 messages peaked at 136 MiB with `--max-old-space-size=96`, at 175 MiB with ' +
        '`--max-semi-space-size=4` and ' +
        `at 277 MiB without. Send rate over the run: ${segment(0, a1?.seconds, 1_000)} msg/s for the first 1,000, ` +
        `${segment(a1?.seconds, a5?.seconds, 4_000)} msg/s from 1k to 5k, ${segment(a5?.seconds, a10?.seconds, 5_000)} msg/s from 5k to 10k ` +
        `(${fixed(count / result.seconds, 0)} msg/s overall).`,
    );
  });
});
