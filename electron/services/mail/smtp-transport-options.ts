/**
 * Turns an SMTP account into nodemailer transport options. Certificate verification is always on; a
 * certificate the user chose to trust is added to the system's authorities, it never replaces the check.
 */
import { rootCertificates } from 'node:tls';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpAccount } from '../../../shared/prefs';
import { tlsOptionsFor } from './cipher-strength';

/** How long each network step may take, in milliseconds. */
export interface SmtpTimeouts {
  readonly connectionMs: number;
  readonly greetingMs: number;
  readonly socketMs: number;
}

/** Desktop defaults: long enough for a slow office line, short enough that a user is told soon. */
export const defaultSmtpTimeouts: SmtpTimeouts = { connectionMs: 20_000, greetingMs: 15_000, socketMs: 60_000 };

/** nodemailer options for one account. */
export function smtpTransportOptions(
  account: SmtpAccount,
  password: string | null,
  timeouts: SmtpTimeouts = defaultSmtpTimeouts,
): SMTPTransport.Options {
  const trusted = account.trustedCertificate.trim();
  return {
    host: account.host,
    port: account.port,
    secure: account.security === 'ssl',
    requireTLS: account.security === 'starttls',
    ignoreTLS: account.security === 'none',
    ...(account.username !== '' && password !== null ? { auth: { user: account.username, pass: password } } : {}),
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    tls: tlsOptionsFor(account.cipherStrength, {
      rejectUnauthorized: true,
      ...(trusted !== '' ? { ca: [...rootCertificates, trusted] } : {}),
    }),
    // nodemailer must not log: its debug output contains AUTH lines.
    logger: false,
    debug: false,
  };
}
