/**
 * The one SMTP session of Kurier: the connection test, single copies and batches (the outbox) all open,
 * secure, log in and send through this file, so what the test says about a login is by construction what
 * sending will do.
 *
 * Everything goes through nodemailer's public `SMTPConnection`: `connect` (implicit TLS, STARTTLS, or
 * plain text where the account says so), `login` (PLAIN, LOGIN, CRAM-MD5 or XOAUTH2 — chosen here, see
 * {@link chooseMechanism}, and handed to nodemailer as `auth.method`) and `send` (envelope, then the
 * message, dot-stuffed by nodemailer). Which mechanisms, extensions and SIZE the server announced is
 * learnt through nodemailer's documented custom-authentication hook (`customAuth`): a handler for a
 * mechanism no server offers reads them from its context and declines without a byte on the wire. No
 * private member of nodemailer is touched (eslint rule `kurier/no-foreign-private`).
 *
 * A login is "rejected" only when the server answered a real attempt with 535 / 5.7.8 (smtp-reply.ts).
 * When the server offers no mechanism Kurier can use, no attempt is made: that is `smtp.noAuthMechanism`,
 * naming what it offered, and the saved password stays trusted.
 *
 * Every send knows whether the whole message had been handed over when it broke off: the message goes
 * out only after the server said 354 (nodemailer reads it then; it is composed meanwhile), and
 * `onDataSent` is called right before it is given to nodemailer — so before the final dot can exist. A break before that means
 * the server cannot have accepted the message, a break after it is "uncertain" (RFC 1047).
 */
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import { KurierError } from '../../../shared/errors';
import type { SmtpAccount } from '../../../shared/prefs';
import { withDeadline } from '../time/deadline';
import { withheldError, type SmtpCredential } from './smtp-credential';
import { classifySmtpError } from './smtp-errors';
import { defaultSmtpTimeouts, smtpTransportOptions, type SmtpTimeouts } from './smtp-transport-options';

/** The SASL mechanisms nodemailer's SMTPConnection speaks, in Kurier's order of preference. */
export const authMechanisms = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const;
export type AuthMechanism = (typeof authMechanisms)[number];

/** What the server announced in its EHLO (after STARTTLS where used). */
export interface SmtpCapabilities {
  /** The mechanisms it offers that nodemailer can speak, upper case. */
  readonly authMethods: readonly string[];
  /** Extensions nodemailer acts on (PIPELINING, SMTPUTF8, SIZE, …). */
  readonly extensions: readonly string[];
  /** Its SIZE limit in bytes, 0 when it stated none. */
  readonly maxSize: number;
}

/** One message for {@link SmtpSession.send}. */
export interface SessionMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** The whole RFC 5322 message (CRLF line ends, not dot-stuffed), read before the envelope goes out. */
  readonly data: () => Promise<Buffer>;
  /** Called once, right before the last of the message is handed over (before the server can have it all). */
  readonly onDataSent?: () => void | Promise<void>;
}

/** The server's answer to an accepted message. */
export interface SessionReceipt {
  readonly response: string;
  readonly accepted: readonly string[];
}

/** What one failed attempt (a connect or a send) was, with what the outbox needs to decide. */
export interface AttemptFailure {
  /** The user-facing classification (smtp-errors.ts). */
  readonly error: KurierError;
  /** nodemailer's fields, when the error came from it. */
  readonly code?: string | undefined;
  readonly command?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
  /** The whole message had been handed over when the attempt broke off. */
  readonly dataCompleted: boolean;
  /** The attempt was cut off by the watchdog. */
  readonly watchdog: boolean;
  /** This account has connected fine earlier in this run: a refused or unknown host now is passing. */
  readonly everConnected: boolean;
}

/** A failed send or connect. */
export class SessionFailure extends Error {
  readonly failure: Omit<AttemptFailure, 'everConnected'>;

  constructor(failure: Omit<AttemptFailure, 'everConnected'>) {
    super(failure.error.message, { cause: failure.error });
    this.name = 'SessionFailure';
    this.failure = failure;
  }
}

/** Choices for {@link SmtpSession.open}. */
export interface SessionOptions {
  readonly timeouts?: SmtpTimeouts;
  /** Cancels connecting and logging in: the connection is closed and open rejects with the reason. */
  readonly signal?: AbortSignal;
  /**
   * The address to connect to, already resolved (the connection test's DNS stage); the certificate is
   * still verified for the account's host name.
   */
  readonly address?: string;
}

interface NodemailerErrorFields {
  readonly code?: string;
  readonly command?: string;
  readonly responseCode?: number;
  readonly response?: string;
}

/** A mechanism name no server announces: its handler only reads the announced capabilities. */
const capabilitiesProbe = 'X-KURIER-CAPABILITIES';

/**
 * The mechanism to log in with: XOAUTH2 for a sign-in, else the first of PLAIN, LOGIN, CRAM-MD5 the
 * server offers (nodemailer's own order). Null when none is offered.
 */
export function chooseMechanism(credential: SmtpCredential, offered: readonly string[]): AuthMechanism | null {
  const usable: readonly AuthMechanism[] = credential.kind === 'oauth2' ? ['XOAUTH2'] : ['PLAIN', 'LOGIN', 'CRAM-MD5'];
  return usable.find((mechanism) => offered.includes(mechanism)) ?? null;
}

/** The error before any byte of a login could go out: nothing to send, or nothing it may be sent to. */
function credentialProblem(account: SmtpAccount, credential: SmtpCredential): KurierError | null {
  if (credential.kind === 'password' && credential.withheld) return withheldError(credential.withheld);
  if (credential.kind === 'oauth2' && credential.withheld === true)
    return new KurierError('oauth.tokenWithheld', { host: account.host, port: account.port });
  if (credential.kind === 'password' && account.username !== '' && (credential.password ?? '') === '')
    return new KurierError('smtp.passwordMissing', { username: account.username });
  return null;
}

/** A connected (and, where the account has a login, logged-in) SMTP connection. */
export class SmtpSession {
  readonly #connection: SMTPConnection;
  readonly #account: SmtpAccount;
  #capabilities: SmtpCapabilities = { authMethods: [], extensions: [], maxSize: 0 };
  #mechanism: AuthMechanism | null = null;
  #broken = false;

  private constructor(connection: SMTPConnection, account: SmtpAccount) {
    this.#connection = connection;
    this.#account = account;
    // Errors reach the pending step through its callback; without a listener an 'error' would crash.
    connection.on('error', () => {
      this.#broken = true;
    });
    connection.on('end', () => {
      this.#broken = true;
    });
  }

  /** Connects, secures and logs in. Throws {@link SessionFailure}. */
  static async open(
    account: SmtpAccount,
    credential: SmtpCredential,
    options: SessionOptions | SmtpTimeouts = {},
  ): Promise<SmtpSession> {
    const { timeouts = defaultSmtpTimeouts, signal, address } = 'socketMs' in options ? { timeouts: options } : options;
    signal?.throwIfAborted();
    const problem = credentialProblem(account, credential);
    if (problem) throw new SessionFailure({ error: problem, dataCompleted: false, watchdog: false });
    const session = SmtpSession.#create(account, timeouts, address);
    const connection = session.#connection;
    const onAbort = () => {
      connection.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // A token that could not be had (revoked sign-in, provider unreachable) is the real reason a login failed.
    let tokenError: unknown = null;
    try {
      await session.#connect();
      if (account.username !== '' || credential.kind === 'oauth2') {
        const mechanism = chooseMechanism(credential, session.#capabilities.authMethods);
        if (mechanism === null) {
          throw new KurierError('smtp.noAuthMechanism', {
            host: account.host,
            port: account.port,
            offered: session.#capabilities.authMethods.join(' ') || '–',
          });
        }
        session.#mechanism = mechanism;
        const auth =
          credential.kind === 'oauth2'
            ? {
                method: mechanism,
                user: credential.user,
                oauth2: new XOAuth2({
                  user: credential.user,
                  provisionCallback: (_user, renew, callback) => {
                    credential.accessToken(renew).then(
                      (token) => {
                        callback(null, token);
                      },
                      (error: unknown) => {
                        tokenError = error;
                        // nodemailer rewrites the error it is given (its code becomes EAUTH): it gets a stand-in.
                        callback(new Error('no access token'));
                      },
                    );
                  },
                }),
              }
            : { method: mechanism, user: account.username, pass: credential.password ?? '' };
        await untilDone(connection, (done) => {
          connection.login(auth, done);
        });
      }
      return session;
    } catch (error) {
      session.close();
      signal?.throwIfAborted();
      if (tokenError instanceof KurierError)
        throw new SessionFailure({ error: tokenError, dataCompleted: false, watchdog: false });
      const failure = await session.#failure(error, false, false, { sender: account.senderAddress, recipients: [] });
      // A token the server still refuses after a renewal: the sign-in itself is no longer good.
      if (credential.kind === 'oauth2' && failure.failure.error.code === 'smtp.authRejected') {
        throw new SessionFailure({
          ...failure.failure,
          error: new KurierError('oauth.signInAgain', { host: account.host, response: failure.failure.response ?? '' }),
        });
      }
      throw failure;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The server's SIZE limit in bytes (0 when it states none), learnt from EHLO without logging in: the
   * dry run must not spend a login attempt.
   */
  static async probeSize(account: SmtpAccount, timeouts: SmtpTimeouts = defaultSmtpTimeouts): Promise<number> {
    const session = SmtpSession.#create(account, timeouts);
    try {
      await session.#connect();
      return session.maxSize;
    } catch (error) {
      throw (await session.#failure(error, false, false, { sender: account.senderAddress, recipients: [] })).failure.error;
    } finally {
      session.close();
    }
  }

  static #create(account: SmtpAccount, timeouts: SmtpTimeouts, address?: string): SmtpSession {
    let session: SmtpSession | null = null;
    const hostName = account.host.trim().replace(/^\[(.*)\]$/, '$1');
    const connection = new SMTPConnection({
      ...smtpTransportOptions(account, null, timeouts),
      // Node verifies the certificate for `servername` when given, else for `host`.
      ...(address !== undefined && address !== hostName
        ? { host: address, ...(isIP(hostName) === 0 ? { servername: hostName } : {}) }
        : {}),
      customAuth: {
        [capabilitiesProbe]: (context) => {
          if (session) {
            session.#capabilities = {
              authMethods: context.authMethods.map((method) => method.toUpperCase()),
              extensions: context.extensions.map((extension) => extension.toUpperCase()),
              maxSize: typeof context.maxAllowedSize === 'number' ? context.maxAllowedSize : 0,
            };
          }
          context.reject('capabilities read');
        },
      },
    });
    session = new SmtpSession(connection, account);
    return session;
  }

  /** Connects and secures, then reads what the server announced (see the file comment). */
  async #connect(): Promise<void> {
    const connection = this.#connection;
    await untilDone(connection, (done) => {
      connection.connect(done);
    });
    await new Promise<void>((resolve) => {
      connection.login({ method: capabilitiesProbe }, () => {
        resolve();
      });
    });
  }

  /** What the server announced. */
  get capabilities(): SmtpCapabilities {
    return this.#capabilities;
  }

  /** The mechanism this session logged in with; null without a login. */
  get mechanism(): AuthMechanism | null {
    return this.#mechanism;
  }

  /** Whether the connection can take another message. */
  get usable(): boolean {
    return !this.#broken && !this.#connection.destroyed;
  }

  /** The largest message the server takes (its SIZE), 0 when it did not say. */
  get maxSize(): number {
    return this.#capabilities.maxSize;
  }

  /**
   * Sends one message. Throws {@link SessionFailure}; after any failure the session is not reused.
   * `watchdogMs` bounds the whole send: a hung server cannot stall the batch.
   */
  async send(message: SessionMessage, watchdogMs: number): Promise<SessionReceipt> {
    if (!this.usable) {
      throw new SessionFailure({
        error: new KurierError('smtp.connectionLost', { host: this.#account.host, port: this.#account.port }),
        code: 'ECONNECTION',
        dataCompleted: false,
        watchdog: false,
      });
    }
    let dataCompleted = false;
    let watchdog = false;
    try {
      const sending = this.#transaction(message, () => {
        dataCompleted = true;
      });
      // The watchdog ends the send itself, whatever it waits for: a reply, or the attachment being read.
      return await withDeadline(sending, watchdogMs, {
        onTimeout: () => {
          watchdog = true;
          this.#broken = true;
          this.#connection.close();
          return new KurierError('smtp.timeout', { host: this.#account.host, port: this.#account.port, watchdog: true });
        },
      });
    } catch (error) {
      this.#broken = true;
      this.#connection.close();
      throw await this.#failure(error, dataCompleted, watchdog, { sender: message.from, recipients: message.to });
    }
  }

  #transaction(message: SessionMessage, handedOver: () => void): Promise<SessionReceipt> {
    // Read (attachment, composition) while the envelope is answered; a failure before 354 is nobody's.
    const reading = message.data();
    reading.catch(() => undefined);
    // nodemailer reads the body only after 354: the point of no return is recorded before the last byte goes.
    let asked = false;
    const body = new Readable({
      read() {
        if (asked) return;
        asked = true;
        // Recording the point of no return may wait for the database (the office's PostgreSQL): the
        // data goes only once it is recorded.
        reading
          .then(
            async (data) => {
              await message.onDataSent?.();
              return data;
            },
            (error: unknown) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
          )
          .then(
            (data) => {
              handedOver();
              this.push(data);
              this.push(null);
            },
            (error: unknown) => {
              // No final dot ever follows: the server cannot have accepted anything.
              this.destroy(error instanceof Error ? error : new Error(String(error)));
            },
          );
      },
    });
    const connection = this.#connection;
    return new Promise<SessionReceipt>((resolve, reject) => {
      connection.send({ from: message.from, to: [...message.to] }, body, (error, info) => {
        if (error) reject(error);
        else resolve({ response: info.response, accepted: info.accepted });
      });
    });
  }

  /** Says goodbye politely when the connection is still usable, else just closes it. */
  close(): void {
    if (this.usable) this.#connection.quit();
    else this.#connection.close();
    this.#broken = true;
  }

  /**
   * Closes as {@link close} and waits (at most `timeoutMs`) until the connection has ended: the office
   * outbox gives its connection slot to another desk only then, so the server never sees one too many.
   */
  closeAndWait(timeoutMs = 2_000): Promise<void> {
    const connection = this.#connection;
    return new Promise((resolve) => {
      if (connection.destroyed) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, timeoutMs);
      connection.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      this.close();
    });
  }

  /**
   * A server that refused a pipelined envelope and then hung up: nodemailer reports the closed
   * connection, but its refusal (a quota, a policy) is the reason — read from the connection's public
   * `lastServerResponse`. Every earlier reply of this session was a success (a failure ends it).
   */
  #withRefusal(fields: NodemailerErrorFields, dataCompleted: boolean): NodemailerErrorFields {
    const last = this.#connection.lastServerResponse;
    if (dataCompleted || fields.responseCode !== undefined || typeof last !== 'string' || !/^[45]\d{2}[ -]/.test(last))
      return fields;
    if (fields.code !== 'ECONNECTION' && fields.code !== 'ESOCKET') return fields;
    return { code: 'EENVELOPE', command: 'MAIL FROM', response: last, responseCode: Number(last.slice(0, 3)) };
  }

  async #failure(
    error: unknown,
    dataCompleted: boolean,
    watchdog: boolean,
    context: { readonly sender: string; readonly recipients: readonly string[] },
  ): Promise<SessionFailure> {
    const raw = (typeof error === 'object' && error !== null ? error : {}) as NodemailerErrorFields;
    // Only a send has an envelope (and recipients) whose refusal can be lost behind a hang-up.
    const fields = context.recipients.length > 0 ? this.#withRefusal(raw, dataCompleted) : raw;
    const account = this.#account;
    const classified = await classifySmtpError(
      fields === raw ? error : Object.assign(new Error(fields.response ?? ''), fields),
      { host: account.host, port: account.port, security: account.security },
      context,
    );
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
    const onError = (error: Error) => {
      reject(error);
    };
    connection.once('error', onError);
    step((error) => {
      connection.off('error', onError);
      if (error) reject(error);
      else resolve();
    });
  });
}
