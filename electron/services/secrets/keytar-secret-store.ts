/**
 * SecretStore on the OS keychain through keytar: Windows Credential Manager, macOS Keychain,
 * libsecret/Secret Service on Linux. keytar is loaded lazily so a missing native module only disables
 * saving passwords (with a clear message) instead of stopping the app.
 */
import { createRequire } from 'node:module';
import { accountName, keychainUnavailable, secretService, type SecretKey, type SecretStore } from './secret-store';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

/** The keychain-backed store. `service` is overridable so tests keep to their own entries. */
export class KeytarSecretStore implements SecretStore {
  readonly #service: string;
  #keytar: Keytar | null | undefined;

  constructor(options: { service?: string } = {}) {
    this.#service = options.service ?? secretService;
  }

  async isAvailable(): Promise<boolean> {
    const keytar = this.#load();
    if (!keytar) return false;
    try {
      await keytar.findCredentials(this.#service);
      return true;
    } catch {
      return false;
    }
  }

  async get(key: SecretKey): Promise<string | null> {
    return this.#call((keytar) => keytar.getPassword(this.#service, accountName(key)));
  }

  async set(key: SecretKey, secret: string): Promise<void> {
    await this.#call((keytar) => keytar.setPassword(this.#service, accountName(key), secret));
  }

  async delete(key: SecretKey): Promise<boolean> {
    return this.#call((keytar) => keytar.deletePassword(this.#service, accountName(key)));
  }

  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = this.#load();
    if (!keytar) throw keychainUnavailable(new Error('keytar native module not loadable'));
    try {
      return await operation(keytar);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  #load(): Keytar | null {
    if (this.#keytar === undefined) {
      try {
        this.#keytar = createRequire(import.meta.url)('keytar') as Keytar;
      } catch {
        this.#keytar = null;
      }
    }
    return this.#keytar;
  }
}
