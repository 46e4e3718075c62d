/**
 * While the office database cannot be reached, the desk tries again and again; the windows hear of it
 * once — not at every attempt — and again only when where it stands changes. A real PostgreSQL client
 * against a port where nothing listens.
 */
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { OfficeDatabase, type OfficeDatabaseState } from '../../../../electron/services/data/office-database';

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the office database state', () => {
  test('is told once while the server stays unreachable, however often the desk tries again', async () => {
    let attempts = 0;
    const database = new OfficeDatabase(
      { host: '127.0.0.1', port: await closedPort(), database: 'kurier', user: 'kurier', tls: 'off' },
      {
        password: () => Promise.resolve(null),
        guard: () => {
          attempts += 1;
          return Promise.resolve();
        },
        retryMs: 1,
      },
    );
    const told: OfficeDatabaseState[] = [];
    database.onState((state) => told.push(state));
    try {
      await expect.poll(() => attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
      await expect.poll(() => database.state()).toMatchObject({ kind: 'postgres', state: 'unreachable' });
      expect(
        told.map((state) =>
          state.kind === 'postgres' ? `${state.state} ${'error' in state ? state.error.code : ''}` : state.kind,
        ),
      ).toEqual(['unreachable database.unreachable']);
    } finally {
      await database.close();
    }
  });
});
