/**
 * A saved password goes only to the server, port, security and user name it was saved for. Each kind
 * of change — in the office file edited on disk (as anyone who can write it could), or in the user's
 * own preferences saved with "password kept" — must leave every server without a single AUTH, on
 * every path that logs in: the connection test, the export dialog's copy, a batch and a notification.
 * The servers here accept the right password from anyone, over STARTTLS or not, so the old behaviour
 * (the password sent to whatever the files say) would show up as an AUTH they count.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpPasswordKeys } from '../../../../electron/services/prefs/preferences-service';
import type { ExportDraft, InputOf } from '../../../../shared/contract';
import { notificationsSchema, type SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { documentsWithAddress, settle } from '../../../support/outbox-fixture';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';

const password = 'správné-heslo';
let certificate: TestCertificate;
/** Where the password was saved for. */
let home: SmtpTestServer;
/** Another server on this computer, as an attacker's would be. */
let trap: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  // Both accept the password from any user name, encrypted or not: only Kurier may hold it back.
  const users = { 'ucetni@kancelar.example': password, 'jiny@kancelar.example': password };
  home = await startSmtpTestServer({ certificate, secure: false, users, extra: { allowInsecureAuth: true } });
  trap = await startSmtpTestServer({ certificate, secure: false, users, extra: { allowInsecureAuth: true } });
});
afterAll(async () => {
  await home.close();
  await trap.close();
});

const changes: readonly { name: string; field: string; apply: (account: SmtpAccount) => SmtpAccount }[] = [
  { name: 'port', field: 'port', apply: (account) => ({ ...account, port: trap.port }) },
  { name: 'host', field: 'host', apply: (account) => ({ ...account, host: 'localhost' }) },
  { name: 'user name', field: 'username', apply: (account) => ({ ...account, username: 'jiny@kancelar.example' }) },
  { name: 'security', field: 'security', apply: (account) => ({ ...account, security: 'none' }) },
];

function account(): SmtpAccount {
  return testSmtpAccount({ port: home.port, trustedCertificate: certificate.cert });
}

const authCount = () => home.authAttempts() + trap.authAttempts();

/** The office account with its password saved, as an administrator set it up. */
async function officeApp(): Promise<AppFixture> {
  const app = await createAppFixture({
    outbox: {
      connections: 1,
      retry: { baseMs: 40, maxMs: 200, maxAttempts: 3 },
      pacer: { cooldownMs: 50, maxCooldownMs: 100, recoveryMs: 2_000 },
      watchdogMs: 10_000,
    },
    smtpTimeouts: { connectionMs: 3_000, greetingMs: 3_000, socketMs: 5_000 },
  });
  // The overdue digest is off: the outbox's startup sweep is asynchronous and may find this account
  // already saved, and its message would be one more login than the paths counted here.
  await app.services.prefs.updateGlobal(
    {
      smtp: account(),
      personalEmail: 'ja@kancelar.example',
      notifications: notificationsSchema.parse({ overdueDigest: { enabled: false } }),
    },
    { action: 'set', value: password },
  );
  return app;
}

/** Rewrites the office file on disk, as someone with write access to it would. */
async function editOfficeFile(app: AppFixture, change: (account: SmtpAccount) => SmtpAccount): Promise<void> {
  const filePath = (await app.services.prefs.view()).globalLocation.filePath;
  const file = JSON.parse(await readFile(filePath, 'utf8')) as { version: number; prefs: { smtp: SmtpAccount } };
  file.prefs.smtp = change(file.prefs.smtp);
  await writeFile(filePath, JSON.stringify(file));
  // What a window does when it opens: the office file is read again. The user even confirms the changed
  // office settings (the office-file check); the password must still not go to the new server.
  await app.services.prefs.view();
  await app.services.confirmOffice((await app.services.prefs.officeReview()).digests);
}

/** The export dialog's "send a copy" of `documentId` over SMTP; what the dialog was told. */
async function sendCopy(
  app: AppFixture,
  documentId: number,
  draft: ExportDraft,
  smtpPassword: InputOf<'export:run'>['smtpPassword'],
) {
  const copy = { route: 'smtp' as const, to: 'jana@firma.example', cc: '', bcc: '', subject: draft.subject, body: draft.body };
  return (await app.services.sender.run({ documentId, format: 'pdf', folder: app.exportDir, copy, smtpPassword })).mail;
}

/** Every path that logs in, one after the other; what each reported. */
async function tryEveryPath(app: AppFixture): Promise<Record<string, unknown>> {
  const sending = app.services.prefs.sendingAccount();
  if (!sending) throw new Error('no account in force');
  const test = await app.services.connectionCheck.run({
    scope: sending.scope,
    account: sending.account,
    password: { action: 'keep' },
    testMessage: null,
  });
  const [documentId, ...others] = documentsWithAddress(app, 3);
  if (documentId === undefined) throw new Error('no document');
  const draft = await app.services.sender.prepare(documentId);
  const single = await sendCopy(app, documentId, draft, null);
  const { batchId } = await app.services.batches.start({
    documentIds: others,
    target: { kind: 'partner' },
    folder: app.exportDir,
    testToMe: false,
    spreadOverDays: false,
  });
  await settle(app, batchId);
  // The stopped batch is notified by e-mail, with the same account: that message must not log in either.
  await app.services.notifier.sweep();
  const notificationIds = app.services.outbox
    .recentBatchIds(0)
    .filter((id) => app.services.outbox.batch(id)?.kind === 'notification');
  for (const id of notificationIds) await settle(app, id);
  const notifications = notificationIds.map((id) => app.services.outbox.batch(id)?.status);
  return {
    draft: draft.smtpPasswordNeeded,
    test: test.result.steps.find((step) => step.step === 'auth')?.error?.code,
    single,
    batch: app.services.outbox.batch(batchId),
    notifications,
  };
}

describe.skipIf(!keyringAvailable)('a saved password is bound to its server', () => {
  it('is used where it was saved for: the test logs in and the copy arrives', async () => {
    const app = await officeApp();
    const before = home.authAttempts();
    const [documentId] = documentsWithAddress(app, 1);
    if (documentId === undefined) throw new Error('no document');
    const draft = await app.services.sender.prepare(documentId);
    expect(draft.smtpPasswordNeeded).toBeNull();
    const outcome = await sendCopy(app, documentId, draft, null);
    expect(outcome).toMatchObject({ ok: true });
    expect(home.authAttempts()).toBe(before + 1);
    // The keychain entry names its destination; the password is never in a preferences file.
    const entry = JSON.parse((await app.secrets.get(smtpPasswordKeys.global)) ?? '{}') as {
      password?: string;
      boundTo?: unknown;
    };
    expect(entry).toEqual({
      kurier: 1,
      password,
      boundTo: {
        host: '127.0.0.1',
        port: home.port,
        security: 'starttls',
        username: 'ucetni@kancelar.example',
        plainTextAccepted: false,
      },
    });
    const view = await app.services.prefs.view();
    expect(await readFile(view.globalLocation.filePath, 'utf8')).not.toContain(password);
  });

  for (const level of ['office file edited on disk', 'user preferences saved with the password kept'] as const) {
    for (const change of changes) {
      it(`${level}: a changed ${change.name} gets no AUTH on any path, and the user is told what changed`, async () => {
        const app = await officeApp();
        if (level === 'office file edited on disk') {
          await editOfficeFile(app, change.apply);
        } else {
          // The user's own account, saved with its password, then edited in the form with "password kept".
          await app.services.prefs.updateUser(
            { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: account() } },
            { action: 'set', value: password },
          );
          await app.services.prefs.updateUser(
            { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: change.apply(account()) } },
            { action: 'keep' },
          );
        }
        const scope = level === 'office file edited on disk' ? 'global' : 'user';
        const before = authCount();

        const seen = await tryEveryPath(app);

        expect(authCount(), JSON.stringify(seen)).toBe(before);
        expect(seen.draft).toMatchObject({ scope, reason: 'withheld', withheld: { reason: 'changed', changes: [change.field] } });
        expect(seen.test).toBe('smtp.passwordWithheld');
        expect(seen.single).toMatchObject({
          ok: false,
          error: { code: 'smtp.passwordWithheld', details: { changes: change.field } },
        });
        expect(seen.batch).toMatchObject({ status: 'stopped', reasonCode: 'smtp.passwordWithheld' });
        expect(seen.notifications).not.toEqual([]);
        expect(seen.notifications).not.toContain('done');
        // The windows say it too, with both destinations.
        const state = (await app.services.prefs.view()).passwords[scope];
        expect(state.withheld).toMatchObject({
          reason: 'changed',
          changes: [change.field],
          savedFor: `ucetni@kancelar.example @ 127.0.0.1:${String(home.port)} STARTTLS`,
        });
      });
    }
  }

  it('a password typed again for the changed server is bound to it, and the old binding no longer applies', async () => {
    const app = await officeApp();
    await editOfficeFile(app, (office) => ({ ...office, port: trap.port }));
    const [documentId] = documentsWithAddress(app, 1);
    if (documentId === undefined) throw new Error('no document');
    const draft = await app.services.sender.prepare(documentId);
    expect(draft.smtpPasswordNeeded?.reason).toBe('withheld');
    const before = trap.authAttempts();
    const outcome = await sendCopy(app, documentId, draft, { value: password, remember: true });
    expect(outcome).toMatchObject({ ok: true });
    expect(trap.authAttempts()).toBe(before + 1);
    expect((await app.services.prefs.view()).passwords.global.withheld).toBeNull();
  });

  it('a password saved before bindings existed is not sent anywhere until it is typed again', async () => {
    const app = await officeApp();
    await app.secrets.set(smtpPasswordKeys.global, password);
    const before = authCount();
    const seen = await tryEveryPath(app);
    expect(authCount()).toBe(before);
    expect(seen.single).toMatchObject({ ok: false, error: { code: 'smtp.passwordUnbound' } });
    expect(seen.batch).toMatchObject({ status: 'stopped', reasonCode: 'smtp.passwordUnbound' });
  });

  it('no encryption: the password goes over plain SMTP only after the user confirmed it, and that confirmation is remembered', async () => {
    const app = await createAppFixture();
    const plain = { ...account(), security: 'none' as const };
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: plain } },
      { action: 'set', value: password },
    );
    const before = authCount();
    const refused = await app.services.connectionCheck.run({
      scope: 'user',
      account: plain,
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(refused.result.steps.find((step) => step.step === 'auth')?.error?.code).toBe('smtp.plainTextUnconfirmed');
    const typed = await app.services.connectionCheck.run({
      scope: 'user',
      account: plain,
      password: { action: 'set', value: password },
      testMessage: null,
    });
    expect(typed.result.steps.find((step) => step.step === 'auth')?.error?.code).toBe('smtp.plainTextUnconfirmed');
    expect(authCount()).toBe(before);

    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: plain } },
      { action: 'set', value: password, acceptPlainText: true },
    );
    const confirmed = await app.services.connectionCheck.run({
      scope: 'user',
      account: plain,
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(confirmed.result.steps.find((step) => step.step === 'auth')?.status).toBe('ok');
    expect(authCount()).toBe(before + 1);
  });
});
