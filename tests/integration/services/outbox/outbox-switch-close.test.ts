/**
 * Shutting down while a switch to the office database is still getting ready: once the switch is
 * frozen (the app's close does that before stopping the worker), the office database answering at last
 * does not start the worker again on a store about to close — it would claim office messages that turn
 * "uncertain" at the next start. A real private PostgreSQL; its migration is held back by the test
 * holding the migration's advisory lock, so the office database gets ready exactly when the test says.
 */
import path from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { OfficeDatabase } from '../../../../electron/services/data/office-database';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { OutboxStore } from '../../../../electron/services/outbox/outbox-store';
import { OutboxSwitch } from '../../../../electron/services/outbox/outbox-switch';
import { PgOutboxRepository } from '../../../../electron/services/outbox/pg-outbox-repository';
import { SqliteOutboxRepository } from '../../../../electron/services/outbox/sqlite-outbox-repository';
import { outboxStores, postgresAvailable } from '../../../support/outbox-stores';
import { officeChoiceFor, standInWorker } from '../../../support/outbox-switch';
import { tempDir } from '../../../support/temp-dir';

const office = outboxStores().find((store) => store.name === 'PostgreSQL');
/** The advisory lock a desk migrates under (electron/services/data/postgres-database.ts). */
const migrationLock = 2020_0020;

describe.skipIf(!postgresAvailable)('the outbox switch at shutdown', () => {
  test('never starts the worker once frozen, even when the office database gets ready after', async () => {
    const connectionString = (await office?.database()) ?? '';
    const choice = officeChoiceFor(connectionString);
    const holder = new pg.Client({ connectionString });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    const db = openDatabase(path.join(await tempDir(), 'kurier.sqlite'));
    const worker = standInWorker();
    const outboxSwitch = new OutboxSwitch({
      sqlite: new SqliteOutboxRepository(new OutboxStore(db)),
      open: (settings) => new OfficeDatabase(settings, { password: () => Promise.resolve(null) }),
      postgres: (database) => new PgOutboxRepository({ pool: database.pool, desk: 'stul-1' }),
      worker,
      autoStart: true,
      changed: () => undefined,
      logger: createLogger('test', nullSink),
    });
    try {
      await outboxSwitch.apply({ kind: 'sqlite' });
      expect(worker.starts).toBe(1);
      // The switch is made; the office database waits for the migration lock.
      await outboxSwitch.apply(choice);
      expect(worker.running).toBe(false);

      // Closing: frozen first, then the worker stopped — and now the office database gets ready.
      outboxSwitch.freeze();
      await worker.stop();
      await holder.query('COMMIT');
      await expect.poll(() => outboxSwitch.state()).toMatchObject({ kind: 'postgres', state: 'connected' });
      // A later apply (the office file changed meanwhile) does not start it either.
      await outboxSwitch.apply({ kind: 'sqlite' });
      expect(worker.running).toBe(false);
      expect(worker.starts).toBe(1);
    } finally {
      await holder.end().catch(() => undefined);
      await outboxSwitch.close();
      db.close();
    }
  });
});
