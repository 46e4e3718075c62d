/**
 * "Test connection": walks an SMTP account through every stage a real send goes through — DNS, TCP,
 * TLS, greeting, STARTTLS, EHLO, AUTH and optionally a message to the sender's own address — and reports
 * each stage with what it learned, so the user (or support) sees where it stops and why.
 *
 * Two connections, two jobs. The diagnostics (DNS, TCP, TLS facts, certificate, greeting, STARTTLS,
 * EHLO) are read on a connection spoken with node:net/node:tls directly: nodemailer's SMTPConnection
 * exposes neither the resolved addresses, per-stage timings, nor the certificate of a server it refused.
 * That connection never carries a password and is closed after EHLO. The login and the test message then
 * go through the one SMTP session sending uses (smtp-session.ts), so what this test says about a login is
 * by construction what a copy or a batch will do.
 *
 * Safety: the diagnostic handshake runs with `rejectUnauthorized: false` only so that an untrusted
 * certificate can be described (fingerprint, issuer, why); when the trust decision fails, the test stops
 * there. The session verifies the certificate itself, as every send does.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { checkServerIdentity, connect as tlsConnect, rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import MailComposer from 'nodemailer/lib/mail-composer';
import { KurierError, type KurierErrorShape } from '../../../shared/errors';
import type { ConnectionTestResult, ConnectionTestStep, ConnectionTestStepName, StepFacts } from '../../../shared/diagnostics';
import type { ConnectionSecurity, PasswordWithheld, SmtpAccount } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import { tlsOptionsFor, weakerStrengths, type CipherStrength } from './cipher-strength';
import { withDeadline } from '../time/deadline';
import { foldableSubject } from './header-text';
import { withheldError, type SmtpCredential } from './smtp-credential';
import { certificateNames, classifySmtpError, probeImplicitTls, type SmtpTarget } from './smtp-errors';
import { chooseMechanism, SessionFailure, SmtpSession } from './smtp-session';
import { defaultSmtpTimeouts, type SmtpTimeouts } from './smtp-transport-options';

export {
  connectionTestSteps,
  type ConnectionTestResult,
  type ConnectionTestStep,
  type ConnectionTestStepName,
  type StepFacts,
} from '../../../shared/diagnostics';

/** Resolves a host name to addresses, best first. */
export type HostResolver = (host: string) => Promise<readonly string[]>;

/** Collaborators and choices of a connection test; all optional. */
export interface ConnectionTestOptions {
  readonly cipherStrength?: CipherStrength;
  readonly timeouts?: SmtpTimeouts;
  readonly resolveHost?: HostResolver;
  /** Decides whether a silent port speaks implicit TLS (see {@link probeImplicitTls}). */
  readonly probeTls?: (target: SmtpTarget) => Promise<boolean>;
  /** Cancels the whole run: the open connection is closed and the promise rejects with the reason. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** When given, a message with this (already translated) subject and text goes to the sender. */
  readonly testMessage?: { readonly subject: string; readonly text: string };
  /** Milliseconds on a monotonic clock. */
  readonly now?: () => number;
  /**
   * The saved password was rejected by this server before: the AUTH stage fails with
   * `smtp.passwordRejected` without sending it again (providers lock accounts after repeated failures).
   */
  readonly passwordRejected?: boolean;
  /** The saved password was withheld, and why (see bound-secret.ts): the AUTH stage says so. */
  readonly passwordWithheld?: PasswordWithheld;
  /** The sign-in's token was withheld: the form logs in elsewhere than the saved account. */
  readonly tokenWithheld?: boolean;
}

/** The operating system's resolver, the same one net.connect would use (hosts file included). */
export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

const stepOrder: Readonly<Record<ConnectionSecurity, readonly ConnectionTestStepName[]>> = {
  ssl: ['dns', 'connect', 'tls', 'greeting', 'starttls', 'ehlo', 'auth', 'message'],
  starttls: ['dns', 'connect', 'greeting', 'starttls', 'tls', 'ehlo', 'auth', 'message'],
  none: ['dns', 'connect', 'greeting', 'starttls', 'tls', 'ehlo', 'auth', 'message'],
};

const untrustedReasons: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'selfSigned',
  SELF_SIGNED_CERT_IN_CHAIN: 'selfSignedChain',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'notYetValid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostnameMismatch',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknownIssuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknownIssuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknownIssuer',
};
// Verification errors that a lower cipher strength (security level) cures, not trust.
const tooWeakForStrength = new Set(['CA_MD_TOO_WEAK', 'EE_KEY_TOO_SMALL', 'CA_KEY_TOO_SMALL']);
const plainTextOnTlsPort = /wrong version number|packet length too long|unknown protocol|http request/i;

/**
 * Tests `account` stage by stage. Resolves with a report — also when a stage fails; rejects only when
 * `options.signal` aborts (with its reason).
 */
export async function testSmtpConnection(
  account: SmtpAccount,
  credential: SmtpCredential,
  options: ConnectionTestOptions = {},
): Promise<ConnectionTestResult> {
  options.signal?.throwIfAborted();
  const run = new ConnectionTestRun(account, credential, options);
  try {
    return await run.execute();
  } finally {
    run.dispose();
  }
}

/** A timed-out wait; classified as smtp.timeout for the stage it happened in. */
class WaitTimeout extends Error {}

interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

const replyText = (reply: Reply) => reply.lines.join(' ').slice(0, 300);
const bareHost = (host: string) => host.trim().replace(/^\[(.*)\]$/, '$1');

/** Waits for `work` at most `ms` (a {@link WaitTimeout} then); an abort of `signal` rejects at once with its reason. */
function within<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return withDeadline(work, ms, { signal, onTimeout: () => new WaitTimeout(`no answer within ${String(ms)} ms`) });
}

/** The diagnostic conversation on a socket that may be upgraded to TLS part-way (no login on it). */
class DiagnosticWire {
  #socket: Socket;
  #decoder = new StringDecoder('utf8');
  #partial = '';
  #lines: string[] = [];
  readonly #replies: Reply[] = [];
  #wake: (() => void) | null = null;
  #failure: Error | null = null;

  constructor(socket: Socket) {
    this.#socket = this.#own(socket);
    this.#listen();
  }

  get socket(): Socket {
    return this.#socket;
  }

  /** The next complete reply (multi-line replies joined). */
  async reply(): Promise<Reply> {
    for (;;) {
      const reply = this.#replies.shift();
      if (reply) return reply;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  send(line: string): void {
    this.#socket.write(`${line}\r\n`);
  }

  /** Starts TLS on the current socket; resolves once the handshake is done (trusted or not). */
  async startTls(options: ConnectionOptions): Promise<TLSSocket> {
    this.#unlisten();
    const secure = tlsConnect({ ...options, socket: this.#socket });
    this.#socket = this.#own(secure);
    await once(secure, 'secureConnect');
    this.#decoder = new StringDecoder('utf8');
    this.#listen();
    return secure;
  }

  /** Says goodbye politely; the socket closes itself once the server answers. */
  quit(): void {
    this.#socket.end('QUIT\r\n');
    setTimeout(() => {
      this.destroy();
    }, 2_000).unref();
  }

  destroy(): void {
    // Only the outermost socket: a TLS socket owns the handle of the plain one it wraps, and destroying
    // that plain socket underneath it crashes the process (SIGSEGV seen with Node 24.21).
    this.#socket.destroy();
  }

  #own<S extends Socket>(socket: S): S {
    // Errors are read from the waits; a socket without a listener would crash the process instead.
    socket.on('error', () => undefined);
    return socket;
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#partial += this.#decoder.write(chunk);
    for (let end = this.#partial.indexOf('\n'); end >= 0; end = this.#partial.indexOf('\n')) {
      const line = this.#partial.slice(0, end).replace(/\r$/, '');
      this.#partial = this.#partial.slice(end + 1);
      this.#lines.push(line);
      if (!/^\d{3}-/.test(line)) {
        this.#replies.push({ code: /^\d{3}/.test(line) ? Number(line.slice(0, 3)) : 0, lines: this.#lines });
        this.#lines = [];
      }
    }
    if (this.#partial.length > 64 * 1024) this.#onEnd(new Error('reply line too long'));
    this.#notify();
  };

  readonly #onEnd = (error?: unknown): void => {
    this.#failure ??= error instanceof Error ? error : Object.assign(new Error('connection closed'), { code: 'ECONNRESET' });
    this.#notify();
  };

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #listen(): void {
    this.#socket.on('data', this.#onData).on('error', this.#onEnd).on('close', this.#onEnd);
  }

  #unlisten(): void {
    this.#socket.off('data', this.#onData).off('error', this.#onEnd).off('close', this.#onEnd);
  }
}

type StepOutcome = 'ok' | { readonly skipped: string };

/** One run of the test: the state that stages hand on to each other. */
class ConnectionTestRun {
  readonly #account: SmtpAccount;
  readonly #credential: SmtpCredential;
  readonly #options: ConnectionTestOptions;
  readonly #timeouts: SmtpTimeouts;
  readonly #strength: CipherStrength;
  readonly #target: SmtpTarget;
  readonly #now: () => number;
  #addresses: readonly string[] = [];
  #address = '';
  #wire: DiagnosticWire | null = null;
  #session: SmtpSession | null = null;
  #capabilities = new Map<string, string>();

  constructor(account: SmtpAccount, credential: SmtpCredential, options: ConnectionTestOptions) {
    this.#account = account;
    this.#credential = credential;
    this.#options = options;
    this.#timeouts = options.timeouts ?? defaultSmtpTimeouts;
    this.#strength = options.cipherStrength ?? 'default';
    this.#target = { host: bareHost(account.host), port: account.port, security: account.security };
    this.#now = options.now ?? (() => performance.now());
  }

  async execute(): Promise<ConnectionTestResult> {
    const started = this.#now();
    const steps: ConnectionTestStep[] = [];
    let failure: { step: ConnectionTestStepName; error: KurierErrorShape } | null = null;
    for (const step of stepOrder[this.#account.security]) {
      if (failure) {
        steps.push({ step, status: 'skipped', ms: 0, facts: { reason: 'earlierStepFailed' } });
        continue;
      }
      const facts: StepFacts = {};
      const stepStarted = this.#now();
      const ms = () => Math.round(this.#now() - stepStarted);
      try {
        const outcome = await this.#run(step, facts);
        steps.push(
          outcome === 'ok'
            ? { step, status: 'ok', ms: ms(), facts }
            : { step, status: 'skipped', ms: 0, facts: { reason: outcome.skipped } },
        );
      } catch (caught) {
        this.#options.signal?.throwIfAborted();
        const error = this.#classify(step, caught).toShape();
        this.#options.logger?.warn('connectionTest.failed', { step, code: error.code, cause: caught });
        steps.push({ step, status: 'failed', ms: ms(), facts, error });
        failure = { step, error };
      }
    }
    const ms = Math.round(this.#now() - started);
    this.#options.logger?.info('connectionTest.finished', { ms, failedStep: failure?.step ?? null });
    if (failure) return { ok: false, ms, steps, failedStep: failure.step, error: failure.error };
    this.#wire?.quit();
    this.#wire = null;
    this.#session?.close();
    this.#session = null;
    return { ok: true, ms, steps };
  }

  dispose(): void {
    // A run that ended in QUIT closes itself; anything else (a failure, an abort) is cut off here.
    if (this.#wire && !this.#wire.socket.writableEnded) this.#wire.destroy();
    this.#session?.close();
  }

  #run(step: ConnectionTestStepName, facts: StepFacts): Promise<StepOutcome> {
    switch (step) {
      case 'dns':
        return this.#dns(facts);
      case 'connect':
        return this.#connect(facts);
      case 'tls':
        return this.#tls(facts);
      case 'greeting':
        return this.#greeting(facts);
      case 'starttls':
        return this.#starttls(facts);
      case 'ehlo':
        return this.#ehlo(facts);
      case 'auth':
        return this.#auth(facts);
      case 'message':
        return this.#message(facts);
      default: {
        const unknown: never = step;
        throw new Error(`unknown step ${String(unknown)}`);
      }
    }
  }

  #classify(step: ConnectionTestStepName, error: unknown): KurierError {
    if (error instanceof KurierError) return error;
    const where = { host: this.#target.host, port: this.#target.port };
    if (error instanceof WaitTimeout) return new KurierError('smtp.timeout', { ...where, step }, { cause: error });
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM)/.test(code)) {
      return new KurierError('smtp.connectionLost', { ...where, step }, { cause: error });
    }
    return new KurierError('internal.unexpected', { step }, { cause: error });
  }

  #wait<T>(work: Promise<T>, ms: number): Promise<T> {
    return within(work, ms, this.#options.signal);
  }

  #wireOrThrow(): DiagnosticWire {
    if (!this.#wire) throw new Error('not connected');
    return this.#wire;
  }

  async #command(line: string, wire = this.#wireOrThrow()): Promise<Reply> {
    wire.send(line);
    return this.#wait(wire.reply(), this.#timeouts.socketMs);
  }

  /** A refusing reply as our error, classified the way a real send would be. */
  #refused(reply: Reply, command: string, code?: string): Promise<KurierError> {
    const address = this.#account.senderAddress;
    const error = Object.assign(new Error(replyText(reply)), {
      responseCode: reply.code,
      response: replyText(reply),
      command,
      ...(code !== undefined ? { code } : {}),
    });
    return classifySmtpError(error, this.#target, { sender: address, recipients: [address] }, () => Promise.resolve(false));
  }

  async #dns(facts: StepFacts): Promise<StepOutcome> {
    const host = this.#target.host;
    if (isIP(host) !== 0) {
      this.#addresses = [host];
      Object.assign(facts, { addresses: host, literal: true });
      return 'ok';
    }
    const resolve = this.#options.resolveHost ?? systemResolver;
    const addresses = await this.#wait(resolve(host), this.#timeouts.connectionMs).catch((error: unknown) => {
      if (error instanceof WaitTimeout || this.#options.signal?.aborted === true) throw error;
      throw new KurierError('smtp.hostNotFound', { host, port: this.#target.port }, { cause: error });
    });
    if (addresses.length === 0) throw new KurierError('smtp.hostNotFound', { host, port: this.#target.port });
    this.#addresses = addresses;
    Object.assign(facts, { addresses: addresses.join(', '), literal: false });
    return 'ok';
  }

  async #connect(facts: StepFacts): Promise<StepOutcome> {
    let last: unknown = null;
    // A few addresses at most: a host whose first IPv6 address is unreachable should still be tested.
    for (const [index, address] of this.#addresses.slice(0, 4).entries()) {
      facts.attempts = index + 1;
      try {
        this.#wire = await this.#open(address);
        Object.assign(facts, { address, port: this.#target.port });
        this.#address = address;
        return 'ok';
      } catch (error) {
        this.#options.signal?.throwIfAborted();
        last = error;
      }
    }
    if (last instanceof WaitTimeout) throw last;
    throw new KurierError('smtp.connectionRefused', { host: this.#target.host, port: this.#target.port }, { cause: last });
  }

  async #open(address: string): Promise<DiagnosticWire> {
    const wire = new DiagnosticWire(netConnect({ host: address, port: this.#target.port, noDelay: true }));
    try {
      await this.#wait(once(wire.socket, 'connect'), this.#timeouts.connectionMs);
      return wire;
    } catch (error) {
      wire.destroy();
      throw error;
    }
  }

  #tlsOptions(strength: CipherStrength): ConnectionOptions {
    const trusted = this.#account.trustedCertificate.trim();
    return tlsOptionsFor(strength, {
      host: this.#target.host,
      ...(isIP(this.#target.host) === 0 ? { servername: this.#target.host } : {}),
      // Checked by hand below, so the certificate can be described; see the file comment.
      rejectUnauthorized: false,
      ...(trusted !== '' ? { ca: [...rootCertificates, trusted] } : {}),
    });
  }

  async #tls(facts: StepFacts): Promise<StepOutcome> {
    if (this.#account.security === 'none') return { skipped: 'notUsedInThisMode' };
    const where = { host: this.#target.host, port: this.#target.port };
    facts.strength = this.#strength;
    const secure = await this.#wait(
      this.#wireOrThrow().startTls(this.#tlsOptions(this.#strength)),
      this.#timeouts.connectionMs,
    ).catch(async (error: unknown) => {
      if (error instanceof WaitTimeout || this.#options.signal?.aborted === true) throw error;
      throw await this.#handshakeFailure(error);
    });
    describeTls(secure, facts);
    if (secure.authorized) return 'ok';
    const authorizationError = String(secure.authorizationError);
    if (tooWeakForStrength.has(authorizationError)) throw await this.#handshakeFailure(new Error(authorizationError));
    // Node checks the name only once the chain is trusted, so a self-signed certificate for another name
    // reads as "self-signed": trusting it would then fail on the name. The name is the cause to report.
    if (
      authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
      checkServerIdentity(this.#target.host, secure.getPeerCertificate()) !== undefined
    ) {
      facts.untrustedReason = 'hostnameMismatch';
      throw new KurierError('smtp.certificateNameMismatch', {
        ...where,
        names: certificateNames(String(facts.subjectAltNames ?? '')),
        fingerprint256: String(facts.fingerprint256 ?? ''),
      });
    }
    throw new KurierError('smtp.certificateUntrusted', {
      ...where,
      reason: untrustedReasons[authorizationError] ?? 'invalid',
      fingerprint256: String(facts.fingerprint256 ?? ''),
    });
  }

  async #handshakeFailure(error: unknown): Promise<KurierError> {
    const where = { host: this.#target.host, port: this.#target.port };
    const message = error instanceof Error ? error.message : String(error);
    if (this.#account.security === 'ssl' && plainTextOnTlsPort.test(message)) {
      return new KurierError('smtp.tlsModeMismatch', { ...where, expected: 'starttls', suggestedPort: 587 }, { cause: error });
    }
    for (const strength of weakerStrengths(this.#strength)) {
      if (await this.#handshakeWorksWith(strength)) {
        return new KurierError(
          'smtp.tlsFailed',
          { ...where, strength: this.#strength, suggestedStrength: strength },
          { cause: error },
        );
      }
    }
    return new KurierError('smtp.tlsFailed', { ...where, strength: this.#strength }, { cause: error });
  }

  /** Whether a fresh connection completes a handshake at `strength` (the certificate is not judged). */
  async #handshakeWorksWith(strength: CipherStrength): Promise<boolean> {
    let wire: DiagnosticWire | null = null;
    try {
      wire = await this.#open(this.#address);
      if (this.#account.security === 'starttls') {
        const greeting = await this.#wait(wire.reply(), this.#timeouts.greetingMs);
        if (greeting.code !== 220 || (await this.#command('EHLO ' + ehloName(wire.socket), wire)).code !== 250) return false;
        if ((await this.#command('STARTTLS', wire)).code !== 220) return false;
      }
      const secure = await this.#wait(wire.startTls(this.#tlsOptions(strength)), this.#timeouts.connectionMs);
      return !tooWeakForStrength.has(String(secure.authorizationError));
    } catch {
      this.#options.signal?.throwIfAborted();
      return false;
    } finally {
      wire?.destroy();
    }
  }

  async #greeting(facts: StepFacts): Promise<StepOutcome> {
    const wire = this.#wireOrThrow();
    const reply = await this.#wait(wire.reply(), this.#timeouts.greetingMs).catch(async (error: unknown) => {
      // Silence (or a hang-up) instead of a greeting is what an implicit-TLS port does to a plain client.
      const probe = this.#options.probeTls ?? ((target: SmtpTarget) => probeImplicitTls(target, this.#timeouts.greetingMs));
      if (
        this.#account.security !== 'ssl' &&
        this.#options.signal?.aborted !== true &&
        (await this.#wait(probe({ ...this.#target, host: this.#address }), this.#timeouts.greetingMs + 1_000))
      ) {
        const where = { host: this.#target.host, port: this.#target.port };
        throw new KurierError('smtp.tlsModeMismatch', { ...where, expected: 'ssl', suggestedPort: 465 }, { cause: error });
      }
      throw error;
    });
    Object.assign(facts, { code: reply.code, banner: replyText(reply) });
    if (reply.code !== 220) throw await this.#refused(reply, 'CONN');
    return 'ok';
  }

  async #starttls(facts: StepFacts): Promise<StepOutcome> {
    if (this.#account.security !== 'starttls') return { skipped: 'notUsedInThisMode' };
    const where = { host: this.#target.host, port: this.#target.port };
    const ehlo = await this.#command('EHLO ' + ehloName(this.#wireOrThrow().socket));
    if (ehlo.code !== 250) throw await this.#refused(ehlo, 'EHLO');
    const offered = parseCapabilities(ehlo).has('STARTTLS');
    facts.offered = offered;
    // No STARTTLS means no encryption at all on this port: no cipher strength changes that.
    if (!offered) throw new KurierError('smtp.starttlsUnavailable', { ...where, reason: 'starttlsNotOffered' });
    const reply = await this.#command('STARTTLS');
    facts.code = reply.code;
    if (reply.code !== 220)
      throw new KurierError('smtp.starttlsUnavailable', { ...where, reason: 'starttlsRefused', response: replyText(reply) });
    return 'ok';
  }

  async #ehlo(facts: StepFacts): Promise<StepOutcome> {
    const reply = await this.#command('EHLO ' + ehloName(this.#wireOrThrow().socket));
    if (reply.code !== 250) throw await this.#refused(reply, 'EHLO');
    this.#capabilities = parseCapabilities(reply);
    const size = Number(this.#capabilities.get('SIZE') ?? '');
    Object.assign(facts, {
      server: (reply.lines[0] ?? '').slice(4).split(' ')[0] ?? '',
      capabilities: [...this.#capabilities.keys()].join(' '),
      authMethods: (this.#capabilities.get('AUTH') ?? '').toUpperCase(),
      starttlsOffered: this.#capabilities.has('STARTTLS'),
      ...(Number.isInteger(size) && size > 0 ? { sizeLimitBytes: size } : {}),
    });
    return 'ok';
  }

  /**
   * Logs in through the one SMTP session (smtp-session.ts) that sending uses: a fresh connection, secured
   * and logged in by nodemailer with the mechanism sending would choose. The diagnostic connection is
   * closed first; it never carries a password.
   */
  async #auth(facts: StepFacts): Promise<StepOutcome> {
    const credential = this.#credential;
    const where = { host: this.#target.host, port: this.#target.port };
    const offered = (this.#capabilities.get('AUTH') ?? '').toUpperCase().split(/\s+/).filter(Boolean);
    if (credential.kind === 'oauth2') {
      if (this.#options.tokenWithheld === true) throw new KurierError('oauth.tokenWithheld', where);
    } else {
      if (this.#account.username === '') return { skipped: 'noUsername' };
      if (this.#options.passwordRejected === true) throw new KurierError('smtp.passwordRejected', where);
      if (this.#options.passwordWithheld) throw withheldError(this.#options.passwordWithheld);
    }
    facts.method = chooseMechanism(credential, offered) ?? 'none';
    const session = await this.#openSession(facts);
    facts.method = session.mechanism ?? 'none';
    // The server's "235 Authentication successful" (nodemailer reports a login only once it had it).
    facts.code = 235;
    return 'ok';
  }

  /** The session for the login and the message; opened once. */
  async #openSession(facts?: StepFacts): Promise<SmtpSession> {
    if (this.#session) return this.#session;
    this.#wire?.quit();
    this.#wire = null;
    const offered = (this.#capabilities.get('AUTH') ?? '').toUpperCase().split(/\s+/).filter(Boolean);
    try {
      this.#session = await SmtpSession.open({ ...this.#account, cipherStrength: this.#strength }, this.#credential, {
        timeouts: this.#timeouts,
        ...(this.#address !== '' ? { address: this.#address } : {}),
        ...(this.#options.signal ? { signal: this.#options.signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof SessionFailure)) throw error;
      const failure = error.failure.error;
      if (facts && error.failure.responseCode !== undefined) facts.code = error.failure.responseCode;
      // The whole AUTH line the diagnostic EHLO saw names what the server offers, unknown mechanisms too.
      if (failure.code === 'smtp.noAuthMechanism' && offered.length > 0)
        throw new KurierError('smtp.noAuthMechanism', { ...failure.details, offered: offered.join(' ') });
      throw failure;
    }
    return this.#session;
  }

  async #message(facts: StepFacts): Promise<StepOutcome> {
    const content = this.#options.testMessage;
    if (!content) return { skipped: 'notRequested' };
    const { senderAddress: address, senderName: name } = this.#account;
    const messageId = `<${randomUUID()}@${address.split('@').pop() ?? 'kurier.invalid'}>`;
    const raw = await new MailComposer({
      from: { name, address },
      to: address,
      // nodemailer folds only at spaces: an unbroken subject goes as encoded words (header-text.ts).
      subject: foldableSubject(content.subject),
      text: content.text,
      messageId,
    })
      .compile()
      .build();
    Object.assign(facts, { to: address, messageId, sizeBytes: raw.length });
    const session = await this.#openSession();
    try {
      const receipt = await session.send(
        { from: address, to: [address], data: () => Promise.resolve(raw) },
        this.#timeouts.socketMs,
      );
      facts.response = receipt.response.slice(0, 300);
    } catch (error) {
      if (error instanceof SessionFailure) throw error.failure.error;
      throw error;
    }
    return 'ok';
  }
}

/** The EHLO argument: our address literal (RFC 5321 §4.1.3); the computer's name is nobody's business. */
function ehloName(socket: Socket): string {
  const local = socket.localAddress ?? '127.0.0.1';
  return isIP(local) === 6 ? `[IPv6:${local}]` : `[${local}]`;
}

/** EHLO keywords (upper case) to their parameters; `AUTH=LOGIN` (pre-RFC servers) counts as AUTH. */
function parseCapabilities(reply: Reply): Map<string, string> {
  const capabilities = new Map<string, string>();
  for (const line of reply.lines.slice(1)) {
    const [keyword = '', ...rest] = line
      .slice(4)
      .trim()
      .split(/[\s=]+/);
    const name = keyword.toUpperCase();
    if (name === '') continue;
    capabilities.set(name, [capabilities.get(name) ?? '', ...rest].filter(Boolean).join(' '));
  }
  return capabilities;
}

/** Protocol, cipher and certificate of a finished handshake into `facts`. */
function describeTls(secure: TLSSocket, facts: StepFacts): void {
  const cipher = secure.getCipher();
  Object.assign(facts, {
    protocol: secure.getProtocol() ?? 'unknown',
    cipher: cipher.name,
    cipherStandardName: cipher.standardName,
  });
  const raw = secure.getPeerCertificate().raw as Buffer | undefined;
  if (raw !== undefined) {
    const certificate = new X509Certificate(raw);
    Object.assign(facts, {
      subject: certificate.subject.replace(/\n/g, ', '),
      issuer: certificate.issuer.replace(/\n/g, ', '),
      subjectAltNames: certificate.subjectAltName ?? '',
      validFrom: certificate.validFromDate.toISOString(),
      validTo: certificate.validToDate.toISOString(),
      fingerprint256: certificate.fingerprint256,
      // What "trust this certificate" saves as the account's trustedCertificate.
      certificatePem: certificate.toString(),
    });
  }
  facts.trusted = secure.authorized;
  if (!secure.authorized) facts.untrustedReason = untrustedReasons[String(secure.authorizationError)] ?? 'invalid';
}
