/**
 * What a server's refusal means, read from the enhanced status code first (RFC 3463: class.subject.detail,
 * e.g. 5.4.5), then from the words providers are known to use, and only then from the basic reply code
 * and the stage it came at. The same 550 at MAIL FROM can mean "daily quota used up" (Gmail 5.4.5), "you
 * may not send as this address" (Microsoft 5.7.60) or a spam verdict (5.7.1): telling them apart is the
 * difference between "wait until tomorrow" and "fix your sender address".
 *
 * Both the user-facing error (smtp-errors.ts) and the outbox's disposition (delivery-outcome.ts) are
 * derived from this one reading, so what the history says and what the outbox does cannot disagree.
 */

/** The meaning of one refusal. */
export type ReplyMeaning =
  /** A daily or rolling sending quota is used up: pause until it passes. */
  | 'quota'
  /** The server asks for a slower pace (4.7.x, 432 4.3.2, "too many messages"): slow down. */
  | 'rateLimit'
  /** Transient refusal (421 4.3.x/4.4.x, 451 local error): retry this message later at the same pace. */
  | 'busy'
  /** The server refused the login's credentials (535, 5.7.8; 534 and 530): the password is not good. */
  | 'authRejected'
  /**
   * Any other refusal of a login (504 "unrecognised mechanism", 502, 501…), or a login that failed
   * without a server reply: no verdict on the password, which stays trusted.
   */
  | 'authRefused'
  /** SMTP AUTH switched off for the mailbox or tenant (Microsoft 5.7.139). */
  | 'authDisabled'
  /** Password login retired, a sign-in is required (Microsoft 5.7.30). */
  | 'basicAuthRetired'
  /** The login could not be checked right now (454 4.7.0): not a verdict on the password. */
  | 'authTemporary'
  /** The server does not let this account send as the sender address. */
  | 'senderRejected'
  /** The recipient does not exist or cannot receive (5.1.1, 5.1.10, 5.2.1). */
  | 'recipientUnknown'
  /** The recipient's mailbox is full (5.2.2, 4.2.2). */
  | 'mailboxFull'
  /** The message is larger than the server takes (5.3.4, 552). */
  | 'tooLarge'
  /** Too many recipients in one message (4.5.3, 5.5.3). */
  | 'tooManyRecipients'
  /** Refused by policy: spam verdict, SPF/DMARC, relaying denied, a block list (5.7.x). */
  | 'policy'
  /** Any other temporary refusal. */
  | 'temporary'
  /** Any other permanent refusal. */
  | 'permanent';

/** A server's refusal as nodemailer reports it. */
export interface Reply {
  /** The basic reply code (421, 550, …); 0 when there was none. */
  readonly code: number;
  /** The reply text, enhanced status code included. */
  readonly response: string;
  /** The command it answered (`MAIL FROM`, `RCPT TO`, `DATA`, `AUTH PLAIN`, `CONN`, …). */
  readonly command?: string | undefined;
}

/** The enhanced status code (RFC 3463) in a reply, e.g. `4.7.0`; empty when there is none. */
export function enhancedStatus(response: string | undefined): string {
  return (
    /\b([245])\.(\d{1,3})\.(\d{1,3})\b/
      .exec(response ?? '')
      ?.slice(1, 4)
      .join('.') ?? ''
  );
}

// Quotas are worded, whatever the code (Gmail 550 5.4.5, Microsoft 554 5.2.0 …QuotaExceeded, iCloud
// 550 5.7.1 "exceeded your daily sending limit", Google relay 550 5.4.5 / 450 4.2.1 "Peak … limit").
const quotaWords = [
  /SubmissionQuotaExceeded/i,
  /(daily|24[- ]hour|hourly|sending).{0,40}(limit|quota)|(limit|quota).{0,40}(daily|24[- ]hour)/i,
  /\b4\.2\.1\b.*\bpeak\b.*\blimit/i,
];
const rateWords =
  /too many (\w+ ){0,2}(messages|mails|e-?mails|connections)|rate limit|too (fast|quickly)|throttl|slow down|concurrent (\w+ )?connections|thread limit/i;
const recipientCountWords = /too many recipients/i;
const senderWords =
  /send(ing)? as|sender (address )?(rejected|denied|not allowed|refused)|not (allowed|authori[sz]ed) to send|not owned|SendAsDenied|from address/i;
const mailboxFullWords = /mailbox (is )?full|over quota|insufficient (disk )?space|quota exceeded for/i;
const unknownRecipientWords =
  /user unknown|no such (user|mailbox)|does not exist|account (not found|disabled)|mailbox (unavailable|not found)|recipient address rejected|address rejected/i;
const policyWords = /spam|blocked|block ?list|blacklist|spf|dkim|dmarc|relay(ing)? (access )?denied|policy|reputation/i;

/** Reads one refusal; see the file comment for the order of evidence. */
export function replyMeaning(reply: Reply): ReplyMeaning {
  const { code, response } = reply;
  const command = (reply.command ?? '').toUpperCase();
  const enhanced = enhancedStatus(response);
  const [klass, subject, detail] = enhanced === '' ? [0, -1, -1] : enhanced.split('.').map(Number);
  const atAuth = command.startsWith('AUTH') || command === 'LOGIN';

  // Logins first: their codes overlap with everything else.
  if (enhanced === '5.7.139') return 'authDisabled';
  if (enhanced === '5.7.30') return 'basicAuthRetired';
  if (atAuth || code === 535 || code === 534) {
    if (code >= 400 && code < 500 && enhanced !== '4.7.12') return 'authTemporary';
    // Only a server's verdict on the credentials marks a password rejected (issue 18): 535 / 5.7.8, and
    // 534 (Gmail's "application-specific password required") and 530 ("authentication required").
    if (code === 535 || code === 534 || code === 530 || enhanced === '5.7.8' || enhanced === '4.7.12') return 'authRejected';
    return 'authRefused';
  }
  if (quotaWords.some((pattern) => pattern.test(response)) || enhanced === '5.4.5') return 'quota';
  if (recipientCountWords.test(response) || enhanced === '4.5.3' || enhanced === '5.5.3') return 'tooManyRecipients';
  if (enhanced === '5.2.2' || enhanced === '4.2.2' || mailboxFullWords.test(response)) return 'mailboxFull';
  if (enhanced === '5.3.4' || enhanced === '5.2.3' || (code === 552 && enhanced === '')) return 'tooLarge';
  if (enhanced === '5.7.60' || (command === 'MAIL FROM' && (subject === 1 || klass === 5) && senderWords.test(response)))
    return 'senderRejected';
  if (klass === 5 && subject === 1 && [1, 2, 3, 6, 10].includes(detail ?? -1)) return 'recipientUnknown';
  if (enhanced === '5.2.1') return 'recipientUnknown';
  // A bare 421 is the server closing for now (busy, restarting, too many errors): one such answer is
  // no reason to slow the whole account down — repeated ones are, and the pacer counts them.
  if (rateWords.test(response) || code === 432 || (klass === 4 && subject === 7 && code !== 421)) return 'rateLimit';
  if (klass === 5 && subject === 7) return 'policy';
  if (code >= 500 && policyWords.test(response)) return 'policy';
  if (code >= 500 && command === 'RCPT TO' && unknownRecipientWords.test(response)) return 'recipientUnknown';
  if (code >= 400 && code < 500) return code === 421 || code === 451 || klass === 4 ? 'busy' : 'temporary';
  return 'permanent';
}
