/**
 * One office, one database (issue 20, item 3): a batch started at one desk shows its progress at another,
 * and pausing, resuming or cancelling it from the other desk works. Two Kuriers (each with its own file
 * and its own connection pool) on one private PostgreSQL; the batch's mailbox is a real SMTP server that
 * takes its time, and the other desk sends through a mailbox of its own, so it only watches this batch.
 */
import { describe, expect, test } from 'vitest';
import type { BatchProgress } from '../../../../shared/outbox';
import { keyringAvailable } from '../../../support/app-fixture';
import { faultyServers } from '../../../support/faulty-smtp-server';
import { deliveries, documentsWithAddress, outboxApp, settle, waitUntil } from '../../../support/outbox-fixture';
import { outboxStores, postgresAvailable } from '../../../support/outbox-stores';

const smtpServers = faultyServers();
const office = outboxStores().find((store) => store.name === 'PostgreSQL');
const recepce = { user: 'jana.novakova', desk: 'RECEPCE-PC' };
const mzdy = { user: 'petr.svoboda', desk: 'MZDY-NB' };

/** Both desks on one fresh office database; the SMTP server needs `dataDelayMs` per message. */
async function twoDesks(dataDelayMs: number) {
  const smtp = await smtpServers.start({ dataDelayMs });
  const postgres = (await office?.database()) ?? null;
  const starting = await outboxApp(smtp, smtpServers.certificate, { identity: recepce, postgres });
  // The other desk sends through a mailbox of its own: it never delivers this batch, so all it knows
  // of it comes from the office database.
  const ownMailbox = await smtpServers.start();
  const watching = await outboxApp(ownMailbox, smtpServers.certificate, { identity: mzdy, postgres });
  // What the second desk's windows are told.
  const seen: BatchProgress[] = [];
  watching.app.services.worker.onProgressed((progress) => seen.push(progress));
  // What the starting desk's windows are told.
  const told: BatchProgress[] = [];
  starting.app.services.worker.onProgressed((progress) => told.push(progress));
  return { smtp, ownMailbox, starting: starting.app, watching: watching.app, seen, told };
}

const request = (documentIds: readonly number[], folder: string) => ({
  documentIds,
  target: { kind: 'partner' as const },
  folder,
  testToMe: false,
  spreadOverDays: false,
});

describe.skipIf(!keyringAvailable || !postgresAvailable)('batches across desks (PostgreSQL)', () => {
  test('a batch started at one desk shows its progress at another, to the end', { timeout: 90_000 }, async () => {
    const { smtp, ownMailbox, starting, watching, seen } = await twoDesks(400);
    // 8 messages of 0.4 s or more: the batch runs through several of the other desk's looks (each second).
    const ids = documentsWithAddress(starting, 8);
    const { batchId } = await starting.services.batches.start(request(ids, starting.exportDir));

    // The other desk's windows hear of it while it runs, and its list shows it, as the same batch.
    await waitUntil(
      () => seen.some((progress) => progress.batchId === batchId && progress.counts.sent > 0 && progress.status === 'running'),
      () => seen.at(-1),
    );
    const listed = await watching.services.batches.recentProgress();
    expect(listed.map((progress) => [progress.batchId, progress.counts.total])).toContainEqual([batchId, 8]);

    await settle(starting, batchId);
    await waitUntil(
      () => seen.some((progress) => progress.batchId === batchId && progress.status === 'done'),
      () => seen.filter((progress) => progress.batchId === batchId).at(-1),
    );
    const last = seen.filter((progress) => progress.batchId === batchId).at(-1);
    expect(last?.counts).toMatchObject({ total: 8, sent: 8, queued: 0, sending: 0 });
    // The counts the other desk saw only ever grew.
    const sent = seen.filter((progress) => progress.batchId === batchId).map((progress) => progress.counts.sent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect([...deliveries(smtp).values()]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(ownMailbox.received).toHaveLength(0);
  });

  test('the other desk pauses it, resumes it, and cancels what is left', { timeout: 90_000 }, async () => {
    const { smtp, ownMailbox, starting, watching, told } = await twoDesks(250);
    const ids = documentsWithAddress(starting, 10);
    const { batchId } = await starting.services.batches.start(request(ids, starting.exportDir));
    await waitUntil(
      () => smtp.received.length >= 1,
      () => smtp.received.length,
    );

    await watching.services.worker.pause(batchId);
    // The desk that started it shows it paused by the user (as its own windows are told).
    await waitUntil(
      async () => (await starting.services.worker.progress(batchId))?.waiting?.kind === 'pausedByUser',
      () => starting.services.worker.progress(batchId),
    );
    await settle(starting, batchId);
    const atPause = smtp.received.length;
    // Paused: nothing more goes out from either desk (a message in flight at the pause has finished).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.received.length).toBe(atPause);
    expect(atPause).toBeLessThan(10);
    const paused = await starting.services.outboxRepository.counts(batchId);
    expect(paused.sent).toBe(atPause);
    expect(paused.queued).toBe(10 - atPause);

    await watching.services.worker.resume(batchId);
    await waitUntil(
      () => smtp.received.length > atPause,
      () => smtp.received.length,
    );
    await watching.services.worker.cancel(batchId);
    await waitUntil(
      async () => (await starting.services.outboxRepository.counts(batchId)).sending === 0,
      () => starting.services.outboxRepository.counts(batchId),
    );
    const counts = await starting.services.outboxRepository.counts(batchId);
    expect((await starting.services.outboxRepository.batch(batchId))?.status).toBe('cancelled');
    expect(counts.cancelled).toBeGreaterThan(0);
    expect(counts.sent + counts.cancelled).toBe(10);
    // Cancelled: what was not sent never goes out, from either desk.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.received.length).toBe(counts.sent);
    expect([...deliveries(smtp).values()].every((count) => count === 1)).toBe(true);
    expect(ownMailbox.received).toHaveLength(0);
    // The starting desk's windows were told of the pause and the cancel made at the other desk.
    await waitUntil(
      () => told.some((progress) => progress.batchId === batchId && progress.status === 'cancelled'),
      () => told.filter((progress) => progress.batchId === batchId).at(-1),
    );
    expect(told.some((progress) => progress.batchId === batchId && progress.status === 'paused')).toBe(true);
  });
});
