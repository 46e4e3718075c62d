/**
 * "Sign in with Microsoft / Google" end to end against real parts: a local OAuth2/OpenID Connect server
 * (oauth2-mock-server) that checks PKCE and signs JWT access tokens, Kurier's one-shot loopback
 * listener, the real keychain (gnome-keyring's Secret Service), and a real SMTP server that takes SASL
 * XOAUTH2 and verifies each token's signature, expiry and scope before it accepts a message.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { oauthTokenKeys } from '../../../../electron/services/oauth/oauth-service';
import { fileSink } from '../../../../electron/services/logging/logger';
import { KurierError } from '../../../../shared/errors';
import { oauthAppsSchema, type SmtpAccount } from '../../../../shared/prefs';
import { testSmtpAccount } from '../../../support/smtp-test-server';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startFaultySmtpServer, type FaultySmtpServer } from '../../../support/faulty-smtp-server';
import { startOAuthTestServer, s256, type OAuthTestServer } from '../../../support/oauth-test-server';
import { documentsWithAddress, settle, statuses } from '../../../support/outbox-fixture';
import { tempDir } from '../../../support/temp-dir';

const smtpScope = 'https://outlook.office.com/SMTP.Send';
const mailbox = 'ucetni@kancelar.example';
let certificate: TestCertificate;

beforeAll(() => {
  certificate = createTestCertificate();
});

async function xoauth2Server(
  verdict: (user: string, token: string) => boolean | string,
  authMethods?: readonly string[],
): Promise<FaultySmtpServer> {
  const server = await startFaultySmtpServer({ certificate, xoauth2: verdict, ...(authMethods ? { authMethods } : {}) });
  onTestFinished(() => server.close());
  return server;
}

interface Harness {
  readonly app: AppFixture;
  readonly idp: OAuthTestServer;
  readonly smtp: FaultySmtpServer;
  /** Every bearer token the SMTP server was offered, with its verdict. */
  readonly presented: { token: string; accepted: boolean }[];
  /** Moves the sign-in's clock on (access tokens age without waiting an hour). */
  readonly advance: (ms: number) => void;
}

/** The identity server as the providers' endpoints; `tokenUrl` replaces its token endpoint (one that is down). */
function endpointsOf(idp: OAuthTestServer, tokenUrl: string | undefined): OAuthTestServer['endpoints'] {
  if (tokenUrl === undefined) return idp.endpoints;
  return { microsoft: { ...idp.endpoints.microsoft, tokenUrl }, google: { ...idp.endpoints.google, tokenUrl } };
}

async function harness(
  options: {
    dataDir?: string;
    smtpVerdict?: (token: string) => boolean | string | undefined;
    tokenUrl?: string;
    /** The server offers only these mechanisms. */
    authMethods?: readonly string[];
  } = {},
): Promise<Harness> {
  const idp = await startOAuthTestServer();
  const presented: { token: string; accepted: boolean }[] = [];
  const smtp = await xoauth2Server((user, token) => {
    const override = options.smtpVerdict?.(token);
    const accepted = override ?? (user === mailbox && idp.isValidAccessToken(token, smtpScope));
    presented.push({ token, accepted: accepted === true });
    return accepted;
  }, options.authMethods);
  let offset = 0;
  const app = await createAppFixture({
    ...(options.dataDir ? { dataDir: options.dataDir, logSink: fileSink(path.join(options.dataDir, 'kurier.log')) } : {}),
    ...(process.env.KURIER_TEST_LOG === '1'
      ? {
          logSink: (line: unknown) => {
            process.stderr.write(`${JSON.stringify(line)}\n`);
          },
        }
      : {}),
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    outbox: {
      connections: 1,
      retry: { baseMs: 40, maxMs: 400, maxAttempts: 8 },
      pacer: { cooldownMs: 100, maxCooldownMs: 800, recoveryMs: 2_000 },
      watchdogMs: 10_000,
    },
    oauth: { now: () => Date.now() + offset, signInTimeoutMs: 10_000, endpoints: endpointsOf(idp, options.tokenUrl) },
  });
  const account = testSmtpAccount({
    senderName: 'Účetní kancelář Bílá',
    senderAddress: mailbox,
    port: smtp.port,
    auth: 'microsoft',
    username: mailbox,
    trustedCertificate: certificate.cert,
  });
  const apps = oauthAppsSchema.parse({ microsoft: idp.app });
  await app.services.prefs.updateUser(
    { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: account, oauthApps: apps } },
    { action: 'keep' },
  );
  return {
    app,
    idp,
    smtp,
    presented,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** Presses "Sign in", lets the "browser" go through consent and back; the page it ends on and the outcome. */
async function signIn(h: Harness): Promise<{
  page: { status: number; text: string };
  outcome: Awaited<ReturnType<AppFixture['services']['oauth']['finish']>> | KurierError;
}> {
  const { flowId, authorizeUrl } = await h.app.services.oauth.begin('user', 'microsoft', mailbox);
  const finished = h.app.services.oauth.finish(flowId).catch((error: unknown) => error as KurierError);
  const page = await h.idp.browse(authorizeUrl);
  return { page, outcome: await finished };
}

async function sendBatch(h: Harness, count: number): Promise<number> {
  const { batchId } = await h.app.services.batches.start({
    documentIds: documentsWithAddress(h.app, count),
    target: { kind: 'address', address: 'prijemce@klient.example' },
    folder: h.app.exportDir,
    testToMe: false,
    spreadOverDays: false,
    // These tests send the same documents to the same address again on purpose (each batch tests a
    // token, not the double-send guard).
    duplicates: 'send',
  });
  return batchId;
}

describe.skipIf(!keyringAvailable)('signing in with a provider (OAuth2, PKCE, loopback redirect)', () => {
  it('signs in through the browser, keeps the tokens in the keychain only, and sends with XOAUTH2', async () => {
    const dataDir = await tempDir('kurier-data-');
    const h = await harness({ dataDir });
    const { page, outcome } = await signIn(h);

    expect(outcome).toEqual({ account: { provider: 'microsoft', address: mailbox }, expired: false });
    expect(page.status).toBe(200);
    // In the user's language (Czech here: the system language of the test app).
    expect(page.text).toContain('Tuto kartu můžete zavřít');
    // The consent request: S256 PKCE, our scopes, a loopback redirect on an ephemeral port, a state.
    const [authorization] = h.idp.authorizations;
    expect(authorization?.get('code_challenge_method')).toBe('S256');
    expect(authorization?.get('scope')?.split(' ')).toEqual(expect.arrayContaining([smtpScope, 'offline_access']));
    expect(authorization?.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(authorization?.get('state')?.length).toBeGreaterThanOrEqual(32);
    // The token request proved the verifier behind that challenge (the server checked it too).
    const [exchange] = h.idp.tokenRequests;
    expect(exchange?.grant_type).toBe('authorization_code');
    expect(s256(exchange?.code_verifier ?? '')).toBe(authorization?.get('code_challenge'));
    // One request and the listener is gone.
    await expect(fetch(authorization?.get('redirect_uri') ?? '')).rejects.toThrow();

    // The keychain holds exactly what the provider issued.
    const stored = JSON.parse((await h.app.secrets.get(oauthTokenKeys.user)) ?? '{}') as {
      refreshToken?: string;
      accessToken?: string;
    };
    const [tokens] = h.idp.issued;
    expect(stored.refreshToken).toBe(tokens?.refreshToken);
    expect(stored.accessToken).toBe(tokens?.accessToken);
    expect((await h.app.services.prefs.view()).signIns.user).toEqual({
      account: { provider: 'microsoft', address: mailbox },
      expired: false,
    });

    const batchId = await sendBatch(h, 2);
    await settle(h.app, batchId);
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent', 'sent']);
    expect(h.smtp.received.map((message) => message.user)).toEqual([mailbox, mailbox]);
    expect(h.presented).toEqual([{ token: tokens?.accessToken, accepted: true }]);

    // Neither token is in any file Kurier wrote: preferences, database, log.
    h.app.services.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const files = [
      ...(await readdir(dataDir)).map((name) => path.join(dataDir, name)),
      ...(await readdir(h.app.machinePrefsDir).catch(() => [])).map((name) => path.join(h.app.machinePrefsDir, name)),
      ...(await readdir(h.app.exportDir)).map((name) => path.join(h.app.exportDir, name)),
    ];
    expect(files.some((file) => file.endsWith('kurier.log'))).toBe(true);
    expect(files.some((file) => file.endsWith('.json'))).toBe(true);
    for (const file of files) {
      if (!(await stat(file)).isFile()) continue;
      const bytes = await readFile(file);
      for (const secret of [tokens?.accessToken ?? '', tokens?.refreshToken ?? '']) {
        expect(bytes.includes(Buffer.from(secret)), `${path.basename(file)} holds a token`).toBe(false);
      }
    }

    await h.app.services.oauth.signOut('user');
    expect(await h.app.secrets.get(oauthTokenKeys.user)).toBeNull();
    expect((await h.app.services.prefs.view()).signIns.user).toEqual({ account: null, expired: false });
  });

  it('refreshes an access token before it expires, and once more when the server refuses one', async () => {
    const refused = new Set<string>();
    const h = await harness({ smtpVerdict: (token) => (refused.has(token) ? false : undefined) });
    const override = h.presented;
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    const first = h.idp.issued[0]?.accessToken ?? '';

    // 56 minutes later the hour-long token is within the 5-minute margin: refreshed before use.
    h.advance(56 * 60_000);
    let batchId = await sendBatch(h, 1);
    await settle(h.app, batchId);
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent']);
    expect(h.idp.tokenRequests.map((request) => request.grant_type)).toEqual(['authorization_code', 'refresh_token']);
    const second = h.idp.issued[1]?.accessToken ?? '';
    expect(second).not.toBe(first);
    expect(override.map((entry) => entry.token)).toEqual([second]);

    // The server stops taking the current token (revoked on its side): renewed once, then accepted.
    refused.add(second);
    batchId = await sendBatch(h, 1);
    await settle(h.app, batchId);
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent']);
    const third = h.idp.issued[2]?.accessToken ?? '';
    expect(override.slice(1)).toEqual([
      { token: second, accepted: false },
      { token: third, accepted: true },
    ]);
    expect(h.smtp.received).toHaveLength(2);
  });

  it('a revoked sign-in stops the batch with "sign in again" (nothing failed), and signing in again finishes it', async () => {
    const h = await harness();
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    h.idp.revoked.add(h.idp.issued[0]?.refreshToken ?? '');
    h.advance(2 * 60 * 60_000);

    const batchId = await sendBatch(h, 3);
    await settle(h.app, batchId);
    expect(h.app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'oauth.signInAgain' });
    expect([...statuses(h.app, batchId).values()]).toEqual(['queued', 'queued', 'queued']);
    expect(h.smtp.received).toHaveLength(0);
    // No bearer token reached the server: the refresh failed before any login.
    expect(h.presented).toHaveLength(0);
    expect((await h.app.services.prefs.view()).signIns.user).toEqual({
      account: { provider: 'microsoft', address: mailbox },
      expired: true,
    });

    // Signing in again lets the stopped batch go on by itself; every recipient gets one message.
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    await expect.poll(() => h.app.services.outbox.batch(batchId)?.status, { timeout: 20_000 }).toBe('done');
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(h.smtp.received.map((message) => message.messageId)).size).toBe(3);
  });

  it('SMTP AUTH switched off for the mailbox (535 5.7.139) stops the batch and names the administrator fix', async () => {
    const h = await harness({
      smtpVerdict: () => '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    });
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    const batchId = await sendBatch(h, 2);
    await settle(h.app, batchId);
    expect(h.app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'smtp.authDisabled' });
    expect([...statuses(h.app, batchId).values()]).toEqual(['queued', 'queued']);

    const account = h.app.services.prefs.sendingAccount()?.account;
    if (!account) throw new Error('no account');
    const report = await h.app.services.connectionCheck.run({
      scope: 'user',
      account,
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(report.result.ok).toBe(false);
    expect(report.result.steps.find((step) => step.step === 'auth')?.error?.code).toBe('smtp.authDisabled');
  });

  it('against an XOAUTH2-only server the connection test, a single copy and a batch all log in with the token', async () => {
    const h = await harness({ authMethods: ['XOAUTH2'] });
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    const account = h.app.services.prefs.sendingAccount()?.account;
    if (!account) throw new Error('no account');

    const test = await h.app.services.connectionCheck.run({
      scope: 'user',
      account,
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(test.result).toMatchObject({ ok: true });
    expect(test.result.steps.find((step) => step.step === 'auth')).toMatchObject({ status: 'ok', facts: { method: 'XOAUTH2' } });

    const [documentId = 0] = documentsWithAddress(h.app, 1);
    const copy = await h.app.services.sender.run({
      documentId,
      format: 'pdf',
      folder: h.app.exportDir,
      copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' },
      smtpPassword: null,
    });
    expect(copy.mail).toMatchObject({ ok: true });

    const batchId = await sendBatch(h, 2);
    await settle(h.app, batchId);
    expect(h.app.services.outbox.batch(batchId)).toMatchObject({ status: 'done' });
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent', 'sent']);
    // Every login of the three was a token, each accepted; the copy and both batch messages arrived.
    expect(h.presented.length).toBeGreaterThanOrEqual(3);
    expect(h.presented.every((presented) => presented.accepted)).toBe(true);
    expect(h.smtp.received).toHaveLength(3);
  });

  it('the connection test logs in with the token, and never sends it to a server the account was not saved for', async () => {
    const h = await harness();
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    const account = h.app.services.prefs.sendingAccount()?.account;
    if (!account) throw new Error('no account');
    const ok = await h.app.services.connectionCheck.run({
      scope: 'user',
      account,
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(ok.result.steps.find((step) => step.step === 'auth')).toMatchObject({ status: 'ok', facts: { method: 'XOAUTH2' } });
    expect(h.presented, JSON.stringify(h.presented)).toHaveLength(1);

    const other = await xoauth2Server(() => true);
    const elsewhere = await h.app.services.connectionCheck.run({
      scope: 'user',
      account: { ...account, port: other.port },
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(elsewhere.result.steps.find((step) => step.step === 'auth')?.error?.code).toBe('oauth.tokenWithheld');
    expect(other.stats().authAttempts).toBe(0);
  });
});

describe.skipIf(!keyringAvailable)('preferences cannot redirect a sign-in', () => {
  /** An HTTP server on 127.0.0.1 that records every request, as an attacker's token endpoint would. */
  async function recordingEndpoint(): Promise<{ url: string; requests: string[] }> {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        requests.push(`${request.method ?? ''} ${request.url ?? ''} ${body}`);
        response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        }),
    );
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    return { url: `http://127.0.0.1:${String(address.port)}`, requests };
  }

  async function setApps(h: Harness, microsoft: Record<string, string>, smtp: Partial<SmtpAccount> = {}): Promise<void> {
    const current = h.app.services.prefs.userPrefs().overrides;
    const account = current.smtp;
    if (!account) throw new Error('no account');
    await h.app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          ...current,
          smtp: { ...account, ...smtp },
          oauthApps: oauthAppsSchema.parse({ microsoft: { ...h.idp.app, ...microsoft } }),
        },
      },
      { action: 'keep' },
    );
  }

  it('endpoints in the files are ignored; a changed client ID or a foreign SMTP server gets no token and asks to sign in again', async () => {
    const h = await harness();
    expect((await signIn(h)).outcome).toMatchObject({ expired: false });
    const recorder = await recordingEndpoint();

    // Token and authorize endpoints written into the preferences: the refresh still goes to the provider.
    await setApps(h, { tokenUrl: `${recorder.url}/token`, authorizeUrl: `${recorder.url}/authorize` });
    h.advance(56 * 60_000);
    let batchId = await sendBatch(h, 1);
    await settle(h.app, batchId);
    expect([...statuses(h.app, batchId).values()]).toEqual(['sent']);
    expect(h.idp.tokenRequests.map((request) => request.grant_type)).toEqual(['authorization_code', 'refresh_token']);
    const { authorizeUrl, flowId } = await h.app.services.oauth.begin('user', 'microsoft', mailbox);
    h.app.services.oauth.cancel(flowId);
    expect(authorizeUrl.startsWith(h.idp.url)).toBe(true);

    // Another client ID: the tokens belong to the old one; nothing is refreshed or sent, "sign in again".
    await setApps(h, { clientId: 'someone-elses-app' });
    h.advance(60 * 60_000);
    const presented = h.presented.length;
    batchId = await sendBatch(h, 1);
    await settle(h.app, batchId);
    expect(h.app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'oauth.signInChanged' });
    expect(h.idp.tokenRequests).toHaveLength(2);

    // A server that is not the provider's gets no token, whatever the registration.
    await setApps(h, {}, { host: 'localhost' });
    const other = await h.app.services.connectionCheck.run({
      scope: 'user',
      account: h.app.services.prefs.sendingAccount()?.account ?? testSmtpAccount({ port: 1, trustedCertificate: '' }),
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(other.result.steps.find((step) => step.step === 'auth')?.error?.code).toBe('oauth.tokenWithheld');
    batchId = await sendBatch(h, 1);
    await settle(h.app, batchId);
    expect(h.app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'oauth.tokenWithheld' });

    expect(h.presented).toHaveLength(presented);
    expect(recorder.requests).toEqual([]);
  });
});

describe.skipIf(!keyringAvailable)('sign-in failures', () => {
  it('an answer whose state does not match is refused, and no code is exchanged', async () => {
    const h = await harness();
    const { flowId, authorizeUrl } = await h.app.services.oauth.begin('user', 'microsoft', mailbox);
    const finished = h.app.services.oauth.finish(flowId).catch((error: unknown) => error as KurierError);
    const redirect = new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '';
    const page = await fetch(`${redirect}?code=stolen-code&state=someone-elses-state`);
    expect(page.status).toBe(400);
    expect(((await finished) as KurierError).code).toBe('oauth.stateMismatch');
    expect(h.idp.tokenRequests).toHaveLength(0);
    expect(await h.app.secrets.get(oauthTokenKeys.user)).toBeNull();
  });

  it('consent denied, an unknown app, an unreachable token endpoint: each its own error, nothing stored', async () => {
    const h = await harness();
    h.idp.behaviour.denyConsent = true;
    const denied = await signIn(h);
    expect((denied.outcome as KurierError).code).toBe('oauth.consentDenied');
    expect(denied.page.status).toBe(400);
    expect(denied.page.text).toContain('Přihlášení nebylo dokončeno');

    h.idp.behaviour.denyConsent = false;
    h.idp.behaviour.unknownClient = true;
    const unknown = await signIn(h);
    expect(unknown.outcome).toBeInstanceOf(KurierError);
    expect((unknown.outcome as KurierError).code).toBe('oauth.clientRejected');
    expect((unknown.outcome as KurierError).details.response).toContain('AADSTS700016');
    expect(await h.app.secrets.get(oauthTokenKeys.user)).toBeNull();

    // A token endpoint nobody answers on (the network is down during sign-in).
    const closed = await harness({ tokenUrl: 'http://127.0.0.1:9/token' });
    const offline = await signIn(closed);
    expect((offline.outcome as KurierError).code).toBe('oauth.network');
    expect((offline.outcome as KurierError).details.host).toBe('127.0.0.1:9');
  });

  it('no app registration: the sign-in button says the office must register one', async () => {
    const app = await createAppFixture();
    await expect(app.services.oauth.begin('user', 'google', '')).rejects.toMatchObject({
      code: 'oauth.notRegistered',
      details: { provider: 'google' },
    });
  });

  it('a sign-in nobody finishes times out and closes its listener', async () => {
    const idp = await startOAuthTestServer();
    const app = await createAppFixture({ oauth: { signInTimeoutMs: 300, endpoints: idp.endpoints } });
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { oauthApps: oauthAppsSchema.parse({ google: idp.app }) } },
      { action: 'keep' },
    );
    const { flowId, authorizeUrl } = await app.services.oauth.begin('user', 'google', '');
    expect(new URL(authorizeUrl).searchParams.get('access_type')).toBe('offline');
    await expect(app.services.oauth.finish(flowId)).rejects.toMatchObject({ code: 'oauth.timeout' });
    await expect(fetch(new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '')).rejects.toThrow();
  });
});
