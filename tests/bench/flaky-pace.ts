/**
 * Issue 22's measure: a server that answers 421 to one MAIL FROM in five, and the pace the outbox
 * achieves against it, divided by the pace configured. Two ways:
 *
 * - real time: 100 messages through the real outbox to the fault-injecting server, with the app's pacer
 *   and retry times scaled down by the ratio of the paces (20/min → 600/min: everything 30× shorter), so
 *   the run takes seconds instead of minutes;
 * - virtual clock: the same 100 messages at the real defaults (20/min, 30 s first retry, 60 s cooldown),
 *   over 20 seeds, through the same pacer and disposition (tests/support/pace-simulation.ts).
 */
import { seededRandom } from '../support/hostile-text';
import { startFaultySmtpServer } from '../support/faulty-smtp-server';
import type { TestCertificate } from '../support/certificates';
import { simulatePace } from '../support/pace-simulation';
import { benchAccount, openBenchApp } from './outbox-support';

/** One measured run. */
export interface FlakyPaceRun {
  readonly delivered: number;
  readonly duplicates: number;
  readonly refusals: number;
  readonly achievedRatio: number;
}

const refusal = '421 4.3.0 Temporary System Problem. Try again later';

/** 100 messages to a server refusing 20 % of MAIL FROM, in real time; see the file comment. */
export async function flakyServerRun(options: {
  readonly certificate: TestCertificate;
  readonly login: { readonly username: string; readonly password: string };
  readonly attachment: string;
  readonly messages: number;
  readonly seed: number;
}): Promise<FlakyPaceRun & { readonly perMinute: number }> {
  const perMinute = 600;
  // The app's defaults (tuned for 20/min) divided by 600 / 20.
  const scale = 20 / perMinute;
  const random = seededRandom(options.seed);
  const smtp = await startFaultySmtpServer({
    certificate: options.certificate,
    faults: { atMailFrom: () => (random() < 0.2 ? refusal : null) },
  });
  const app = await openBenchApp({
    account: benchAccount(smtp.port, { username: options.login.username, trustedCertificate: options.certificate.cert }),
    password: options.login.password,
    outbox: {
      connections: 1,
      perMinute,
      manualStart: true,
      pacer: {
        cooldownMs: 60_000 * scale,
        maxCooldownMs: 600_000 * scale,
        refusalWindowMs: 300_000 * scale,
        recoveryMs: 180_000 * scale,
      },
      retry: { baseMs: 30_000 * scale, maxMs: 1_800_000 * scale, maxAttempts: 8 },
    },
  });
  try {
    const batchId = app.queue(options.messages, options.attachment);
    const done = app.finished(batchId, 120_000);
    const start = Date.now();
    app.services.worker.start();
    await done;
    const received = new Map<string, number>();
    for (const message of smtp.received) received.set(message.messageId, (received.get(message.messageId) ?? 0) + 1);
    const minutes = (Math.max(...smtp.received.map((m) => m.acceptedAt)) - start) / 60_000;
    return {
      perMinute,
      delivered: received.size,
      duplicates: [...received.values()].filter((n) => n > 1).length,
      refusals: smtp.stats().mailFromCount - smtp.received.length,
      achievedRatio: received.size / minutes / perMinute,
    };
  } finally {
    await app.close();
    await smtp.close();
  }
}

/** The same on a virtual clock at the real defaults, over `seeds` seeds: the median and the worst ratio. */
export function flakySimulation(seeds: number): { readonly median: number; readonly worst: number } {
  const ratios = Array.from(
    { length: seeds },
    (_, i) =>
      simulatePace({ messages: 100, perMinute: 20, seed: i + 1, answer: (r) => (r < 0.2 ? refusal : null) }).achievedRatio,
  ).sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)] ?? 0, worst: ratios[0] ?? 0 };
}
