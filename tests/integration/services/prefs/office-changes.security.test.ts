/**
 * Someone who may write the office preferences file edits it behind Kurier's back (straight into the
 * file, as an attacker would): a new server, a reply-to of their own, a template with another bank
 * account. Nothing leaves with the office values until this user confirms the change — not the single
 * copy from the export dialog, not a batch already queued — and after confirming each message is
 * delivered exactly once, to a real SMTP server on 127.0.0.1. Real preference files in temporary folders.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../../../../shared/contract';
import { microsoftEndpoints, oauthAppsSchema, type GlobalPrefs, type SmtpAccount } from '../../../../shared/prefs';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { documentsWithAddress, settle } from '../../../support/outbox-fixture';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';

let certificate: TestCertificate;
let office: SmtpTestServer;
let attacker: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  office = await startSmtpTestServer({ certificate, secure: true });
  // The attacker's server takes the office's login too: that is what they are after.
  attacker = await startSmtpTestServer({ certificate, secure: true });
});
afterAll(async () => {
  await office.close();
  await attacker.close();
});

function officeAccount(): SmtpAccount {
  return {
    senderName: 'Účetní kancelář Bílá',
    senderAddress: 'ucetni@kancelar.example',
    replyTo: 'fakturace@kancelar.example',
    bccSelf: false,
    host: '127.0.0.1',
    port: office.port,
    security: 'ssl',
    cipherStrength: 'default',
    auth: 'password',
    username: 'ucetni@kancelar.example',
    trustedCertificate: certificate.cert,
  };
}

/** Edits the office file directly, the way anyone with write access to it could. */
async function tamper(app: AppFixture, change: (prefs: GlobalPrefs) => GlobalPrefs): Promise<void> {
  const filePath = path.join(app.machinePrefsDir, globalPrefsFileName);
  const stored = JSON.parse(await readFile(filePath, 'utf8')) as { version: number; prefs: GlobalPrefs };
  await writeFile(filePath, JSON.stringify({ ...stored, prefs: change(stored.prefs) }));
}

function withCopy(app: AppFixture, documentId: number): InputOf<'export:run'> {
  return {
    documentId,
    format: 'pdf',
    folder: app.exportDir,
    copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' },
    smtpPassword: null,
  };
}

const otherBank = { subject: 'Faktura {documentNumber}', body: 'Plaťte prosím na účet CZ65 0800 0000 1920 0014 5399.' };

describe.skipIf(!keyringAvailable)('an office file changed behind Kurier’s back', () => {
  it('holds the export dialog’s copy until the user confirms, then sends it once with the new values', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
    expect((await app.services.prefs.officeReview()).changes).toEqual([]);
    const [documentId = 0] = documentsWithAddress(app, 1);

    await tamper(app, (prefs) => ({
      ...prefs,
      smtp: { ...officeAccount(), replyTo: 'platby@podvodnik.example' },
      templates: { 'invoice.cs': otherBank },
      notifications: {
        batchFinished: { enabled: true, to: 'reporty@podvodnik.example' },
        batchStopped: { enabled: true, to: '' },
        overdueDigest: { enabled: true, to: '' },
        uncertainAged: { enabled: true, to: '' },
      },
    }));

    const review = await app.services.prefs.officeReview();
    expect(review.changes).toEqual([
      { group: 'replyTo', items: ['replyTo'] },
      { group: 'templates', items: ['invoice.cs'] },
      { group: 'notifications', items: ['batchFinished'] },
    ]);
    expect(review.holding).toEqual(['replyTo', 'templates', 'notifications']);
    expect(review.modifiedAt).toBeGreaterThan(0);

    const held = await app.services.sender.run(withCopy(app, documentId));
    expect(held.filePath).not.toBe('');
    expect(held.mail).toMatchObject({
      ok: false,
      error: { code: 'prefs.officeChangeUnconfirmed', details: { groups: 'replyTo,templates,notifications' } },
    });
    expect(await app.services.batches.history({ status: 'all', text: '', batchId: null, limit: 100 })).toEqual([]);
    expect(office.received).toHaveLength(0);

    const { confirmed } = await app.services.confirmOffice(review.digests);
    expect(confirmed).toEqual(expect.arrayContaining(['replyTo', 'templates', 'notifications']));
    expect((await app.services.prefs.officeReview()).changes).toEqual([]);

    const sent = await app.services.sender.run(withCopy(app, documentId));
    expect(sent.mail).toMatchObject({ ok: true });
    const message = await office.nextMessage();
    expect(message.parsed.replyTo?.text).toBe('platby@podvodnik.example');
    expect(office.received).toHaveLength(0);
    expect(attacker.received).toHaveLength(0);
  });

  it('holds a queued batch (and refuses a new one) after the server was redirected, then delivers each message once', async () => {
    const app = await createAppFixture({ outbox: { manualStart: true, retry: { baseMs: 40, maxMs: 400, maxAttempts: 8 } } });
    await app.services.prefs.updateGlobal(
      { smtp: officeAccount(), bulk: { messagesPerMinute: 600, messagesPerDay: 1000 } },
      { action: 'set', value: 'správné-heslo' },
    );
    const documentIds = documentsWithAddress(app, 3);
    const { batchId } = await app.services.batches.start({
      documentIds,
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });

    await tamper(app, (prefs) => ({ ...prefs, smtp: { ...officeAccount(), port: attacker.port } }));
    await expect(
      app.services.batches.start({
        documentIds,
        target: { kind: 'partner' },
        folder: app.exportDir,
        testToMe: false,
        spreadOverDays: false,
      }),
    ).rejects.toMatchObject({
      code: 'prefs.officeChangeUnconfirmed',
      details: { groups: 'server' },
    });
    app.services.worker.start();
    await settle(app, batchId);

    expect(app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'prefs.officeChangeUnconfirmed' });
    expect((await app.services.worker.progress(batchId))?.waiting).toMatchObject({
      kind: 'stopped',
      error: { code: 'prefs.officeChangeUnconfirmed' },
    });
    expect(app.services.outbox.counts(batchId)).toMatchObject({ queued: 3, sent: 0 });
    expect(office.received).toHaveLength(0);
    expect(attacker.received).toHaveLength(0);

    const review = await app.services.prefs.officeReview();
    expect(review.changes).toEqual([{ group: 'server', items: ['port'] }]);
    await app.services.confirmOffice(review.digests);
    await settle(app, batchId);
    // Confirming the new server does not send the password saved for the old one there: it is typed again.
    expect(app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'smtp.passwordWithheld' });
    expect(attacker.authAttempts()).toBe(0);
    await app.services.prefs.providePassword('global', 'správné-heslo', { remember: true, acceptPlainText: false });
    await settle(app, batchId);

    expect(app.services.outbox.batch(batchId)?.status).toBe('done');
    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 3, queued: 0, failed: 0, uncertain: 0 });
    const ids = attacker.received.splice(0).map((message) => message.parsed.messageId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(office.received).toHaveLength(0);
  });

  it('stops a running, paced batch at its next message when the office file changes mid-way', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal(
      { smtp: officeAccount(), bulk: { messagesPerMinute: 30, messagesPerDay: 1000 } },
      { action: 'set', value: 'správné-heslo' },
    );
    const documentIds = documentsWithAddress(app, 3);
    const { batchId } = await app.services.batches.start({
      documentIds,
      target: { kind: 'partner' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });

    const first = await office.nextMessage();
    // The next message waits two seconds for its pace; the edit lands before it may start.
    await tamper(app, (prefs) => ({ ...prefs, smtp: { ...officeAccount(), senderName: 'Podvodník' } }));
    await settle(app, batchId);

    expect(app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'prefs.officeChangeUnconfirmed' });
    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 1, queued: 2 });
    expect(office.received).toHaveLength(0);

    await app.services.confirmOffice((await app.services.prefs.officeReview()).digests);
    await settle(app, batchId);

    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 3, queued: 0, uncertain: 0 });
    const rest = office.received.splice(0);
    expect(rest.map((message) => message.parsed.from?.text)).toEqual([
      '"Podvodník" <ucetni@kancelar.example>',
      '"Podvodník" <ucetni@kancelar.example>',
    ]);
    expect(new Set([first, ...rest].map((message) => message.parsed.messageId)).size).toBe(3);
  });

  it('refuses a sign-in while the office’s app registration was changed, and not after confirmation', async () => {
    const app = await createAppFixture();
    const apps = {
      microsoft: {
        clientId: 'kurier-kancelar',
        clientSecret: '',
        tenant: 'common',
        authorizeUrl: microsoftEndpoints.authorizeUrl,
        tokenUrl: microsoftEndpoints.tokenUrl,
      },
    };
    await app.services.prefs.updateGlobal(
      { smtp: { ...officeAccount(), auth: 'microsoft' }, oauthApps: oauthAppsSchema.parse(apps) },
      { action: 'keep' },
    );
    await tamper(app, (prefs) => ({
      ...prefs,
      oauthApps: oauthAppsSchema.parse({ microsoft: { ...apps.microsoft, tokenUrl: 'https://login.podvodnik.example/token' } }),
    }));

    await expect(app.services.oauth.begin('global', 'microsoft', '')).rejects.toMatchObject({
      code: 'prefs.officeChangeUnconfirmed',
      details: { groups: 'oauthApps' },
    });

    await app.services.confirmOffice((await app.services.prefs.officeReview()).digests);
    const { flowId, authorizeUrl } = await app.services.oauth.begin('global', 'microsoft', '');
    app.services.oauth.cancel(flowId);
    expect(authorizeUrl).toMatch(/^https:\/\/login\.microsoftonline\.com\/common\//);
  });

  it('has Outlook show the message instead of sending it at once while “send at once” is an unconfirmed change', async () => {
    const outlook = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE';
    const appPaths =
      'C:\\Windows\\System32\\reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE /ve';
    const scripts: string[] = [];
    const app = await createAppFixture({
      handoff: {
        platform: 'win32',
        env: { SystemRoot: 'C:\\Windows' },
        probe: fakeProgramProbe({ files: [outlook], answers: { [appPaths]: `    (Default)    REG_SZ    ${outlook}\r\n` } }),
        launch: (argv) => {
          scripts.push(argv.at(-1) ?? '');
          return Promise.resolve({ kind: 'exited', code: 0, stderr: '' });
        },
      },
    });
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    await tamper(app, (prefs) => ({
      ...prefs,
      sending: { route: 'outlook', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'send' },
    }));
    const [documentId = 0] = documentsWithAddress(app, 1);
    const viaOutlook = (): InputOf<'export:run'> => {
      const input = withCopy(app, documentId);
      return { ...input, copy: input.copy && { ...input.copy, route: 'outlook' } };
    };
    const modes = async () =>
      Promise.all(scripts.splice(0).map(async (file) => (JSON.parse(await readFile(file, 'utf8')) as { mode: string }).mode));

    expect((await app.services.sender.run(viaOutlook())).mail).toMatchObject({
      ok: true,
      handedOff: { route: 'outlook', sent: false },
    });
    expect(await modes()).toEqual(['display']);

    await app.services.confirmOffice((await app.services.prefs.officeReview()).digests);
    expect((await app.services.sender.run(viaOutlook())).mail).toMatchObject({
      ok: true,
      handedOff: { route: 'outlook', sent: true },
    });
    expect(await modes()).toEqual(['send']);
  });

  it('confirms only what the window showed: a group changed again after it was shown stays held', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    await tamper(app, (prefs) => ({ ...prefs, smtp: { ...officeAccount(), senderAddress: 'fakturace@podvodnik.example' } }));
    const shown = await app.services.prefs.officeReview();
    await tamper(app, (prefs) => ({ ...prefs, smtp: { ...officeAccount(), senderAddress: 'jiny@podvodnik.example' } }));

    const { confirmed, review } = await app.services.confirmOffice(shown.digests);

    expect(confirmed).not.toContain('sender');
    expect(review.changes).toEqual([{ group: 'sender', items: ['senderAddress'] }]);
    await expect(app.services.prefs.assertOfficeConfirmed()).rejects.toMatchObject({ code: 'prefs.officeChangeUnconfirmed' });
  });

  it('does not hold a user who sends with their own account and templates for an office server change', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { smtp: officeAccount() } },
      { action: 'set', value: 'správné-heslo' },
    );
    await tamper(app, (prefs) => ({ ...prefs, smtp: { ...officeAccount(), host: 'smtp.podvodnik.example' } }));

    const review = await app.services.prefs.officeReview();
    expect(review.changes).toEqual([{ group: 'server', items: ['host'] }]);
    expect(review.holding).toEqual([]);
    await expect(app.services.prefs.assertOfficeConfirmed()).resolves.toBeUndefined();
  });
});
