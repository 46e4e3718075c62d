/**
 * The faults of outbox-faults.test.ts once more, with the outbox unpaced (no per-minute ceiling, as the
 * throughput benchmark runs it). Then every next message is claimed while the current one's data goes
 * out, and its envelope follows the current final dot on the same connection (RFC 2920): a failure of
 * the current message must leave the next one to go out afresh, a pause or cancel must give it back,
 * and still nothing is lost or delivered twice.
 */
import { describe, expect, it } from 'vitest';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers, type Faults } from '../../../support/faulty-smtp-server';
import {
  documentsWithAddress,
  expectExactlyOnce,
  outboxApp,
  settle,
  startBatch,
  statuses,
  waitUntil,
} from '../../../support/outbox-fixture';

const smtpServers = faultyServers();

const server = (faults: Faults) => smtpServers.start(faults);

describe.skipIf(!keyringAvailable)('an unpaced batch (next envelope pipelined) against a faulty server', () => {
  it('delivers every message exactly once over one connection and one login, each in one attempt', async () => {
    const smtp = await server({});
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 10));
    await settle(app, batchId);

    const rows = statuses(app, batchId);
    expect([...rows.values()]).toEqual(Array(10).fill('sent'));
    expectExactlyOnce(rows, smtp);
    expect(smtp.stats()).toMatchObject({ connections: 1, authAttempts: 1, mailFromCount: 10 });
    const history = await app.services.batches.history({ status: 'all', text: '', batchId, limit: 100 });
    expect(history.map((row) => row.attempts)).toEqual(Array(10).fill(1));
    expect(app.services.outbox.batch(batchId)?.status).toBe('done');
  });

  it.each([
    { name: '421 at MAIL FROM', faults: { atMailFrom: (n: number) => (n === 3 ? '421 4.3.0 Temporary System Problem' : null) } },
    { name: '421 after DATA', faults: { atDataEnd: (n: number) => (n === 4 ? '421 4.4.5 Server busy, try again later' : null) } },
  ])('retries after $name and still delivers each message once', async ({ faults }) => {
    const smtp = await server(faults);
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true, connections: 2 });
    const batchId = await startBatch(app, documentsWithAddress(app, 8));
    await settle(app, batchId);

    const rows = statuses(app, batchId);
    expect([...rows.values()]).toEqual(Array(8).fill('sent'));
    expectExactlyOnce(rows, smtp);
    expect(app.services.outbox.batch(batchId)?.status).toBe('done');
  });

  it('fails only the message refused for good (552); the one announced after it goes out afresh, in one attempt', async () => {
    const smtp = await server({
      atDataEnd: (n) => (n === 2 ? '552 5.3.4 Message size exceeds fixed maximum message size' : null),
    });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 5));
    await settle(app, batchId);

    const history = await app.services.batches.history({ status: 'all', text: '', batchId, limit: 10 });
    expect(history.filter((row) => row.status === 'failed')).toMatchObject([{ lastCode: 'smtp.messageTooLarge', attempts: 1 }]);
    expect(history.map((row) => row.attempts)).toEqual(Array(5).fill(1));
    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 4, failed: 1, sending: 0 });
    expectExactlyOnce(statuses(app, batchId), smtp);
  });

  it('leaves only the dropped message uncertain (connection lost after its data), the rest sent once', async () => {
    const smtp = await server({ dropAfterData: (n) => n === 3 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 6));
    await settle(app, batchId);

    const rows = statuses(app, batchId);
    expect([...rows.values()].sort()).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'uncertain']);
    expectExactlyOnce(rows, smtp);
    expect(smtp.received).toHaveLength(6);
  });

  it('cuts a hung send with the watchdog: that one uncertain, the one announced after it sent on a new connection', async () => {
    const smtp = await server({ hangAfterData: (n) => n === 2 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true, watchdogMs: 1_000 });
    const batchId = await startBatch(app, documentsWithAddress(app, 4));
    await settle(app, batchId);

    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 3, uncertain: 1, sending: 0 });
    expectExactlyOnce(statuses(app, batchId), smtp);
  });

  it('pauses at the daily quota (550 5.4.5) with nothing left claimed, and finishes after it', async () => {
    const smtp = await server({ dailyQuota: 4 });
    const { app, advance } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 7));
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'paused' && app.services.outbox.counts(batchId).sending === 0,
      () => app.services.outbox.counts(batchId),
    );
    const counts = app.services.outbox.counts(batchId);
    expect(counts).toMatchObject({ sent: 4, failed: 0, sending: 0 });
    expect(counts.queued + counts.retry).toBe(3);

    smtp.setFaults({});
    advance(24 * 60 * 60_000 + 1_000);
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'done',
      () => app.services.outbox.counts(batchId),
    );
    const rows = statuses(app, batchId);
    expect([...rows.values()]).toEqual(Array(7).fill('sent'));
    expectExactlyOnce(rows, smtp);
  });

  it('pauses at a quota refused at MAIL FROM even when the server hangs up before answering what was pipelined behind it', async () => {
    const smtp = await server({ dailyQuota: 3, hangUpAfterMailRefusal: true });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true, connections: 1 });
    const batchId = await startBatch(app, documentsWithAddress(app, 6));
    await waitUntil(
      () => app.services.outbox.batch(batchId)?.status === 'paused' && app.services.outbox.counts(batchId).sending === 0,
      () => ({ batch: app.services.outbox.batch(batchId), counts: app.services.outbox.counts(batchId) }),
    );
    // The refusal is the reason (a quota: wait for it), not the closed connection (retry at once, log in again).
    expect(app.services.outbox.batch(batchId)).toMatchObject({ reasonCode: 'outbox.quota' });
    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 3, failed: 0, uncertain: 0, sending: 0 });
    expect(smtp.stats().authAttempts).toBe(1);
    expectExactlyOnce(statuses(app, batchId), smtp);
  });

  it('stops at 535 mid-batch with the announced message queued again, and never logs in again', async () => {
    const smtp = await server({ rejectLoginsFrom: 2, atDataEnd: (n) => (n === 3 ? '421 4.4.2 Connection dropped' : null) });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 6));
    await settle(app, batchId);

    expect(app.services.outbox.batch(batchId)).toMatchObject({ status: 'stopped', reasonCode: 'smtp.authRejected' });
    const counts = app.services.outbox.counts(batchId);
    expect(counts).toMatchObject({ sent: 2, failed: 0, uncertain: 0, sending: 0 });
    expect(counts.queued + counts.retry).toBe(4);
    expect(smtp.stats().authAttempts).toBe(2);
    expectExactlyOnce(statuses(app, batchId), smtp);
  });

  it('gives the announced message back when the batch is cancelled meanwhile: nothing of it goes out', async () => {
    const smtp = await server({ dataDelayMs: 400 });
    const { app } = await outboxApp(smtp, smtpServers.certificate, { unpaced: true });
    const batchId = await startBatch(app, documentsWithAddress(app, 4));
    // The first message's data is out (the server holds its answer), the second one claimed and announced.
    await waitUntil(
      () => app.services.outbox.counts(batchId).sending === 2,
      () => app.services.outbox.counts(batchId),
    );
    await app.services.worker.cancel(batchId);
    await waitUntil(
      () => app.services.outbox.counts(batchId).sending === 0,
      () => app.services.outbox.counts(batchId),
    );

    expect(app.services.outbox.batch(batchId)?.status).toBe('cancelled');
    // The one in flight was delivered; the announced one and the rest are cancelled, none sent.
    expect(app.services.outbox.counts(batchId)).toMatchObject({ sent: 1, cancelled: 3 });
    expect(smtp.received).toHaveLength(1);
    expectExactlyOnce(statuses(app, batchId), smtp);
  });
});
