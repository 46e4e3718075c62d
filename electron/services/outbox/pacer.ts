/**
 * Pace of one account, AIMD like TCP and Postfix's destination concurrency (research §6.1, §6.2): start
 * at the configured ceiling (the user's messages-per-minute, capped by the provider's documented rate),
 * halve on every "slow down" answer and wait out a cooldown that doubles while the answers keep coming,
 * and after a run of successes speed up by a tenth of the ceiling — never above it.
 *
 * nodemailer's `rateLimit` is checked only after a message went out, so the first burst overshoots
 * (nodemailer #768); here a message starts only when its slot comes, across all connections.
 */

/** Tuning; the defaults are for real servers, tests shorten the times. */
export interface PacerOptions {
  /** Messages per minute never to exceed; Infinity for no limit. */
  readonly ceilingPerMinute: number;
  /** Never slower than this, so a batch always moves. */
  readonly floorPerMinute?: number;
  /** First cooldown after a throttle answer; doubles for each further one, up to `maxCooldownMs`. */
  readonly cooldownMs?: number;
  readonly maxCooldownMs?: number;
  /** Successes in a row before one speed-up step. */
  readonly successesPerStep?: number;
  /** 0..1: each cooldown is stretched by up to this fraction at random, so clients do not retry in step. */
  readonly jitter?: number;
  readonly random?: () => number;
}

/** Where the pacer stands, for the progress view. */
export interface PacerState {
  readonly perMinute: number;
  readonly ceilingPerMinute: number;
  /** Epoch ms until which nothing starts because the server asked to slow down; 0 when none. */
  readonly cooldownUntil: number;
}

/** The pace of one account's deliveries. */
export class Pacer {
  readonly #o: Required<PacerOptions>;
  #perMinute: number;
  #nextStart = 0;
  #cooldownUntil = 0;
  #throttles = 0;
  #successes = 0;

  constructor(options: PacerOptions) {
    this.#o = {
      floorPerMinute: 1,
      cooldownMs: 60_000,
      maxCooldownMs: 30 * 60_000,
      successesPerStep: 10,
      jitter: 0.2,
      random: Math.random,
      ...options,
    };
    this.#perMinute = options.ceilingPerMinute;
  }

  /** When the next message may start (epoch ms), given the time now. */
  nextStartAt(now: number): number {
    return Math.max(now, this.#nextStart, this.#cooldownUntil);
  }

  /** A message starts now: the following one waits one interval. */
  started(now: number): void {
    const interval = Number.isFinite(this.#perMinute) ? 60_000 / this.#perMinute : 0;
    this.#nextStart = Math.max(now, this.#nextStart) + interval;
  }

  /** The server accepted a message. */
  succeeded(): void {
    this.#throttles = 0;
    this.#successes += 1;
    if (this.#successes < this.#o.successesPerStep || !Number.isFinite(this.#perMinute)) return;
    this.#successes = 0;
    const ceiling = this.#o.ceilingPerMinute;
    const step = Number.isFinite(ceiling) ? Math.max(1, ceiling / 10) : this.#observedCeiling() / 10;
    this.#perMinute = Math.min(ceiling, this.#perMinute + step);
  }

  /** The server asked to slow down (421, 432, 450, 451, 454, 4.7.x, a dropped connection). */
  throttled(now: number): void {
    this.#successes = 0;
    // Answers to messages already under way when the first one came are the same overload, not a new one.
    if (now < this.#cooldownUntil) return;
    const current = Number.isFinite(this.#perMinute) ? this.#perMinute : this.#observedCeiling();
    this.#perMinute = Math.max(this.#o.floorPerMinute, current / 2);
    const base = Math.min(this.#o.maxCooldownMs, this.#o.cooldownMs * 2 ** this.#throttles);
    this.#throttles += 1;
    this.#cooldownUntil = now + Math.round(base * (1 + this.#o.jitter * this.#o.random()));
    this.#nextStart = this.#cooldownUntil;
  }

  /** The current pace. */
  state(): PacerState {
    return { perMinute: this.#perMinute, ceilingPerMinute: this.#o.ceilingPerMinute, cooldownUntil: this.#cooldownUntil };
  }

  // With no ceiling, the first slow-down starts from a pace a server plausibly allows.
  #observedCeiling(): number {
    return 120;
  }
}
