/**
 * The pacer's reaction to what the server said, on a virtual clock (no wall-clock assertions): a
 * transient 421 keeps the pace, repeated ones and rate answers lower it, and it climbs back with
 * successes and with quiet time. Issue 22: a server refusing 20 % of MAIL FROM with 421 held a
 * 20-a-minute batch at 1 a minute for hours.
 */
import { describe, expect, it } from 'vitest';
import { Pacer, askedWaitMs } from '../../../../electron/services/outbox/pacer';
import { simulatePace } from '../../../support/pace-simulation';

const busy = '421 4.3.0 Temporary System Problem';
const rate = '450 4.7.0 Too many messages, slow down';
const noJitter = { jitter: 0, random: () => 0 };

describe('pacing against a flaky server (virtual clock, seeded random)', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => ({ seed: i + 1 }));
  it.each(seeds)('delivers 100 messages at ≥ 0.7 of 20/min when 20 % of MAIL FROM get 421 (seed $seed)', ({ seed }) => {
    const result = simulatePace({ messages: 100, perMinute: 20, seed, answer: (r) => (r < 0.2 ? busy : null) });

    expect(result.delivered).toBe(100);
    expect(result.attempts).toBeGreaterThan(110);
    expect(result.achievedRatio).toBeGreaterThanOrEqual(0.7);
  });

  it('still slows down for a server that keeps answering with a rate limit', () => {
    const result = simulatePace({ messages: 40, perMinute: 20, seed: 7, answer: (r) => (r < 0.5 ? rate : null) });

    expect(result.delivered).toBe(40);
    expect(Math.min(...result.paces)).toBeLessThan(10);
  });
});

describe('Pacer', () => {
  it('with the ceiling held as a window elsewhere (office rate slots), adds no spacing until the server pushes back', () => {
    const pacer = new Pacer({ ceilingPerMinute: 30, cooldownMs: 1_000, recoveryMs: 10_000, windowedCeiling: true, ...noJitter });
    // At the ceiling a window's messages may all start at once: the office's slots say how many.
    for (let i = 0; i < 30; i++) {
      expect(pacer.nextStartAt(0)).toBe(0);
      pacer.started(0);
    }
    // A rate answer: the cooldown, then spacing at the lowered pace until it has recovered.
    pacer.refused(100, 'slowDown');
    const resumeAt = pacer.state().cooldownUntil;
    expect(pacer.nextStartAt(100)).toBe(resumeAt);
    pacer.started(resumeAt);
    expect(pacer.nextStartAt(resumeAt)).toBeGreaterThan(resumeAt);
    expect(pacer.nextStartAt(resumeAt + 20_000)).toBe(resumeAt + 20_000);
    pacer.started(resumeAt + 20_000);
    expect(pacer.nextStartAt(resumeAt + 20_000)).toBe(resumeAt + 20_000);

    // Without it (this desk's own file), the pacer itself spaces messages at the ceiling.
    const alone = new Pacer({ ceilingPerMinute: 30, ...noJitter });
    alone.started(0);
    expect(alone.nextStartAt(0)).toBe(2_000);
  });

  it('keeps the pace after a single 421 and gives the unused slot to the next message', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.started(0);
    pacer.refused(500, 'refused');

    expect(pacer.state()).toMatchObject({ perMinute: 20, cooldownUntil: 0 });
    expect(pacer.nextStartAt(500)).toBe(500);
  });

  it('halves the pace after three refusals in a row, not when a success comes between', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.refused(1_000, 'refused');
    pacer.refused(2_000, 'refused');
    pacer.succeeded(3_000);
    pacer.refused(4_000, 'refused');
    pacer.refused(5_000, 'refused');
    expect(pacer.state().perMinute).toBe(20);

    pacer.refused(6_000, 'refused');
    // The server named no wait: slower, but no cooldown of our own.
    expect(pacer.state()).toMatchObject({ perMinute: 10, cooldownUntil: 0 });
  });

  it('halves on a rate answer and is back at the configured pace within minutes of quiet', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.refused(0, 'slowDown');
    expect(pacer.state()).toMatchObject({ perMinute: 10, cooldownUntil: 60_000 });

    pacer.nextStartAt(60_000 + 90_000);
    expect(pacer.state().perMinute).toBe(20);
  });

  it('adds back a step per success', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.refused(0, 'slowDown');
    pacer.succeeded(60_000);
    pacer.succeeded(60_000);

    expect(pacer.state().perMinute).toBe(14);
  });

  it('doubles the cooldown only while rate answers follow each other', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.refused(0, 'slowDown');
    pacer.refused(61_000, 'slowDown');
    expect(pacer.state().cooldownUntil).toBe(61_000 + 120_000);

    // Ten quiet minutes later the next rate answer starts from the first cooldown again.
    const later = 61_000 + 120_000 + 600_000;
    pacer.refused(later, 'slowDown');
    expect(pacer.state().cooldownUntil).toBe(later + 60_000);
  });

  it('lets a single copy go ahead of the cooldown, after no more than the wait the server asked for', () => {
    const pacer = new Pacer({ ceilingPerMinute: 20, ...noJitter });
    pacer.refused(0, 'slowDown');
    pacer.refused(61_000, 'slowDown');
    // Our cooldown has doubled to 120 s; the server's answer asked for one first cooldown (60 s).
    expect(pacer.nextStartAt(62_000)).toBe(181_000);
    expect(pacer.nextPriorityStartAt(62_000)).toBe(121_000);

    pacer.refused(200_000, 'slowDown', askedWaitMs('450 4.7.0 Too many messages, try again in 20 seconds'));
    expect(pacer.nextPriorityStartAt(200_000)).toBe(220_000);
    // A copy still keeps one interval of the configured pace (3 s at 20/min) after the last start.
    pacer.started(220_000);
    expect(pacer.nextPriorityStartAt(220_000)).toBe(223_000);
  });

  it('reads the wait a server names', () => {
    expect(askedWaitMs('421 4.7.0 Try again in 30 seconds')).toBe(30_000);
    expect(askedWaitMs('450 Please retry after 2 minutes')).toBe(120_000);
    expect(askedWaitMs('421 4.3.0 Temporary System Problem.  Try again later (10). - gsmtp')).toBeNull();
  });
});
