/**
 * Preferences as the windows and the services see them: the global (office-wide) file, the user file
 * with its per-section overrides, the values in force, and the state of each account's password.
 *
 * Passwords go straight to the keychain and never into a file or back to a window. The global SMTP
 * account's password is kept in each OS user's own keychain: the office file cannot hold a secret, so a
 * user who has not entered it yet is asked once, and may choose to keep it for this session only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  resolvePrefs,
  type AccountScope,
  type GlobalPrefs,
  type PasswordChange,
  type PasswordState,
  type PrefsRecovery,
  type PrefsView,
  type ResolvedPrefs,
  type SignInState,
  type SmtpAccount,
  type UserPrefs,
} from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import type { LoginGuardState } from '../mail/login-guard';
import type { SecretKey, SecretStore } from '../secrets/secret-store';
import type { AccountStateStore } from './account-state-store';
import { PrefsFile } from './prefs-file';
import { globalPrefsDir, globalPrefsSpec, userPrefsSpec } from './prefs-files';

/** The keychain key of each scope's SMTP password. */
export const smtpPasswordKeys: Readonly<Record<AccountScope, SecretKey>> = {
  user: { scope: 'user', id: 'smtp:default' },
  global: { scope: 'global', id: 'smtp:default' },
};
// The account-state row of each scope; the user's keeps the id it had before global preferences existed.
const stateIds: Readonly<Record<AccountScope, string>> = { user: 'smtp:default', global: 'global/smtp:default' };

/** The SMTP account in force, with the scope its password belongs to. */
export interface SendingAccount {
  readonly scope: AccountScope;
  readonly account: SmtpAccount;
}

/** What the service needs. */
export interface PreferencesServiceOptions {
  readonly dataDir: string;
  /** The machine-wide folder of the global file (tests pass a temporary one). */
  readonly machinePrefsDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: SecretStore;
  readonly accountState: AccountStateStore;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Who each scope is signed in as with a provider (see oauth-service.ts). */
  readonly signIns?: (scope: AccountScope) => Promise<SignInState>;
  /** Called after a save changed a scope's SMTP account or password (the outbox reads the account again). */
  readonly accountSaved?: (scope: AccountScope) => void;
}

/** Reads and saves both preferences files and the passwords that go with them. */
export class PreferencesService {
  readonly #o: PreferencesServiceOptions;
  readonly #user: PrefsFile<UserPrefs>;
  #global: PrefsFile<GlobalPrefs>;
  #globalSource: PrefsView['globalLocation']['source'];
  readonly #recoveries: PrefsRecovery[] = [];
  readonly #sessionPasswords = new Map<AccountScope, string>();

  constructor(options: PreferencesServiceOptions) {
    this.#o = options;
    const io = { logger: options.logger, clock: options.clock };
    this.#user = PrefsFile.open(userPrefsSpec(options.dataDir), io);
    if (this.#user.recovery) this.#recoveries.push(this.#user.recovery);
    const { file, source } = this.#openGlobal(this.#user.get());
    this.#global = file;
    this.#globalSource = source;
  }

  /** The user file's values (own settings and overrides). */
  userPrefs(): UserPrefs {
    return this.#user.get();
  }

  /** The global file's values. */
  globalPrefs(): GlobalPrefs {
    return this.#global.get();
  }

  /** The values in force and where each comes from. */
  resolved(): ResolvedPrefs {
    return resolvePrefs(this.#global.get(), this.#user.get());
  }

  /** The SMTP account in force: the user's own when overridden, else the office's; null when none. */
  sendingAccount(): SendingAccount | null {
    const { effective, sources } = this.resolved();
    if (!effective.smtp) return null;
    return { scope: sources.smtp === 'user' ? 'user' : 'global', account: effective.smtp };
  }

  /** The SMTP account saved in `scope`'s file (not the one in force): the user's override, or the office's. */
  savedAccount(scope: AccountScope): SmtpAccount | null {
    return (scope === 'user' ? this.#user.get().overrides.smtp : this.#global.get().smtp) ?? null;
  }

  /** The password of `scope`'s account, for main-process use only: this session's, else the keychain's. */
  async smtpPassword(scope: AccountScope): Promise<string | null> {
    return this.#sessionPasswords.get(scope) ?? (await this.#o.secrets.get(smtpPasswordKeys[scope]));
  }

  /** The lockout guard's view of `scope`'s account. */
  loginState(scope: AccountScope): LoginGuardState {
    return {
      isPasswordRejected: () => this.#o.accountState.get(stateIds[scope]).passwordRejectedAt !== null,
      markPasswordRejected: (response) => {
        this.#o.accountState.markPasswordRejected(stateIds[scope], this.#o.clock(), response);
        this.#sessionPasswords.delete(scope);
      },
    };
  }

  /**
   * The global account's password, entered when it was asked for: kept in this OS user's keychain when
   * `remember`, else for this session only. Either way it lifts a rejected-password mark.
   */
  async provideGlobalPassword(password: string, remember: boolean): Promise<void> {
    if (remember) {
      await this.#o.secrets.set(smtpPasswordKeys.global, password);
      this.#sessionPasswords.delete('global');
    } else {
      this.#sessionPasswords.set('global', password);
    }
    this.#o.accountState.clearPasswordRejected(stateIds.global);
  }

  /** What both preferences windows show; the office file is read again, another admin may have saved it. */
  async view(): Promise<PrefsView> {
    const { file, source } = this.#openGlobal(this.#user.get());
    this.#global = file;
    this.#globalSource = source;
    return {
      user: this.#user.get(),
      global: this.#global.get(),
      resolved: this.resolved(),
      passwords: { user: await this.#passwordState('user'), global: await this.#passwordState('global') },
      signIns: { user: await this.#signIn('user'), global: await this.#signIn('global') },
      userFilePath: this.#user.filePath,
      globalLocation: {
        filePath: this.#global.filePath,
        source: this.#globalSource,
        writable: this.#global.isWritable(),
        folderExists: existsSync(path.dirname(this.#global.filePath)),
      },
      recoveries: [...this.#recoveries],
    };
  }

  /**
   * Saves the user file and applies the password change to the user's own account (keychain first, so
   * a locked keychain saves nothing). A new office-share folder takes effect at once.
   */
  async updateUser(prefs: UserPrefs, password: PasswordChange): Promise<PrefsView> {
    const before = this.#user.get().overrides.smtp ?? null;
    await this.#applyPassword('user', password);
    this.#user.set(prefs);
    this.#afterAccountChange('user', before, prefs.overrides.smtp ?? null, password);
    if (JSON.stringify(before) !== JSON.stringify(prefs.overrides.smtp ?? null) || password.action !== 'keep') this.#o.accountSaved?.('user');
    const { dir, source } = globalPrefsDir(prefs, this.#o.env, this.#o.machinePrefsDir);
    if (globalPrefsSpec(dir, source === 'machine').filePath !== this.#global.filePath) {
      const { file, source } = this.#openGlobal(prefs);
      this.#global = file;
      this.#globalSource = source;
    }
    return this.view();
  }

  /**
   * Saves the global file. Throws `prefs.notWritable` (file `global`) when this user may not write it
   * — the usual case for the machine-wide folder without administrator rights — and changes nothing.
   * The password goes to this OS user's keychain only; other users are asked for it once.
   */
  async updateGlobal(prefs: GlobalPrefs, password: PasswordChange): Promise<PrefsView> {
    const before = this.#global.get().smtp ?? null;
    this.#global.set(prefs);
    await this.#applyPassword('global', password);
    this.#afterAccountChange('global', before, prefs.smtp ?? null, password);
    if (JSON.stringify(before) !== JSON.stringify(prefs.smtp ?? null) || password.action !== 'keep') this.#o.accountSaved?.('global');
    return this.view();
  }

  #openGlobal(user: UserPrefs): { file: PrefsFile<GlobalPrefs>; source: PrefsView['globalLocation']['source'] } {
    const { dir, source } = globalPrefsDir(user, this.#o.env, this.#o.machinePrefsDir);
    const file = PrefsFile.open(globalPrefsSpec(dir, source === 'machine'), { logger: this.#o.logger, clock: this.#o.clock });
    const { recovery } = file;
    if (recovery && !this.#recoveries.some((known) => known.filePath === recovery.filePath && known.reason === recovery.reason)) {
      this.#recoveries.push(recovery);
    }
    return { file, source };
  }

  async #applyPassword(scope: AccountScope, password: PasswordChange): Promise<void> {
    if (password.action === 'set') await this.#o.secrets.set(smtpPasswordKeys[scope], password.value);
    if (password.action === 'clear') await this.#o.secrets.delete(smtpPasswordKeys[scope]);
    if (password.action !== 'keep') this.#sessionPasswords.delete(scope);
  }

  /** A new password, or a different server or user name, lifts the rejected-password mark. */
  #afterAccountChange(scope: AccountScope, before: SmtpAccount | null, after: SmtpAccount | null, password: PasswordChange): void {
    if (password.action !== 'keep' || loginIdentity(before) !== loginIdentity(after)) {
      this.#o.accountState.clearPasswordRejected(stateIds[scope]);
    }
  }

  #signIn(scope: AccountScope): Promise<SignInState> {
    return this.#o.signIns?.(scope) ?? Promise.resolve({ account: null, expired: false });
  }

  async #passwordState(scope: AccountScope): Promise<PasswordState> {
    return {
      saved: (await this.#o.secrets.get(smtpPasswordKeys[scope])) !== null,
      inSession: this.#sessionPasswords.has(scope),
      rejected: this.loginState(scope).isPasswordRejected(),
    };
  }
}

function loginIdentity(account: SmtpAccount | null): string {
  return account ? `${account.host}:${String(account.port)}:${account.username}` : '';
}
