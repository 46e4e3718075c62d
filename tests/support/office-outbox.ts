/** The office outbox (PostgreSQL) for a test or a test's child process (no vitest here). */
import { openPostgres } from '../../electron/services/data/postgres-database';
import type { OutboxRepository } from '../../electron/services/outbox/outbox-repository';
import { PgOutboxRepository } from '../../electron/services/outbox/pg-outbox-repository';

/** The office outbox on `url` for `desk`. */
export async function officeOutbox(
  url: string,
  desk: string,
  options: { leaseMs?: number; documentNumber?: (documentId: number) => string } = {},
): Promise<OutboxRepository> {
  const pool = await openPostgres(url);
  return new PgOutboxRepository({ pool, desk, ...options });
}
