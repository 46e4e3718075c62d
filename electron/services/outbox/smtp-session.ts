/**
 * One SMTP connection that sends many messages in turn. nodemailer's SMTPConnection connects, secures
 * (STARTTLS or implicit TLS) and logs in (password or XOAUTH2); then the session takes its socket over
 * and speaks the message phase itself (smtp-wire.ts): MAIL FROM, RCPT TO and DATA in one write when the
 * server offers PIPELINING (RFC 2920), then the message — composed as one Buffer — and the final dot,
 * followed in the same write by the next message's envelope when the outbox has one ready (see send).
 * Not nodemailer's pool: the pool re-queues a message whose connection closed without limit — a payslip
 * delivered twice — and buffers every queued message in memory (research §1.2). Here the outbox alone
 * decides about retries, and only the message being sent is in memory.
 *
 * Every send knows whether the whole message had been handed to the server when it broke off: the
 * message and its final dot are written in one go only after the server said 354, right after
 * `onDataSent` has recorded it. A break before that means the server cannot have accepted the message
 * (no final dot), a break after it is "uncertain" (RFC 1047's synchronisation gap).
 */
import type { Socket } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import { KurierError } from '../../../shared/errors';
import type { SmtpAccount } from '../../../shared/prefs';
import { withheldError, type SmtpCredential } from '../mail/smtp-credential';
import { classifySmtpError } from '../mail/smtp-errors';
import { defaultSmtpTimeouts, smtpTransportOptions, type SmtpTimeouts } from '../mail/smtp-transport-options';
import type { AttemptFailure } from './delivery-outcome';
import { smtpError, SmtpWire, type SmtpWireError } from './smtp-wire';

/** One message for {@link SmtpSession.send}. */
export interface SessionMessage {
  readonly from: string;
  readonly to: readonly string[];
  /**
   * The whole RFC 5322 message with CRLF line ends, not dot-stuffed (see mime-message.ts). Asked for
   * when the envelope goes out, so reading the attachment overlaps the server's answers; a rejection
   * fails the send before any data was written.
   */
  readonly data: () => Promise<Buffer>;
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

type Listener = (...args: unknown[]) => void;

/**
 * The parts of SMTPConnection the hand-over needs: its socket, what EHLO announced, and the listeners
 * it reads the socket with (arrow functions it keeps on the instance; not in its typings).
 */
interface NodemailerInternals {
  readonly _socket: Socket | false | null;
  readonly _supportedExtensions?: readonly string[];
  readonly _onSocketData?: Listener;
  readonly _onSocketError?: Listener;
  readonly _onSocketClose?: Listener;
  readonly _onSocketEnd?: Listener;
  readonly _onSocketTimeout?: Listener;
}

/** A logged-in SMTP connection. */
export class SmtpSession {
  readonly #connection: SMTPConnection;
  readonly #account: SmtpAccount;
  /** The message phase, once logged in: the socket is the wire's from then on, no longer nodemailer's. */
  #wire: SmtpWire | null = null;
  /** The message whose envelope went out with the previous message's data (see {@link send}). */
  #announced: SessionMessage | null = null;
  #broken = false;

  private constructor(connection: SMTPConnection, account: SmtpAccount) {
    this.#connection = connection;
    this.#account = account;
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
    timeouts: SmtpTimeouts = defaultSmtpTimeouts,
  ): Promise<SmtpSession> {
    const password = credential.kind === 'password' ? credential.password : null;
    if (credential.kind === 'password' && credential.withheld) {
      throw new SessionFailure({ error: withheldError(credential.withheld), dataCompleted: false, watchdog: false });
    }
    if (credential.kind === 'oauth2' && credential.withheld === true) {
      throw new SessionFailure({
        error: new KurierError('oauth.tokenWithheld', { host: account.host, port: account.port }),
        dataCompleted: false,
        watchdog: false,
      });
    }
    if (credential.kind === 'password' && account.username !== '' && (password === null || password === '')) {
      throw new SessionFailure({
        error: new KurierError('smtp.passwordMissing', { username: account.username }),
        dataCompleted: false,
        watchdog: false,
      });
    }
    const options = smtpTransportOptions(account, password, timeouts);
    const connection = new SMTPConnection(options);
    const session = new SmtpSession(connection, account);
    // A token that could not be had (revoked sign-in, provider unreachable) is the real reason a login failed.
    let tokenError: unknown = null;
    try {
      await untilDone(connection, (done) => {
        connection.connect(done);
      });
      if (credential.kind === 'oauth2') {
        const oauth2 = new XOAuth2({
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
        });
        await untilDone(connection, (done) => {
          connection.login({ user: credential.user, oauth2 }, done);
        });
      } else if (options.auth) {
        const auth = options.auth as { user: string; pass: string };
        await untilDone(connection, (done) => {
          connection.login({ user: auth.user, pass: auth.pass }, done);
        });
      }
      session.#takeOver();
      return session;
    } catch (error) {
      session.close();
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
      await untilDone(connection, (done) => {
        connection.connect(done);
      });
      return session.maxSize;
    } catch (error) {
      throw (await session.#failure(error, false, false, { sender: account.senderAddress, recipients: [] })).failure.error;
    } finally {
      session.close();
    }
  }

  /** Whether the connection can take another message. */
  get usable(): boolean {
    if (this.#broken) return false;
    return this.#wire ? this.#wire.open : !this.#connection.destroyed;
  }

  /** The largest message the server takes (its SIZE), 0 when it did not say. */
  get maxSize(): number {
    return (this.#connection as unknown as { _maxAllowedSize?: number })._maxAllowedSize ?? 0;
  }

  /**
   * Sends one message. Throws {@link SessionFailure}; after any failure the session is not reused.
   * `watchdogMs` bounds the whole send: a hung server cannot stall the batch.
   *
   * `next`, asked right after the message's data (and its `onDataSent`), may give the message to send
   * after this one: its envelope then follows the final dot in the same flight (RFC 2920 allows the
   * data to be followed by the next MAIL FROM), and the next `send` of exactly that message only reads
   * the answers. A connection carries its next message's envelope while the server takes in the data of
   * this one, instead of waiting a round trip for it. If this send fails, the next message goes out
   * afresh on another connection (nothing of its data was sent).
   */
  async send(message: SessionMessage, watchdogMs: number, next?: () => SessionMessage | null): Promise<SessionReceipt> {
    const wire = this.#wire;
    if (!wire) throw new Error('SmtpSession.send before login');
    // An envelope sent ahead is for exactly that message: any other's data would become its body.
    if (this.#announced !== null && this.#announced !== message) {
      this.#broken = true;
      this.#announced = null;
      wire.close();
      throw new Error('SmtpSession.send of another message than the one announced');
    }
    const announced = this.#announced === message;
    this.#announced = null;
    let dataCompleted = false;
    let watchdog = false;
    // The watchdog ends the send itself, whatever it waits for: a reply, or the attachment being read.
    let expire: (error: Error) => void = () => undefined;
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const timer = setTimeout(() => {
      watchdog = true;
      this.#broken = true;
      const error = new KurierError('smtp.timeout', { host: this.#account.host, port: this.#account.port, watchdog: true });
      wire.abort(error);
      expire(error);
    }, watchdogMs);
    try {
      const announceNext = () => {
        const following = next?.() ?? null;
        // Only over PIPELINING, and only an envelope that can be written at all (else it goes out on its own).
        const commands = following && wire.supports('PIPELINING') ? pipelinedEnvelope(wire, following) : null;
        if (following && commands !== null) this.#announced = following;
        return commands;
      };
      const sending = transaction(wire, message, announced, announceNext, () => {
        dataCompleted = true;
      });
      // Its late rejection, once the watchdog has decided, is no longer anyone's to handle.
      sending.catch(() => undefined);
      return await Promise.race([sending, expired]);
    } catch (error) {
      this.#broken = true;
      this.#announced = null;
      wire.close();
      throw await this.#failure(error, dataCompleted, watchdog, { sender: message.from, recipients: message.to });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Says goodbye politely when the connection is still usable, else just closes it. */
  close(): void {
    if (this.#wire) {
      // An envelope sent ahead has the server waiting for data: no QUIT can follow it, only the end.
      if (this.usable && !this.#announced) this.#wire.quit();
      else this.#wire.close();
      this.#announced = null;
    } else if (this.usable) {
      this.#connection.quit();
    } else {
      this.#connection.close();
    }
  }

  /**
   * Takes the logged-in socket from nodemailer: the wire's listeners go on first (an 'error' must
   * never find none), then nodemailer's come off, so exactly one reader consumes the replies.
   */
  #takeOver(): void {
    const internals = this.#connection as unknown as NodemailerInternals;
    const socket = internals._socket;
    if (!socket) throw new Error('nodemailer has no socket after login');
    this.#wire = new SmtpWire(socket, internals._supportedExtensions ?? []);
    const listeners = [
      ['data', internals._onSocketData],
      ['error', internals._onSocketError],
      ['close', internals._onSocketClose],
      ['end', internals._onSocketEnd],
      ['timeout', internals._onSocketTimeout],
    ] as const;
    for (const [event, listener] of listeners) if (listener) socket.removeListener(event, listener);
    // A nodemailer that named its listeners differently would still read (and answer) the replies.
    if (socket.listenerCount('data') !== 1) throw new Error('nodemailer still reads the socket after the hand-over');
  }

  async #failure(
    error: unknown,
    dataCompleted: boolean,
    watchdog: boolean,
    context: { readonly sender: string; readonly recipients: readonly string[] },
  ): Promise<SessionFailure> {
    const fields = (typeof error === 'object' && error !== null ? error : {}) as NodemailerErrorFields;
    const account = this.#account;
    const classified = await classifySmtpError(
      error,
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
 * One mail transaction on `wire` (RFC 5321 §3.3, pipelined per RFC 2920 when offered), with
 * nodemailer's semantics: a recipient refused is left out while another is accepted; a refused sender,
 * no accepted recipient or a refused DATA end it before any data; `dataWritten` is called once the
 * message and its final dot were handed to the socket. Rejects with nodemailer-shaped errors.
 */
async function transaction(
  wire: SmtpWire,
  message: SessionMessage,
  announced: boolean,
  announceNext: () => string | null,
  dataWritten: () => void,
): Promise<SessionReceipt> {
  const { to } = message;
  // Throws for an envelope that cannot be written (nodemailer's checks); an announced one passed them.
  const commands = envelopeCommands(wire, message);
  const envelope = new Envelope();
  wire.busy = true;
  // Both at once; Promise.all also keeps an early failure of either from going unhandled.
  const [data] = await Promise.all([message.data(), negotiate(wire, envelope, commands, to, announced)]);
  // Closed (or cut by the watchdog) while the attachment was read: not a byte of the data went out.
  if (!wire.open) throw smtpError('Connection closed unexpectedly', 'ECONNECTION', false, 'CONN');
  // The point of no return: recorded before the server can have the final dot.
  message.onDataSent?.();
  // The next message's envelope, if one follows, goes in the same write as the final dot: a server
  // reading both at once answers both at once (a second small reply could wait for our ACK — Nagle).
  const nextEnvelope = announceNext();
  wire.writeData(data, nextEnvelope ?? '');
  dataWritten();
  const reply = await wire.reply();
  if (!reply.startsWith('2')) throw smtpError('Message failed', 'EMESSAGE', reply, 'DATA');
  // Answers to the next envelope are expected now.
  wire.busy = nextEnvelope !== null;
  return { response: reply, accepted: envelope.accepted };
}

/** The envelope's commands: MAIL FROM, one RCPT TO per recipient, DATA. Throws as nodemailer's checks do. */
function envelopeCommands(
  wire: SmtpWire,
  message: SessionMessage,
): { readonly mailFrom: string; readonly recipients: string; readonly data: string } {
  const { from, to } = message;
  if (to.length === 0) throw smtpError('No recipients defined', 'EENVELOPE', false, 'API');
  if (/[\r\n<>]/.test(from)) throw smtpError(`Invalid sender ${JSON.stringify(from)}`, 'EENVELOPE', false, 'API');
  const invalid = to.find((address) => address === '' || /[\r\n<>]/.test(address));
  if (invalid !== undefined) throw smtpError(`Invalid recipient ${JSON.stringify(invalid)}`, 'EENVELOPE', false, 'API');
  const international = [from, ...to].some((address) => /[\x80-\uFFFF]/.test(address)) && wire.supports('SMTPUTF8');
  return {
    mailFrom: `MAIL FROM:<${from}>${international ? ' SMTPUTF8' : ''}\r\n`,
    recipients: to.map((address) => `RCPT TO:<${address}>\r\n`).join(''),
    data: 'DATA\r\n',
  };
}

/** The envelope's commands as one write, or null when it cannot be written (that send then fails on its own). */
function pipelinedEnvelope(wire: SmtpWire, message: SessionMessage): string | null {
  try {
    const commands = envelopeCommands(wire, message);
    return `${commands.mailFrom}${commands.recipients}${commands.data}`;
  } catch {
    return null;
  }
}

/**
 * MAIL FROM, RCPT TO and DATA: in one write with PIPELINING (already written when `announced`), else
 * one at a time. Resolves on 354.
 */
async function negotiate(
  wire: SmtpWire,
  envelope: Envelope,
  commands: { readonly mailFrom: string; readonly recipients: string; readonly data: string },
  to: readonly string[],
  announced: boolean,
): Promise<void> {
  if (announced || wire.supports('PIPELINING')) {
    if (!announced) wire.write(`${commands.mailFrom}${commands.recipients}${commands.data}`);
    envelope.mail(await wire.reply());
    // A server that refused the sender and then hung up: its refusal (a quota, an authentication
    // demand) is the reason, not the closed connection.
    const next = () =>
      wire.reply().catch((error: unknown) => {
        envelope.throwIfRefused();
        throw error;
      });
    for (const address of to) envelope.recipient(address, await next());
    envelope.data(await next());
    return;
  }
  wire.write(commands.mailFrom);
  envelope.mail(await wire.reply());
  envelope.throwIfRefused();
  for (const address of to) {
    wire.write(`RCPT TO:<${address}>\r\n`);
    envelope.recipient(address, await wire.reply());
  }
  envelope.throwIfRefused();
  wire.write(commands.data);
  envelope.data(await wire.reply());
}

/** The replies to one envelope, judged as nodemailer judges them (its `_actionMAIL`, `_actionRCPT`, `_actionDATA`). */
class Envelope {
  readonly accepted: string[] = [];
  readonly #refusals: SmtpWireError[] = [];
  #mailError: SmtpWireError | null = null;

  mail(reply: string): void {
    if (!reply.startsWith('2')) this.#mailError = smtpError('Mail command failed', 'EENVELOPE', reply, 'MAIL FROM');
    // 421: the server is closing; no further reply will come.
    if (isClosing(reply)) this.throwIfRefused();
  }

  recipient(address: string, reply: string): void {
    if (reply.startsWith('2')) this.accepted.push(address);
    else this.#refusals.push(smtpError('Recipient command failed', 'EENVELOPE', reply, 'RCPT TO'));
    if (isClosing(reply)) throw this.#mailError ?? smtpError('Server closed the connection', 'ECONNECTION', reply, 'CONN');
  }

  /** The reply to DATA: 354 (some servers say 250) lets the data go, after a good envelope only. */
  data(reply: string): void {
    this.throwIfRefused(reply);
    if (!/^[23]/.test(reply)) throw smtpError('Data command failed', 'EENVELOPE', reply, 'DATA');
  }

  /** Throws when the sender was refused or, once all recipients have answered, none was accepted. */
  throwIfRefused(lastReply?: string): void {
    if (this.#mailError) throw this.#mailError;
    if (this.accepted.length > 0 || this.#refusals.length === 0) return;
    // A temporary refusal wins over a later permanent one: the message is deferred, not lost.
    const deferred = this.#refusals.find((error) => error.responseCode !== undefined && error.responseCode < 500);
    const response = deferred?.response ?? this.#refusals.at(-1)?.response ?? lastReply ?? false;
    throw smtpError("Can't send mail - all recipients were rejected", 'EENVELOPE', response, 'RCPT TO');
  }
}

/** RFC 5321 §4.2: 421 means the server is about to close the connection, whatever it was answering. */
function isClosing(reply: string): boolean {
  return /^421[ -]/.test(reply);
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
