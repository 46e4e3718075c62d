/**
 * What one delivery attempt means for the batch, decided by the server's reply code and enhanced status
 * code — never by the library's error name alone, because nodemailer reports a 421 and a 550 at MAIL FROM
 * with the same `EENVELOPE` (research smtp-sending.md §1.3, §6.2).
 *
 * - `retry`: transient; try again later with backoff. `throttle` also slows the whole account down.
 * - `quota`: a daily or rolling sending quota is used up; pause the batch until it passes.
 * - `stop`: authentication or configuration; nothing will work until the user acts.
 * - `failed`: permanent for this message only (unknown recipient, too large); go on with the rest.
 * - `uncertain`: the connection broke after the whole message was sent; the server may have it. Never
 *   re-sent automatically: the user decides.
 */
import type { KurierError } from '../../../shared/errors';

/** The disposition of one attempt that did not succeed. */
export type FailureDisposition =
  | { readonly kind: 'retry'; readonly throttle: boolean }
  | { readonly kind: 'quota' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'uncertain' };

/** What is known about a failed attempt. */
export interface AttemptFailure {
  /** The user-facing classification (smtp-errors.ts). */
  readonly error: KurierError;
  /** nodemailer's fields, when the error came from it. */
  readonly code?: string | undefined;
  readonly command?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
  /** The whole message, final dot included, had been written when the attempt broke off. */
  readonly dataCompleted: boolean;
  /** The attempt was cut off by the watchdog. */
  readonly watchdog: boolean;
  /** This account has connected fine earlier in this run: a refused or unknown host now is passing. */
  readonly everConnected: boolean;
}

// Quotas are 5xx (sometimes 4xx) codes for a condition that passes: match the enhanced code or the text.
const quotaPatterns = [
  /\b5\.4\.5\b/, // Gmail: Daily user sending quota exceeded
  /SubmissionQuotaExceeded/i, // Microsoft 365: 554 5.2.0 STOREDRV.Submission.Exception
  /\b4\.2\.1\b.*\b(peak|limit)/i, // Google relay: 450 4.2.1 Peak SMTP relay limit exceeded
  /(daily|24[- ]hour).{0,40}(limit|quota)|(limit|quota).{0,40}(daily|24[- ]hour)/i, // iCloud and others
];
// Answers that mean "slower, please": back off the whole account, not just this message.
const throttleCodes = new Set([421, 432, 450, 451, 454]);
const authOrConfigErrors = new Set([
  'smtp.authRejected',
  'smtp.passwordRejected',
  'smtp.passwordMissing',
  'smtp.passwordWithheld',
  'smtp.passwordUnbound',
  'smtp.plainTextUnconfirmed',
  'smtp.notConfigured',
  'smtp.hostNotFound',
  'smtp.connectionRefused',
  'smtp.tlsModeMismatch',
  'smtp.certificateUntrusted',
  'smtp.tlsFailed',
  'smtp.senderRejected',
  'smtp.authDisabled',
  'oauth.notRegistered',
  'oauth.notSignedIn',
  'oauth.signInAgain',
  'oauth.signInChanged',
  'oauth.tokenWithheld',
  'oauth.clientRejected',
  'oauth.consentDenied',
  'oauth.failed',
]);
const networkCodes = new Set(['ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EPROTOCOL']);

/** The enhanced status code (RFC 3463) in a reply, e.g. `4.7.0`; empty when there is none. */
export function enhancedStatus(response: string | undefined): string {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response ?? '')?.[1] ?? '';
}

/** Decides what a failed attempt means; see the file comment. */
export function dispositionOf(failure: AttemptFailure): FailureDisposition {
  const reply = failure.responseCode ?? 0;
  const response = failure.response ?? '';
  const enhanced = enhancedStatus(response);
  // The message went out whole and no answer came back: the server may have accepted it.
  if (failure.dataCompleted && (reply === 0 || failure.watchdog)) return { kind: 'uncertain' };
  if (reply !== 0 && quotaPatterns.some((pattern) => pattern.test(response))) return { kind: 'quota' };
  if (throttleCodes.has(reply) || enhanced.startsWith('4.7.')) return { kind: 'retry', throttle: true };
  if (failure.error.code === 'smtp.authRejected' || failure.error.code === 'smtp.passwordRejected' || failure.error.code === 'smtp.authDisabled') {
    return { kind: 'stop' };
  }
  if (failure.error.code.startsWith('oauth.') && failure.error.code !== 'oauth.network') return { kind: 'stop' };
  if (reply >= 400 && reply < 500) return { kind: 'retry', throttle: false };
  if (reply >= 500) {
    // A 5xx to the envelope's sender or before any envelope is the account's, not this message's.
    if (failure.command === 'MAIL FROM' || failure.command === 'CONN' || failure.command === 'EHLO' || authOrConfigErrors.has(failure.error.code)) {
      return { kind: 'stop' };
    }
    return { kind: 'failed' };
  }
  const passing = failure.everConnected && (failure.error.code === 'smtp.connectionRefused' || failure.error.code === 'smtp.hostNotFound');
  if (authOrConfigErrors.has(failure.error.code) && !passing) return { kind: 'stop' };
  if (passing || failure.watchdog || networkCodes.has(failure.code ?? '') || failure.error.code === 'smtp.timeout' || failure.error.code === 'smtp.connectionLost') {
    return { kind: 'retry', throttle: true };
  }
  return { kind: 'retry', throttle: false };
}
