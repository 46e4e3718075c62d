/**
 * One way to log in (issue 18): against real smtp-servers on 127.0.0.1 that each offer a single SASL
 * mechanism — CRAM-MD5, LOGIN, PLAIN, XOAUTH2 — or none, the connection test, a single copy from the
 * export dialog and a batch through the outbox reach the same outcome, and the saved password stays
 * trusted unless the server itself refused it (535 5.7.8). Each path runs on a fresh app, so one path's
 * verdict on the password cannot decide another's.
 */
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppFixture } from '../../../support/app-fixture';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { documentsWithAddress, settle, startBatch } from '../../../support/outbox-fixture';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';

const password = 'správné-heslo';
const user = 'ucetni@kancelar.example';

let certificate: TestCertificate;
beforeAll(() => {
  certificate = createTestCertificate();
});

/** A server that offers only `methods` and records which mechanism each login used. */
async function singleMechanismServer(methods: readonly string[]): Promise<SmtpTestServer & { readonly logins: string[] }> {
  const logins: string[] = [];
  const onAuth: SMTPServer['options']['onAuth'] = (auth, _session, callback) => {
    logins.push(auth.method);
    const good =
      auth.method === 'CRAM-MD5'
        ? auth.username === user && auth.validatePassword(password)
        : auth.method === 'XOAUTH2'
          ? auth.username === user && auth.accessToken === 'platny-token'
          : auth.username === user && auth.password === password;
    if (good) callback(null, { user });
    else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
  };
  const server = await startSmtpTestServer({
    certificate,
    secure: false,
    // smtp-server offers PLAIN and LOGIN when given no mechanism: "none" is AUTH switched off.
    extra: methods.length > 0 ? { authMethods: [...methods], onAuth } : { disabledCommands: ['AUTH'], onAuth },
  });
  return Object.assign(server, { logins });
}

/** A fresh app whose user account points at `port`, with `saved` in the keychain. */
async function appFor(port: number, saved: string): Promise<AppFixture> {
  const app = await createAppFixture({
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    outbox: {
      connections: 1,
      retry: { baseMs: 40, maxMs: 400, maxAttempts: 3 },
      pacer: { cooldownMs: 100, maxCooldownMs: 800, recoveryMs: 2_000 },
      watchdogMs: 10_000,
    },
  });
  await app.services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: { smtp: account(port), bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 } },
    },
    { action: 'set', value: saved },
  );
  return app;
}

function account(port: number) {
  return testSmtpAccount({ port, trustedCertificate: certificate.cert, senderName: 'Účetní kancelář Bílá' });
}

/** What a path ended with: 'ok', or the error code the user is shown. */
type Outcome = string;

async function throughConnectionTest(app: AppFixture, port: number): Promise<Outcome> {
  const report = await app.services.connectionCheck.run({
    scope: 'user',
    account: account(port),
    password: { action: 'keep' },
    testMessage: { subject: 'Zkouška spojení', text: 'Zkušební zpráva' },
  });
  return report.result.ok ? 'ok' : report.result.error.code;
}

async function throughSingleCopy(app: AppFixture): Promise<Outcome> {
  const [documentId = 0] = documentsWithAddress(app, 1);
  const result = await app.services.sender.run({
    documentId,
    format: 'pdf',
    folder: app.exportDir,
    copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' },
    smtpPassword: null,
  });
  const mail = result.mail as { ok: boolean; error?: { code: string } } | null;
  return mail?.ok === true ? 'ok' : (mail?.error?.code ?? JSON.stringify(result.mail));
}

async function throughBatch(app: AppFixture): Promise<Outcome> {
  const batchId = await startBatch(app, documentsWithAddress(app, 3));
  await settle(app, batchId);
  const batch = app.services.outbox.batch(batchId);
  const counts = app.services.outbox.counts(batchId);
  if (batch?.status === 'done' && counts.sent === 3) return 'ok';
  return batch?.reasonCode || JSON.stringify({ batch, counts });
}

const isRejected = async (app: AppFixture) => (await app.services.prefs.view()).passwords.user.rejected;

describe.skipIf(!keyringAvailable)('one login for the connection test, a single copy and a batch', () => {
  const servers: SmtpTestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it.each([
    { offered: ['CRAM-MD5'], outcome: 'ok', mechanism: 'CRAM-MD5' },
    { offered: ['LOGIN'], outcome: 'ok', mechanism: 'LOGIN' },
    { offered: ['PLAIN'], outcome: 'ok', mechanism: 'PLAIN' },
    // A password cannot log in with XOAUTH2 (that needs a sign-in: oauth-signin.test.ts): no attempt at all.
    { offered: ['XOAUTH2'], outcome: 'smtp.noAuthMechanism', mechanism: null },
    { offered: [], outcome: 'smtp.noAuthMechanism', mechanism: null },
  ])(
    'server offering $offered: $outcome everywhere, the saved password still trusted',
    { timeout: 60_000 },
    async ({ offered, outcome, mechanism }) => {
      const server = await singleMechanismServer(offered);
      servers.push(server);
      const paths = {
        'connection test': (app: AppFixture) => throughConnectionTest(app, server.port),
        'single copy': throughSingleCopy,
        batch: throughBatch,
      };
      for (const [name, run] of Object.entries(paths)) {
        const app = await appFor(server.port, password);
        const before = server.logins.length;
        expect(await run(app), name).toBe(outcome);
        expect(await isRejected(app), name).toBe(false);
        if (mechanism === null) {
          expect(server.logins.length, `${name}: no login attempted`).toBe(before);
        } else {
          expect(server.logins.length, name).toBeGreaterThan(before);
          expect(new Set(server.logins.slice(before)), name).toEqual(new Set([mechanism]));
        }
      }
      if (mechanism === null) {
        expect(server.received).toEqual([]);
      } else {
        // What arrived: the test message to the sender, the copy and the batch of three.
        const arrived = server.received.map((message) => message.parsed.subject ?? '');
        expect(arrived).toHaveLength(1 + 1 + 3);
        expect(arrived).toContain('Zkouška spojení');
        expect(server.received.every((message) => message.user === user)).toBe(true);
      }
    },
  );

  it('names what the server offers when nothing matches, in the error the user sees', { timeout: 30_000 }, async () => {
    const server = await singleMechanismServer(['XOAUTH2']);
    servers.push(server);
    const app = await appFor(server.port, password);
    const report = await app.services.connectionCheck.run({
      scope: 'user',
      account: account(server.port),
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(report.result).toMatchObject({
      ok: false,
      failedStep: 'auth',
      error: { code: 'smtp.noAuthMechanism', details: { offered: 'XOAUTH2' } },
    });
  });

  it('a wrong password on a CRAM-MD5 server is rejected on every path and marked rejected', { timeout: 60_000 }, async () => {
    const server = await singleMechanismServer(['CRAM-MD5']);
    servers.push(server);
    const paths = {
      'connection test': (app: AppFixture) => throughConnectionTest(app, server.port),
      'single copy': throughSingleCopy,
      batch: throughBatch,
    };
    for (const [name, run] of Object.entries(paths)) {
      const app = await appFor(server.port, 'špatné-heslo');
      const before = server.logins.length;
      expect(await run(app), name).toBe('smtp.authRejected');
      expect(await isRejected(app), name).toBe(true);
      // One real attempt, and never again with the same password.
      expect(server.logins.slice(before), name).toEqual(['CRAM-MD5']);
    }
    expect(server.received).toEqual([]);
  });
});
