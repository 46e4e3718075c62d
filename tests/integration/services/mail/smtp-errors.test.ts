/**
 * Error classification against real failures, each produced for real on 127.0.0.1: an unknown host,
 * a closed port, SSL against a STARTTLS port and the reverse, an untrusted certificate, a certificate
 * for another name, and a rejected password. Each must yield its own code and a translated sentence.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KurierError } from '../../../../shared/errors';
import { createTranslator, describeError } from '../../../../shared/i18n';
import type { SmtpAccount } from '../../../../shared/prefs';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { sendThroughSession } from '../../../support/session-send';
import { startSmtpTestServer, testMail, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';

const timeouts = { connectionMs: 5_000, greetingMs: 2_000, socketMs: 10_000 };
let certificate: TestCertificate;
let starttlsServer: SmtpTestServer;
let sslServer: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  starttlsServer = await startSmtpTestServer({ certificate, secure: false });
  sslServer = await startSmtpTestServer({ certificate, secure: true });
});
afterAll(async () => {
  await starttlsServer.close();
  await sslServer.close();
});

function account(overrides: Partial<SmtpAccount>): SmtpAccount {
  return testSmtpAccount({ port: starttlsServer.port, trustedCertificate: certificate.cert, ...overrides });
}

async function failure(overrides: Partial<SmtpAccount>, password = 'správné-heslo'): Promise<KurierError> {
  const error: unknown = await sendThroughSession(account(overrides), password, testMail(), timeouts).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof KurierError)) throw new Error(`expected a KurierError, got ${String(error)}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve();
    }),
  );
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const en = createTranslator('en');
const cs = createTranslator('cs');

describe('SMTP failures are told apart', () => {
  it('unknown host → smtp.hostNotFound', async () => {
    const error = await failure({ host: 'smtp.does-not-exist.invalid' });
    expect(error.code).toBe('smtp.hostNotFound');
    expect(describeError(en, error.toShape()).message).toBe('The server smtp.does-not-exist.invalid was not found.');
  });

  it('closed port → smtp.connectionRefused, naming the port and the firewall', async () => {
    const port = await closedPort();
    const error = await failure({ port });
    expect(error.code).toBe('smtp.connectionRefused');
    expect(error.details).toMatchObject({ host: '127.0.0.1', port });
    const described = describeError(cs, error.toShape());
    expect(described.message).toBe(`Na serveru 127.0.0.1 na portu ${port} nic neodpovídá.`);
    expect(described.fix).toContain('firewall');
  });

  it('SSL/TLS against a STARTTLS port → smtp.tlsModeMismatch expecting STARTTLS', async () => {
    const error = await failure({ security: 'ssl', port: starttlsServer.port });
    expect(error.code).toBe('smtp.tlsModeMismatch');
    expect(error.details).toMatchObject({ expected: 'starttls', suggestedPort: 587 });
    expect(describeError(en, error.toShape()).fix).toBe('Set connection security to STARTTLS (or use port 587).');
  });

  it('STARTTLS against an implicit-TLS port → smtp.tlsModeMismatch expecting SSL/TLS', async () => {
    const error = await failure({ security: 'starttls', port: sslServer.port });
    expect(error.code).toBe('smtp.tlsModeMismatch');
    expect(error.details).toMatchObject({ expected: 'ssl', suggestedPort: 465 });
    expect(describeError(en, error.toShape()).fix).toBe('Set connection security to SSL/TLS (or use port 465).');
  });

  it('plain text against an implicit-TLS port → smtp.tlsModeMismatch expecting SSL/TLS', async () => {
    const error = await failure({ security: 'none', port: sslServer.port });
    expect(error.code).toBe('smtp.tlsModeMismatch');
    expect(error.details).toMatchObject({ expected: 'ssl' });
  });

  it.each([
    { mode: 'implicit TLS', security: 'ssl' as const, server: () => sslServer },
    { mode: 'STARTTLS', security: 'starttls' as const, server: () => starttlsServer },
  ])('untrusted certificate over $mode → smtp.certificateUntrusted', async ({ security, server }) => {
    const error = await failure({ security, port: server().port, trustedCertificate: '' });
    expect(error.code).toBe('smtp.certificateUntrusted');
    expect(error.details).toMatchObject({ reason: 'selfSigned' });
    expect(describeError(en, error.toShape()).message).toBe(
      'The certificate of 127.0.0.1 is not trusted (self-signed certificate).',
    );
  });

  it('a trusted certificate issued for another name is still refused', async () => {
    const other = createTestCertificate(['DNS:mail.other.example']);
    const server = await startSmtpTestServer({ certificate: other, secure: true });
    try {
      const error = await failure({ security: 'ssl', port: server.port, trustedCertificate: other.cert });
      expect(error.code).toBe('smtp.certificateNameMismatch');
      expect(error.details).toMatchObject({ names: 'mail.other.example' });
      const { message, fix } = describeError(en, error.toShape());
      expect(message).toBe('The certificate of 127.0.0.1 is issued for a different server name (mail.other.example).');
      expect(fix).toContain('Trusting this certificate would not help');
    } finally {
      await server.close();
    }
  });

  it('a server that offers no STARTTLS → smtp.starttlsUnavailable, not advice about cipher strength', async () => {
    const plain = await startSmtpTestServer({ certificate, secure: false, extra: { disabledCommands: ['STARTTLS'] } });
    try {
      const error = await failure({ security: 'starttls', port: plain.port });
      expect(error.code).toBe('smtp.starttlsUnavailable');
      const { message, fix } = describeError(en, error.toShape());
      expect(message).toBe(
        `The server 127.0.0.1 offers no encryption on port ${String(plain.port)}: it does not support STARTTLS.`,
      );
      expect(fix).toContain('SSL/TLS on port 465');
      expect(fix).not.toContain('“Weak”');
      expect(describeError(cs, error.toShape()).fix).not.toContain('„Slabé“');
    } finally {
      await plain.close();
    }
  });

  it('wrong password → smtp.authRejected with the server answer kept for support', async () => {
    const error = await failure({}, 'špatné-heslo');
    expect(error.code).toBe('smtp.authRejected');
    expect(String(error.details.response)).toContain('535');
    expect(describeError(cs, error.toShape()).message).toBe('Server odmítl uživatelské jméno nebo heslo.');
  });

  it('no user name where the server requires sign-in → smtp.authRejected', async () => {
    const error = await failure({ username: '' });
    expect(error.code).toBe('smtp.authRejected');
    expect(String(error.details.response)).toContain('530');
  });

  it('no password for a user name → passwordMissing before any connection', async () => {
    const error = await sendThroughSession(account({}), null, testMail(), timeouts).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'smtp.passwordMissing' });
  });
});

describe('temporary login refusals are not mistaken for a wrong password', () => {
  it('454 4.7.0 during AUTH → smtp.temporarilyRejected', async () => {
    const busy = await startSmtpTestServer({
      certificate,
      secure: true,
      extra: {
        onAuth(_auth, _session, callback) {
          callback(Object.assign(new Error('4.7.0 Temporary authentication failure'), { responseCode: 454 }));
        },
      },
    });
    try {
      const error = await failure({ security: 'ssl', port: busy.port });
      expect(error.code).toBe('smtp.temporarilyRejected');
    } finally {
      await busy.close();
    }
  });
});

describe('cipher strength', () => {
  it('a TLS 1.0-only server fails at the default strength and works at weak', async () => {
    const old = await startSmtpTestServer({
      certificate,
      secure: true,
      extra: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    try {
      const error = await failure({ security: 'ssl', port: old.port, cipherStrength: 'default' });
      expect(error.code).toBe('smtp.tlsFailed');
      expect(describeError(en, error.toShape()).fix).toContain('“Weak”');

      await sendThroughSession(
        account({ security: 'ssl', port: old.port, cipherStrength: 'weak' }),
        'správné-heslo',
        testMail({ subject: 'Stará kancelář', messageId: '<weak@kancelar.example>' }),
        timeouts,
      );
      expect((await old.nextMessage()).parsed.subject).toBe('Stará kancelář');
    } finally {
      await old.close();
    }
  });
});
