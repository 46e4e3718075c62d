/**
 * Event notifications by e-mail, received from a real SMTP server: the summary of a batch with failures
 * (right counts, the failed message named, the batch as CSV), one notice for a stopped batch that waits
 * in the outbox while SMTP is broken, the overdue digest once a day — not twice after a restart — and a
 * user switching an event off for themselves only.
 */
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers, type Faults, type FaultySmtpServer } from '../../../support/faulty-smtp-server';
import { documentsWithAddress, outboxApp, startBatch, waitUntil, type OutboxApp } from '../../../support/outbox-fixture';

const smtpServers = faultyServers();

const server = (faults: Faults = {}) => smtpServers.start(faults);

/** The office's personal e-mail receives notifications unless an event names someone else. */
async function withOfficeEmail(outbox: OutboxApp): Promise<void> {
  const { app } = outbox;
  await app.services.prefs.updateUser(
    {
      ...app.services.prefs.userPrefs(),
      overrides: { ...app.services.prefs.userPrefs().overrides, language: 'en', personalEmail: 'kancelar@kancelar.example' },
    },
    { action: 'keep' },
  );
}

const toOffice = (smtp: FaultySmtpServer, subject?: RegExp) =>
  smtp.received.filter(
    (message) =>
      message.envelopeTo.includes('kancelar@kancelar.example') && (subject === undefined || subject.test(message.subject)),
  );
const summaries = /^Kurier: sending #/;

describe.skipIf(!keyringAvailable)('notifications by e-mail', () => {
  it('sends one summary of a finished batch with the counts, the failure and the batch as CSV', async () => {
    const smtp = await server({
      atDataEnd: (n) => (n === 2 ? '552 5.3.4 Message size exceeds fixed maximum message size' : null),
    });
    const outbox = await outboxApp(smtp, smtpServers.certificate);
    await withOfficeEmail(outbox);
    const { app } = outbox;
    const batchId = await startBatch(app, documentsWithAddress(app, 4));
    await waitUntil(
      () => toOffice(smtp, summaries).length === 1,
      () => app.services.outbox.counts(batchId),
    );

    const [summary] = toOffice(smtp, summaries);
    expect(summary?.subject).toBe(`Kurier: sending #${String(batchId)} finished (3 of 4 sent)`);
    await app.services.notifier.sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toOffice(smtp, summaries)).toHaveLength(1);
    // What the office receives: the counts, the failure in plain words, and the batch as CSV.
    expect(summary?.text).toContain('3 sent, 1 failed, 0 uncertain, of 4');
    expect(summary?.text).toMatch(/failed — The message is too large for the server\./);
    const [csv] = summary?.attachments ?? [];
    expect(csv?.filename).toBe(`kurier-batch-${String(batchId)}.csv`);
    expect(csv?.content.toString('utf8').trimEnd().split('\r\n')).toHaveLength(5);
  });

  it('reports a stopped batch once; while SMTP is broken the notice waits in the outbox', async () => {
    const smtp = await server({ rejectLoginsFrom: 2, atDataEnd: (n) => (n === 1 ? '421 4.4.2 Connection dropped' : null) });
    const outbox = await outboxApp(smtp, smtpServers.certificate);
    await withOfficeEmail(outbox);
    const { app } = outbox;
    const batchId = await startBatch(app, documentsWithAddress(app, 3));
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'stopped',
      () => app.services.outbox.batch(batchId),
    );
    await app.services.notifier.sweep();
    await app.services.notifier.sweep();

    const notices = await app.services.batches.history({ status: 'all', text: 'needs you', batchId: null, limit: 10 });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ recipient: 'kancelar@kancelar.example', status: 'queued' });
    expect(app.services.outbox.message(notices[0]?.id ?? 0)?.body).toContain('The server rejected the user name or password.');
    expect(toOffice(smtp)).toHaveLength(0);
  });

  it('sends the overdue digest once a day, not again after a restart, and again when something new is due', async () => {
    const smtp = await server();
    const first = await outboxApp(smtp, smtpServers.certificate);
    await withOfficeEmail(first);
    await first.app.services.notifier.sweep();
    await waitUntil(
      () => toOffice(smtp).length === 1,
      () => smtp.received.length,
    );
    expect(toOffice(smtp)[0]?.subject).toMatch(/^Kurier: \d+ documents became overdue$/);

    await first.app.services.notifier.sweep();
    const restarted = await outboxApp(smtp, smtpServers.certificate, { dataDir: first.app.dataDir });
    await withOfficeEmail(restarted);
    await restarted.app.services.notifier.sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toOffice(smtp)).toHaveLength(1);

    // The next day on which a document falls due: a digest naming only what is new.
    const today = new Date().toISOString().slice(0, 10);
    const upcoming = restarted.app.services.documents
      .listDocuments()
      .filter((doc) => (doc.kind === 'invoice' || doc.kind === 'paymentReminder') && doc.dueDate >= today)
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];
    if (!upcoming) return;
    const days = Math.round((Date.parse(`${upcoming.dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000) + 1;
    restarted.advance(days * 86_400_000);
    await restarted.app.services.notifier.sweep();
    await waitUntil(
      () => toOffice(smtp).length === 2,
      () => ({
        received: smtp.received.length,
        notes: restarted.app.services.db.prepare('SELECT key, batch_id FROM notifications').all(),
        upcoming: upcoming.dueDate,
        days,
      }),
    );
    const rows = await restarted.app.services.batches.history({ status: 'all', text: 'overdue', batchId: null, limit: 10 });
    const newest = restarted.app.services.outbox.message(rows[0]?.id ?? 0)?.body ?? '';
    expect(newest).toContain(upcoming.number);
  });

  it('stops an event for the user who switched it off, while the office keeps it on', async () => {
    const smtp = await server();
    const outbox = await outboxApp(smtp, smtpServers.certificate);
    await withOfficeEmail(outbox);
    const { app } = outbox;
    await app.services.prefs.updateUser(
      {
        ...app.services.prefs.userPrefs(),
        overrides: {
          ...app.services.prefs.userPrefs().overrides,
          notifications: {
            batchFinished: { enabled: false, to: '' },
            batchStopped: { enabled: true, to: '' },
            overdueDigest: { enabled: false, to: '' },
            uncertainAged: { enabled: true, to: '' },
          },
        },
      },
      { action: 'keep' },
    );
    expect(app.services.prefs.globalPrefs().notifications).toBeUndefined();
    const batchId = await startBatch(app, documentsWithAddress(app, 2));
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'done',
      () => app.services.outbox.counts(batchId),
    );
    await app.services.notifier.sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toOffice(smtp)).toHaveLength(0);
  });

  it('tells once about messages still uncertain after a day', async () => {
    const smtp = await server({ dropAfterData: (n) => n === 1 });
    const outbox = await outboxApp(smtp, smtpServers.certificate);
    const { app } = outbox;
    const batchId = await startBatch(app, documentsWithAddress(app, 2));
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'done',
      () => app.services.outbox.counts(batchId),
    );
    await withOfficeEmail(outbox);
    await app.services.notifier.sweep();
    const uncertainNotice = /still uncertain$/;
    expect(toOffice(smtp, uncertainNotice)).toHaveLength(0);

    outbox.advance(25 * 60 * 60_000);
    await app.services.notifier.sweep();
    await waitUntil(
      () => toOffice(smtp, uncertainNotice).length === 1,
      () => smtp.received.map((message) => message.subject),
    );
    await app.services.notifier.sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toOffice(smtp, uncertainNotice).map((message) => message.subject)).toEqual(['Kurier: 1 message is still uncertain']);
  });
});
