/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 for tests: AUTH required, STARTTLS or
 * implicit TLS with a test certificate, and every received message parsed with mailparser so tests
 * assert on what a recipient would get.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { ComposedMail } from '../../electron/services/mail/composed-mail';
import type { SmtpAccount } from '../../shared/prefs';
import type { TestCertificate } from './certificates';

/** A message as the server received it. */
export interface ReceivedMessage {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly user: string;
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** A running test server. */
export interface SmtpTestServer {
  readonly port: number;
  readonly received: ReceivedMessage[];
  /** How many times a client tried to log in (accepted or not). */
  readonly authAttempts: () => number;
  /** Resolves with the next message received (or one already waiting). */
  nextMessage(timeoutMs?: number): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

/** Starts a server; `secure` true is implicit TLS, false offers STARTTLS. */
export async function startSmtpTestServer(options: {
  readonly certificate: TestCertificate;
  readonly secure: boolean;
  readonly users?: Readonly<Record<string, string>>;
  readonly extra?: Partial<SMTPServerOptions>;
}): Promise<SmtpTestServer> {
  const users = options.users ?? { 'ucetni@kancelar.example': 'správné-heslo' };
  const received: ReceivedMessage[] = [];
  const waiters: ((message: ReceivedMessage) => void)[] = [];
  let authAttempts = 0;
  const server = new SMTPServer({
    secure: options.secure,
    key: options.certificate.key,
    cert: options.certificate.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // Plain-text AUTH is refused unless the connection is encrypted, as real submission servers do.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      authAttempts++;
      if (auth.username !== undefined && users[auth.username] === auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then((parsed) => {
          const message: ReceivedMessage = {
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: String(session.user ?? ''),
            raw,
            parsed,
          };
          const waiter = waiters.shift();
          if (waiter) waiter(message);
          else received.push(message);
          callback();
        }, callback);
      });
    },
    ...options.extra,
  });
  server.on('error', () => undefined);
  const port = await listenOnLoopback(server);
  return {
    port,
    received,
    authAttempts: () => authAttempts,
    nextMessage: (timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const waiting = received.shift();
        if (waiting) {
          resolve(waiting);
          return;
        }
        const timer = setTimeout(() => {
          reject(new Error('no message arrived'));
        }, timeoutMs);
        waiters.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Starts `server` on a free port of 127.0.0.1 and returns the port. */
export async function listenOnLoopback(server: SMTPServer): Promise<number> {
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve();
    }),
  );
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return address.port;
}

/** The account of the default test user on a test server; tests override what they need. */
export function testSmtpAccount(overrides: Partial<SmtpAccount> & Pick<SmtpAccount, 'port' | 'trustedCertificate'>): SmtpAccount {
  return {
    senderName: 'Kancelář',
    senderAddress: 'ucetni@kancelar.example',
    replyTo: '',
    bccSelf: false,
    host: '127.0.0.1',
    security: 'starttls',
    cipherStrength: 'default',
    username: 'ucetni@kancelar.example',
    auth: 'password',
    ...overrides,
  };
}

/** A plain message from the test user; tests override what they look at. */
export function testMail(overrides: Partial<ComposedMail> = {}): ComposedMail {
  return {
    from: { name: 'Kancelář', address: 'ucetni@kancelar.example' },
    to: ['jana@firma.example'],
    cc: [],
    bcc: [],
    replyTo: '',
    subject: 'Test',
    text: 'Test',
    attachments: [],
    messageId: '<test@kancelar.example>',
    ...overrides,
  };
}
