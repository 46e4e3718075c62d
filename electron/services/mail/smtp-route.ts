/**
 * The direct SMTP route: one message, one connection, from the main process. (Bulk sending goes
 * through the outbox, which will own a pool; this route is what the outbox calls per message.)
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { KurierError } from '../../../shared/errors';
import type { SmtpAccount } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import { assertSendable, type ComposedMail } from './composed-mail';
import type { MailRoute, RouteAvailability, RouteReceipt } from './mail-route';
import { foldableSubject } from './header-text';
import { classifySmtpError } from './smtp-errors';
import { defaultSmtpTimeouts, smtpTransportOptions, type SmtpTimeouts } from './smtp-transport-options';

/** What the SMTP route needs. */
export interface SmtpRouteOptions {
  readonly account: SmtpAccount | null;
  readonly password: string | null;
  readonly logger: Logger;
  readonly timeouts?: SmtpTimeouts;
}

/** The nodemailer message for a ComposedMail. */
export function toNodemailerMessage(mail: ComposedMail): Mail.Options {
  return {
    from: { name: mail.from.name, address: mail.from.address },
    to: [...mail.to],
    cc: [...mail.cc],
    bcc: [...mail.bcc],
    ...(mail.replyTo !== '' ? { replyTo: mail.replyTo } : {}),
    // nodemailer folds only at spaces: an unbroken subject goes as encoded words (header-text.ts).
    subject: foldableSubject(mail.subject),
    text: mail.text,
    messageId: mail.messageId,
    attachments: mail.attachments.map((attachment) => ({
      path: attachment.path,
      filename: attachment.fileName,
      contentType: attachment.contentType,
    })),
    // Attachments come from files Kurier itself wrote; refuse anything nodemailer would fetch or read
    // from elsewhere (a URL or another path smuggled into the message).
    disableUrlAccess: true,
  };
}

/** Sends over SMTP with the account's settings. */
export class SmtpRoute implements MailRoute {
  readonly id = 'smtp' as const;
  readonly #options: SmtpRouteOptions;

  constructor(options: SmtpRouteOptions) {
    this.#options = options;
  }

  availability(): Promise<RouteAvailability> {
    const { account, password } = this.#options;
    if (!account) return Promise.resolve({ available: false, reason: 'smtp.notConfigured' });
    if (account.username !== '' && password === null)
      return Promise.resolve({ available: false, reason: 'smtp.passwordMissing' });
    return Promise.resolve({ available: true });
  }

  async send(mail: ComposedMail): Promise<RouteReceipt> {
    assertSendable(mail);
    const account = this.#requireAccount();
    const transport = nodemailer.createTransport(
      smtpTransportOptions(account, this.#options.password, this.#options.timeouts ?? defaultSmtpTimeouts),
    );
    const log = this.#options.logger.child('smtp');
    try {
      const info = await transport.sendMail(toNodemailerMessage(mail));
      log.info('sent', { host: account.host, port: account.port, messageId: mail.messageId, response: info.response });
      const accepted: readonly (string | Mail.Address)[] = info.accepted;
      return {
        messageId: mail.messageId,
        accepted: accepted.map((entry) => (typeof entry === 'string' ? entry : entry.address) ?? ''),
        response: info.response,
      };
    } catch (error) {
      const classified = await classifySmtpError(
        error,
        { host: account.host, port: account.port, security: account.security },
        { sender: mail.from.address, recipients: [...mail.to, ...mail.cc, ...mail.bcc] },
      );
      log.warn('sendFailed', { host: account.host, port: account.port, code: classified.code, error });
      throw classified;
    } finally {
      transport.close();
    }
  }

  #requireAccount(): SmtpAccount {
    const { account, password } = this.#options;
    if (!account) throw new KurierError('smtp.notConfigured');
    if (account.username !== '' && password === null) {
      throw new KurierError('smtp.passwordMissing', { username: account.username });
    }
    return account;
  }
}
