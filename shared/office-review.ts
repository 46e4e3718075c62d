/**
 * The office (global) preferences file decides where everyone's mail goes: the server, the sender, the
 * templates with the office's bank account, who gets the batch reports. Anyone who can write that file
 * can redirect it, so each user confirms its sensitive values once per change: until then Kurier shows
 * what changed and holds sending with them (see electron/services/prefs/office-review.ts).
 */

/** The sensitive groups of the office file, each confirmed on its own. */
export const officeGroups = [
  'server',
  'sender',
  'replyTo',
  'copies',
  'templates',
  'notifications',
  'oauthApps',
  'outlookSendAtOnce',
  'database',
  'companyAccounts',
] as const;
/** One of {@link officeGroups}. */
export type OfficeGroup = (typeof officeGroups)[number];

/** One group changed since this user last confirmed it. */
export interface OfficeGroupChange {
  readonly group: OfficeGroup;
  /**
   * What changed inside the group: field names (`host`, `port`, `microsoft.tokenUrl`), template keys
   * (`invoice.cs`) or notification events (`batchFinished`).
   */
  readonly items: readonly string[];
}

/** Why the office file or its folder may be changed by someone it should not be. */
export interface OfficePermissionWarning {
  readonly path: string;
  readonly kind: 'file' | 'folder';
  /** `group`/`others`: POSIX write bits; `users`: a Windows ACL lets ordinary users write. */
  readonly writableBy: 'group' | 'others' | 'users';
  /** Who, when known: the Windows principal (`BUILTIN\\Users`, `Everyone`). */
  readonly principal: string;
}

/** What the windows show about the office file. */
export interface OfficeReview {
  readonly filePath: string;
  /** When the office file last changed (ms since the epoch), or null when there is none. */
  readonly modifiedAt: number | null;
  /** Groups changed since this user last confirmed them; empty when nothing waits. */
  readonly changes: readonly OfficeGroupChange[];
  /** Of {@link changes}, the groups whose office value is in force for this user: sending waits for them. */
  readonly holding: readonly OfficeGroup[];
  /** The digest of every group as shown; confirming sends them back, so only what was shown is confirmed. */
  readonly digests: Readonly<Record<OfficeGroup, string>>;
  /** When this user last confirmed (ms), or null. */
  readonly confirmedAt: number | null;
  readonly permissions: readonly OfficePermissionWarning[];
}
