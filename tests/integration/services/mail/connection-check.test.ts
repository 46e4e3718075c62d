/**
 * "Test connection" as the windows run it, against a real smtp-server and a real DNS server on
 * 127.0.0.1: the lockout rules (a rejected saved password is never sent again; failed logins start a
 * growing cooldown), the SPF verdict of the sender domain, and the provider's login hint.
 */
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpLogins } from '../../../../electron/services/mail/smtp-logins';
import { ConnectionCheckService, loginCooldownSeconds } from '../../../../electron/services/mail/connection-check';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import type { PasswordChange, SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startDnsTestServer, type DnsTestServer } from '../../../support/dns-test-server';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';

let certificate: TestCertificate;
let server: SmtpTestServer;
let dns: DnsTestServer;

beforeAll(async () => {
  certificate = createTestCertificate(['DNS:smtp.kancelar.example', 'DNS:smtp.gmail.com', 'IP:127.0.0.1']);
  server = await startSmtpTestServer({ certificate, secure: false });
  dns = await startDnsTestServer({
    txt: {
      'kancelar.example': ['v=spf1 ip4:192.0.2.0/24 -all'],
      'povoleno.example': ['v=spf1 ip4:127.0.0.0/8 ~all'],
    },
  });
});
afterAll(async () => {
  await server.close();
  await dns.close();
});

interface Harness {
  readonly app: AppFixture;
  readonly check: ConnectionCheckService;
  /** Moves the service's clock on. */
  readonly advance: (seconds: number) => void;
}

async function harness(): Promise<Harness> {
  const app = await createAppFixture();
  const resolver = () => {
    const instance = new Resolver({ timeout: 2_000, tries: 1 });
    instance.setServers([`127.0.0.1:${String(dns.port)}`]);
    return instance;
  };
  let now = Date.parse('2026-11-23T09:00:00Z');
  const check = new ConnectionCheckService({
    prefs: app.services.prefs,
    logins: new SmtpLogins(app.services.prefs, app.services.oauth),
    spfResolver: resolver,
    logger: createLogger('test', nullSink),
    // Every host name is this machine: the certificate names decide what verifies.
    testOptions: {
      resolveHost: () => Promise.resolve(['127.0.0.1']),
      timeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    },
    now: () => now,
  });
  return {
    app,
    check,
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}

function account(overrides: Partial<SmtpAccount> = {}): SmtpAccount {
  return testSmtpAccount({
    port: server.port,
    host: 'smtp.kancelar.example',
    trustedCertificate: certificate.cert,
    ...overrides,
  });
}

const typed = (value: string): PasswordChange => ({ action: 'set', value });

describe.skipIf(!keyringAvailable)('the connection test in the windows', () => {
  it('marks a saved password the server rejects, and then never sends it again', async () => {
    const { app, check, advance } = await harness();
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: account() } },
      typed('špatné-heslo'),
    );
    const before = server.authAttempts();

    const first = await check.run({ scope: 'user', account: account(), password: { action: 'keep' }, testMessage: null });
    expect(first.result).toMatchObject({ ok: false, failedStep: 'auth', error: { code: 'smtp.authRejected' } });
    expect(server.authAttempts()).toBe(before + 1);
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(true);

    advance(loginCooldownSeconds[0]);
    const second = await check.run({ scope: 'user', account: account(), password: { action: 'keep' }, testMessage: null });
    expect(second.result).toMatchObject({ ok: false, failedStep: 'auth', error: { code: 'smtp.passwordRejected' } });
    expect(server.authAttempts()).toBe(before + 1);
    // Every stage before the login still ran: the test still diagnoses the connection.
    expect(second.result.steps.filter((step) => step.status === 'ok').map((step) => step.step)).toEqual([
      'dns',
      'connect',
      'greeting',
      'starttls',
      'tls',
      'ehlo',
    ]);

    // A typed password is tried (it is a new one); it does not lift the mark until it is saved.
    const third = await check.run({ scope: 'user', account: account(), password: typed('správné-heslo'), testMessage: null });
    expect(third.result.ok).toBe(true);
    expect(server.authAttempts()).toBe(before + 2);
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(true);
  });

  it('never sends the saved password to a server, port or security it was not saved for', async () => {
    const { app, check } = await harness();
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: account() } },
      typed('správné-heslo'),
    );
    const before = server.authAttempts();

    for (const changed of [
      { host: 'smtp.jinde.example' },
      { port: server.port + 1 },
      { username: 'jiny@kancelar.example' },
      { security: 'none' as const },
    ]) {
      const report = await check.run({
        scope: 'user',
        account: account(changed),
        password: { action: 'keep' },
        testMessage: null,
      });
      const auth = report.result.steps.find((step) => step.step === 'auth');
      expect(auth?.status === 'ok', JSON.stringify(changed)).toBe(false);
    }
    expect(server.authAttempts()).toBe(before);
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(false);

    const same = await check.run({ scope: 'user', account: account(), password: { action: 'keep' }, testMessage: null });
    expect(same.result.ok).toBe(true);
    expect(server.authAttempts()).toBe(before + 1);
  });

  it('spaces failed logins by a growing cooldown, refuses to log in during it, and ends it on success', async () => {
    const { check, advance } = await harness();
    // Each try is another wrong password: the same one is never sent twice (see the next test).
    const wrong = (attempt: number) => ({
      scope: 'user' as const,
      account: account(),
      password: typed(`špatné-heslo-${String(attempt)}`),
      testMessage: null,
    });

    expect((await check.run(wrong(1))).cooldownSeconds).toBe(10);
    advance(4);
    const before = server.authAttempts();
    await expect(check.run(wrong(2))).rejects.toMatchObject({ code: 'smtp.testCooldown', details: { seconds: 6 } });
    expect(server.authAttempts()).toBe(before);

    advance(6);
    expect((await check.run(wrong(2))).cooldownSeconds).toBe(30);
    advance(30);
    expect((await check.run(wrong(3))).cooldownSeconds).toBe(60);
    advance(60);
    const ok = await check.run({ ...wrong(4), password: typed('správné-heslo') });
    expect(ok).toMatchObject({ result: { ok: true }, cooldownSeconds: 0 });
    expect((await check.run(wrong(5))).cooldownSeconds).toBe(10);
  });

  it('never sends a typed password the server rejected again: not in the next test, not after saving it', async () => {
    const { app, check, advance } = await harness();
    const local = account({ host: '127.0.0.1' });
    const before = server.authAttempts();
    const first = await check.run({ scope: 'user', account: local, password: typed('špatné-heslo'), testMessage: null });
    expect(first.result).toMatchObject({ ok: false, failedStep: 'auth', error: { code: 'smtp.authRejected' } });
    expect(server.authAttempts()).toBe(before + 1);

    advance(loginCooldownSeconds[0]);
    const again = await check.run({ scope: 'user', account: local, password: typed('špatné-heslo'), testMessage: null });
    expect(again.result).toMatchObject({ ok: false, failedStep: 'auth', error: { code: 'smtp.passwordRejected' } });

    // Saved as it is: still known as rejected, so the first real send does not log in with it.
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: local } },
      typed('špatné-heslo'),
    );
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(true);
    const [documentId] = app.services.documents.listDocuments().map((doc) => doc.id);
    if (documentId === undefined) throw new Error('no document');
    const draft = await app.services.sender.prepare(documentId);
    expect(draft.smtpPasswordNeeded).toMatchObject({ reason: 'rejected' });
    const copy = { route: 'smtp' as const, to: 'jana@firma.example', cc: '', bcc: '', subject: draft.subject, body: draft.body };
    const sent = await app.services.sender.run({ documentId, format: 'pdf', folder: app.exportDir, copy, smtpPassword: null });
    expect(sent.mail).toMatchObject({ ok: false, error: { code: 'smtp.passwordRejected' } });
    expect(server.authAttempts()).toBe(before + 1);

    // A different password is a new one: it is tried, and the mark goes.
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: local } },
      typed('správné-heslo'),
    );
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(false);
  });

  it('keeps the growing wait across a restart', async () => {
    const dataDir = await tempDir('kurier-data-');
    const first = await createAppFixture({ dataDir });
    const wrong = {
      scope: 'user' as const,
      account: account({ host: '127.0.0.1' }),
      password: typed('špatné-heslo'),
      testMessage: null,
    };
    expect((await first.services.connectionCheck.run(wrong)).cooldownSeconds).toBe(10);
    // A second start on the same data folder, as after a restart.
    const second = await createAppFixture({ dataDir });
    expect(second.services.connectionCheck.cooldownSeconds('user', wrong.account)).toBeGreaterThan(0);
    await expect(second.services.connectionCheck.run({ ...wrong, password: typed('jiné-heslo') })).rejects.toMatchObject({
      code: 'smtp.testCooldown',
    });
  });

  it('warns when the sender domain does not allow the server by SPF, and confirms when it does', async () => {
    const { check } = await harness();
    const refused = await check.run({ scope: 'user', account: account(), password: typed('správné-heslo'), testMessage: null });
    expect(refused.result.ok).toBe(true);
    expect(refused.spf).toMatchObject({
      domain: 'kancelar.example',
      serverHost: 'smtp.kancelar.example',
      serverAddresses: ['127.0.0.1'],
      verdict: { kind: 'notAllowed', qualifier: 'fail', record: 'v=spf1 ip4:192.0.2.0/24 -all' },
    });

    const allowed = await check.run({
      scope: 'user',
      account: account({ senderAddress: 'ucetni@povoleno.example', username: 'ucetni@kancelar.example' }),
      password: typed('správné-heslo'),
      testMessage: null,
    });
    expect(allowed.spf?.verdict).toEqual({ kind: 'allowed', mechanism: 'ip4:127.0.0.0/8' });
  });

  it('sends the test message to the sender and says how the provider wants a login', async () => {
    const { check } = await harness();
    const report = await check.run({
      scope: 'global',
      account: account({ host: 'smtp.gmail.com' }),
      password: typed('správné-heslo'),
      testMessage: { subject: 'Testovací zpráva Kurieru', text: 'Nastavení SMTP funguje.' },
    });
    expect(report.result.ok).toBe(true);
    expect(report.provider).toEqual({ providerId: 'gmail', displayName: 'Gmail', authHint: 'appPassword' });
    const message = await server.nextMessage();
    expect(message.envelopeTo).toEqual(['ucetni@kancelar.example']);
    expect(message.parsed.subject).toBe('Testovací zpráva Kurieru');
  });
});
