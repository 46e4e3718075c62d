/**
 * What one delivery attempt means for the batch, decided by the server's reply code and enhanced status
 * code — never by the library's error name alone, because nodemailer reports a 421 and a 550 at MAIL FROM
 * with the same `EENVELOPE` (research smtp-sending.md §1.3, §6.2).
 *
 * - `retry`: transient; try again later with backoff. `pace` says what it means for the account's pace:
 *   `slowDown` for a rate answer (4.7.x, 432, "too many messages"), `refused` for a transient refusal (a
 *   bare 421, 4.3.x/4.4.x, 451, a dropped connection — the pacer slows down only when they repeat),
 *   `keep` for anything about this message alone.
 * - `quota`: a daily or rolling sending quota is used up; pause the batch until it passes.
 * - `stop`: authentication or configuration; nothing will work until the user acts.
 * - `failed`: permanent for this message only (unknown recipient, too large); go on with the rest.
 * - `uncertain`: the connection broke after the whole message was sent; the server may have it. Never
 *   re-sent automatically: the user decides.
 */
import type { AttemptFailure } from '../mail/smtp-session';
import { replyMeaning } from '../mail/smtp-reply';
import type { PaceEffect } from './pacer';

/** The disposition of one attempt that did not succeed. */
export type FailureDisposition =
  | { readonly kind: 'retry'; readonly pace: PaceEffect }
  | { readonly kind: 'quota' }
  | { readonly kind: 'stop' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'uncertain' };

/** Retry timing. */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** After this many attempts a transient failure becomes final. */
  readonly maxAttempts: number;
}

/** The defaults for real servers; tests shorten them. */
export const defaultRetry: RetryPolicy = { baseMs: 30_000, maxMs: 30 * 60_000, maxAttempts: 8 };

/**
 * How long a message waits before its next attempt: exponential backoff with ±20 % jitter (`random` in
 * [0, 1)). After a transient refusal (`pace` 'refused') the backoff doubles with the server's refusals in
 * a row, not with this message's attempts: a server that accepted others meanwhile is flaky, not down,
 * and a message it happened to refuse three times would otherwise wait minutes at the end of a batch.
 */
export function retryDelayMs(
  retry: RetryPolicy,
  pace: PaceEffect,
  attempts: number,
  refusalsInARow: number,
  random: number,
): number {
  // A lone refusal waits half the first step, each further one in a row doubles it.
  const doublings = pace === 'refused' ? Math.max(1, Math.min(attempts, refusalsInARow)) - 2 : attempts - 1;
  const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** doublings);
  return Math.round(backoff * (0.8 + 0.4 * random));
}

/** What one failed attempt was: defined by the SMTP session (mail/smtp-session.ts). */
export type { AttemptFailure };

const authOrConfigErrors = new Set([
  'smtp.authRejected',
  'smtp.noAuthMechanism',
  'smtp.authRefused',
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
  'smtp.starttlsUnavailable',
  'smtp.certificateNameMismatch',
  'smtp.senderRejected',
  'smtp.authDisabled',
  'smtp.basicAuthRetired',
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

/** Decides what a failed attempt means; see the file comment. */
export function dispositionOf(failure: AttemptFailure): FailureDisposition {
  const reply = failure.responseCode ?? 0;
  // The message went out whole and no answer came back: the server may have accepted it.
  if (failure.dataCompleted && (reply === 0 || failure.watchdog)) return { kind: 'uncertain' };
  if (failure.error.code.startsWith('oauth.') && failure.error.code !== 'oauth.network') return { kind: 'stop' };
  if (reply !== 0) {
    const meaning = replyMeaning({ code: reply, response: failure.response ?? '', command: failure.command });
    switch (meaning) {
      case 'quota':
        return { kind: 'quota' };
      case 'rateLimit':
        return { kind: 'retry', pace: 'slowDown' };
      case 'busy':
        return { kind: 'retry', pace: 'refused' };
      case 'temporary':
      case 'authTemporary':
      case 'tooManyRecipients':
        return reply >= 500 ? { kind: 'failed' } : { kind: 'retry', pace: 'keep' };
      case 'authRejected':
      case 'authRefused':
      case 'authDisabled':
      case 'basicAuthRetired':
      case 'senderRejected':
        return { kind: 'stop' };
      case 'recipientUnknown':
      case 'mailboxFull':
      case 'tooLarge':
      case 'policy':
      case 'permanent':
        if (reply < 500) return { kind: 'retry', pace: 'keep' };
        // A 5xx before any envelope or to the envelope's sender is the account's, not this message's.
        return failure.command === 'MAIL FROM' || failure.command === 'CONN' || failure.command === 'EHLO'
          ? { kind: 'stop' }
          : { kind: 'failed' };
      default:
        return unreachable(meaning);
    }
  }
  const passing =
    failure.everConnected && (failure.error.code === 'smtp.connectionRefused' || failure.error.code === 'smtp.hostNotFound');
  if (authOrConfigErrors.has(failure.error.code) && !passing) return { kind: 'stop' };
  if (
    passing ||
    failure.watchdog ||
    networkCodes.has(failure.code ?? '') ||
    failure.error.code === 'smtp.timeout' ||
    failure.error.code === 'smtp.connectionLost'
  ) {
    return { kind: 'retry', pace: 'refused' };
  }
  return { kind: 'retry', pace: 'keep' };
}

function unreachable(value: never): never {
  throw new Error(`unexpected reply meaning ${String(value)}`);
}
