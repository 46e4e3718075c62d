/**
 * Per-account facts that outlive a run and are not preferences: whether the server rejected the saved
 * password. Providers lock an account after a few failed logins, so once a password is rejected no
 * test, send or batch logs in with it again until the user enters a password anew.
 */
import type { DatabaseSync } from 'node:sqlite';

/** The state of one account. */
export interface AccountState {
  readonly passwordRejectedAt: string | null;
  readonly rejectionResponse: string;
}

/** SQLite-backed account state. */
export class AccountStateStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(accountId: string): AccountState {
    const row = this.#db
      .prepare('SELECT password_rejected_at AS at, rejection_response AS response FROM smtp_account_state WHERE account_id = ?')
      .get(accountId) as { at: string | null; response: string } | undefined;
    return { passwordRejectedAt: row?.at ?? null, rejectionResponse: row?.response ?? '' };
  }

  markPasswordRejected(accountId: string, at: Date, response: string): void {
    this.#db
      .prepare(
        `INSERT INTO smtp_account_state (account_id, password_rejected_at, rejection_response) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET password_rejected_at = excluded.password_rejected_at,
           rejection_response = excluded.rejection_response`,
      )
      .run(accountId, at.toISOString(), response.slice(0, 300));
  }

  clearPasswordRejected(accountId: string): void {
    this.#db.prepare('UPDATE smtp_account_state SET password_rejected_at = NULL, rejection_response = ? WHERE account_id = ?').run('', accountId);
  }
}
