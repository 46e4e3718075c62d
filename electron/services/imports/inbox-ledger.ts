/**
 * Which files a company's watched folder has imported, by SHA-256 (table `inbox_files`, migration 11).
 * {@link InboxLedger.record} runs inside the import's own transaction, so the ledger says "imported"
 * exactly when the documents exist.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** The ledger of one database. */
export class InboxLedger {
  readonly #has: StatementSync;
  readonly #insert: StatementSync;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#has = db.prepare('SELECT 1 FROM inbox_files WHERE company_id = ? AND sha256 = ?');
    const insert = db.prepare(
      'INSERT OR IGNORE INTO inbox_files (company_id, sha256, file_name, document_ids, imported_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#insert = insert;
    this.now = now;
  }

  readonly now: () => number;

  /** Whether the company's folder imported a file with this hash before. */
  wasImported(companyId: number, sha256: string): boolean {
    return this.#has.get(companyId, sha256) !== undefined;
  }

  /** Records a file as imported; call it inside the transaction that wrote its documents. */
  record(companyId: number, sha256: string, fileName: string, documentIds: readonly number[]): void {
    this.#insert.run(companyId, sha256, fileName, JSON.stringify(documentIds), this.now());
  }
}
