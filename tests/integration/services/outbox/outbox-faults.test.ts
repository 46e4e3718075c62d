/**
 * Bulk sending against a real SMTP server that injects the faults mail servers really produce: 421 at
 * connect, MAIL and DATA; a connection limit answering 432 4.3.2; a per-window limit answering 450; a
 * daily quota answering 550 5.4.5; 535 mid-batch; a 552 for one message; a connection dropped after the
 * data; a server that never answers the data. For each: nothing lost, nothing delivered twice except
 * rows flagged uncertain, and the right final state with its reason. Every test runs against both
 * stores: this desk's SQLite and the office PostgreSQL (issue 20).
 */
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers, type Faults } from '../../../support/faulty-smtp-server';
import {
  deliveries,
  documentsWithAddress,
  expectExactlyOnce,
  outboxApp,
  settle,
  startBatch,
  statusesOf,
  waitUntil,
} from '../../../support/outbox-fixture';
import { outboxStores } from '../../../support/outbox-stores';

const smtpServers = faultyServers();

const server = (faults: Faults) => smtpServers.start(faults);

const stores = outboxStores();

describe.skipIf(!keyringAvailable).each(stores)('a batch against a faulty server ($name)', (store) => {
  it('delivers every message exactly once on a healthy server, with progress to the end', async () => {
    const smtp = await server({});
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 8));
    await settle(app, batchId);

    expect((await app.services.outboxRepository.batch(batchId))?.status).toBe('done');
    const rows = await statusesOf(app, batchId);
    expect([...rows.values()].every((status) => status === 'sent')).toBe(true);
    expectExactlyOnce(rows, smtp);
    expect(smtp.received).toHaveLength(8);
    // One connection carried the whole batch: one login.
    expect(smtp.stats()).toMatchObject({ connections: 1, authAttempts: 1 });
    const last = app.batchEvents.filter((event) => event.batchId === batchId).at(-1);
    expect(last).toMatchObject({ status: 'done', counts: { sent: 8, total: 8 }, waiting: null });
  });

  it.each([
    { name: '421 at connect', faults: { rejectConnection: (n: number) => n === 1 } },
    { name: '421 at MAIL FROM', faults: { atMailFrom: (n: number) => (n === 3 ? '421 4.3.0 Temporary System Problem' : null) } },
    { name: '421 after DATA', faults: { atDataEnd: (n: number) => (n === 4 ? '421 4.4.5 Server busy, try again later' : null) } },
  ])('retries after $name and still delivers each message once', async ({ faults }) => {
    const smtp = await server(faults);
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 6));
    await settle(app, batchId);

    const rows = await statusesOf(app, batchId);
    expect([...rows.values()]).toEqual(Array(6).fill('sent'));
    expectExactlyOnce(rows, smtp);
    expect((await app.services.outboxRepository.batch(batchId))?.status).toBe('done');
  });

  it('slows down on 432 4.3.2 (too many connections) and finishes with fewer', async () => {
    const smtp = await server({ maxConnections: 2 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { connections: 3, postgres: await store.database() });
    const batchId = await startBatch(app, documentsWithAddress(app, 9));
    await settle(app, batchId);

    const rows = await statusesOf(app, batchId);
    expect([...rows.values()]).toEqual(Array(9).fill('sent'));
    expectExactlyOnce(rows, smtp);
  });

  it('paces itself under a per-window limit answering 450, losing and repeating nothing', async () => {
    const smtp = await server({ rateLimit: { messages: 3, windowMs: 600 } });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 10));
    await settle(app, batchId, 30_000);

    const rows = await statusesOf(app, batchId);
    expect([...rows.values()]).toEqual(Array(10).fill('sent'));
    expectExactlyOnce(rows, smtp);
    expect(smtp.stats().mailFromCount).toBeGreaterThan(10);
  });

  it('pauses the batch when the daily quota (550 5.4.5) is used up, says until when, and resumes after it', async () => {
    const smtp = await server({ dailyQuota: 4 });
    const { app, advance } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 7));
    await waitUntil(
      async () => (await app.services.outboxRepository.batch(batchId))?.status === 'paused',
      async () => await app.services.outboxRepository.counts(batchId),
    );

    const paused = await app.services.worker.progress(batchId);
    expect(paused?.counts).toMatchObject({ sent: 4, failed: 0 });
    expect((paused?.counts.queued ?? 0) + (paused?.counts.retry ?? 0)).toBe(3);
    expect(paused?.waiting).toMatchObject({ kind: 'quota' });
    const until = paused?.waiting && 'until' in paused.waiting ? paused.waiting.until : 0;
    // The rolling day counts from the first message sent.
    expect(until - Date.now()).toBeGreaterThan(23 * 60 * 60_000);

    smtp.setFaults({});
    advance(24 * 60 * 60_000 + 1_000);
    await waitUntil(
      async () => (await app.services.outboxRepository.batch(batchId))?.status === 'done',
      async () => await app.services.outboxRepository.counts(batchId),
    );
    const rows = await statusesOf(app, batchId);
    expect([...rows.values()]).toEqual(Array(7).fill('sent'));
    expectExactlyOnce(rows, smtp);
  });

  it('stops the batch at 535 mid-batch, marks the password rejected and never logs in again', async () => {
    const smtp = await server({ rejectLoginsFrom: 2, atDataEnd: (n) => (n === 3 ? '421 4.4.2 Connection dropped' : null) });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 6));
    await settle(app, batchId);

    const batch = await app.services.outboxRepository.batch(batchId);
    expect(batch).toMatchObject({ status: 'stopped', reasonCode: 'smtp.authRejected' });
    expect((await app.services.worker.progress(batchId))?.waiting).toMatchObject({
      kind: 'stopped',
      error: { code: 'smtp.authRejected' },
    });
    const counts = await app.services.outboxRepository.counts(batchId);
    expect(counts).toMatchObject({ sent: 2, failed: 0, uncertain: 0 });
    expect(counts.queued + counts.retry).toBe(4);
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(true);
    const logins = smtp.stats().authAttempts;
    expect(logins).toBe(2);

    // Resuming without a new password does not log in: the batch stops again at once.
    await app.services.worker.resume(batchId);
    await waitUntil(
      async () => (await app.services.outboxRepository.batch(batchId))?.status === 'stopped',
      async () => await app.services.outboxRepository.batch(batchId),
    );
    expect(smtp.stats().authAttempts).toBe(logins);
    expectExactlyOnce(await statusesOf(app, batchId), smtp);
  });

  it('fails only the message the server refuses for good (552) and sends the rest', async () => {
    const smtp = await server({
      atDataEnd: (n) => (n === 2 ? '552 5.3.4 Message size exceeds fixed maximum message size' : null),
    });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 5));
    await settle(app, batchId);

    const history = await app.services.batches.history({ status: 'failed', text: '', batchId, limit: 10 });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ lastCode: 'smtp.messageTooLarge', attempts: 1 });
    expect(history[0]?.lastResponse).toContain('552 5.3.4');
    expect(await app.services.outboxRepository.counts(batchId)).toMatchObject({ sent: 4, failed: 1 });
    expectExactlyOnce(await statusesOf(app, batchId), smtp);
  });

  it('leaves a message uncertain when the connection drops after its data, and never re-sends it by itself', async () => {
    const smtp = await server({ dropAfterData: (n) => n === 3 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 5));
    await settle(app, batchId);

    const rows = await statusesOf(app, batchId);
    expect([...rows.values()].sort()).toEqual(['sent', 'sent', 'sent', 'sent', 'uncertain']);
    const uncertain = [...rows].find(([, status]) => status === 'uncertain')?.[0] ?? '';
    // The server has it once (it dropped the connection after taking it); nothing else came twice.
    expect(deliveries(smtp).get(uncertain)).toBe(1);
    expectExactlyOnce(rows, smtp);
    expect(smtp.received).toHaveLength(5);
    expect((await app.services.outboxRepository.batch(batchId))?.status).toBe('done');
  });

  it('cuts a hung send with the watchdog: uncertain, and the batch goes on', async () => {
    const smtp = await server({ hangAfterData: (n) => n === 2 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { watchdogMs: 1_000, postgres: await store.database() });
    const batchId = await startBatch(app, documentsWithAddress(app, 4));
    await settle(app, batchId);

    expect(await app.services.outboxRepository.counts(batchId)).toMatchObject({ sent: 3, uncertain: 1 });
    const [row] = await app.services.batches.history({ status: 'uncertain', text: '', batchId, limit: 1 });
    expect(row?.lastCode).toBe('smtp.timeout');
    expectExactlyOnce(await statusesOf(app, batchId), smtp);
  });

  it('sends an uncertain message again only when the user says so, with the same Message-ID', async () => {
    const smtp = await server({ dropAfterData: (n) => n === 1 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 2));
    await settle(app, batchId);
    const [row] = await app.services.batches.history({ status: 'uncertain', text: '', batchId, limit: 1 });
    expect(row).toBeDefined();

    expect(await app.services.batches.retry([row?.id ?? 0])).toBe(1);
    await settle(app, batchId);
    expect(await app.services.outboxRepository.counts(batchId)).toMatchObject({ sent: 2, uncertain: 0 });
    expect(deliveries(smtp).get(row?.messageId ?? '')).toBe(2);
  });

  it("keeps the export dialog's single copy after a transient failure and delivers it later, once", async () => {
    const smtp = await server({ atMailFrom: (n) => (n === 1 ? '421 4.3.0 Temporary System Problem' : null) });
    // A lone 421 is retried after half the first backoff step: long enough here for the dialog to see it.
    const { app } = await outboxApp(smtp, smtpServers.certificate, { retryBaseMs: 2_000, postgres: await store.database() });
    const [documentId = 0] = documentsWithAddress(app, 1);
    const outcome = await app.services.sender.run({
      documentId,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' },
      smtpPassword: null,
    });

    expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'smtp.temporarilyRejected' }, pending: {} });
    const [row] = await app.services.batches.history({ status: 'all', text: '', batchId: null, limit: 1 });
    await waitUntil(
      async () => (await app.services.outboxRepository.message(row?.id ?? 0))?.status === 'sent',
      async () => await app.services.outboxRepository.message(row?.id ?? 0),
    );
    expect(deliveries(smtp).get(row?.messageId ?? '')).toBe(1);
  });

  it('keeps a cancelled batch cancelled when the message in flight then fails: nothing of it goes out later', async () => {
    const smtp = await server({ dataDelayMs: 400, atDataEnd: (n) => (n === 1 ? '421 4.3.0 Temporary System Problem' : null) });
    const { app } = await outboxApp(smtp, smtpServers.certificate, {
      postgres: await store.database(),
    });
    const batchId = await startBatch(app, documentsWithAddress(app, 3));
    await waitUntil(
      async () => (await app.services.outboxRepository.counts(batchId)).sending === 1,
      async () => await app.services.outboxRepository.counts(batchId),
    );
    await app.services.worker.cancel(batchId);
    await waitUntil(
      async () => (await app.services.outboxRepository.counts(batchId)).sending === 0,
      async () => await app.services.outboxRepository.counts(batchId),
    );

    expect((await app.services.outboxRepository.batch(batchId))?.status).toBe('cancelled');
    expect(await app.services.outboxRepository.counts(batchId)).toMatchObject({ cancelled: 3, retry: 0, queued: 0 });
    await app.services.worker.resume(batchId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await app.services.outboxRepository.batch(batchId))?.status).toBe('cancelled');
    expect(smtp.received).toHaveLength(0);
  });

  it("does not make the export dialog's copy wait behind a batch waiting to retry", async () => {
    const smtp = await server({ atMailFrom: (n) => (n === 1 ? '421 4.3.0 Temporary System Problem' : null) });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { retryBaseMs: 60_000, postgres: await store.database() });
    const [first = 0, second = 0] = documentsWithAddress(app, 2);
    const batchId = await startBatch(app, [first]);
    await waitUntil(
      async () => (await app.services.outboxRepository.counts(batchId)).retry === 1,
      async () => await app.services.outboxRepository.counts(batchId),
    );

    const outcome = await app.services.sender.run({
      documentId: second,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' },
      smtpPassword: null,
    });
    expect(outcome.mail).toMatchObject({ ok: true });
    expect(await app.services.outboxRepository.counts(batchId)).toMatchObject({ retry: 1 });
  });
});
