/** Outbox tuning shared by the crash test and its child process: quick retries, short cooldowns. */
import type { AppServicesOptions } from '../../electron/services/app-services';

/** Retries in tens of milliseconds, so a batch interrupted many times still finishes in seconds. */
export const crashTestOutboxTuning: NonNullable<AppServicesOptions['outbox']> = {
  connections: 2,
  retry: { baseMs: 40, maxMs: 400, maxAttempts: 20 },
  pacer: { cooldownMs: 100, maxCooldownMs: 800, recoveryMs: 2_000 },
  watchdogMs: 10_000,
};
