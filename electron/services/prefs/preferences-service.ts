/**
 * Preferences as the windows see them: the file's values plus whether a password is saved (and
 * whether the server rejected it). The password itself goes straight to the keychain and never into
 * the file or back to a window.
 */
import type { PasswordChange, SmtpAccount, UserPrefs, UserPrefsView } from '../../../shared/prefs';
import type { LoginGuardState } from '../mail/login-guard';
import { userSmtpPasswordKey, type SecretStore } from '../secrets/secret-store';
import type { AccountStateStore } from './account-state-store';
import type { UserPrefsStore } from './user-prefs-store';

const accountId = userSmtpPasswordKey.id;

/** Reads and saves user preferences with their secret. */
export class PreferencesService {
  readonly #store: UserPrefsStore;
  readonly #secrets: SecretStore;
  readonly #accountState: AccountStateStore;
  readonly #clock: () => Date;

  constructor(options: { store: UserPrefsStore; secrets: SecretStore; accountState: AccountStateStore; clock: () => Date }) {
    this.#store = options.store;
    this.#secrets = options.secrets;
    this.#accountState = options.accountState;
    this.#clock = options.clock;
  }

  /** The current preferences. */
  userPrefs(): UserPrefs {
    return this.#store.get();
  }

  /** The SMTP password from the keychain, for main-process use only. */
  smtpPassword(): Promise<string | null> {
    return this.#secrets.get(userSmtpPasswordKey);
  }

  /** The lockout guard's view of the user's SMTP account. */
  readonly smtpLoginState: LoginGuardState = {
    isPasswordRejected: () => this.#accountState.get(accountId).passwordRejectedAt !== null,
    markPasswordRejected: (response) => { this.#accountState.markPasswordRejected(accountId, this.#clock(), response); },
  };

  /** What the preferences window shows. */
  async userView(): Promise<UserPrefsView> {
    return {
      prefs: this.#store.get(),
      smtpHasPassword: (await this.#secrets.get(userSmtpPasswordKey)) !== null,
      smtpPasswordRejected: this.smtpLoginState.isPasswordRejected(),
      filePath: this.#store.filePath,
    };
  }

  /**
   * Saves preferences and applies the password change (keychain first, so a locked keychain saves
   * nothing). A new password, or a different server or user name, lifts the rejected-password mark.
   */
  async updateUser(prefs: UserPrefs, password: PasswordChange): Promise<UserPrefsView> {
    const before = this.#store.get().smtp;
    if (password.action === 'set') await this.#secrets.set(userSmtpPasswordKey, password.value);
    if (password.action === 'clear') await this.#secrets.delete(userSmtpPasswordKey);
    this.#store.set(prefs);
    if (password.action !== 'keep' || loginIdentity(before) !== loginIdentity(prefs.smtp)) {
      this.#accountState.clearPasswordRejected(accountId);
    }
    return this.userView();
  }
}

function loginIdentity(account: SmtpAccount | null): string {
  return account ? `${account.host}:${String(account.port)}:${account.username}` : '';
}
