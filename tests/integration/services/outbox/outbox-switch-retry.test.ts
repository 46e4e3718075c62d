/**
 * A switch to the office database that fails part-way (the office database would not open) is made
 * again by the next apply with the same settings: the desk does not stay on its old store believing
 * the switch was made; a failed switch says why (the windows show it) and is made again by itself, a
 * bounded number of times. This desk's SQLite outbox and a private PostgreSQL, both real; only the
 * opening of the office database is made to fail.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { OfficeDatabase, type OfficeDatabaseState } from '../../../../electron/services/data/office-database';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { OutboxStore } from '../../../../electron/services/outbox/outbox-store';
import { OutboxSwitch } from '../../../../electron/services/outbox/outbox-switch';
import { PgOutboxRepository } from '../../../../electron/services/outbox/pg-outbox-repository';
import { SqliteOutboxRepository } from '../../../../electron/services/outbox/sqlite-outbox-repository';
import { outboxStores, postgresAvailable } from '../../../support/outbox-stores';
import { officeChoiceFor, standInWorker } from '../../../support/outbox-switch';
import { tempDir } from '../../../support/temp-dir';

const stores = outboxStores();
const office = stores.find((store) => store.name === 'PostgreSQL');

describe.skipIf(!postgresAvailable)('the outbox switch', () => {
  test('makes a switch that failed again when the same settings are applied again', async () => {
    const choice = await officeChoice();
    const db = openDatabase(path.join(await tempDir(), 'kurier.sqlite'));
    const sqlite = new SqliteOutboxRepository(new OutboxStore(db));
    let opened = 0;
    const worker = standInWorker();
    const outboxSwitch = new OutboxSwitch({
      sqlite,
      open: (settings) => {
        opened += 1;
        if (opened === 1) throw new Error('The office database could not be opened.');
        return new OfficeDatabase(settings, { password: () => Promise.resolve(null) });
      },
      postgres: (database) => new PgOutboxRepository({ pool: database.pool, desk: 'stul-1' }),
      worker,
      autoStart: true,
      changed: () => undefined,
      logger: createLogger('test', nullSink),
    });
    try {
      await outboxSwitch.apply({ kind: 'sqlite' });
      expect(outboxSwitch.repository.kind).toBe('sqlite');

      await expect(outboxSwitch.apply(choice)).rejects.toThrow('could not be opened');
      await outboxSwitch.apply(choice);
      expect(opened).toBe(2);
      expect(outboxSwitch.repository.kind).toBe('postgres');
      // The worker starts on the office database once it is migrated.
      await expect.poll(() => worker.running).toBe(true);
      expect(outboxSwitch.state()).toMatchObject({ kind: 'postgres', state: 'connected' });
    } finally {
      await outboxSwitch.close();
      db.close();
    }
  });

  test('says why sending stopped when a switch fails, and tries again by itself a few times', async () => {
    const choice = await officeChoice();
    const db = openDatabase(path.join(await tempDir(), 'kurier.sqlite'));
    let opened = 0;
    let failUntil = 2;
    const worker = standInWorker();
    const told: OfficeDatabaseState[] = [];
    /** The retries the switch asked for, run by the test when it says (no clock involved). */
    const scheduled: (() => Promise<void>)[] = [];
    const outboxSwitch = new OutboxSwitch({
      sqlite: new SqliteOutboxRepository(new OutboxStore(db)),
      open: (settings) => {
        opened += 1;
        if (opened <= failUntil) throw new Error('The office database could not be opened.');
        return new OfficeDatabase(settings, { password: () => Promise.resolve(null) });
      },
      postgres: (database) => new PgOutboxRepository({ pool: database.pool, desk: 'stul-1' }),
      worker,
      autoStart: true,
      changed: (state) => told.push(state),
      logger: createLogger('test', nullSink),
      schedule: (retry) => scheduled.push(retry),
    });
    const runScheduled = async () => {
      await scheduled.shift()?.();
    };
    try {
      await outboxSwitch.apply({ kind: 'sqlite' });
      await expect(outboxSwitch.apply(choice)).rejects.toThrow('could not be opened');
      // The windows hear why sending stopped, in words they translate.
      expect(outboxSwitch.state()).toMatchObject({ kind: 'postgres', state: 'unreachable', error: { code: 'database.failed' } });
      expect(told.at(-1)).toMatchObject({ kind: 'postgres', state: 'unreachable', error: { code: 'database.failed' } });
      expect(worker.running).toBe(false);

      // The retries the switch scheduled make it without anybody applying the settings again.
      expect(scheduled).toHaveLength(1);
      await runScheduled();
      expect(opened).toBe(2);
      expect(scheduled).toHaveLength(1);
      await runScheduled();
      expect(opened).toBe(3);
      expect(outboxSwitch.repository.kind).toBe('postgres');
      await expect.poll(() => worker.running).toBe(true);
      expect(outboxSwitch.state()).toMatchObject({ kind: 'postgres', state: 'connected' });
      expect(scheduled).toHaveLength(0);

      // A switch that keeps failing is tried again a bounded number of times, then left to the next apply.
      failUntil = Infinity;
      await expect(outboxSwitch.apply({ kind: 'sqlite' })).resolves.toBeUndefined();
      opened = 0;
      await expect(outboxSwitch.apply(choice)).rejects.toThrow('could not be opened');
      for (let round = 0; round < 20 && scheduled.length > 0; round += 1) await runScheduled();
      expect(scheduled).toHaveLength(0);
      expect(opened).toBeGreaterThan(1);
      expect(opened).toBeLessThan(10);
    } finally {
      await outboxSwitch.close();
      db.close();
    }
  });
});

async function officeChoice() {
  return officeChoiceFor((await office?.database()) ?? '');
}
