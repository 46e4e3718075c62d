/**
 * A SecretStore in memory, for benchmarks and child processes that run without the private keyring
 * session (`npm run bench` does not start one). Nothing is persisted.
 */
import { accountName, type SecretKey, type SecretStore } from '../../electron/services/secrets/secret-store';

/** Secrets kept in a Map for the life of the process. */
export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, string>();

  isAvailable(): Promise<boolean> {
    return Promise.resolve(true);
  }

  get(key: SecretKey): Promise<string | null> {
    return Promise.resolve(this.#secrets.get(accountName(key)) ?? null);
  }

  set(key: SecretKey, secret: string): Promise<void> {
    this.#secrets.set(accountName(key), secret);
    return Promise.resolve();
  }

  delete(key: SecretKey): Promise<boolean> {
    return Promise.resolve(this.#secrets.delete(accountName(key)));
  }
}
