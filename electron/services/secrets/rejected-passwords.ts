/**
 * Passwords a server has rejected, remembered by a salted scrypt fingerprint in the keychain (never the
 * password, never the database), per account scope and destination. Providers lock a mailbox after a few
 * failed logins, so a password the server said no to is not sent again — not when the user saves the
 * same one after a failed test, not after a restart — until a different password is entered.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { AccountScope, SmtpAccount } from '../../../shared/prefs';
import { destinationText } from '../../../shared/prefs';
import { scopedSecretKey, type SecretKey, type SecretStore } from './secret-store';

/** The keychain key of a scope's list. */
export function rejectedPasswordKey(scope: AccountScope): SecretKey {
  return scopedSecretKey(scope, 'smtp:rejected');
}

interface Fingerprint {
  readonly salt: string;
  readonly hash: string;
  /** The destination it was rejected by (`destinationText`). */
  readonly destination: string;
  /** When, ISO 8601. */
  readonly at: string;
}

// A handful is enough: the list exists to stop the same password being tried again soon.
const kept = 8;
// Interactive-login cost (about 50 ms here): slow for a guesser, quick for one check.
const cost = { N: 1 << 14, r: 8, p: 1 } as const;

/** Remembers and recognises rejected passwords. */
export class RejectedPasswords {
  readonly #secrets: SecretStore;

  constructor(secrets: SecretStore) {
    this.#secrets = secrets;
  }

  /** Records that `account`'s server rejected `password`. */
  async remember(scope: AccountScope, account: SmtpAccount, password: string, at: Date): Promise<void> {
    const destination = destinationText(account);
    const list = await this.#read(scope);
    const salt = randomBytes(16).toString('base64');
    const fingerprint: Fingerprint = { salt, hash: await fingerprintOf(password, salt), destination, at: at.toISOString() };
    await this.#secrets.set(rejectedPasswordKey(scope), JSON.stringify([fingerprint, ...list].slice(0, kept)));
  }

  /** When `account`'s server rejected `password`, or null when it never did. */
  async rejectedAt(scope: AccountScope, account: SmtpAccount, password: string): Promise<string | null> {
    const destination = destinationText(account);
    for (const entry of await this.#read(scope)) {
      if (
        entry.destination === destination &&
        timingSafeEqual(Buffer.from(await fingerprintOf(password, entry.salt)), Buffer.from(entry.hash))
      ) {
        return entry.at;
      }
    }
    return null;
  }

  async #read(scope: AccountScope): Promise<Fingerprint[]> {
    const text = await this.#secrets.get(rejectedPasswordKey(scope));
    if (text === null) return [];
    try {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? parsed.filter(isFingerprint) : [];
    } catch {
      return [];
    }
  }
}

function fingerprintOf(password: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), 32, cost, (error, key) => {
      if (error) reject(error);
      else resolve(key.toString('base64'));
    });
  });
}

function isFingerprint(value: unknown): value is Fingerprint {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.salt === 'string' &&
    typeof record.hash === 'string' &&
    typeof record.destination === 'string' &&
    typeof record.at === 'string'
  );
}
