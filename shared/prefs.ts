/**
 * Preference schemas. The same schema validates what the renderer sends, what main writes and what
 * main reads back from disk, so a hand-edited file cannot smuggle in what a form could not.
 * Secrets are never part of a preferences object: the view carries `hasPassword` instead.
 */
import { z } from 'zod';
import { languages } from './domain';
import { hasLineBreak, isValidEmailAddress } from './mail-address';
import { cipherStrengths, connectionSecurities } from './smtp-security';
import { templatesSchema } from './templates';

export {
  cipherStrengths,
  connectionSecurities,
  defaultPortFor,
  type CipherStrength,
  type ConnectionSecurity,
} from './smtp-security';

const singleLine = (max: number) =>
  z
    .string()
    .max(max, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' });

/** An e-mail address, trimmed; the message key `invalidAddress` marks a bad one. */
export const emailAddressSchema = z.string().trim().refine(isValidEmailAddress, { message: 'invalidAddress' });

const optionalEmailSchema = z
  .string()
  .trim()
  .refine((text) => text === '' || isValidEmailAddress(text), { message: 'invalidAddress' });

// Host names per RFC 1123, or an IPv4/IPv6 literal; Unicode (IDN) labels are allowed.
const hostSchema = z
  .string()
  .trim()
  .min(1, { message: 'required' })
  .max(253, { message: 'tooLong' })
  .refine((host) => /^[\p{L}\p{N}.-]+$/u.test(host) || /^\[?[0-9a-fA-F:]+\]?$/.test(host), {
    message: 'invalidHost',
  });

/** The SMTP account as stored in preferences (the password lives in the keychain). */
export const smtpAccountSchema = z.strictObject({
  senderName: singleLine(200),
  senderAddress: emailAddressSchema,
  replyTo: optionalEmailSchema,
  /** Send a blind copy of every message to the sender address, as a record of what went out. */
  bccSelf: z.boolean().default(false),
  host: hostSchema,
  port: z
    .number({ message: 'invalidPort' })
    .int({ message: 'invalidPort' })
    .min(1, { message: 'invalidPort' })
    .max(65535, { message: 'invalidPort' }),
  security: z.enum(connectionSecurities),
  /** Which TLS versions and ciphers are acceptable; `weak` is only for old office servers. */
  cipherStrength: z.enum(cipherStrengths).default('default'),
  username: singleLine(320),
  /**
   * How Kurier logs in: a password (or app password), or a sign-in with Microsoft or Google (OAuth2,
   * SASL XOAUTH2). With a sign-in the user name is the signed-in mailbox and no password exists.
   */
  auth: z.enum(['password', 'microsoft', 'google']).default('password'),
  /**
   * A PEM certificate the user chose to trust for this server (a self-signed office server). Empty:
   * the system's trusted authorities decide. Verification is never switched off.
   */
  trustedCertificate: z.string().max(20_000, { message: 'tooLong' }).default(''),
});
/** A validated SMTP account. */
export type SmtpAccount = z.infer<typeof smtpAccountSchema>;

/** How an SMTP account logs in. */
export type SmtpAuth = SmtpAccount['auth'];
/** The providers Kurier can sign in with. */
export const oauthProviders = ['microsoft', 'google'] as const;
/** One of {@link oauthProviders}. */
export type OAuthProvider = (typeof oauthProviders)[number];

/** The provider an account signs in with, or null for a password login. */
export function oauthProviderOf(account: SmtpAccount): OAuthProvider | null {
  return account.auth === 'password' ? null : account.auth;
}

// SMTP servers of the providers Kurier signs in with (custom domains hosted there use them too).
const oauthHosts: Readonly<Record<string, OAuthProvider>> = {
  'smtp.office365.com': 'microsoft',
  'smtp-legacy.office365.com': 'microsoft',
  'smtp-mail.outlook.com': 'microsoft',
  'smtp.gmail.com': 'google',
  'smtp-relay.gmail.com': 'google',
};

/** The SMTP servers a provider's access tokens may be sent to. */
export function oauthSmtpHosts(provider: OAuthProvider): readonly string[] {
  return Object.keys(oauthHosts).filter((host) => oauthHosts[host] === provider);
}

/** The provider whose sign-in a server takes, or null: detection chooses sign-in for these. */
export function oauthProviderForHost(host: string): OAuthProvider | null {
  return oauthHosts[host.trim().toLowerCase().replace(/\.$/, '')] ?? null;
}

// An endpoint must be https; plain http only on this computer (a local identity server in tests).
const endpointSchema = z
  .string()
  .trim()
  .max(2000, { message: 'tooLong' })
  .refine((text) => /^(https:\/\/[^\s/?#@]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?)(\/[^\s]*)?$/i.test(text), {
    message: 'invalidUrl',
  });

/** Microsoft's endpoints; `{tenant}` is replaced by the configured tenant. */
export const microsoftEndpoints = {
  authorizeUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
} as const;
/** Google's endpoints for installed apps. */
export const googleEndpoints = {
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
} as const;

/**
 * An app registration: who Kurier says it is to the provider. An office enters its own (Microsoft
 * Entra or Google Cloud, see the README). Google's "client secret" of a desktop client is not a secret
 * (Google: installed apps cannot keep one), so it may live in the office file like the client ID.
 */
const oauthAppSchema = (defaults: { authorizeUrl: string; tokenUrl: string }) =>
  z.strictObject({
    clientId: singleLine(200).default(''),
    clientSecret: singleLine(200).default(''),
    /** Microsoft: `common` (work, school and personal accounts), `organizations`, or a tenant ID or domain. */
    tenant: z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9.-]*$/, { message: 'invalidTenant' })
      .default('common'),
    /**
     * Ignored: Microsoft's and Google's endpoints are fixed in code (oauth-client.ts), so a changed
     * preferences file cannot send a sign-in's code or tokens elsewhere. Still read, so files written
     * by earlier versions stay valid.
     */
    authorizeUrl: endpointSchema.default(defaults.authorizeUrl),
    tokenUrl: endpointSchema.default(defaults.tokenUrl),
  });

/** The app registrations used to sign in with Microsoft and Google. */
export const oauthAppsSchema = z.strictObject({
  microsoft: oauthAppSchema(microsoftEndpoints).default(() => oauthAppSchema(microsoftEndpoints).parse({})),
  google: oauthAppSchema(googleEndpoints).default(() => oauthAppSchema(googleEndpoints).parse({})),
});
/** App registrations. */
export type OAuthApps = z.infer<typeof oauthAppsSchema>;
/** One provider's registration. */
export type OAuthApp = OAuthApps[OAuthProvider];

/** UI language: follow the operating system, or one of ours. */
export const uiLanguageSchema = z.enum(['system', ...languages]);
/** One of the UI language choices. */
export type UiLanguage = z.infer<typeof uiLanguageSchema>;

/** How the "send a copy" e-mail leaves Kurier by default. */
export const sendRoutes = ['smtp', 'outlook', 'mailClient', 'thunderbird', 'mailto'] as const;
/** One of {@link sendRoutes}. */
export type SendRoute = (typeof sendRoutes)[number];

/** Splits a CC/BCC list typed as `a@x.cz, b@y.pl; c@z.cz` into addresses (empty entries dropped). */
export function splitAddressList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A comma- or semicolon-separated list of addresses; empty is fine. */
export const addressListSchema = z
  .string()
  .trim()
  .max(2000, { message: 'tooLong' })
  .refine((text) => !hasLineBreak(text) && splitAddressList(text).every(isValidEmailAddress), { message: 'invalidAddress' });

/** Defaults of the export dialog's e-mail copy. */
export const sendingSchema = z.strictObject({
  route: z.enum(sendRoutes).default('smtp'),
  /** Whether "Send a copy to e-mail" starts ticked. */
  sendCopy: z.boolean().default(false),
  cc: addressListSchema.default(''),
  bcc: addressListSchema.default(''),
  /** `mandatory`: a payslip whose employee has no password is neither exported nor sent. */
  payslipProtection: z.enum(['optional', 'mandatory']).default('optional'),
  /** Classic Outlook: `display` the message for review (no security prompt), or `send` it at once. */
  outlookMode: z.enum(['display', 'send']).default('display'),
  /**
   * Starting a batch asks first when one of its documents already went to the same address in this
   * many days, or is still on its way (issue 20); 0 asks only about copies still on their way.
   */
  resendGuardDays: z
    .number({ message: 'invalidNumber' })
    .int({ message: 'invalidNumber' })
    .min(0, { message: 'invalidNumber' })
    .max(3650, { message: 'invalidNumber' })
    .optional(),
});
/** The double-send guard's days when `resendGuardDays` is not set. */
export const defaultResendGuardDays = 30;
/** Sending defaults. */
export type SendingPrefs = z.infer<typeof sendingSchema>;

/** Limits a bulk send keeps to, below the provider's own (see research/smtp-sending.md). */
export const bulkLimitsSchema = z.strictObject({
  messagesPerMinute: z
    .number({ message: 'invalidNumber' })
    .int({ message: 'invalidNumber' })
    .min(1, { message: 'invalidNumber' })
    .max(600, { message: 'invalidNumber' })
    .default(20),
  messagesPerDay: z
    .number({ message: 'invalidNumber' })
    .int({ message: 'invalidNumber' })
    .min(1, { message: 'invalidNumber' })
    .max(100_000, { message: 'invalidNumber' })
    .default(450),
});
/** Bulk sending limits. */
export type BulkLimits = z.infer<typeof bulkLimitsSchema>;

/** Events Kurier can report by e-mail. */
export const notificationEvents = ['batchFinished', 'batchStopped', 'overdueDigest', 'uncertainAged'] as const;
/** One of {@link notificationEvents}. */
export type NotificationEvent = (typeof notificationEvents)[number];

const notificationSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Who gets it; empty: the personal e-mail in force. */
  to: optionalEmailSchema.default(''),
});

/** Which events are reported by e-mail, and to whom. */
export const notificationsSchema = z.strictObject({
  batchFinished: notificationSchema.default({ enabled: true, to: '' }),
  batchStopped: notificationSchema.default({ enabled: true, to: '' }),
  overdueDigest: notificationSchema.default({ enabled: true, to: '' }),
  uncertainAged: notificationSchema.default({ enabled: true, to: '' }),
});
/** Notification settings. */
export type NotificationPrefs = z.infer<typeof notificationsSchema>;

/** The sections a user either follows from the office (global) preferences or overrides. */
export const prefSections = [
  'smtp',
  'personalEmail',
  'sending',
  'bulk',
  'language',
  'templates',
  'notifications',
  'oauthApps',
] as const;
/** One of {@link prefSections}. */
export type PrefSection = (typeof prefSections)[number];

/**
 * Section values, each optional: absent means "not set here" (the global file: use the built-in
 * default; the user file: follow the global value). No defaults at this level on purpose, so absence
 * survives parsing.
 */
export const prefSectionsSchema = z.strictObject({
  smtp: smtpAccountSchema.nullable().optional(),
  personalEmail: optionalEmailSchema.optional(),
  sending: sendingSchema.optional(),
  bulk: bulkLimitsSchema.optional(),
  language: uiLanguageSchema.optional(),
  /** E-mail templates changed from the shipped defaults (the others stay the defaults). */
  templates: templatesSchema.optional(),
  notifications: notificationsSchema.optional(),
  oauthApps: oauthAppsSchema.optional(),
});
/** Some sections set. */
export type PrefSectionValues = z.infer<typeof prefSectionsSchema>;
/** Every section set. */
export type EffectiveSections = { [S in PrefSection]-?: Exclude<PrefSectionValues[S], undefined> };

/** The built-in value of every section. */
export const sectionDefaults: EffectiveSections = {
  smtp: null,
  personalEmail: '',
  sending: sendingSchema.parse({}),
  bulk: bulkLimitsSchema.parse({}),
  language: 'system',
  templates: {},
  notifications: notificationsSchema.parse({}),
  oauthApps: oauthAppsSchema.parse({}),
};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The office PostgreSQL (issue 20): where it is and how its certificate is checked. The password lives in
 * the keychain (like the SMTP one), never here. `tls: 'verify'` checks the server's certificate against
 * the system's authorities plus `trustedCertificate` (the office's own CA, PEM); `off` (plain) is only
 * accepted for a server on this computer.
 */
export const postgresDatabaseSchema = z
  .strictObject({
    kind: z.literal('postgres'),
    host: hostSchema,
    port: z
      .number({ message: 'invalidPort' })
      .int({ message: 'invalidPort' })
      .min(1, { message: 'invalidPort' })
      .max(65535, { message: 'invalidPort' })
      .default(5432),
    database: singleLine(63)
      .trim()
      .regex(/^[A-Za-z0-9_.-]+$/, { message: 'invalidName' }),
    user: singleLine(63)
      .trim()
      .regex(/^[A-Za-z0-9_.@-]+$/, { message: 'invalidName' }),
    tls: z.enum(['verify', 'off']).default('verify'),
    trustedCertificate: z.string().max(20_000, { message: 'tooLong' }).default(''),
  })
  .refine((settings) => settings.tls === 'verify' || loopbackHosts.has(settings.host.toLowerCase()), {
    message: 'tlsRequired',
    path: ['tls'],
  });
/** Settings of the office PostgreSQL. */
export type PostgresDatabasePrefs = z.infer<typeof postgresDatabaseSchema>;

/** Where the outbox and send history live: this desk's SQLite file (the default) or the office PostgreSQL. */
export const databasePrefsSchema = z.union([z.strictObject({ kind: z.literal('sqlite') }), postgresDatabaseSchema]);
/** The database choice. */
export type DatabasePrefs = z.infer<typeof databasePrefsSchema>;

/** A company key (shared/company-identifiers.ts companyKey) as the office file and IPC carry it. */
export const companyKeySchema = z.string().regex(/^[0-9A-Z]{1,20}$/, { message: 'invalidName' });

/**
 * The office-wide (global) preferences file, version 1: the sections, plus what only the office
 * decides (the database; absent: SQLite) and the client companies' own SMTP accounts, by company key
 * (absent: the company sends through the office's account; passwords in each OS user's keychain).
 */
export const globalPrefsSchema = prefSectionsSchema.extend({
  database: databasePrefsSchema.optional(),
  companySmtp: z.record(companyKeySchema, smtpAccountSchema).optional(),
});
/** Validated global preferences. */
export type GlobalPrefs = z.infer<typeof globalPrefsSchema>;

/** A full path: `/mnt/share`, `C:\\Kurier` or a UNC share `\\\\server\\kurier`. */
function isAbsoluteFolder(folder: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\)/.test(folder);
}

/** The user preferences file, version 2: own settings plus the sections overridden. */
export const userPrefsSchema = z.strictObject({
  exportFolder: z.string().max(4096, { message: 'tooLong' }).default(''),
  /** A folder (an office share) holding the global preferences instead of the machine-wide place. */
  globalPrefsFolder: singleLine(4096)
    .refine((folder) => folder.trim() === '' || isAbsoluteFolder(folder.trim()), { message: 'notAbsolute' })
    .default(''),
  overrides: prefSectionsSchema.default({}),
});
/** Validated user preferences. */
export type UserPrefs = z.infer<typeof userPrefsSchema>;

/** Where an effective value comes from. */
export type PrefSource = 'user' | 'global' | 'default';

/** The settings in force: user override, else global, else built-in default; and where each came from. */
export interface ResolvedPrefs {
  readonly effective: EffectiveSections;
  readonly sources: Readonly<Record<PrefSection, PrefSource>>;
}

/** Layers the user's overrides over the global values over the defaults, section by section. */
export function resolvePrefs(global: GlobalPrefs, user: UserPrefs): ResolvedPrefs {
  const effective: Record<string, unknown> = {};
  const sources: Record<string, PrefSource> = {};
  for (const section of prefSections) {
    const own = user.overrides[section];
    const office = global[section];
    [effective[section], sources[section]] =
      own !== undefined ? [own, 'user'] : office !== undefined ? [office, 'global'] : [sectionDefaults[section], 'default'];
  }
  return { effective: effective as EffectiveSections, sources: sources as Record<PrefSection, PrefSource> };
}

/** Where the global preferences are read from, and why there. */
export interface GlobalPrefsLocation {
  readonly filePath: string;
  /** `environment`: KURIER_GLOBAL_PREFS_DIR; `setting`: the user's office-share folder; `machine`: the OS default. */
  readonly source: 'environment' | 'setting' | 'machine';
  /** Whether this OS user may write the file (administrators, or a writable share). */
  readonly writable: boolean;
  /** Whether the folder exists (a share that is not connected does not). */
  readonly folderExists: boolean;
  /**
   * When the file stopped answering (a share that hangs; ISO time): its last good copy is in use. Null
   * while it answers.
   */
  readonly notAnsweringSince: string | null;
  /**
   * True while the file has not answered once since Kurier started: there is no last good copy, the
   * office values stand at their defaults and sending that depends on them waits.
   */
  readonly neverRead: boolean;
}

/** A preferences file that could not be read, moved aside (or, when it cannot be moved, left as is). */
export interface PrefsRecovery {
  readonly file: 'user' | 'global';
  readonly filePath: string;
  /** Where the unreadable file now is; null when its folder is read-only and it stayed in place. */
  readonly backupPath: string | null;
  readonly reason: 'notJson' | 'invalid' | 'newerVersion' | 'unreadable';
}

/** A stored password's state, per account scope. Never the password itself. */
export interface PasswordState {
  /** Saved in this OS user's keychain. */
  readonly saved: boolean;
  /** Given for this session only (global account, "do not remember"). */
  readonly inSession: boolean;
  /** The server rejected it; Kurier will not log in with it until a new one is entered. */
  readonly rejected: boolean;
  /** Why the saved password is not sent to the account now in the file; null when it is. */
  readonly withheld: PasswordWithheld | null;
}

/** The parts of an SMTP destination a saved password is bound to. */
export type BindingField = 'host' | 'port' | 'security' | 'username';

/**
 * Why a saved password is withheld from the account in force: the account differs from the one it
 * was saved for (`changed`, with both destinations written out), it was saved before Kurier bound
 * passwords to servers (`unbound`), or the server takes it unencrypted and nobody confirmed that
 * (`plainText`).
 */
export type PasswordWithheld =
  | { readonly reason: 'changed'; readonly changes: readonly BindingField[]; readonly savedFor: string; readonly now: string }
  | { readonly reason: 'unbound'; readonly now: string }
  | { readonly reason: 'plainText'; readonly now: string };

/** How a destination is written in messages: `user@host:port STARTTLS` (user and security as set). */
export function destinationText(account: Pick<SmtpAccount, 'host' | 'port' | 'security' | 'username'>): string {
  const security = account.security === 'ssl' ? 'SSL/TLS' : account.security === 'starttls' ? 'STARTTLS' : 'SMTP';
  return `${account.username === '' ? '' : `${account.username} @ `}${account.host}:${String(account.port)} ${security}`;
}

/** Whether an account scope is signed in with a provider. Never a token. */
export interface SignInState {
  /** The provider and mailbox signed in, or null. */
  readonly account: { readonly provider: OAuthProvider; readonly address: string } | null;
  /** The provider no longer accepts the sign-in (revoked or expired): sign in again. */
  readonly expired: boolean;
}

/** What both preferences windows receive. */
export interface PrefsView {
  readonly user: UserPrefs;
  readonly global: GlobalPrefs;
  readonly resolved: ResolvedPrefs;
  readonly passwords: { readonly user: PasswordState; readonly global: PasswordState };
  /** The password state of each company's own account in the office file, by company key. */
  readonly companyPasswords: Readonly<Record<string, PasswordState>>;
  readonly signIns: { readonly user: SignInState; readonly global: SignInState };
  readonly userFilePath: string;
  readonly globalLocation: GlobalPrefsLocation;
  /** Files found unreadable at start-up, so the windows can say what happened to them. */
  readonly recoveries: readonly PrefsRecovery[];
}

/** The user's own account and the office (global) default: the scopes every Kurier has. */
export const accountScopes = ['user', 'global'] as const;
/** A client company's own SMTP account (set in the office file): `company:` and the company's key. */
export type CompanyScope = `company:${string}`;
/**
 * Which account's password: the user's own, the office (global) one, or a client company's own
 * account (by its key: shared/company-identifiers.ts companyKey).
 */
export type AccountScope = (typeof accountScopes)[number] | CompanyScope;

/** The scope of the company whose key is `key`. */
export function companyScope(key: string): CompanyScope {
  return `company:${key}`;
}

/** The company key of a company scope, or null for `user` and `global`. */
export function companyKeyOf(scope: AccountScope): string | null {
  return scope.startsWith('company:') ? scope.slice('company:'.length) : null;
}

/** Every scope, as IPC inputs name it. */
export const accountScopeSchema = z.union([
  z.enum(accountScopes),
  z.custom<CompanyScope>((value) => typeof value === 'string' && /^company:[0-9A-Z]{1,20}$/.test(value)),
]);

/** What to do with the SMTP password when saving. */
export const passwordChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({
    action: z.literal('set'),
    value: z.string().min(1, { message: 'required' }).max(1024),
    /** The user confirmed that this password may travel unencrypted (connection security "none"). */
    acceptPlainText: z.boolean().optional(),
  }),
  z.object({ action: z.literal('clear') }),
]);
/** One of keep / set / clear. */
export type PasswordChange = z.infer<typeof passwordChangeSchema>;
