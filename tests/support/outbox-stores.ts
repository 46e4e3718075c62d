/**
 * The outbox's tests run against both stores: this desk's SQLite file and an office PostgreSQL (a
 * private server, started on first use and stopped when the test file ends; a fresh database per test).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from './postgres-server';

/** One store the tests run against. */
export interface StoreUnderTest {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** A fresh office database (its connection string), or null for SQLite. */
  readonly database: () => Promise<string | null>;
}

/** Whether the PostgreSQL server binaries are installed (`.ci/run` installs Debian's postgresql). */
export const postgresAvailable = existsSync(`${process.env.KURIER_PG_BIN ?? '/usr/lib/postgresql/15/bin'}/initdb`);

/** SQLite, and PostgreSQL where its binaries are installed. Call at the top level of a test file. */
export function outboxStores(): StoreUnderTest[] {
  let server: Promise<PostgresServer> | null = null;
  // initdb takes seconds on a busy machine: not inside the first test's time.
  beforeAll(async () => {
    if (postgresAvailable) await (server ??= startPostgres());
  }, 120_000);
  afterAll(async () => {
    if (server) await (await server).stop();
  });
  return [
    { name: 'SQLite', database: () => Promise.resolve(null) },
    ...(postgresAvailable
      ? [
          {
            name: 'PostgreSQL' as const,
            database: async () => {
              server ??= startPostgres();
              return (await server).createDatabase();
            },
          },
        ]
      : []),
  ];
}
