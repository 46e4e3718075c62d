/**
 * The connection test against real smtp-server instances on 127.0.0.1: what each stage reports when
 * everything works, and which stage fails with which code for each way a setup goes wrong — produced for
 * real, never simulated.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  testSmtpConnection,
  type ConnectionTestOptions,
  type ConnectionTestResult,
  type ConnectionTestStep,
  type ConnectionTestStepName,
} from '../../../../electron/services/mail/connection-test';
import { createLogger } from '../../../../electron/services/logging/logger';
import { passwordCredential } from '../../../../electron/services/mail/smtp-credential';
import type { SmtpAccount } from '../../../../shared/prefs';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';

const password = 'správné-heslo';
const timeouts = { connectionMs: 5_000, greetingMs: 1_500, socketMs: 10_000 };
const size = 10 * 1024 * 1024;
let certificate: TestCertificate;
let fingerprint: string;
let starttlsServer: SmtpTestServer;
let sslServer: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  fingerprint = new X509Certificate(certificate.cert).fingerprint256;
  starttlsServer = await startSmtpTestServer({ certificate, secure: false, extra: { size } });
  sslServer = await startSmtpTestServer({ certificate, secure: true, extra: { size } });
});
afterAll(async () => {
  await starttlsServer.close();
  await sslServer.close();
});

function account(overrides: Partial<SmtpAccount>): SmtpAccount {
  return testSmtpAccount({ port: starttlsServer.port, trustedCertificate: certificate.cert, ...overrides });
}

function run(
  overrides: Partial<SmtpAccount>,
  options: ConnectionTestOptions = {},
  secret = password,
): Promise<ConnectionTestResult> {
  return testSmtpConnection(account(overrides), passwordCredential(secret), { timeouts, ...options });
}

function step(result: ConnectionTestResult, name: ConnectionTestStepName): ConnectionTestStep {
  const found = result.steps.find((candidate) => candidate.step === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

function failed(result: ConnectionTestResult): Extract<ConnectionTestResult, { ok: false }> {
  if (result.ok) throw new Error('expected the test to fail');
  return result;
}

const statuses = (result: ConnectionTestResult) => result.steps.map(({ step: name, status }) => `${name}:${status}`);

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve();
    }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** A TCP server that accepts and never says a word (a black-holed SMTP service). */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('a working account', () => {
  it('over STARTTLS reports every stage with its facts', async () => {
    const result = await run({});
    expect(result.ok).toBe(true);
    expect(statuses(result)).toEqual([
      'dns:ok',
      'connect:ok',
      'greeting:ok',
      'starttls:ok',
      'tls:ok',
      'ehlo:ok',
      'auth:ok',
      'message:skipped',
    ]);
    expect(step(result, 'dns').facts).toMatchObject({ addresses: '127.0.0.1', literal: true });
    expect(step(result, 'connect').facts).toMatchObject({ address: '127.0.0.1', port: starttlsServer.port });
    expect(step(result, 'greeting').facts).toMatchObject({ code: 220 });
    expect(step(result, 'starttls').facts).toMatchObject({ offered: true, code: 220 });
    const tls = step(result, 'tls').facts;
    expect(tls).toMatchObject({ protocol: 'TLSv1.3', trusted: true, fingerprint256: fingerprint, strength: 'default' });
    expect(tls.cipher).toMatch(/^TLS_(AES|CHACHA20)/);
    expect(tls.subject).toContain('CN=Kurier test server');
    expect(tls.issuer).toContain('CN=Kurier test server');
    expect(Date.parse(String(tls.validTo))).toBeGreaterThan(Date.now());
    expect(new X509Certificate(String(tls.certificatePem)).fingerprint256).toBe(fingerprint);
    expect(step(result, 'ehlo').facts).toMatchObject({
      sizeLimitBytes: size,
      authMethods: 'PLAIN LOGIN',
      starttlsOffered: false,
    });
    expect(step(result, 'auth').facts).toMatchObject({ method: 'PLAIN', code: 235 });
    expect(step(result, 'message').facts).toEqual({ reason: 'notRequested' });
    expect(result.steps.every((entry) => entry.ms >= 0)).toBe(true);
  });

  it('over implicit TLS sends a test message to the sender', async () => {
    const result = await run(
      { security: 'ssl', port: sslServer.port },
      { testMessage: { subject: 'Kurier: zkušební zpráva', text: 'Nastavení SMTP funguje.' } },
    );
    expect(statuses(result)).toEqual([
      'dns:ok',
      'connect:ok',
      'tls:ok',
      'greeting:ok',
      'starttls:skipped',
      'ehlo:ok',
      'auth:ok',
      'message:ok',
    ]);
    expect(step(result, 'tls').facts).toMatchObject({ protocol: 'TLSv1.3', fingerprint256: fingerprint, trusted: true });
    expect(step(result, 'ehlo').facts).toMatchObject({ sizeLimitBytes: size, authMethods: 'PLAIN LOGIN' });
    const received = await sslServer.nextMessage();
    expect(received.envelopeFrom).toBe('ucetni@kancelar.example');
    expect(received.envelopeTo).toEqual(['ucetni@kancelar.example']);
    expect(received.parsed.subject).toBe('Kurier: zkušební zpráva');
    expect(received.parsed.text?.trim()).toBe('Nastavení SMTP funguje.');
    expect(received.parsed.messageId).toBe(step(result, 'message').facts.messageId);
  });

  it('uses the injected resolver and verifies the certificate against the host name', async () => {
    const asked: string[] = [];
    const result = await run(
      { host: 'localhost' },
      {
        resolveHost: (host) => {
          asked.push(host);
          return Promise.resolve(['127.0.0.1']);
        },
      },
    );
    expect(asked).toEqual(['localhost']);
    expect(result.ok).toBe(true);
    expect(step(result, 'dns').facts).toEqual({ addresses: '127.0.0.1', literal: false });
  });

  it('never writes the password to the log', async () => {
    const lines: string[] = [];
    const logger = createLogger('test', (line) => lines.push(line));
    await run({}, { logger });
    await run({}, { logger }, 'špatné-heslo');
    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join('\n');
    for (const secret of [password, 'špatné-heslo', Buffer.from(`\0ucetni@kancelar.example\0${password}`).toString('base64')]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('each failure stops at its stage with its code', () => {
  it('unknown host → dns: smtp.hostNotFound', async () => {
    const result = failed(await run({ host: 'smtp.does-not-exist.invalid' }));
    expect(result.failedStep).toBe('dns');
    expect(result.error).toEqual({
      code: 'smtp.hostNotFound',
      details: { host: 'smtp.does-not-exist.invalid', port: starttlsServer.port },
    });
    expect(
      statuses(result)
        .slice(1)
        .every((entry) => entry.endsWith(':skipped')),
    ).toBe(true);
  });

  it('closed port → connect: smtp.connectionRefused', async () => {
    const port = await closedPort();
    const result = failed(await run({ port }));
    expect(result.failedStep).toBe('connect');
    expect(result.error).toEqual({ code: 'smtp.connectionRefused', details: { host: '127.0.0.1', port } });
  });

  it('SSL/TLS against a STARTTLS port → tls: smtp.tlsModeMismatch expecting STARTTLS', async () => {
    const result = failed(await run({ security: 'ssl', port: starttlsServer.port }));
    expect(result.failedStep).toBe('tls');
    expect(result.error).toMatchObject({ code: 'smtp.tlsModeMismatch', details: { expected: 'starttls', suggestedPort: 587 } });
  });

  it('STARTTLS against an implicit-TLS port → greeting: smtp.tlsModeMismatch expecting SSL/TLS', async () => {
    const result = failed(await run({ security: 'starttls', port: sslServer.port }));
    expect(result.failedStep).toBe('greeting');
    expect(result.error).toMatchObject({ code: 'smtp.tlsModeMismatch', details: { expected: 'ssl', suggestedPort: 465 } });
  });

  it.each([
    { mode: 'implicit TLS', security: 'ssl' as const, server: () => sslServer },
    { mode: 'STARTTLS', security: 'starttls' as const, server: () => starttlsServer },
  ])(
    'untrusted certificate over $mode → tls: smtp.certificateUntrusted with its fingerprint, no login',
    async ({ security, server }) => {
      const attemptsBefore = server().authAttempts();
      const result = failed(await run({ security, port: server().port, trustedCertificate: '' }));
      expect(result.failedStep).toBe('tls');
      expect(result.error).toEqual({
        code: 'smtp.certificateUntrusted',
        details: { host: '127.0.0.1', port: server().port, reason: 'selfSigned', fingerprint256: fingerprint },
      });
      expect(step(result, 'tls').facts).toMatchObject({
        trusted: false,
        untrustedReason: 'selfSigned',
        fingerprint256: fingerprint,
      });
      expect(step(result, 'auth').status).toBe('skipped');
      expect(server().authAttempts()).toBe(attemptsBefore);
    },
  );

  it('a certificate for another name → tls: smtp.certificateNameMismatch', async () => {
    const result = failed(await run({ host: 'mail.kancelar.example' }, { resolveHost: () => Promise.resolve(['127.0.0.1']) }));
    expect(result.failedStep).toBe('tls');
    expect(result.error).toMatchObject({ code: 'smtp.certificateNameMismatch', details: { fingerprint256: fingerprint } });
  });

  it('an untrusted self-signed certificate for another name is reported by its name, so trusting it is not offered', async () => {
    // Trusting would not help: after trusting, the name still does not match and the send fails.
    const result = failed(
      await run({ host: 'mail.kancelar.example', trustedCertificate: '' }, { resolveHost: () => Promise.resolve(['127.0.0.1']) }),
    );
    expect(result.failedStep).toBe('tls');
    expect(result.error.code).toBe('smtp.certificateNameMismatch');
    expect(String(result.error.details.names)).not.toContain('mail.kancelar.example');
    expect(step(result, 'tls').facts).toMatchObject({ trusted: false, untrustedReason: 'hostnameMismatch' });
  });

  it('a server that offers no STARTTLS → starttls: smtp.starttlsUnavailable, never “try Weak”', async () => {
    const plain = await startSmtpTestServer({ certificate, secure: false, extra: { disabledCommands: ['STARTTLS'] } });
    try {
      const result = failed(await run({ security: 'starttls', port: plain.port }));
      expect(result.failedStep).toBe('starttls');
      expect(result.error).toMatchObject({ code: 'smtp.starttlsUnavailable', details: { reason: 'starttlsNotOffered' } });
      expect(plain.authAttempts()).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('wrong password → auth: smtp.authRejected with the server answer', async () => {
    const result = failed(await run({}, {}, 'špatné-heslo'));
    expect(result.failedStep).toBe('auth');
    expect(result.error.code).toBe('smtp.authRejected');
    expect(String(result.error.details.response)).toContain('535');
    expect(step(result, 'ehlo').status).toBe('ok');
  });

  it('a user name without a password → auth: smtp.passwordMissing, nothing sent', async () => {
    const result = failed(await testSmtpConnection(account({}), passwordCredential(null), { timeouts }));
    expect(result.failedStep).toBe('auth');
    expect(result.error.code).toBe('smtp.passwordMissing');
  });

  it('a server that never greets → greeting: smtp.timeout', async () => {
    const silent = await silentServer();
    try {
      const result = failed(await run({ port: silent.port }, { timeouts: { ...timeouts, greetingMs: 300 } }));
      expect(result.failedStep).toBe('greeting');
      expect(result.error).toEqual({ code: 'smtp.timeout', details: { host: '127.0.0.1', port: silent.port, step: 'greeting' } });
    } finally {
      await silent.close();
    }
  });

  it('an abort stops the run at once and rejects with the reason', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const pending = run({ port: silent.port }, { signal: controller.signal, timeouts: { ...timeouts, greetingMs: 20_000 } });
      setTimeout(() => {
        controller.abort();
      }, 200);
      // Without the abort this run would end 20 s later with a timeout result, not a rejection.
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await silent.close();
    }
  });
});

describe('old TLS and cipher strength', () => {
  it('a TLS 1.0-only server fails at the default strength, suggesting weak, and works at weak', async () => {
    const old = await startSmtpTestServer({
      certificate,
      secure: true,
      extra: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    try {
      const refused = failed(await run({ security: 'ssl', port: old.port }));
      expect(refused.failedStep).toBe('tls');
      expect(refused.error).toEqual({
        code: 'smtp.tlsFailed',
        details: { host: '127.0.0.1', port: old.port, strength: 'default', suggestedStrength: 'weak' },
      });
      const result = await run({ security: 'ssl', port: old.port }, { cipherStrength: 'weak' });
      expect(result.ok).toBe(true);
      expect(step(result, 'tls').facts).toMatchObject({
        protocol: 'TLSv1',
        strength: 'weak',
        trusted: true,
        fingerprint256: fingerprint,
      });
      expect(step(result, 'auth').status).toBe('ok');
    } finally {
      await old.close();
    }
  });

  it('a TLS 1.2-only server fails at strong (TLS 1.3 only), suggesting default', async () => {
    const tls12 = await startSmtpTestServer({ certificate, secure: false, extra: { maxVersion: 'TLSv1.2' } });
    try {
      const refused = failed(await run({ port: tls12.port }, { cipherStrength: 'strong' }));
      expect(refused.failedStep).toBe('tls');
      expect(refused.error).toMatchObject({
        code: 'smtp.tlsFailed',
        details: { strength: 'strong', suggestedStrength: 'default' },
      });
      const result = await run({ port: tls12.port });
      expect(step(result, 'tls').facts).toMatchObject({ protocol: 'TLSv1.2' });
      expect(String(step(result, 'tls').facts.cipher)).toMatch(/^ECDHE-ECDSA-/);
    } finally {
      await tls12.close();
    }
  });
});
