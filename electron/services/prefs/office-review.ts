/**
 * Compares the office file's sensitive values with what this user last confirmed (office-confirmations.ts),
 * says what changed and since when, warns about who may write the file, and holds sending while a
 * change in force for this user waits: `prefs.officeChangeUnconfirmed`, with the groups in the details.
 *
 * The preferences service reads the office file again before each call, so an edit made behind
 * Kurier's back (straight into the file, by anyone who may write it) is seen at the next send.
 */
import { stat } from 'node:fs/promises';
import { KurierError } from '../../../shared/errors';
import { officeGroups, type OfficeGroup, type OfficePermissionWarning, type OfficeReview } from '../../../shared/office-review';
import type { GlobalPrefs, ResolvedPrefs } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import type { OfficeConfirmations } from './office-confirmations';
import { posixPermissionWarnings, windowsPermissionWarnings, type RunProgram } from './office-permissions';
import { changedGroups, groupsInForce, officeSnapshot, snapshotDigests, type OfficeSnapshot } from './office-snapshot';

/** The office file as read now. */
export interface OfficeFileNow {
  readonly filePath: string;
  readonly prefs: GlobalPrefs;
  /**
   * False while the file has not answered since start-up: `prefs` are its defaults standing in, not
   * a change of the office's values — nothing is shown as changed, and nothing can be confirmed.
   */
  readonly answered?: boolean;
}

/** What the reviewer needs. */
export interface OfficeReviewerOptions {
  readonly confirmations: OfficeConfirmations;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly platform: NodeJS.Platform;
  /** `%SystemRoot%` and a program runner, for icacls on Windows. */
  readonly systemRoot: string;
  readonly run: RunProgram | null;
}

/** Reviews the office file for one user. */
export class OfficeReviewer {
  readonly #o: OfficeReviewerOptions;

  constructor(options: OfficeReviewerOptions) {
    this.#o = options;
  }

  /** What changed since this user confirmed, what of it holds sending, and (when asked) the permission warnings. */
  async review(file: OfficeFileNow, resolved: ResolvedPrefs, options: { readonly permissions: boolean }): Promise<OfficeReview> {
    const current = officeSnapshot(file.prefs);
    const changes = file.answered === false ? [] : changedGroups(this.#o.confirmations.confirmed(), current);
    return {
      filePath: file.filePath,
      modifiedAt: await stat(file.filePath).then(
        (info) => info.mtimeMs,
        () => null,
      ),
      changes,
      holding: groupsInForce(changes, resolved),
      digests: snapshotDigests(current),
      confirmedAt: this.#o.confirmations.confirmedAt(),
      permissions: options.permissions ? await this.#permissions(file.filePath) : [],
    };
  }

  /** Throws `prefs.officeChangeUnconfirmed` when a change in force for this user waits for confirmation. */
  async assertConfirmed(file: OfficeFileNow, resolved: ResolvedPrefs, only?: readonly OfficeGroup[]): Promise<void> {
    const review = await this.review(file, resolved, { permissions: false });
    const holding = review.holding.filter((group) => !only || only.includes(group));
    if (holding.length === 0) return;
    throw new KurierError('prefs.officeChangeUnconfirmed', {
      groups: holding.join(','),
      changedAt: review.modifiedAt === null ? '' : new Date(review.modifiedAt).toISOString(),
    });
  }

  /**
   * Confirms the groups the user was shown: only those whose digest now is the one in `shown` — a group
   * that changed again after the window showed it stays unconfirmed. Returns the groups confirmed.
   */
  confirm(file: OfficeFileNow, shown: Readonly<Partial<Record<OfficeGroup, string>>>): OfficeGroup[] {
    if (file.answered === false) return [];
    const current = officeSnapshot(file.prefs);
    const digests = snapshotDigests(current);
    const groups = officeGroups.filter((group) => shown[group] === digests[group]);
    this.#o.confirmations.confirm(current, groups, file.filePath, this.#o.clock().getTime());
    return groups;
  }

  /** The office file answered for the first time since start-up (a first run accepts its values then). */
  officeAnswered(current: OfficeSnapshot, officePath: string): void {
    this.#o.confirmations.officeAnswered(current, officePath, this.#o.logger);
  }

  /** The user saved the office file in the window: what they changed there they have seen. */
  confirmOwnSave(before: GlobalPrefs, after: OfficeFileNow): void {
    const saved = officeSnapshot(after.prefs);
    const groups = changedGroups(officeSnapshot(before), saved).map((change) => change.group);
    this.#o.confirmations.confirm(saved, groups, after.filePath, this.#o.clock().getTime());
  }

  async #permissions(filePath: string): Promise<OfficePermissionWarning[]> {
    if (this.#o.platform !== 'win32') return posixPermissionWarnings(filePath);
    return this.#o.run ? windowsPermissionWarnings(filePath, this.#o.systemRoot, this.#o.run) : [];
  }
}
