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

/** The wait before an account's next login test, and how many failures made it. */
export interface LoginCooldown {
  readonly failures: number;
  /** Milliseconds since the epoch. */
  readonly until: number;
}

/** Where login cooldowns are kept (the database; a map in tests that build the service by hand). */
export interface CooldownStore {
  cooldown(key: string): LoginCooldown | undefined;
  setCooldown(key: string, cooldown: LoginCooldown): void;
  clearCooldown(key: string): void;
}

/** SQLite-backed account state. */
export class AccountStateStore implements CooldownStore {
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
    this.#db
      .prepare('UPDATE smtp_account_state SET password_rejected_at = NULL, rejection_response = ? WHERE account_id = ?')
      .run('', accountId);
  }

  cooldown(key: string): LoginCooldown | undefined {
    const row = this.#db.prepare('SELECT failures, until_ms AS until FROM login_cooldowns WHERE key = ?').get(key) as
      LoginCooldown | undefined;
    return row ? { failures: row.failures, until: row.until } : undefined;
  }

  setCooldown(key: string, cooldown: LoginCooldown): void {
    this.#db
      .prepare(
        'INSERT INTO login_cooldowns (key, failures, until_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, until_ms = excluded.until_ms',
      )
      .run(key, cooldown.failures, cooldown.until);
  }

  clearCooldown(key: string): void {
    this.#db.prepare('DELETE FROM login_cooldowns WHERE key = ?').run(key);
  }
}

/** Cooldowns in memory only. */
export function memoryCooldowns(): CooldownStore {
  const map = new Map<string, LoginCooldown>();
  return {
    cooldown: (key) => map.get(key),
    setCooldown: (key, cooldown) => {
      map.set(key, cooldown);
    },
    clearCooldown: (key) => {
      map.delete(key);
    },
  };
}
