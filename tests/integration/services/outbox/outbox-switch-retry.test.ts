/**
 * A switch to the office database that fails part-way (the office database would not open) is made
 * again by the next apply with the same settings: the desk does not stay on its old store believing
 * the switch was made. This desk's SQLite outbox and a private PostgreSQL, both real; only the first
 * opening of the office database is made to fail.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { OfficeDatabase } from '../../../../electron/services/data/office-database';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { OutboxStore } from '../../../../electron/services/outbox/outbox-store';
import { OutboxSwitch } from '../../../../electron/services/outbox/outbox-switch';
import { PgOutboxRepository } from '../../../../electron/services/outbox/pg-outbox-repository';
import { SqliteOutboxRepository } from '../../../../electron/services/outbox/sqlite-outbox-repository';
import { outboxStores, postgresAvailable } from '../../../support/outbox-stores';
import { tempDir } from '../../../support/temp-dir';

const stores = outboxStores();
const office = stores.find((store) => store.name === 'PostgreSQL');

describe.skipIf(!postgresAvailable)('the outbox switch', () => {
  test('makes a switch that failed again when the same settings are applied again', async () => {
    const url = new URL((await office?.database()) ?? '');
    const choice = {
      kind: 'postgres',
      host: url.hostname,
      port: Number(url.port),
      database: url.pathname.slice(1),
      user: decodeURIComponent(url.username),
      tls: 'off',
      trustedCertificate: '',
    } as const;
    const db = openDatabase(path.join(await tempDir(), 'kurier.sqlite'));
    const sqlite = new SqliteOutboxRepository(new OutboxStore(db));
    let opened = 0;
    let running = false;
    const outboxSwitch = new OutboxSwitch({
      sqlite,
      open: (settings) => {
        opened += 1;
        if (opened === 1) throw new Error('The office database could not be opened.');
        return new OfficeDatabase(settings, { password: () => Promise.resolve(null) });
      },
      postgres: (database) => new PgOutboxRepository({ pool: database.pool, desk: 'stul-1' }),
      worker: {
        start: () => {
          running = true;
        },
        stop: () => {
          running = false;
          return Promise.resolve();
        },
        get running() {
          return running;
        },
      },
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
      await expect.poll(() => running).toBe(true);
      expect(outboxSwitch.state()).toMatchObject({ kind: 'postgres', state: 'connected' });
    } finally {
      await outboxSwitch.close();
      db.close();
    }
  });
});
