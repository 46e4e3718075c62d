/**
 * The sensitive values of the office file, flattened per group into `field → text`, with a digest per
 * group. Pure: the confirmation record, the view and the sending guard all compare these.
 *
 * Templates are compared whole, per template: an account number or IBAN can sit anywhere in the text,
 * and no pattern recognises every bank's format, so any change of a template is reported with its name.
 */
import { createHash } from 'node:crypto';
import { officeGroups, type OfficeGroup, type OfficeGroupChange } from '../../../shared/office-review';
import { sectionDefaults, type GlobalPrefs, type PrefSection, type ResolvedPrefs } from '../../../shared/prefs';

/** One group's values. */
export type GroupValues = Readonly<Record<string, string>>;
/** Every group's values. */
export type OfficeSnapshot = Readonly<Record<OfficeGroup, GroupValues>>;

/**
 * The preference sections each group is read from: the group matters to a user who follows the office in
 * any of them. None: only the office decides it (the database), so it matters to every user.
 */
export const groupSections: Readonly<Record<OfficeGroup, readonly PrefSection[]>> = {
  server: ['smtp'],
  sender: ['smtp'],
  replyTo: ['smtp'],
  copies: ['sending'],
  templates: ['templates'],
  notifications: ['notifications', 'personalEmail'],
  oauthApps: ['oauthApps'],
  outlookSendAtOnce: ['sending'],
  database: [],
  // A company's own account is used over the user's own one: it matters to every user.
  companyAccounts: [],
};

/** The sensitive values of an office file (absent sections count as their built-in defaults). */
export function officeSnapshot(prefs: GlobalPrefs): OfficeSnapshot {
  const smtp = prefs.smtp ?? null;
  const sending = prefs.sending ?? sectionDefaults.sending;
  const notifications = prefs.notifications ?? sectionDefaults.notifications;
  const apps = prefs.oauthApps ?? sectionDefaults.oauthApps;
  const pick = (fields: readonly string[]): GroupValues =>
    smtp ? Object.fromEntries(fields.map((field) => [field, String(smtp[field as keyof typeof smtp])])) : {};
  return {
    server: pick(['host', 'port', 'security', 'cipherStrength', 'username', 'auth', 'trustedCertificate']),
    sender: pick(['senderAddress', 'senderName', 'bccSelf']),
    replyTo: pick(['replyTo']),
    copies: { cc: sending.cc, bcc: sending.bcc },
    templates: Object.fromEntries(
      Object.entries(prefs.templates ?? {}).map(([key, template]) => [key, JSON.stringify(template)]),
    ),
    notifications: {
      personalEmail: prefs.personalEmail ?? '',
      ...Object.fromEntries(
        Object.entries(notifications).map(([event, setting]) => [event, setting.enabled ? setting.to || '(personalEmail)' : '']),
      ),
    },
    oauthApps: Object.fromEntries(
      Object.entries(apps).flatMap(([provider, app]) =>
        Object.entries(app).map(([field, value]) => [`${provider}.${field}`, value]),
      ),
    ),
    outlookSendAtOnce: { outlookMode: sending.outlookMode },
    // Where the outbox and its password go: a changed server would receive both.
    database: Object.fromEntries(
      Object.entries(prefs.database ?? { kind: 'sqlite' }).map(([field, value]) => [field, String(value)]),
    ),
    // Client companies' own accounts (server, sender, reply-to…), by company key: `27082440.host`.
    companyAccounts: Object.fromEntries(
      Object.entries(prefs.companySmtp ?? {}).flatMap(([key, account]) =>
        Object.entries(account).map(([field, value]) => [`${key}.${field}`, String(value)]),
      ),
    ),
  };
}

/** A stable digest of one group's values (field order does not matter). */
export function groupDigest(values: GroupValues): string {
  const sorted = Object.keys(values)
    .sort()
    .map((key) => [key, values[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** The digest of every group. */
export function snapshotDigests(snapshot: OfficeSnapshot): Record<OfficeGroup, string> {
  return Object.fromEntries(officeGroups.map((group) => [group, groupDigest(snapshot[group])])) as Record<OfficeGroup, string>;
}

/** The groups of `current` that differ from `confirmed`, each with the fields (or templates, events) that changed. */
export function changedGroups(confirmed: OfficeSnapshot, current: OfficeSnapshot): OfficeGroupChange[] {
  const changes: OfficeGroupChange[] = [];
  for (const group of officeGroups) {
    const before = confirmed[group];
    const after = current[group];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const items = keys.filter((key) => before[key] !== after[key]);
    if (items.length > 0) changes.push({ group, items });
  }
  return changes;
}

/** Of `changes`, the groups whose office value is in force for this user (a section the user follows). */
export function groupsInForce(changes: readonly OfficeGroupChange[], resolved: ResolvedPrefs): OfficeGroup[] {
  return changes
    .map((change) => change.group)
    .filter((group) => {
      const sections = groupSections[group];
      return sections.length === 0 || sections.some((section) => resolved.sources[section] !== 'user');
    });
}
