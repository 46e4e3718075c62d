/**
 * The outbox's pacing replayed on a virtual clock: one connection takes the earliest due message when
 * the pacer allows, the server answers each MAIL FROM with a reply chosen by a seeded random, the answer
 * goes through the same dispositionOf the worker uses, and a refused message comes back after the
 * worker's default backoff (retryDelayMs). No wall clock: the same seed gives the same numbers.
 */
import { defaultRetry, dispositionOf, retryDelayMs } from '../../electron/services/outbox/delivery-outcome';
import { Pacer, askedWaitMs, type PacerOptions } from '../../electron/services/outbox/pacer';
import { KurierError } from '../../shared/errors';
import { seededRandom } from './hostile-text';

/** What to simulate. */
export interface PaceSimulation {
  readonly messages: number;
  readonly perMinute: number;
  /** The server's answer to one MAIL FROM (null: accepted), given a random number in [0, 1). */
  readonly answer: (random: number) => string | null;
  readonly seed: number;
  /** Virtual milliseconds one attempt takes on the wire. */
  readonly attemptMs?: number;
  readonly pacer?: Omit<PacerOptions, 'ceilingPerMinute' | 'random'>;
}

/** What came out. */
export interface PaceResult {
  readonly delivered: number;
  readonly attempts: number;
  readonly minutes: number;
  /** Messages delivered per minute over the configured pace. */
  readonly achievedRatio: number;
  /** The pace the pacer had after each attempt. */
  readonly paces: readonly number[];
}

/** Runs one simulation; see the file comment. */
export function simulatePace(simulation: PaceSimulation): PaceResult {
  const random = seededRandom(simulation.seed);
  const pacer = new Pacer({ ...simulation.pacer, ceilingPerMinute: simulation.perMinute, random });
  const attemptMs = simulation.attemptMs ?? 500;
  const waiting = Array.from({ length: simulation.messages }, (_, id) => ({ id, attempts: 0, notBefore: 0 }));
  const paces: number[] = [];
  let now = 0;
  let delivered = 0;
  let attempts = 0;
  while (waiting.length > 0) {
    const startAt = pacer.nextStartAt(now);
    waiting.sort((a, b) => a.notBefore - b.notBefore || a.id - b.id);
    const next = waiting[0];
    if (!next) break;
    if (next.notBefore > startAt) {
      now = next.notBefore;
      continue;
    }
    now = startAt;
    pacer.started(now);
    next.attempts += 1;
    attempts += 1;
    now += attemptMs;
    const reply = simulation.answer(random());
    if (reply === null) {
      pacer.succeeded(now);
      waiting.shift();
      delivered += 1;
    } else {
      const code = Number(reply.slice(0, 3));
      const error = new KurierError(code === 421 ? 'smtp.temporarilyRejected' : 'smtp.rateLimited');
      const disposition = dispositionOf({
        error,
        responseCode: code,
        response: reply,
        command: 'MAIL FROM',
        dataCompleted: false,
        watchdog: false,
        everConnected: true,
      });
      if (disposition.kind !== 'retry') throw new Error(`unexpected disposition ${disposition.kind} for ${reply}`);
      pacer.refused(now, disposition.pace, askedWaitMs(reply));
      next.notBefore = now + retryDelayMs(defaultRetry, disposition.pace, next.attempts, pacer.refusalsInARow(), random());
    }
    paces.push(pacer.state().perMinute);
  }
  const minutes = now / 60_000;
  return { delivered, attempts, minutes, achievedRatio: delivered / minutes / simulation.perMinute, paces };
}
