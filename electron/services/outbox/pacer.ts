/**
 * Pace of one account, AIMD like TCP and Postfix's destination concurrency (research §6.1, §6.2): start
 * at the configured ceiling (the user's messages-per-minute, capped by the provider's documented rate),
 * and react to what the server actually said:
 *
 * - a rate answer (4.7.x, 432, "too many messages") halves the pace and waits out a cooldown, which
 *   doubles only while such answers keep coming and starts from the first step again after a quiet spell;
 * - a transient refusal (a bare 421, 4.3.x/4.4.x, 451, a dropped connection) only puts that message back
 *   for later: the pace stays, and the slot it did not use goes to the next message. Only several
 *   refusals in a row within a window, with no success between, halve the pace (with no cooldown:
 *   the server named none);
 * - recovery is additive per success and also grows with quiet time, so the pace is back at the ceiling
 *   within `recoveryMs` of the last slow-down however few messages went out meanwhile.
 *
 * Before, every 421 halved the pace and only ten successes in a row raised it by a tenth: a server
 * refusing 20 % of MAIL FROM held a 20-a-minute batch at 1 a minute for hours (issue 22).
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
  /** First cooldown after a rate answer; doubles for each further one while they keep coming, up to `maxCooldownMs`. */
  readonly cooldownMs?: number;
  readonly maxCooldownMs?: number;
  /** Transient refusals in a row (no success between, within `refusalWindowMs`) that count as a rate answer. */
  readonly refusalsToSlowDown?: number;
  readonly refusalWindowMs?: number;
  /** Quiet time in which the pace climbs from nothing back to the ceiling (linearly). */
  readonly recoveryMs?: number;
  /** Fraction of the ceiling each success adds back. */
  readonly successStep?: number;
  /** 0..1: each cooldown is stretched by up to this fraction at random, so clients do not retry in step. */
  readonly jitter?: number;
  readonly random?: () => number;
  /**
   * The ceiling is held elsewhere as the server counts it — the office database's rate slots: at most
   * so many messages in any window, office-wide. At the ceiling the pacer then adds no spacing of its
   * own (spacing messages evenly on top lost most of a window per batch: the server allows the window's
   * messages at any moment within it); below the ceiling, after the server pushed back, it spaces them
   * as usual until the pace has recovered.
   */
  readonly windowedCeiling?: boolean;
}

/** Where the pacer stands, for the progress view. */
export interface PacerState {
  readonly perMinute: number;
  readonly ceilingPerMinute: number;
  /** Epoch ms until which nothing starts because the server asked to slow down; 0 when none. */
  readonly cooldownUntil: number;
  /** Epoch ms until which the server itself asked to wait (a single copy waits no longer); 0 when none. */
  readonly askedUntil: number;
}

/** How the server's refusal bears on the pace (delivery-outcome.ts decides which). */
export type PaceEffect = 'keep' | 'refused' | 'slowDown';

/** The pace of one account's deliveries. */
export class Pacer {
  readonly #o: Required<PacerOptions>;
  #perMinute: number;
  #nextStart = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #lastInterval = 0;
  #cooldownUntil = 0;
  /** Until when the server itself asked to wait (what a single copy waits at most); 0 when it did not. */
  #askedUntil = 0;
  #cooldownSteps = 0;
  #lastSlowDown = Number.NEGATIVE_INFINITY;
  #recoveredAt = 0;
  #refusals: number[] = [];
  #refusalsInARow = 0;

  constructor(options: PacerOptions) {
    this.#o = {
      floorPerMinute: 1,
      cooldownMs: 60_000,
      maxCooldownMs: 10 * 60_000,
      refusalsToSlowDown: 3,
      refusalWindowMs: 5 * 60_000,
      recoveryMs: 3 * 60_000,
      successStep: 0.1,
      jitter: 0.2,
      random: Math.random,
      windowedCeiling: false,
      ...options,
    };
    this.#perMinute = options.ceilingPerMinute;
  }

  /** When the next message may start (epoch ms), given the time now. */
  nextStartAt(now: number): number {
    this.#recover(now);
    const spaced = this.#o.windowedCeiling && this.#perMinute >= this.#o.ceilingPerMinute ? now : this.#nextStart;
    return Math.max(now, spaced, this.#cooldownUntil);
  }

  /** Whether the ceiling is held elsewhere (see {@link PacerOptions.windowedCeiling}). */
  get windowedCeiling(): boolean {
    return this.#o.windowedCeiling;
  }

  /**
   * When a single copy may start: ahead of the batch's own slow-down, one interval of the configured
   * pace after the last start, and never before the wait the server itself asked for.
   */
  nextPriorityStartAt(now: number): number {
    const interval = Number.isFinite(this.#o.ceilingPerMinute) ? 60_000 / this.#o.ceilingPerMinute : 0;
    return Math.min(this.nextStartAt(now), Math.max(now, this.#lastStart + interval, this.#askedUntil));
  }

  /** A message starts now: the following one waits one interval. */
  started(now: number): void {
    this.#recover(now);
    const interval = Number.isFinite(this.#perMinute) ? 60_000 / this.#perMinute : 0;
    this.#nextStart = Math.max(now, this.#nextStart) + interval;
    this.#lastStart = now;
    this.#lastInterval = interval;
  }

  /** The server accepted a message. */
  succeeded(now: number): void {
    this.#refusals = [];
    this.#refusalsInARow = 0;
    this.#recover(now);
    if (!Number.isFinite(this.#perMinute)) return;
    this.#perMinute = Math.min(this.#o.ceilingPerMinute, this.#perMinute + this.#scale() * this.#o.successStep);
  }

  /** The server refused a message: `effect` says how that bears on the pace; `askedMs`: a wait it named. */
  refused(now: number, effect: PaceEffect, askedMs: number | null = null): void {
    if (effect === 'keep') return;
    if (effect === 'slowDown') {
      // What one rate answer asks for: the wait it names, else one first cooldown (not our doubled ones).
      this.#askedUntil = Math.max(this.#askedUntil, now + (askedMs ?? this.#o.cooldownMs));
      this.#slowDown(now, askedMs);
      return;
    }
    // A transient refusal: the message comes back later; its unused slot goes to the next one.
    this.#nextStart = Math.max(now, this.#nextStart - this.#lastInterval);
    this.#lastInterval = 0;
    this.#refusalsInARow += 1;
    this.#refusals = [...this.#refusals.filter((at) => at > now - this.#o.refusalWindowMs), now];
    if (this.#refusals.length < this.#o.refusalsToSlowDown) return;
    this.#refusals = [];
    // The server asked for no wait: the pace halves, without a cooldown of our own on top.
    this.#recover(now);
    this.#perMinute = Math.max(this.#o.floorPerMinute, (Number.isFinite(this.#perMinute) ? this.#perMinute : this.#scale()) / 2);
  }

  /** Transient refusals since the last success (the backoff of a refused message grows with them). */
  refusalsInARow(): number {
    return this.#refusalsInARow;
  }

  /** The current pace. */
  state(): PacerState {
    return {
      perMinute: this.#perMinute,
      ceilingPerMinute: this.#o.ceilingPerMinute,
      cooldownUntil: this.#cooldownUntil,
      askedUntil: Math.min(this.#askedUntil, this.#cooldownUntil),
    };
  }

  #slowDown(now: number, askedMs: number | null): void {
    // Answers to messages already under way when the first one came are the same overload, not a new one.
    if (now < this.#cooldownUntil) return;
    this.#recover(now);
    // The cooldown doubles only while slow-downs follow each other; after a quiet spell it starts over.
    if (now - this.#lastSlowDown > this.#o.recoveryMs) this.#cooldownSteps = 0;
    const current = Number.isFinite(this.#perMinute) ? this.#perMinute : this.#scale();
    this.#perMinute = Math.max(this.#o.floorPerMinute, current / 2);
    const base = askedMs ?? Math.min(this.#o.maxCooldownMs, this.#o.cooldownMs * 2 ** this.#cooldownSteps);
    this.#cooldownSteps += 1;
    this.#lastSlowDown = now;
    this.#cooldownUntil = now + Math.round(base * (1 + this.#o.jitter * this.#o.random()));
    this.#nextStart = this.#cooldownUntil;
    this.#recoveredAt = this.#cooldownUntil;
  }

  /** Quiet time since the last look (after any cooldown) raises the pace back towards the ceiling. */
  #recover(now: number): void {
    const since = Math.max(this.#recoveredAt, this.#cooldownUntil);
    if (now <= since) return;
    this.#recoveredAt = now;
    if (!Number.isFinite(this.#perMinute) || this.#perMinute >= this.#o.ceilingPerMinute) return;
    this.#perMinute = Math.min(this.#o.ceilingPerMinute, this.#perMinute + (this.#scale() * (now - since)) / this.#o.recoveryMs);
  }

  // With no ceiling, slowing down and recovering are measured against a pace a server plausibly allows.
  #scale(): number {
    return Number.isFinite(this.#o.ceilingPerMinute) ? this.#o.ceilingPerMinute : 120;
  }
}

/** A wait the server names in its reply ("try again in 30 seconds", "retry after 2 minutes"), in ms; null when none. */
export function askedWaitMs(response: string): number | null {
  const match = /(?:try again|retry|wait)\D{0,20}?(\d{1,5})\s*(s|sec|secs|seconds?|m|min|mins|minutes?)\b/i.exec(response);
  if (!match) return null;
  const value = Number(match[1]);
  return (match[2] ?? '').toLowerCase().startsWith('m') ? value * 60_000 : value * 1_000;
}
