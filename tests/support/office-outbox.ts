/** The office outbox (PostgreSQL) for a test or a test's child process (no vitest here). */
import { openPostgres } from '../../electron/services/data/postgres-database';
import type { OutboxRepository } from '../../electron/services/outbox/outbox-repository';
import { PgOutboxRepository, type PgOutboxOptions } from '../../electron/services/outbox/pg-outbox-repository';

/** The office outbox on `url` for `desk`. */
export async function officeOutbox(
  url: string,
  desk: string,
  options: Omit<PgOutboxOptions, 'pool' | 'desk'> = {},
): Promise<OutboxRepository> {
  const pool = await openPostgres(url);
  return new PgOutboxRepository({ pool, desk, ...options });
}
