/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that misbehaves on purpose, for
 * bulk-sending tests: it refuses connections at the greeting, limits concurrent connections, rate
 * limits and caps messages at MAIL FROM, rejects logins after a password change, refuses messages
 * after their data, drops the connection without a reply, answers slowly or never. Every fault is
 * real protocol behaviour on a real socket; like `smtp-test-server.ts` it requires AUTH (PLAIN or
 * LOGIN, only over TLS) and offers STARTTLS, or implicit TLS with `secure: true`.
 *
 * Numbering: connections are counted when the server is about to greet them, MAIL FROM commands as
 * they arrive (every one, on every connection), logins as they are attempted (failed ones too), and
 * messages as their data arrives in full (every DATA that completed, whatever the server answers).
 * All counts are 1-based and run across connections for the life of the server.
 */
import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { onTestFinished } from 'vitest';
import { createTestCertificate, type TestCertificate } from './certificates';
import { listenOnLoopback } from './smtp-test-server';

/** The faults to inject; everything left out behaves like a healthy server. */
export interface Faults {
  /** 421 greeting (then close) for the n-th connection (1-based), e.g. n => n === 1. */
  readonly rejectConnection?: (n: number) => boolean;
  /**
   * Simultaneous connections allowed; the next one gets "432 4.3.2 Concurrent connections limit exceeded"
   * at greeting and is closed. Only admitted connections count against the limit, refused ones do not.
   */
  readonly maxConnections?: number;
  /**
   * At most `messages` accepted per rolling `windowMs` (default 60000); beyond it MAIL FROM gets
   * "450 4.7.0 Too many messages, slow down" (tests pass a short window). A transaction that passed
   * MAIL FROM and has not ended yet holds a place, so concurrent connections cannot overshoot.
   */
  readonly rateLimit?: { readonly messages: number; readonly windowMs?: number };
  /**
   * After this many accepted messages (all time), MAIL FROM gets "550 5.4.5 Daily user sending quota exceeded".
   * Transactions in progress hold a place here too.
   */
  readonly dailyQuota?: number;
  /**
   * A reply to force at MAIL FROM for the n-th MAIL FROM overall (1-based), e.g.
   * n => n === 3 ? '421 4.3.0 Temporary System Problem' : null. A 421 also closes the connection.
   */
  readonly atMailFrom?: (n: number) => string | null;
  /**
   * A reply to force after the data of the n-th message was received (instead of 250), e.g. '421 ...'
   * or '552 5.3.4 Message too big'. The message is not kept (not in `received`); a 421 also closes the
   * connection. A 2xx reply here is answered with the ordinary 250 and the message is kept.
   */
  readonly atDataEnd?: (n: number) => string | null;
  /**
   * Refusals at MAIL FROM (quota, rate limit, forced) are written and the connection is then cut at
   * once, before any reply to commands pipelined behind it (as some servers hang up after a refusal).
   */
  readonly hangUpAfterMailRefusal?: boolean;
  /** For the n-th message: receive all its data, record it as received, then destroy the socket without any reply. */
  readonly dropAfterData?: (n: number) => boolean;
  /** From the n-th login on (1-based) every login fails with 535 5.7.8 (the password was changed mid-batch). */
  readonly rejectLoginsFrom?: number;
  /**
   * Largest message in bytes (advertised as SIZE; larger ones get 552). A client that declares a larger
   * SIZE= at MAIL FROM is refused there by smtp-server; otherwise the refusal comes after the data.
   */
  readonly sizeLimit?: number;
  /** Milliseconds to wait before answering the end of data (a slow server). */
  readonly dataDelayMs?: number;
  /** For the n-th message: never answer the end of data (a hung server) — the socket stays open until the server closes. */
  readonly hangAfterData?: (n: number) => boolean;
}

/** A message the server kept. */
export interface FaultyReceived {
  /** The Message-ID header as mailparser reads it (with the angle brackets), '' when there is none. */
  readonly messageId: string;
  readonly envelopeTo: readonly string[];
  readonly subject: string;
  /** The text part, and each attachment's name with its content, as parsed. */
  readonly text: string;
  readonly attachments: readonly { readonly filename: string; readonly content: Buffer }[];
  /** The login the message was sent under. */
  readonly user: string;
  /** Size of the message data as received (after dot-unstuffing). */
  readonly sizeBytes: number;
  /** Date.now() when the server took the message (for answered ones: when it wrote the 250). */
  readonly acceptedAt: number;
  /** False when the client never got the 250: dropAfterData, hangAfterData, or the client left during dataDelayMs. */
  readonly answered: boolean;
}

/** A running faulty server. */
export interface FaultySmtpServer {
  readonly port: number;
  /**
   * Every message whose data arrived completely and that the server kept: answered with 250, or dropped
   * or left hanging after its data (answered: false). Messages refused at the end of data (atDataEnd,
   * over sizeLimit) are not in it. In the order the server took them.
   */
  readonly received: FaultyReceived[];
  /**
   * Counters: `connections` greeted or refused at greeting, the peak of connections open at the same
   * time (`maxConcurrent`, refused ones included until they close), login attempts and MAIL FROM commands.
   */
  readonly stats: () => { connections: number; maxConcurrent: number; authAttempts: number; mailFromCount: number };
  /** Replace the faults while running (e.g. lift a quota). Counters and the history of accepted messages stay. */
  setFaults(faults: Faults): void;
  /** Stops listening and destroys every open socket (hung ones included), so tests never wait on a client. Safe to call twice. */
  close(): Promise<void>;
}

/** Default rolling window of `rateLimit`. */
const DEFAULT_RATE_WINDOW_MS = 60_000;

/** An error smtp-server turns into a reply: `responseCode` and the message as the reply text. */
function smtpReply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/** Parses a reply such as '421 4.3.0 Temporary System Problem' into an error smtp-server sends as is. */
function forcedReply(reply: string): Error & { responseCode: number } {
  const match = /^([2-5]\d\d)(?:[ -](.*))?$/s.exec(reply.trim());
  if (!match) throw new Error(`not an SMTP reply: ${JSON.stringify(reply)}`);
  return smtpReply(Number(match[1]), match[2] ?? '');
}

/** Reads a DATA stream to its end. */
function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', reject);
  });
}

/** Starts a server; `secure` true is implicit TLS, false (the default) offers STARTTLS. */
export async function startFaultySmtpServer(options: {
  readonly certificate: TestCertificate;
  readonly secure?: boolean;
  readonly users?: Readonly<Record<string, string>>;
  readonly faults?: Faults;
  /**
   * Also offers SASL XOAUTH2 and asks this whether a bearer token is good for `user`: true accepts,
   * false refuses the way Google and Microsoft do (a 334 challenge with the error, then 535), a string
   * is a reply to send instead (e.g. Microsoft's '535 5.7.139 …' when SMTP AUTH is off).
   */
  readonly xoauth2?: (user: string, accessToken: string) => boolean | string;
  /** The only SASL mechanisms offered (default: PLAIN and LOGIN, plus XOAUTH2 with `xoauth2`). */
  readonly authMethods?: readonly string[];
}): Promise<FaultySmtpServer> {
  const users = options.users ?? { 'ucetni@kancelar.example': 'správné-heslo' };
  let faults: Faults = options.faults ?? {};
  const received: FaultyReceived[] = [];
  const counters = { connections: 0, maxConcurrent: 0, authAttempts: 0, mailFromCount: 0, messages: 0 };
  /** Sessions open now (greeted or refused), by session id. */
  const open = new Set<string>();
  /** Sessions admitted past the greeting and not closed yet; maxConnections counts these. */
  const admitted = new Set<string>();
  /** Sessions with a transaction past MAIL FROM that has not ended; they hold a place in the limits. */
  const inFlight = new Set<string>();
  /** When each kept message was taken, for rateLimit and dailyQuota. */
  const acceptedTimes: number[] = [];
  /** Every accepted TCP socket, so close() can tear down what smtp-server would wait 30 s for. */
  const rawSockets = new Set<Socket>();
  /** Timers of delayed replies, cleared on close. */
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let closing: Promise<void> | undefined;

  /** The socket a session talks over now: the TLS socket after STARTTLS or with implicit TLS. */
  function socketOf(session: SMTPServerSession): Socket | undefined {
    for (const connection of server.connections) {
      if (connection.id === session.id) return connection._socket;
    }
    return undefined;
  }

  /** Whether the session's socket can still carry a reply. */
  function canAnswer(session: SMTPServerSession): boolean {
    const socket = socketOf(session);
    return socket !== undefined && !socket.destroyed && socket.writable;
  }

  /** smtp-server reads `size` from its options on every EHLO and DATA, so the limit can change while running. */
  function applySizeLimit(limit: number | undefined): void {
    if (limit === undefined) delete server.options.size;
    else server.options.size = limit;
  }

  /** Records a message the server took (call before the session's envelope is reset by the reply). */
  function keep(session: SMTPServerSession, raw: Buffer, parsed: ParsedMail, answered: boolean): void {
    const acceptedAt = Date.now();
    acceptedTimes.push(acceptedAt);
    received.push({
      messageId: parsed.messageId ?? '',
      envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      attachments: parsed.attachments.map((attachment) => ({ filename: attachment.filename ?? '', content: attachment.content })),
      user: typeof session.user === 'string' ? session.user : '',
      sizeBytes: raw.length,
      acceptedAt,
      answered,
    });
  }

  /** A delay that close() cancels. */
  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  /** Decides the end of data for one message; resolves with the error to answer, null for 250, 'silent' for no reply. */
  async function endOfData(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<Error | null | 'silent'> {
    const raw = await readAll(stream);
    const n = ++counters.messages;
    const current = faults;
    if (stream.sizeExceeded && current.sizeLimit !== undefined) {
      return smtpReply(552, `5.3.4 Message size exceeds fixed maximum message size ${current.sizeLimit}`);
    }
    const parsed = await simpleParser(raw);
    if (current.dropAfterData?.(n) === true) {
      keep(session, raw, parsed, false);
      socketOf(session)?.destroy();
      return 'silent';
    }
    if (current.hangAfterData?.(n) === true) {
      keep(session, raw, parsed, false);
      return 'silent';
    }
    if (current.dataDelayMs !== undefined && current.dataDelayMs > 0) await wait(current.dataDelayMs);
    if (closed) return 'silent';
    const forced = current.atDataEnd?.(n) ?? null;
    if (forced !== null) {
      const reply = forcedReply(forced);
      if (reply.responseCode < 400) {
        keep(session, raw, parsed, canAnswer(session));
        return null;
      }
      return reply;
    }
    keep(session, raw, parsed, canAnswer(session));
    return null;
  }

  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: options.certificate.key,
    cert: options.certificate.cert,
    authMethods: options.authMethods
      ? [...options.authMethods]
      : options.xoauth2
        ? ['PLAIN', 'LOGIN', 'XOAUTH2']
        : ['PLAIN', 'LOGIN'],
    authOptional: false,
    // Plain-text AUTH is refused unless the connection is encrypted, as real submission servers do.
    allowInsecureAuth: false,
    // 127.0.0.1 needs no PTR lookup; it would only add up to 1.5 s per connection when DNS is slow.
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      const n = ++counters.connections;
      open.add(session.id);
      counters.maxConcurrent = Math.max(counters.maxConcurrent, open.size);
      const current = faults;
      if (current.rejectConnection?.(n) === true) {
        callback(smtpReply(421, '4.7.0 Try again later, closing connection'));
        return;
      }
      if (current.maxConnections !== undefined && admitted.size >= current.maxConnections) {
        callback(smtpReply(432, '4.3.2 Concurrent connections limit exceeded'));
        return;
      }
      admitted.add(session.id);
      callback();
    },
    onClose(session) {
      open.delete(session.id);
      admitted.delete(session.id);
      inFlight.delete(session.id);
    },
    onAuth(auth, _session, callback) {
      const n = ++counters.authAttempts;
      const changed = faults.rejectLoginsFrom !== undefined && n >= faults.rejectLoginsFrom;
      if (auth.method === 'XOAUTH2') {
        const verdict = options.xoauth2?.(auth.username ?? '', auth.accessToken ?? '') ?? false;
        if (verdict === true && !changed) callback(null, { user: auth.username });
        else if (typeof verdict === 'string') callback(forcedReply(verdict));
        else callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' } });
        return;
      }
      if (!changed && auth.username !== undefined && users[auth.username] === auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpReply(535, '5.7.8 Authentication credentials invalid'));
      }
    },
    onMailFrom(_address, session, callbackOf) {
      const n = ++counters.mailFromCount;
      const current = faults;
      const callback = (reply?: Error & { responseCode: number }) => {
        const socket = socketOf(session);
        if (reply === undefined || current.hangUpAfterMailRefusal !== true || socket === undefined) {
          callbackOf(reply);
          return;
        }
        // The refusal is flushed, then the connection ends: nothing pipelined behind it is answered.
        socket.end(`${String(reply.responseCode)} ${reply.message}\r\n`);
      };
      // A new MAIL FROM ends whatever transaction this session had (after RSET or a failed one).
      inFlight.delete(session.id);
      const forced = current.atMailFrom?.(n) ?? null;
      if (forced !== null) {
        const reply = forcedReply(forced);
        if (reply.responseCode >= 400) {
          callback(reply);
          return;
        }
      }
      if (current.dailyQuota !== undefined && acceptedTimes.length + inFlight.size >= current.dailyQuota) {
        callback(smtpReply(550, '5.4.5 Daily user sending quota exceeded'));
        return;
      }
      if (current.rateLimit !== undefined) {
        const since = Date.now() - (current.rateLimit.windowMs ?? DEFAULT_RATE_WINDOW_MS);
        const inWindow = acceptedTimes.filter((time) => time > since).length;
        if (inWindow + inFlight.size >= current.rateLimit.messages) {
          callback(smtpReply(450, '4.7.0 Too many messages, slow down'));
          return;
        }
      }
      inFlight.add(session.id);
      callback();
    },
    onData(stream, session, callback) {
      endOfData(stream, session).then(
        (outcome) => {
          inFlight.delete(session.id);
          if (outcome === 'silent') return;
          if (outcome === null) callback();
          else callback(outcome);
        },
        (error: unknown) => {
          inFlight.delete(session.id);
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  applySizeLimit(faults.sizeLimit);
  // Socket errors of clients that vanish are expected here; they must not crash the test run.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    rawSockets.add(socket);
    socket.once('close', () => rawSockets.delete(socket));
  });
  const port = await listenOnLoopback(server);

  return {
    port,
    received,
    stats: () => ({
      connections: counters.connections,
      maxConcurrent: counters.maxConcurrent,
      authAttempts: counters.authAttempts,
      mailFromCount: counters.mailFromCount,
    }),
    setFaults(next) {
      faults = next;
      applySizeLimit(next.sizeLimit);
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => {
          resolve();
        });
        // smtp-server would give open sessions 30 s; a hung or idle client must not hold the test.
        // The topmost socket first (the TLS one after STARTTLS), then whatever TCP socket is left.
        for (const connection of server.connections) connection._socket.destroy();
        for (const socket of rawSockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** One test file's fault-injecting servers: a shared test certificate, each server closed after its test. */
export interface FaultyServers {
  /** The certificate the servers present (created on first use). */
  readonly certificate: TestCertificate;
  /** Starts a server with `faults`; it is closed when the current test finishes. */
  start(faults?: Faults): Promise<FaultySmtpServer>;
}

/** Creates the helper for a test file. */
export function faultyServers(): FaultyServers {
  let certificate: TestCertificate | null = null;
  const helper = {
    get certificate(): TestCertificate {
      certificate ??= createTestCertificate();
      return certificate;
    },
    async start(faults: Faults = {}): Promise<FaultySmtpServer> {
      const server = await startFaultySmtpServer({ certificate: helper.certificate, faults });
      onTestFinished(() => server.close());
      return server;
    },
  };
  return helper;
}
