/**
 * Where passwords and tokens live. The production store is the OS keychain (keytar); nothing else in
 * Kurier touches a keychain API, so replacing keytar (archived upstream; Electron's safeStorage is the
 * usual successor) changes one file.
 */
import { KurierError } from '../../../shared/errors';
import { companyKeyOf, type AccountScope } from '../../../shared/prefs';

/** A key in the store: one service name for Kurier, accounts keyed by scope and id. */
export interface SecretKey {
  /**
   * `user`, `global` (office-wide account, copied per OS user) or `company` (a client company's own
   * account, copied per OS user; the id starts with the company's key).
   */
  readonly scope: 'user' | 'global' | 'company';
  /** What the secret belongs to, e.g. `smtp:default` (`27082440/smtp:default` for a company). */
  readonly id: string;
}

/** The key of `scope`'s secret `id`: `user/smtp:default`, `company/27082440/smtp:default`. */
export function scopedSecretKey(scope: AccountScope, id: string): SecretKey {
  const company = companyKeyOf(scope);
  if (company !== null) return { scope: 'company', id: `${company}/${id}` };
  return { scope: scope === 'user' ? 'user' : 'global', id };
}

/** Passwords and tokens, by key. */
export interface SecretStore {
  /** Whether the backing keychain can be used right now. */
  isAvailable(): Promise<boolean>;
  get(key: SecretKey): Promise<string | null>;
  set(key: SecretKey, secret: string): Promise<void>;
  /** Returns whether something was deleted. */
  delete(key: SecretKey): Promise<boolean>;
}

/** The service name under which every Kurier secret is stored. */
export const secretService = 'Kurier';

/** The keychain account name for a key: `user/smtp:default`. */
export function accountName(key: SecretKey): string {
  return `${key.scope}/${key.id}`;
}

/** Wraps a keychain failure so the user sees "the keychain is not available", never a D-Bus trace. */
export function keychainUnavailable(cause: unknown): KurierError {
  return new KurierError('secrets.unavailable', {}, { cause });
}
