/**
 * One SMTP connection that sends many messages in turn, built on nodemailer's SMTPConnection rather than
 * its pool: the pool re-queues a message whose connection closed without limit — a payslip delivered
 * twice — and buffers every queued message in memory (research §1.2). Here the outbox alone decides
 * about retries, and messages stream from their file one at a time.
 *
 * Every send knows whether the whole message had been written when it broke off, because the message
 * stream passes through a counter: a break before its end means the server cannot have accepted it (no
 * final dot), a break after it is "uncertain" (RFC 1047's synchronisation gap).
 */
import { PassThrough, type Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import { KurierError } from '../../../shared/errors';
import type { SmtpAccount } from '../../../shared/prefs';
import type { SmtpCredential } from '../mail/smtp-credential';
import { classifySmtpError } from '../mail/smtp-errors';
import { defaultSmtpTimeouts, smtpTransportOptions, type SmtpTimeouts } from '../mail/smtp-transport-options';
import type { AttemptFailure } from './delivery-outcome';

/** One message for {@link SmtpSession.send}. */
export interface SessionMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** The RFC 822 message, streamed (attachments read from disk as it goes). */
  readonly raw: Readable;
  /** Called once the whole message has been handed to the server (before its answer). */
  readonly onDataSent?: () => void;
}

/** The server's answer to an accepted message. */
export interface SessionReceipt {
  readonly response: string;
  readonly accepted: readonly string[];
}

/** A failed send or connect, with what the outbox needs to decide. */
export class SessionFailure extends Error {
  readonly failure: Omit<AttemptFailure, 'everConnected'>;

  constructor(failure: Omit<AttemptFailure, 'everConnected'>) {
    super(failure.error.message, { cause: failure.error });
    this.name = 'SessionFailure';
    this.failure = failure;
  }
}

interface NodemailerErrorFields {
  readonly code?: string;
  readonly command?: string;
  readonly responseCode?: number;
  readonly response?: string;
}

/** A logged-in SMTP connection. */
export class SmtpSession {
  readonly #connection: SMTPConnection;
  readonly #account: SmtpAccount;
  #broken = false;

  private constructor(connection: SMTPConnection, account: SmtpAccount) {
    this.#connection = connection;
    this.#account = account;
    connection.on('error', () => { this.#broken = true; });
    connection.on('end', () => { this.#broken = true; });
  }

  /** Connects, secures and logs in. Throws {@link SessionFailure}. */
  static async open(account: SmtpAccount, credential: SmtpCredential, timeouts: SmtpTimeouts = defaultSmtpTimeouts): Promise<SmtpSession> {
    const password = credential.kind === 'password' ? credential.password : null;
    if (credential.kind === 'password' && account.username !== '' && (password === null || password === '')) {
      throw new SessionFailure({ error: new KurierError('smtp.passwordMissing', { username: account.username }), dataCompleted: false, watchdog: false });
    }
    const options = smtpTransportOptions(account, password, timeouts);
    const connection = new SMTPConnection(options);
    const session = new SmtpSession(connection, account);
    // A token that could not be had (revoked sign-in, provider unreachable) is the real reason a login failed.
    let tokenError: unknown = null;
    try {
      await untilDone(connection, (done) => { connection.connect(done); });
      if (credential.kind === 'oauth2') {
        const oauth2 = new XOAuth2({
          user: credential.user,
          provisionCallback: (_user, renew, callback) => {
            credential.accessToken(renew).then(
              (token) => { callback(null, token); },
              (error: unknown) => {
                tokenError = error;
                // nodemailer rewrites the error it is given (its code becomes EAUTH): it gets a stand-in.
                callback(new Error('no access token'));
              },
            );
          },
        });
        await untilDone(connection, (done) => { connection.login({ user: credential.user, oauth2 }, done); });
      } else if (options.auth) {
        const auth = options.auth as { user: string; pass: string };
        await untilDone(connection, (done) => { connection.login({ user: auth.user, pass: auth.pass }, done); });
      }
      return session;
    } catch (error) {
      session.close();
      if (tokenError instanceof KurierError) throw new SessionFailure({ error: tokenError, dataCompleted: false, watchdog: false });
      const failure = await session.#failure(error, false, false, { sender: account.senderAddress, recipients: [] });
      // A token the server still refuses after a renewal: the sign-in itself is no longer good.
      if (credential.kind === 'oauth2' && failure.failure.error.code === 'smtp.authRejected') {
        throw new SessionFailure({ ...failure.failure, error: new KurierError('oauth.signInAgain', { host: account.host, response: failure.failure.response ?? '' }) });
      }
      throw failure;
    }
  }

  /**
   * The server's SIZE limit in bytes (0 when it states none), learnt from EHLO without logging in: the
   * dry run must not spend a login attempt.
   */
  static async probeSize(account: SmtpAccount, timeouts: SmtpTimeouts = defaultSmtpTimeouts): Promise<number> {
    const connection = new SMTPConnection(smtpTransportOptions(account, null, timeouts));
    const session = new SmtpSession(connection, account);
    try {
      await untilDone(connection, (done) => { connection.connect(done); });
      return session.maxSize;
    } catch (error) {
      throw (await session.#failure(error, false, false, { sender: account.senderAddress, recipients: [] })).failure.error;
    } finally {
      session.close();
    }
  }

  /** Whether the connection can take another message. */
  get usable(): boolean {
    return !this.#broken && !this.#connection.destroyed;
  }

  /** The largest message the server takes (its SIZE), 0 when it did not say. */
  get maxSize(): number {
    return (this.#connection as unknown as { _maxAllowedSize?: number })._maxAllowedSize ?? 0;
  }

  /**
   * Sends one message. Throws {@link SessionFailure}; after any failure the session is not reused.
   * `watchdogMs` bounds the whole send: a hung server cannot stall the batch.
   */
  async send(message: SessionMessage, watchdogMs: number): Promise<SessionReceipt> {
    let dataCompleted = false;
    let watchdog = false;
    const counted = new PassThrough();
    counted.on('end', () => {
      dataCompleted = true;
      message.onDataSent?.();
    });
    message.raw.on('error', (error) => counted.destroy(error));
    message.raw.pipe(counted);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<SessionReceipt>((resolve, reject) => {
        timer = setTimeout(() => {
          watchdog = true;
          this.#broken = true;
          this.#connection.close();
          reject(new KurierError('smtp.timeout', { host: this.#account.host, port: this.#account.port, watchdog: true }));
        }, watchdogMs);
        this.#connection.send({ from: message.from, to: [...message.to] }, counted, (error, info) => {
          if (error) {
            reject(error);
            return;
          }
          resolve({ response: info.response, accepted: info.accepted });
        });
      });
    } catch (error) {
      this.#broken = true;
      this.#connection.close();
      // Release the attachment file at once (an open file stays locked on Windows).
      message.raw.destroy();
      throw await this.#failure(error, dataCompleted, watchdog, { sender: message.from, recipients: message.to });
    } finally {
      clearTimeout(timer);
      message.raw.unpipe(counted);
    }
  }

  /** Says goodbye politely when the connection is still usable, else just closes it. */
  close(): void {
    if (this.usable) this.#connection.quit();
    else this.#connection.close();
  }

  async #failure(
    error: unknown,
    dataCompleted: boolean,
    watchdog: boolean,
    context: { readonly sender: string; readonly recipients: readonly string[] },
  ): Promise<SessionFailure> {
    const fields = (typeof error === 'object' && error !== null ? error : {}) as NodemailerErrorFields;
    const account = this.#account;
    const classified = await classifySmtpError(error, { host: account.host, port: account.port, security: account.security }, context);
    return new SessionFailure({
      error: classified,
      code: fields.code,
      command: fields.command,
      responseCode: fields.responseCode,
      response: fields.response,
      dataCompleted,
      watchdog,
    });
  }
}

/**
 * Runs one SMTPConnection step to its callback — or to the connection's 'error' event, which is the only
 * report of some failures (a 421 or 432 greeting never reaches the connect callback).
 */
function untilDone(connection: SMTPConnection, step: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => { reject(error); };
    connection.once('error', onError);
    step((error) => {
      connection.off('error', onError);
      if (error) reject(error);
      else resolve();
    });
  });
}
