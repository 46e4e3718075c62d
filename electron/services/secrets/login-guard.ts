/**
 * Where the "password rejected" mark of an account is kept. Providers lock accounts after repeated
 * failed logins (Microsoft 365, Gmail and Seznam all do), so once a server rejects a saved password,
 * nothing logs in with it again — no test (connection-check.ts), no send or batch (the outbox worker)
 * — until the user enters a new one.
 */

/** The mark of one account. */
export interface LoginGuardState {
  isPasswordRejected(): boolean;
  markPasswordRejected(response: string): void;
}
