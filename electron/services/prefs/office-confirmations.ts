/**
 * This user's record of the office file's sensitive values as they last confirmed them, per group:
 * `office-confirmations.json` in the user's data folder (mode 0600), never in the office file — whoever
 * can write that one must not be able to confirm for everyone. The values are kept (they hold no
 * secret) so the windows can say which fields changed, not only that something did.
 *
 * First run: with no record and no user preferences file either, this user has never seen any office
 * values, so the current ones are recorded as confirmed silently (there is nothing to compare them
 * with). With no record but an existing user file — Kurier updated to this version, or the record
 * deleted — the user has been sending with office values nobody recorded, so every group set in the
 * office file waits for one confirmation. A record that cannot be read counts as none. When the office
 * file did not answer at start-up, the first-run acceptance waits until it does: its stand-in defaults
 * are not what the user will send with.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { officeGroups, type OfficeGroup } from '../../../shared/office-review';
import type { Logger } from '../logging/logger';
import { officeSnapshot, type GroupValues, type OfficeSnapshot } from './office-snapshot';

const recordSchema = z.strictObject({
  version: z.literal(1),
  /** The office file the values were read from, for the log only. */
  filePath: z.string(),
  confirmedAt: z.number().nullable(),
  groups: z.partialRecord(z.enum(officeGroups), z.record(z.string(), z.string())),
});
type ConfirmationRecord = z.infer<typeof recordSchema>;

/** The file name of the record in the user's data folder. */
export const confirmationsFileName = 'office-confirmations.json';

/** The record, read once and rewritten on each confirmation. */
export class OfficeConfirmations {
  readonly filePath: string;
  #record: ConfirmationRecord | null;
  /** A first run whose office values are not known yet (the file has not answered). */
  #firstRunPending = false;

  private constructor(filePath: string, record: ConfirmationRecord | null) {
    this.filePath = filePath;
    this.#record = record;
  }

  /**
   * Reads the record in `dataDir`. `isNewUser` (no user preferences file yet): when there is no
   * record, `current` is recorded as confirmed (see the file comment) — or, while the office file has
   * not answered (`current` null), once it does ({@link officeAnswered}).
   */
  static open(
    dataDir: string,
    options: {
      readonly isNewUser: boolean;
      readonly current: OfficeSnapshot | null;
      readonly officePath: string;
      readonly logger: Logger;
    },
  ): OfficeConfirmations {
    const filePath = path.join(dataDir, confirmationsFileName);
    let record: ConfirmationRecord | null = null;
    if (existsSync(filePath)) {
      try {
        record = recordSchema.parse(JSON.parse(readFileSync(filePath, 'utf8')));
      } catch (error) {
        options.logger.warn('officeConfirmationsUnreadable', { filePath, error });
      }
    }
    const confirmations = new OfficeConfirmations(filePath, record);
    if (!record && options.isNewUser) {
      if (options.current === null) confirmations.#firstRunPending = true;
      else confirmations.#acceptFirstRun(options.current, options.officePath, options.logger);
    }
    return confirmations;
  }

  /** The office file answered for the first time since start-up with `current`. */
  officeAnswered(current: OfficeSnapshot, officePath: string, logger: Logger): void {
    if (!this.#firstRunPending) return;
    this.#firstRunPending = false;
    if (this.#record === null) this.#acceptFirstRun(current, officePath, logger);
  }

  #acceptFirstRun(current: OfficeSnapshot, officePath: string, logger: Logger): void {
    this.confirm(current, [...officeGroups], officePath, null);
    logger.info('officeValuesAcceptedOnFirstRun', { officePath });
  }

  /** The values as confirmed; without a record, those of an office file that sets nothing. */
  confirmed(): OfficeSnapshot {
    const empty = officeSnapshot({});
    const groups = this.#record?.groups ?? {};
    return Object.fromEntries(officeGroups.map((group) => [group, groups[group] ?? empty[group]])) as Record<
      OfficeGroup,
      GroupValues
    >;
  }

  /** When the user last confirmed (ms), or null (never, or accepted on first run). */
  confirmedAt(): number | null {
    return this.#record?.confirmedAt ?? null;
  }

  /** Records `groups` of `current` as confirmed (`at`: null when no person confirmed, e.g. on first run). Writes atomically. */
  confirm(current: OfficeSnapshot, groups: readonly OfficeGroup[], officePath: string, at: number | null): void {
    if (groups.length === 0) return;
    const next: ConfirmationRecord = {
      version: 1,
      filePath: officePath,
      confirmedAt: at ?? this.#record?.confirmedAt ?? null,
      groups: { ...this.confirmed(), ...Object.fromEntries(groups.map((group) => [group, current[group]])) },
    };
    writeAtomically(this.filePath, `${JSON.stringify(next, null, 2)}\n`);
    this.#record = next;
  }
}

function writeAtomically(filePath: string, text: string): void {
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${String(process.pid)}.tmp`);
  try {
    mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, filePath);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
