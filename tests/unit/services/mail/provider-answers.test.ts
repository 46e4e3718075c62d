/**
 * Real refusals from the providers our users send through, each with the plain-words message the user
 * must get and what the outbox does with it. Sources: Google's SMTP error reference
 * (support.google.com/a/answer/3726730), Microsoft Learn (SMTP submission limits, 5.7.139, 5.7.30,
 * SubmissionQuotaExceeded), Apple (daily sending limit), Interia's help ("Dlaczego wiadomość nie została
 * dostarczona"), Forpsi/konto.pl (limits answered as "policy violation"), Postfix and Exim defaults.
 * Where a provider publishes no texts (Seznam, WP.pl, o2, Onet), the answers are the generic Postfix/Exim
 * ones their servers are built on; the table says so.
 */
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../../electron/services/mail/smtp-errors';
import { dispositionOf } from '../../../../electron/services/outbox/delivery-outcome';
import { createTranslator, describeError } from '../../../../shared/i18n';

interface Answer {
  readonly provider: string;
  readonly command: string;
  readonly code: number;
  readonly response: string;
  /** The error the user sees. */
  readonly error: string;
  /** What the outbox does. */
  /** `refused`: retried later at the same pace (slows down only when repeated); `throttle`: slows the account down. */
  readonly outcome: 'retry' | 'refused' | 'throttle' | 'quota' | 'stop' | 'failed';
  /** Words the English message must contain. */
  readonly says: string;
}

const answers: readonly Answer[] = [
  {
    provider: 'Gmail',
    command: 'MAIL FROM',
    code: 550,
    response:
      '550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 - gsmtp',
    error: 'smtp.quotaExceeded',
    outcome: 'quota',
    says: 'sending limit',
  },
  {
    provider: 'Gmail',
    command: 'DATA',
    code: 421,
    response: '421 4.3.0 Temporary System Problem.  Try again later (10). - gsmtp',
    error: 'smtp.temporarilyRejected',
    outcome: 'refused',
    says: 'temporarily',
  },
  {
    provider: 'Gmail',
    command: 'MAIL FROM',
    code: 421,
    response: '421 4.7.0 Try again later, closing connection. (MAIL) - gsmtp',
    error: 'smtp.temporarilyRejected',
    outcome: 'refused',
    says: 'temporarily',
  },
  {
    provider: 'Gmail',
    command: 'RCPT TO',
    code: 550,
    response:
      "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address - gsmtp",
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
  {
    provider: 'Gmail',
    command: 'RCPT TO',
    code: 552,
    response: '552 5.2.2 The email account that you tried to reach is over quota. - gsmtp',
    error: 'smtp.mailboxFull',
    outcome: 'failed',
    says: 'is full',
  },
  {
    provider: 'Gmail',
    command: 'DATA',
    code: 552,
    response: "552 5.3.4 Your message exceeded Google's message size limits. - gsmtp",
    error: 'smtp.messageTooLarge',
    outcome: 'failed',
    says: 'too large',
  },
  {
    provider: 'Gmail',
    command: 'RCPT TO',
    code: 452,
    response: '452 4.5.3 Your message has too many recipients. - gsmtp',
    error: 'smtp.tooManyRecipients',
    outcome: 'retry',
    says: 'fewer recipients',
  },
  {
    provider: 'Gmail',
    command: 'DATA',
    code: 550,
    response:
      '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
    error: 'smtp.policyRejected',
    outcome: 'failed',
    says: 'by its rules',
  },
  {
    provider: 'Gmail',
    command: 'AUTH PLAIN',
    code: 535,
    response: '535-5.7.8 Username and Password not accepted. - gsmtp',
    error: 'smtp.authRejected',
    outcome: 'stop',
    says: '',
  },
  {
    // A mechanism the server does not take is no verdict on the password (issue 18): it stays trusted.
    provider: 'Postfix',
    command: 'AUTH PLAIN',
    code: 504,
    response: '504 5.5.4 Unrecognized authentication type',
    error: 'smtp.authRefused',
    outcome: 'stop',
    says: 'stays saved',
  },
  {
    provider: 'Gmail',
    command: 'AUTH PLAIN',
    code: 454,
    response: '454 4.7.0 Too many login attempts, please try again later. - gsmtp',
    error: 'smtp.temporarilyRejected',
    outcome: 'retry',
    says: 'temporarily',
  },
  {
    provider: 'Google Workspace relay',
    command: 'MAIL FROM',
    code: 550,
    response: '550 5.4.5 Daily SMTP relay limit exceeded for user. - gsmtp',
    error: 'smtp.quotaExceeded',
    outcome: 'quota',
    says: 'sending limit',
  },
  {
    provider: 'Google Workspace relay',
    command: 'MAIL FROM',
    code: 450,
    response: '450 4.2.1 Peak SMTP relay limit exceeded for customer. - gsmtp',
    error: 'smtp.quotaExceeded',
    outcome: 'quota',
    says: 'sending limit',
  },
  {
    provider: 'Microsoft 365',
    command: 'DATA',
    code: 554,
    response:
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception',
    error: 'smtp.quotaExceeded',
    outcome: 'quota',
    says: 'sending limit',
  },
  {
    provider: 'Microsoft 365',
    command: 'CONN',
    code: 432,
    response: '432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.',
    error: 'smtp.rateLimited',
    outcome: 'throttle',
    says: 'more slowly',
  },
  {
    provider: 'Microsoft 365',
    command: 'AUTH LOGIN',
    code: 535,
    response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    error: 'smtp.authDisabled',
    outcome: 'stop',
    says: '',
  },
  {
    provider: 'Microsoft 365',
    command: 'AUTH LOGIN',
    code: 535,
    response: '535 5.7.3 Authentication unsuccessful',
    error: 'smtp.authRejected',
    outcome: 'stop',
    says: '',
  },
  {
    provider: 'Microsoft 365',
    command: 'AUTH LOGIN',
    code: 550,
    response: '550 5.7.30 Basic authentication is not supported for Client Submission.',
    error: 'smtp.basicAuthRetired',
    outcome: 'stop',
    says: 'no longer accepts a password',
  },
  {
    provider: 'Microsoft 365',
    command: 'DATA',
    code: 550,
    response: '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
    error: 'smtp.senderRejected',
    outcome: 'stop',
    says: 'sending as',
  },
  {
    provider: 'Microsoft 365',
    command: 'RCPT TO',
    code: 550,
    response: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
  {
    provider: 'iCloud',
    command: 'MAIL FROM',
    code: 550,
    response: '550 5.7.1 [CS01] Message rejected due to local policy. You have exceeded your daily sending limit.',
    error: 'smtp.quotaExceeded',
    outcome: 'quota',
    says: 'sending limit',
  },
  {
    provider: 'Interia',
    command: 'RCPT TO',
    code: 550,
    response: '550 5.1.1 Account not found',
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
  {
    provider: 'Interia',
    command: 'RCPT TO',
    code: 550,
    response: '550 5.2.1 Mailbox not available',
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
  {
    provider: 'Interia',
    command: 'RCPT TO',
    code: 550,
    response: "550 5.7.1 Recipient doesn't want your mail",
    error: 'smtp.policyRejected',
    outcome: 'failed',
    says: 'by its rules',
  },
  {
    provider: 'Forpsi (konto.pl)',
    command: 'MAIL FROM',
    code: 550,
    response: '550 5.1.0 piWs1j0010jifNx01iWsdh sender rejected',
    error: 'smtp.senderRejected',
    outcome: 'stop',
    says: 'sending as',
  },
  {
    provider: 'Postfix (Seznam, WP.pl, o2, Onet run such servers)',
    command: 'RCPT TO',
    code: 550,
    response: '550 5.1.1 <jana@firma.example>: Recipient address rejected: User unknown in virtual mailbox table',
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
  {
    provider: 'Postfix',
    command: 'RCPT TO',
    code: 554,
    response: '554 5.7.1 <jana@firma.example>: Relay access denied',
    error: 'smtp.policyRejected',
    outcome: 'failed',
    says: 'by its rules',
  },
  {
    provider: 'Postfix',
    command: 'MAIL FROM',
    code: 553,
    response: '553 5.7.1 <ucetni@kancelar.example>: Sender address rejected: not owned by user ucetni',
    error: 'smtp.senderRejected',
    outcome: 'stop',
    says: 'sending as',
  },
  {
    provider: 'Postfix',
    command: 'MAIL FROM',
    code: 452,
    response: '452 4.3.1 Insufficient system storage',
    error: 'smtp.temporarilyRejected',
    outcome: 'refused',
    says: 'temporarily',
  },
  {
    provider: 'Postfix',
    command: 'DATA',
    code: 552,
    response: '552 5.3.4 Message size exceeds fixed limit',
    error: 'smtp.messageTooLarge',
    outcome: 'failed',
    says: 'too large',
  },
  {
    provider: 'Postfix',
    command: 'RCPT TO',
    code: 450,
    response: '450 4.7.1 <jana@firma.example>: Recipient address rejected: too many messages, slow down',
    error: 'smtp.rateLimited',
    outcome: 'throttle',
    says: 'more slowly',
  },
  {
    provider: 'Exim',
    command: 'CONN',
    code: 421,
    response: '421 mail.example Too many concurrent SMTP connections; please try again later.',
    error: 'smtp.rateLimited',
    outcome: 'throttle',
    says: 'more slowly',
  },
  {
    provider: 'Exim',
    command: 'DATA',
    code: 451,
    response: '451 Temporary local problem - please try later',
    error: 'smtp.temporarilyRejected',
    outcome: 'refused',
    says: 'temporarily',
  },
  {
    provider: 'Exim',
    command: 'DATA',
    code: 552,
    response: '552 Message size exceeds maximum permitted',
    error: 'smtp.messageTooLarge',
    outcome: 'failed',
    says: 'too large',
  },
  {
    provider: 'Exim',
    command: 'RCPT TO',
    code: 550,
    response: '550 Unrouteable address',
    error: 'smtp.recipientRejected',
    outcome: 'failed',
    says: 'refused the recipient',
  },
];

const t = createTranslator('en');
const target = { host: 'smtp.example', port: 587, security: 'starttls' as const };
const context = { sender: 'ucetni@kancelar.example', recipients: ['jana@firma.example'] };

describe('real provider answers', () => {
  it.each(answers)('$provider: $response', async (answer) => {
    const atAuth = answer.command.startsWith('AUTH');
    const nodemailerError = Object.assign(new Error(answer.response), {
      code: atAuth ? 'EAUTH' : 'EENVELOPE',
      responseCode: answer.code,
      response: answer.response,
      command: answer.command,
    });
    const error = await classifySmtpError(nodemailerError, target, context, () => Promise.resolve(false));
    expect(error.code).toBe(answer.error);
    const { message } = describeError(t, error.toShape());
    expect(message).toContain(answer.says);
    // Never the raw code name, never an unfilled placeholder.
    expect(message).not.toMatch(/\{\w+\}|\bsmtp\.[a-z]+[A-Z]/);

    const disposition = dispositionOf({
      error,
      responseCode: answer.code,
      response: answer.response,
      command: answer.command,
      dataCompleted: false,
      watchdog: false,
      everConnected: true,
    });
    const paceOutcome = { keep: 'retry', refused: 'refused', slowDown: 'throttle' } as const;
    const outcome = disposition.kind === 'retry' ? paceOutcome[disposition.pace] : disposition.kind;
    expect(outcome).toBe(answer.outcome);
  });

  it('a daily quota at MAIL FROM is never shown as a problem with the sender address', async () => {
    const response = '550 5.4.5 Daily user sending limit exceeded';
    const error = await classifySmtpError(
      { code: 'EENVELOPE', responseCode: 550, response, command: 'MAIL FROM' },
      target,
      context,
    );
    const { message, fix } = describeError(t, error.toShape());
    expect(`${message} ${fix}`).not.toContain('sending as');
    expect(fix).toContain('Nothing is wrong with the address');
  });
});
