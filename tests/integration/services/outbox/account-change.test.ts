/**
 * A saved account change reaches messages queued before it: they are delivered to the account now in
 * force (read when delivering), the old server's slow-down is forgotten, and nothing is sent twice. The
 * export dialog's wait for its copy ends when the user cancels, and the copy is then not sent.
 */
import { describe, expect, it } from 'vitest';
import type { AppFixture } from '../../../support/app-fixture';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { documentsWithAddress, startBatch, statuses, waitUntil } from '../../../support/outbox-fixture';
import { testSmtpAccount } from '../../../support/smtp-test-server';

const smtpServers = faultyServers();
const slowDown = '421 4.7.0 Too many messages, slow down';

async function appOn(port: number): Promise<{ app: AppFixture; moveTo: (port: number) => Promise<unknown> }> {
  const app = await createAppFixture({
    smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 },
    // A cooldown far longer than the test: only the account change can end it.
    outbox: {
      connections: 1,
      retry: { baseMs: 40, maxMs: 400, maxAttempts: 8 },
      pacer: { cooldownMs: 600_000, maxCooldownMs: 600_000 },
      watchdogMs: 10_000,
    },
  });
  const prefs = (to: number) => ({
    exportFolder: '',
    globalPrefsFolder: '',
    overrides: {
      smtp: testSmtpAccount({ port: to, trustedCertificate: smtpServers.certificate.cert }),
      bulk: { messagesPerMinute: 600, messagesPerDay: 100_000 },
    },
  });
  await app.services.prefs.updateUser(prefs(port), { action: 'set', value: 'správné-heslo' });
  // The corrected server gets the password typed again: a saved one stays with the server it was saved for.
  return { app, moveTo: (to) => app.services.prefs.updateUser(prefs(to), { action: 'set', value: 'správné-heslo' }) };
}

describe.skipIf(!keyringAvailable)('an account change and the outbox', () => {
  it('delivers a batch queued on a server that asked to slow down to the corrected account, each message once', async () => {
    const old = await smtpServers.start({ atMailFrom: () => slowDown });
    const fixed = await smtpServers.start();
    const { app, moveTo } = await appOn(old.port);
    const batchId = await startBatch(app, documentsWithAddress(app, 3));
    await waitUntil(
      async () => (await app.services.worker.progress(batchId))?.waiting?.kind === 'serverLimit',
      () => app.services.worker.progress(batchId),
    );

    await moveTo(fixed.port);
    await waitUntil(
      () => app.services.outbox.counts(batchId).sent === 3,
      () => statuses(app, batchId),
      15_000,
    );
    const rows = await app.services.batches.history({ status: 'all', text: '', batchId, limit: 10 });
    expect(fixed.received.map((message) => message.messageId).sort()).toEqual(rows.map((row) => row.messageId).sort());
    expect(old.received).toEqual([]);
    expect((await app.services.worker.progress(batchId))?.waiting ?? null).toBeNull();
  });

  it('cancels the dialog’s copy still waiting when the user cancels: it is never sent', async () => {
    const smtp = await smtpServers.start({ atMailFrom: (n) => (n === 1 ? slowDown : null) });
    const { app } = await appOn(smtp.port);
    const [first = 0, second = 0] = documentsWithAddress(app, 2);
    const copy = { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' } as const;
    const input = (documentId: number) =>
      ({ documentId, format: 'pdf', folder: app.exportDir, copy, smtpPassword: null }) as const;
    expect((await app.services.sender.run(input(first))).mail).toMatchObject({ ok: false, pending: {} });

    const waiting = app.services.sender.run(input(second));
    await waitUntil(
      () => app.services.sender.cancelCopy(second),
      () => 'no copy awaited',
    );
    expect((await waiting).mail).toMatchObject({ ok: false, error: { code: 'outbox.cancelled' } });

    // The cooldown ends (the account was saved again): the first copy goes, the cancelled one never does.
    await app.services.worker.accountChanged('user');
    await waitUntil(
      () => smtp.received.length === 1,
      () => app.services.batches.history({ status: 'all', text: '', batchId: null, limit: 10 }),
      15_000,
    );
    const rows = await app.services.batches.history({ status: 'all', text: '', batchId: null, limit: 10 });
    expect(rows.map((row) => row.status).sort()).toEqual(['cancelled', 'sent']);
    expect(smtp.received.map((message) => message.messageId)).toEqual(
      rows.filter((row) => row.status === 'sent').map((row) => row.messageId),
    );
  });
});
