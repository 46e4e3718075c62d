/**
 * Sends one ComposedMail the way the outbox does — composed by mime-message.ts, delivered through the
 * one SMTP session (mail/smtp-session.ts) — for tests and benchmarks that look at a single message
 * (error classification, encodings, the cost of a connection). Throws the KurierError a user would see.
 */
import { readFile } from 'node:fs/promises';
import type { ComposedMail } from '../../electron/services/mail/composed-mail';
import { passwordCredential } from '../../electron/services/mail/smtp-credential';
import { SessionFailure, SmtpSession, type SessionReceipt } from '../../electron/services/mail/smtp-session';
import type { SmtpTimeouts } from '../../electron/services/mail/smtp-transport-options';
import { composeMime } from '../../electron/services/outbox/mime-message';
import type { SmtpAccount } from '../../shared/prefs';
import { textToHtml } from '../../shared/templates';

export async function sendThroughSession(
  account: SmtpAccount,
  password: string | null,
  mail: ComposedMail,
  timeouts?: SmtpTimeouts,
): Promise<SessionReceipt> {
  const data = composeMime({
    from: mail.from,
    to: { name: '', address: mail.to[0] ?? '' },
    cc: mail.cc,
    replyTo: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    html: textToHtml(mail.text, 'cs'),
    messageId: mail.messageId,
    date: new Date(),
    attachments: await Promise.all(
      mail.attachments.map(async (a) => ({ fileName: a.fileName, contentType: a.contentType, content: await readFile(a.path) })),
    ),
  });
  let session: SmtpSession | null = null;
  try {
    session = await SmtpSession.open(account, passwordCredential(password), timeouts ? { timeouts } : {});
    return await session.send(
      { from: mail.from.address, to: [...mail.to, ...mail.cc, ...mail.bcc], data: () => Promise.resolve(data) },
      60_000,
    );
  } catch (error) {
    throw error instanceof SessionFailure ? error.failure.error : error;
  } finally {
    session?.close();
  }
}
