/**
 * Preference schemas. The same schema validates what the renderer sends, what main writes and what
 * main reads back from disk, so a hand-edited file cannot smuggle in what a form could not.
 * Secrets are never part of a preferences object: the view carries `hasPassword` instead.
 */
import { z } from 'zod';
import { languages } from './domain';
import { hasLineBreak, isValidEmailAddress } from './mail-address';
import { cipherStrengths, connectionSecurities } from './smtp-security';

export { cipherStrengths, connectionSecurities, defaultPortFor, type CipherStrength, type ConnectionSecurity } from './smtp-security';


const singleLine = (max: number) =>
  z
    .string()
    .max(max, { message: 'tooLong' })
    .refine((text) => !hasLineBreak(text), { message: 'lineBreak' });

/** An e-mail address, trimmed; the message key `invalidAddress` marks a bad one. */
export const emailAddressSchema = z
  .string()
  .trim()
  .refine(isValidEmailAddress, { message: 'invalidAddress' });

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
export const smtpAccountSchema = z.object({
  senderName: singleLine(200),
  senderAddress: emailAddressSchema,
  replyTo: optionalEmailSchema,
  host: hostSchema,
  port: z.number({ message: 'invalidPort' }).int({ message: 'invalidPort' }).min(1, { message: 'invalidPort' }).max(65535, { message: 'invalidPort' }),
  security: z.enum(connectionSecurities),
  /** Which TLS versions and ciphers are acceptable; `weak` is only for old office servers. */
  cipherStrength: z.enum(cipherStrengths).default('default'),
  username: singleLine(320),
  /**
   * A PEM certificate the user chose to trust for this server (a self-signed office server). Empty:
   * the system's trusted authorities decide. Verification is never switched off.
   */
  trustedCertificate: z.string().max(20_000, { message: 'tooLong' }).default(''),
});
/** A validated SMTP account. */
export type SmtpAccount = z.infer<typeof smtpAccountSchema>;

/** UI language: follow the operating system, or one of ours. */
export const uiLanguageSchema = z.enum(['system', ...languages]);
/** One of the UI language choices. */
export type UiLanguage = z.infer<typeof uiLanguageSchema>;

/** The user preferences file, version 1. */
export const userPrefsSchema = z.object({
  language: uiLanguageSchema.default('system'),
  personalEmail: optionalEmailSchema.default(''),
  exportFolder: z.string().max(4096).default(''),
  smtp: smtpAccountSchema.nullable().default(null),
});
/** Validated user preferences. */
export type UserPrefs = z.infer<typeof userPrefsSchema>;

/** What the preferences window receives: the preferences plus whether a password is saved. */
export interface UserPrefsView {
  readonly prefs: UserPrefs;
  readonly smtpHasPassword: boolean;
  /** The server rejected the saved password; Kurier will not log in with it until a new one is entered. */
  readonly smtpPasswordRejected: boolean;
  /** Where the file lives, so the user can find or back it up. */
  readonly filePath: string;
}

/** What to do with the SMTP password when saving. */
export const passwordChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({ action: z.literal('set'), value: z.string().min(1, { message: 'required' }).max(1024) }),
  z.object({ action: z.literal('clear') }),
]);
/** One of keep / set / clear. */
export type PasswordChange = z.infer<typeof passwordChangeSchema>;
