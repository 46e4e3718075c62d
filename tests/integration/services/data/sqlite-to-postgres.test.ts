/**
 * Moving a desk's SQLite outbox and history into the office PostgreSQL (issue 20): everything arrives
 * (batches, messages with their states and server answers, notifications), a second run adds nothing,
 * a run after more was sent adds only that, and the office outbox then shows the same history.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { openPostgres } from '../../../../electron/services/data/postgres-database';
import { moveSqliteOutboxToPostgres } from '../../../../electron/services/data/sqlite-to-postgres';
import { OutboxStore } from '../../../../electron/services/outbox/outbox-store';
import { PgOutboxRepository } from '../../../../electron/services/outbox/pg-outbox-repository';
import { plainMessages } from '../../../support/outbox-fixture';
import { postgresAvailable } from '../../../support/outbox-stores';
import { startPostgres, type PostgresServer } from '../../../support/postgres-server';
import { tempDir } from '../../../support/temp-dir';

let postgres: PostgresServer;
beforeAll(async () => {
  if (postgresAvailable) postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  if (postgresAvailable) await postgres.stop();
});

describe.skipIf(!postgresAvailable)('moving the SQLite outbox into the office PostgreSQL', () => {
  it('loses nothing, adds nothing twice, and can be run again after more was sent', async () => {
    const db = openDatabase(path.join(await tempDir(), 'kurier.sqlite'));
    const store = new OutboxStore(db, { user: 'anna.kralova', desk: 'ANNA-PC' });
    const now = 1_780_000_000_000;
    // A finished batch: two accepted, one refused for good, one uncertain that was then sent again.
    const done = store.createBatch({ kind: 'send', accountScope: 'global', now }, plainMessages(4, now));
    const rows = store.history({ status: 'all', text: '', batchId: done, limit: 10 }).sort((a, b) => a.id - b.id);
    const [first, second, third, fourth] = rows.map((row) => row.id);
    for (let claimed = 0; claimed < 4; claimed++) store.claimNext(done, now);
    store.markSent(first ?? 0, now + 1, '250 2.0.0 OK queued as A1');
    store.markSent(second ?? 0, now + 2, '250 2.0.0 OK queued as A2');
    store.markAttempt(third ?? 0, {
      status: 'failed',
      code: 'smtp.messageTooLarge',
      response: '552 5.3.4 Too big',
      details: {},
      now,
    });
    store.markAttempt(fourth ?? 0, { status: 'uncertain', code: 'smtp.connectionLost', response: '', details: {}, now });
    store.requeue([fourth ?? 0], now + 3);
    store.transition(done, ['running'], 'done');
    // A batch still waiting, one of its messages left `sending` by a crash after its data went out.
    const waiting = store.createBatch(
      { kind: 'send', accountScope: 'user', now },
      plainMessages(3, now).map((m, i) => ({ ...m, messageId: `<w${String(i)}@kancelar.example>` })),
    );
    const crashed = store.claimNext(waiting, now);
    store.markDataSent(crashed?.id ?? 0, now);
    expect(
      store.createNotificationOnce('batchFinished:1', 'batchFinished', 'global', now, plainMessages(1, now)[0]!),
    ).not.toBeNull();

    const pool = await openPostgres(await postgres.createDatabase());
    try {
      const first1 = await moveSqliteOutboxToPostgres(db, pool, { desk: 'desk-anna' });
      expect(first1).toEqual({ batches: 3, messages: 8, notifications: 1, alreadyMoved: 0 });
      // Again: nothing new.
      expect(await moveSqliteOutboxToPostgres(db, pool, { desk: 'desk-anna' })).toEqual({
        batches: 0,
        messages: 0,
        notifications: 0,
        alreadyMoved: 8,
      });
      // More sent from SQLite meanwhile: only that arrives.
      store.createBatch(
        { kind: 'copy', accountScope: 'user', now: now + 10 },
        plainMessages(1, now + 10).map((m) => ({ ...m, messageId: '<late@kancelar.example>' })),
      );
      expect(await moveSqliteOutboxToPostgres(db, pool, { desk: 'desk-anna' })).toMatchObject({
        batches: 1,
        messages: 1,
        alreadyMoved: 8,
      });

      // The office history is the desk's history.
      const office = new PgOutboxRepository({ pool, desk: 'desk-anna' });
      const moved = await office.history({ status: 'all', text: '', batchId: null, limit: 100 });
      const local = store.history({ status: 'all', text: '', batchId: null, limit: 100 });
      const view = (row: (typeof local)[number]) => [
        row.messageId,
        row.status,
        row.attempts,
        row.lastResponse,
        row.sentAt,
        row.mayHaveArrivedTwice,
        row.queuedByUser,
        row.queuedByDesk,
        row.deliveredByDesk,
      ];
      const expected = local
        .map(view)
        .map((entry) => (entry[0] === crashed?.messageId ? [entry[0], 'uncertain', ...entry.slice(2)] : entry));
      expect(moved.map(view).sort()).toEqual(expected.sort());
      expect(await office.notified('batchFinished:1')).toBe(true);
      // Who sent it came along, and the history filters by that user in the office database too.
      expect(local.find((row) => row.status === 'sent')).toMatchObject({
        queuedByUser: 'anna.kralova',
        queuedByDesk: 'ANNA-PC',
        deliveredByDesk: 'ANNA-PC',
      });
      expect(await office.queuedByUsers()).toEqual(['anna.kralova']);
      expect(await office.history({ status: 'all', text: '', batchId: null, limit: 100, user: 'someone.else' })).toEqual([]);
      // The waiting messages are this desk's to send (it has the password): queued in a running batch.
      const movedWaiting = moved.filter((row) => row.messageId.startsWith('<w'));
      expect(movedWaiting.map((row) => row.status).sort()).toEqual(['queued', 'queued', 'uncertain']);
      const other = new PgOutboxRepository({ pool, desk: 'desk-petr' });
      await other.useMailbox('user', { key: 'petr@127.0.0.1:25', perWindow: 30, windowMs: 60_000, connections: 1 });
      expect(await other.claimNextForScope('user', now + 20)).toBeUndefined();
      await office.useMailbox('user', { key: 'anna@127.0.0.1:25', perWindow: 30, windowMs: 60_000, connections: 1 });
      expect((await office.claimNextForScope('user', now + 20))?.messageId).toMatch(/^<(w|late)/);
    } finally {
      await pool.end();
      db.close();
    }
  });
});
