/**
 * Preferences as the windows see them: the file's values plus whether a password is saved. The
 * password itself goes straight to the keychain and never into the file or back to a window.
 */
import type { PasswordChange, UserPrefs, UserPrefsView } from '../../../shared/prefs';
import { userSmtpPasswordKey, type SecretStore } from '../secrets/secret-store';
import type { UserPrefsStore } from './user-prefs-store';

/** Reads and saves user preferences with their secret. */
export class PreferencesService {
  readonly #store: UserPrefsStore;
  readonly #secrets: SecretStore;

  constructor(options: { store: UserPrefsStore; secrets: SecretStore }) {
    this.#store = options.store;
    this.#secrets = options.secrets;
  }

  /** The current preferences. */
  userPrefs(): UserPrefs {
    return this.#store.get();
  }

  /** The SMTP password from the keychain, for main-process use only. */
  smtpPassword(): Promise<string | null> {
    return this.#secrets.get(userSmtpPasswordKey);
  }

  /** What the preferences window shows. */
  async userView(): Promise<UserPrefsView> {
    return {
      prefs: this.#store.get(),
      smtpHasPassword: (await this.#secrets.get(userSmtpPasswordKey)) !== null,
      filePath: this.#store.filePath,
    };
  }

  /** Saves preferences and applies the password change (keychain first, so a locked keychain saves nothing). */
  async updateUser(prefs: UserPrefs, password: PasswordChange): Promise<UserPrefsView> {
    if (password.action === 'set') await this.#secrets.set(userSmtpPasswordKey, password.value);
    if (password.action === 'clear') await this.#secrets.delete(userSmtpPasswordKey);
    this.#store.set(prefs);
    return this.userView();
  }
}
