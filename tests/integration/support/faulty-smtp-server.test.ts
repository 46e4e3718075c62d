/**
 * Self-test of the fault-injecting SMTP server: every fault once, seen from a plain nodemailer client
 * (a transport, or the low-level SMTP connection where the greeting or the EHLO reply matters) over a
 * real socket on 127.0.0.1, asserting the reply code and text the client gets.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../support/certificates';
import { startFaultySmtpServer, type Faults, type FaultySmtpServer } from '../../support/faulty-smtp-server';

const user = 'ucetni@kancelar.example';
const pass = 'správné-heslo';
let certificate: TestCertificate;
const running: FaultySmtpServer[] = [];

beforeAll(() => {
  certificate = createTestCertificate();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(faults: Faults, secure = false): Promise<FaultySmtpServer> {
  const server = await startFaultySmtpServer({ certificate, secure, faults });
  running.push(server);
  return server;
}

/** What the tests need of a nodemailer transport (one connection per message, or a pool). */
interface Sender {
  sendMail(mail: Mail.Options): Promise<SMTPTransport.SentMessageInfo>;
  close(): void;
}

function baseOptions(server: FaultySmtpServer): SMTPTransport.Options {
  return { host: '127.0.0.1', port: server.port, secure: false, tls: { ca: [certificate.cert] }, auth: { user, pass } };
}

/** A nodemailer transport for the default test user: a new connection for every message. */
function transport(server: FaultySmtpServer, extra: SMTPTransport.Options = {}): Sender {
  return nodemailer.createTransport({ ...baseOptions(server), ...extra });
}

/** A pooled transport with a single connection, so a batch goes over one session while the server lets it. */
function pooled(server: FaultySmtpServer): Sender {
  return nodemailer.createTransport({ ...baseOptions(server), pool: true, maxConnections: 1 });
}

function message(n: number, extra: Mail.Options = {}): Mail.Options {
  return {
    from: user,
    to: 'jana@firma.example',
    subject: `Faktura ${n}`,
    text: `Dobrý den, posíláme fakturu č. ${n}.`,
    messageId: `<faktura-${n}@kancelar.example>`,
    ...extra,
  };
}

/** What a nodemailer failure carries. */
interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
}

/** The error a send fails with; throws when it succeeds. */
async function failure(sending: Promise<unknown>): Promise<SmtpFailure> {
  const error: unknown = await sending.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected the send to fail');
  return error as SmtpFailure;
}

function lowLevel(server: FaultySmtpServer): SMTPConnection {
  return new SMTPConnection({ host: '127.0.0.1', port: server.port, tls: { ca: [certificate.cert] } });
}

/** Connects a low-level client through the greeting, EHLO and STARTTLS; rejects with the first error. */
function connect(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

function closed(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve) =>
    connection.once('end', () => {
      resolve();
    }),
  );
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('faulty SMTP server', () => {
  it('serves a healthy batch over STARTTLS and records what arrived', async () => {
    const server = await start({});
    const sender = transport(server);
    await sender.sendMail(message(1, { to: ['jana@firma.example', 'petr@firma.example'] }));
    expect(server.received).toEqual([
      {
        messageId: '<faktura-1@kancelar.example>',
        envelopeTo: ['jana@firma.example', 'petr@firma.example'],
        subject: 'Faktura 1',
        text: expect.stringContaining('posíláme fakturu č. 1.') as string,
        attachments: [],
        user,
        sizeBytes: expect.any(Number) as number,
        acceptedAt: expect.any(Number) as number,
        answered: true,
      },
    ]);
    expect(server.stats()).toEqual({ connections: 1, maxConcurrent: 1, authAttempts: 1, mailFromCount: 1 });
  });

  it('serves implicit TLS with secure: true', async () => {
    const server = await start({}, true);
    await transport(server, { secure: true }).sendMail(message(1));
    expect(server.received.map((received) => received.messageId)).toEqual(['<faktura-1@kancelar.example>']);
  });

  it('rejectConnection: a 421 greeting, then the next connection is served', async () => {
    const server = await start({ rejectConnection: (n) => n === 1 });
    const sender = transport(server);
    const error = await failure(sender.sendMail(message(1)));
    // nodemailer reports any non-220 greeting as EPROTOCOL "Invalid greeting", with the reply attached.
    expect(error).toMatchObject({
      code: 'EPROTOCOL',
      responseCode: 421,
      response: '421 4.7.0 Try again later, closing connection',
      command: 'CONN',
    });
    await sender.sendMail(message(2));
    expect(server.received.map((received) => received.messageId)).toEqual(['<faktura-2@kancelar.example>']);
    expect(server.stats().connections).toBe(2);
  });

  it('maxConnections: one connection too many gets 432 at the greeting and is closed', async () => {
    const server = await start({ maxConnections: 1 });
    const first = lowLevel(server);
    await connect(first);
    const second = lowLevel(server);
    const secondClosed = closed(second);
    const error = await failure(connect(second));
    expect(error).toMatchObject({
      code: 'EPROTOCOL',
      responseCode: 432,
      response: '432 4.3.2 Concurrent connections limit exceeded',
      command: 'CONN',
    });
    await secondClosed;
    const firstClosed = closed(first);
    first.quit();
    await firstClosed;
    await until(() => server.stats().maxConcurrent === 2);
    // A slot is free again once the first connection is gone; the refused one never held one.
    const third = lowLevel(server);
    await connect(third);
    third.close();
    expect(server.stats()).toMatchObject({ connections: 3, maxConcurrent: 2 });
  });

  it('rateLimit: beyond the window MAIL FROM gets 450 until the window has moved on', async () => {
    const server = await start({ rateLimit: { messages: 2, windowMs: 500 } });
    const sender = pooled(server);
    await sender.sendMail(message(1));
    await sender.sendMail(message(2));
    const error = await failure(sender.sendMail(message(3)));
    expect(error).toMatchObject({
      code: 'EENVELOPE',
      responseCode: 450,
      response: '450 4.7.0 Too many messages, slow down',
      command: 'MAIL FROM',
    });
    const oldest = server.received[0]!.acceptedAt;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, oldest + 520 - Date.now())));
    await sender.sendMail(message(4));
    sender.close();
    expect(server.received.map((received) => received.subject)).toEqual(['Faktura 1', 'Faktura 2', 'Faktura 4']);
    expect(server.stats().mailFromCount).toBe(4);
  });

  it('dailyQuota: 550 at MAIL FROM once the quota is used, until setFaults lifts it', async () => {
    const server = await start({ dailyQuota: 2 });
    const sender = pooled(server);
    await sender.sendMail(message(1));
    await sender.sendMail(message(2));
    const error = await failure(sender.sendMail(message(3)));
    expect(error).toMatchObject({
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 5.4.5 Daily user sending quota exceeded',
      command: 'MAIL FROM',
    });
    server.setFaults({});
    await sender.sendMail(message(4));
    sender.close();
    expect(server.received).toHaveLength(3);
  });

  it('atMailFrom: the forced reply goes to the n-th MAIL FROM, and a 421 closes that connection', async () => {
    const server = await start({ atMailFrom: (n) => (n === 2 ? '421 4.3.0 Temporary System Problem' : null) });
    const sender = transport(server);
    await sender.sendMail(message(1));
    const error = await failure(sender.sendMail(message(2)));
    expect(error).toMatchObject({ responseCode: 421, response: '421 4.3.0 Temporary System Problem', command: 'MAIL FROM' });
    await sender.sendMail(message(3));
    expect(server.received.map((received) => received.subject)).toEqual(['Faktura 1', 'Faktura 3']);
    expect(server.stats().mailFromCount).toBe(3);
  });

  it('atDataEnd: the n-th message is refused after its data and not kept', async () => {
    const server = await start({ atDataEnd: (n) => (n === 1 ? '552 5.3.4 Message too big' : null) });
    const sender = pooled(server);
    const error = await failure(sender.sendMail(message(1)));
    expect(error).toMatchObject({ code: 'EMESSAGE', responseCode: 552, response: '552 5.3.4 Message too big', command: 'DATA' });
    await sender.sendMail(message(2));
    sender.close();
    expect(server.received.map((received) => received.subject)).toEqual(['Faktura 2']);
  });

  it('dropAfterData: the message is kept but the connection dies without a reply', async () => {
    const server = await start({ dropAfterData: (n) => n === 1 });
    const sender = transport(server);
    const error = await failure(sender.sendMail(message(1)));
    expect(error.code).toBe('ECONNECTION');
    expect(error.responseCode).toBeUndefined();
    await sender.sendMail(message(2));
    expect(server.received.map(({ messageId, answered }) => ({ messageId, answered }))).toEqual([
      { messageId: '<faktura-1@kancelar.example>', answered: false },
      { messageId: '<faktura-2@kancelar.example>', answered: true },
    ]);
  });

  it('rejectLoginsFrom: from the n-th login on, 535 5.7.8', async () => {
    const server = await start({ rejectLoginsFrom: 2 });
    const sender = transport(server);
    await sender.sendMail(message(1));
    const error = await failure(sender.sendMail(message(2)));
    expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication credentials invalid' });
    expect(server.stats().authAttempts).toBe(2);
    expect(server.received).toHaveLength(1);
  });

  it('sizeLimit: advertised as SIZE in EHLO, a larger message gets 552 after its data', async () => {
    const server = await start({ sizeLimit: 2_000 });
    const probe = lowLevel(server);
    await connect(probe);
    expect(probe.lastServerResponse).toMatch(/^250[ -]SIZE 2000$/m);
    probe.close();
    const sender = pooled(server);
    const error = await failure(sender.sendMail(message(1, { text: 'x'.repeat(5_000) })));
    expect(error).toMatchObject({
      responseCode: 552,
      response: '552 5.3.4 Message size exceeds fixed maximum message size 2000',
      command: 'DATA',
    });
    await sender.sendMail(message(2));
    sender.close();
    expect(server.received.map((received) => received.subject)).toEqual(['Faktura 2']);
    expect(server.received[0]!.sizeBytes).toBeLessThanOrEqual(2_000);
  });

  it('dataDelayMs: the 250 after the data comes late', async () => {
    const server = await start({ dataDelayMs: 400 });
    const sender = transport(server);
    const started = Date.now();
    const info = await sender.sendMail(message(1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(info.response).toMatch(/^250 /);
    expect(server.received[0]!.answered).toBe(true);
  });

  it('hangAfterData: no reply ever; close() ends the wait at once', async () => {
    const server = await start({ hangAfterData: (n) => n === 1 });
    const sender = transport(server);
    const sending = failure(sender.sendMail(message(1)));
    await until(() => server.received.length === 1);
    expect(server.received[0]!.answered).toBe(false);
    // Still no answer a while later: the client is waiting on a silent server.
    let settled = false;
    void sending.then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
    const error = await sending;
    expect(error.code).toBe('ECONNECTION');
    expect(error.responseCode).toBeUndefined();
  });
});
