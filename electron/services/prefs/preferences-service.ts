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
import { KurierError } from '../../../shared/errors';
import { officeGroups, type OfficeGroup, type OfficeReview } from '../../../shared/office-review';
import { companyKey, type KeyedCompany } from '../../../shared/company-identifiers';
import {
  companyKeyOf,
  companyScope,
  destinationText,
  resolvePrefs,
  type accountScopes,
  type AccountScope,
  type GlobalPrefs,
  type PasswordChange,
  type PasswordState,
  type PasswordWithheld,
  type PrefsRecovery,
  type PrefsView,
  type ResolvedPrefs,
  type SignInState,
  type SmtpAccount,
  type UserPrefs,
} from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import type { LoginGuardState } from '../secrets/login-guard';
import { bindingChanges, openPassword, sealPassword, smtpBindingOf, type OpenedPassword } from '../secrets/bound-secret';
import { RejectedPasswords } from '../secrets/rejected-passwords';
import { scopedSecretKey, type SecretKey, type SecretStore } from '../secrets/secret-store';
import type { AccountStateStore } from './account-state-store';
import { systemRoot } from '../data/windows-env';
import { OfficeConfirmations } from './office-confirmations';
import type { RunProgram } from './office-permissions';
import { OfficeReviewer } from './office-review';
import { groupsInForce, officeSnapshot } from './office-snapshot';
import { OfficeFile, officeFileFrom, type OfficeStart } from './office-file';
import { exists, PrefsFile, type PrefsFileSpec } from './prefs-file';
import { globalPrefsDir, globalPrefsSpec, userPrefsSpec } from './prefs-files';

/** The keychain key of the user's and the office's SMTP password. */
export const smtpPasswordKeys: Readonly<Record<(typeof accountScopes)[number], SecretKey>> = {
  user: { scope: 'user', id: 'smtp:default' },
  global: { scope: 'global', id: 'smtp:default' },
};

/** The keychain key of any scope's SMTP password: `company/27082440/smtp:default` for a company's own. */
export function smtpPasswordKey(scope: AccountScope): SecretKey {
  return scopedSecretKey(scope, 'smtp:default');
}

// The account-state row of each scope; the user's keeps the id it had before global preferences existed.
function stateId(scope: AccountScope): string {
  return scope === 'user' ? 'smtp:default' : `${scope}/smtp:default`;
}

/** The SMTP account in force, with the scope its password belongs to. */
export interface SendingAccount {
  readonly scope: AccountScope;
  readonly account: SmtpAccount;
}

/**
 * The saved password for an account, as the sending paths may use it: `ok`, none saved (`missing`), or
 * saved but not for this account (`withheld`, with why). Only `ok` carries the password.
 */
export type PasswordLookup =
  | { readonly status: 'ok'; readonly password: string }
  | { readonly status: 'missing' }
  | { readonly status: 'withheld'; readonly withheld: PasswordWithheld };

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
  /** The system whose permissions the office-file check reads (the running one by default). */
  readonly platform?: NodeJS.Platform;
  /** How long one look at the office file may take before its last good copy is kept (5 s by default). */
  readonly officeTimeoutMs?: number;
  /** How often the office file is looked at besides the folder watch (10 s by default). */
  readonly officePollMs?: number;
  /** Runs icacls on Windows (the office-file permission check); none: no Windows check. */
  readonly runProgram?: RunProgram;
  /**
   * The office file as read before the services were made ({@link readOfficeAtStart}, within the
   * look's timeout); without it (tests) the file is read here, synchronously.
   */
  readonly officeStart?: OfficeStart;
  /** Called after either file was saved (main tells every open window, e.g. of a new language). */
  readonly saved?: () => void;
}

/**
 * What happened to a scope's account: `passwordProvided` — it got a password that may be tried (batches
 * stopped for the lack of one can go on); `accountSaved` — a save changed its SMTP account or password
 * (the outbox reads the account again).
 */
export type AccountEvent = 'passwordProvided' | 'accountSaved';

/** Reads and saves both preferences files and the passwords that go with them. */
export class PreferencesService {
  readonly #o: PreferencesServiceOptions;
  readonly #accountListeners = new Set<(event: AccountEvent, scope: AccountScope) => void>();
  readonly #officeListeners = new Set<() => void>();
  readonly #user: PrefsFile<UserPrefs>;
  readonly #officeFile: OfficeFile;
  readonly #recoveries: PrefsRecovery[] = [];
  // "Do not remember" passwords, sealed with their destination like the keychain's.
  readonly #sessionPasswords = new Map<AccountScope, string>();
  readonly #rejected: RejectedPasswords;
  readonly #office: OfficeReviewer;
  /** The office file has not answered since start-up (its defaults stand in for it). */
  #awaitingOffice = false;

  constructor(options: PreferencesServiceOptions) {
    this.#o = options;
    this.#rejected = new RejectedPasswords(options.secrets);
    const io = { logger: options.logger, clock: options.clock };
    const isNewUser = !existsSync(userPrefsSpec(options.dataDir).filePath);
    this.#user = PrefsFile.open(userPrefsSpec(options.dataDir), io);
    if (this.#user.recovery) this.#recoveries.push(this.#user.recovery);
    this.#officeFile = new OfficeFile(this.#startGlobal(options.officeStart), {
      logger: options.logger,
      clock: options.clock,
      ...(options.officeTimeoutMs !== undefined ? { timeoutMs: options.officeTimeoutMs } : {}),
      ...(options.officePollMs !== undefined ? { pollMs: options.officePollMs } : {}),
      changed: (file) => {
        this.#noteRecovery(file.recovery);
        if (this.#awaitingOffice) this.#officeAnswered(file);
        for (const listener of [...this.#officeListeners]) listener();
      },
    });
    this.#awaitingOffice = !this.#officeFile.answered;
    this.#office = this.#openOfficeReviewer(isNewUser);
    // Read once at start; from then on again only when it changes (a watch, and a poll for shares).
    this.#officeFile.watch(() => this.#globalSpec());
  }

  /** Whether the office file has answered since start-up (its values, not defaults, are known). */
  officeAnswered(): boolean {
    return !this.#awaitingOffice;
  }

  /** Stops watching the office file. */
  close(): void {
    this.#officeFile.close();
  }

  get #global(): PrefsFile<GlobalPrefs> {
    return this.#officeFile.file;
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

  /**
   * The SMTP account a message of `company` goes out through — the one place every sending path asks
   * (single copy, batch, password prompt, limits): the company's own account when the office file
   * gives it one, over the user's override and the office default; else {@link sendingAccount}.
   * Null: no account at all.
   */
  sendingAccountFor(company: KeyedCompany | null | undefined): SendingAccount | null {
    const key = company ? companyKey(company) : null;
    const own = key === null ? undefined : this.#global.get().companySmtp?.[key];
    if (key !== null && own) return { scope: companyScope(key), account: own };
    return this.sendingAccount();
  }

  /** The scopes that have an account now: the user's, the office's and each company's own. */
  scopesInUse(): AccountScope[] {
    return ['user', 'global', ...Object.keys(this.#global.get().companySmtp ?? {}).map(companyScope)];
  }

  /**
   * The SMTP account saved in `scope`'s file (not the one in force): the user's override, the office's,
   * or a company's own account in the office file.
   */
  savedAccount(scope: AccountScope): SmtpAccount | null {
    const company = companyKeyOf(scope);
    if (company !== null) return this.#global.get().companySmtp?.[company] ?? null;
    return (scope === 'user' ? this.#user.get().overrides.smtp : this.#global.get().smtp) ?? null;
  }

  /**
   * The saved password of `scope`, for main-process use only, if and only if it was saved for
   * `account`'s destination (host, port, security, user name) — and, over an unencrypted connection,
   * with the user's confirmation. Every path that logs in asks here: test, single copy, batch,
   * notification.
   */
  async smtpLogin(scope: AccountScope, account: SmtpAccount): Promise<PasswordLookup> {
    const opened = await this.#storedPassword(scope);
    if (opened === null) return { status: 'missing' };
    return lookupFor(opened, account);
  }

  /** The lockout guard's view of `scope`'s account. */
  loginState(scope: AccountScope): LoginGuardState {
    return {
      isPasswordRejected: () => this.#o.accountState.get(stateId(scope)).passwordRejectedAt !== null,
      markPasswordRejected: (response) => {
        this.#o.accountState.markPasswordRejected(stateId(scope), this.#o.clock(), response);
        // The rejected password itself is remembered, so typing it again does not lift the mark.
        void this.#rememberStoredRejected(scope).catch((error: unknown) => {
          this.#o.logger.warn('rejectedPasswordNotRemembered', {
            scope,
            error: error instanceof Error ? error.message : String(error),
          });
        });
      },
    };
  }

  /**
   * A password typed where it was asked for (the export dialog), for the account `scope` has now:
   * kept in this OS user's keychain when `remember`, else for this session only. Either way it is
   * bound to that account's destination and lifts a rejected-password mark.
   */
  async providePassword(
    scope: AccountScope,
    password: string,
    options: { remember: boolean; acceptPlainText: boolean },
  ): Promise<void> {
    const account = this.savedAccount(scope);
    if (!account) throw new KurierError('smtp.notConfigured');
    const sealed = sealPassword(password, smtpBindingOf(account, options.acceptPlainText));
    if (options.remember) {
      await this.#o.secrets.set(smtpPasswordKey(scope), sealed);
      this.#sessionPasswords.delete(scope);
    } else {
      this.#sessionPasswords.set(scope, sealed);
    }
    await this.#markOrClear(scope, account, password);
  }

  /** Whether `account`'s server has rejected `password` before (see rejected-passwords.ts). */
  async wasRejected(scope: AccountScope, account: SmtpAccount, password: string): Promise<boolean> {
    return (await this.#rejected.rejectedAt(scope, account, password)) !== null;
  }

  /** Remembers that `account`'s server rejected `password` (one typed in a connection test). */
  async rememberRejected(scope: AccountScope, account: SmtpAccount, password: string): Promise<void> {
    await this.#rejected.remember(scope, account, password, this.#o.clock());
  }

  async #rememberStoredRejected(scope: AccountScope): Promise<void> {
    const account = this.savedAccount(scope);
    const lookup = account ? await this.smtpLogin(scope, account) : null;
    this.#sessionPasswords.delete(scope);
    if (account && lookup?.status === 'ok') await this.#rejected.remember(scope, account, lookup.password, this.#o.clock());
  }

  /**
   * What both preferences windows show. The office file is read again only when it changed (another
   * admin may have saved it); one that does not answer keeps its last good copy, and the view says so.
   */
  async view(): Promise<PrefsView> {
    await this.#refreshGlobal();
    const notAnswering = this.#officeFile.notAnsweringSince;
    return {
      user: this.#user.get(),
      global: this.#global.get(),
      resolved: this.resolved(),
      passwords: { user: await this.#passwordState('user'), global: await this.#passwordState('global') },
      companyPasswords: Object.fromEntries(
        await Promise.all(
          Object.keys(this.#global.get().companySmtp ?? {}).map(
            async (key) => [key, await this.#passwordState(companyScope(key))] as const,
          ),
        ),
      ),
      signIns: { user: await this.#signIn('user'), global: await this.#signIn('global') },
      userFilePath: this.#user.filePath,
      globalLocation: {
        filePath: this.#global.filePath,
        source: this.#officeFile.source,
        writable: notAnswering === null && (await this.#global.isWritable(this.#o.officeTimeoutMs)),
        folderExists: notAnswering === null && (await exists(path.dirname(this.#global.filePath))),
        notAnsweringSince: notAnswering?.toISOString() ?? null,
        neverRead: !this.#officeFile.answered,
      },
      recoveries: [...this.#recoveries],
    };
  }

  /** Calls `listener` on every {@link AccountEvent}; returns the unsubscribe function. */
  onAccountEvent(listener: (event: AccountEvent, scope: AccountScope) => void): () => void {
    this.#accountListeners.add(listener);
    return () => this.#accountListeners.delete(listener);
  }

  /** Calls `listener` whenever the office file was read anew with other values; returns the unsubscribe function. */
  onOfficeChanged(listener: () => void): () => void {
    this.#officeListeners.add(listener);
    return () => this.#officeListeners.delete(listener);
  }

  #announce(event: AccountEvent, scope: AccountScope): void {
    for (const listener of [...this.#accountListeners]) listener(event, scope);
  }

  /**
   * Saves the user file and applies the password change to the user's own account (keychain first, so
   * a locked keychain saves nothing). A new office-share folder takes effect at once.
   */
  async updateUser(prefs: UserPrefs, password: PasswordChange): Promise<PrefsView> {
    const before = this.#user.get().overrides.smtp ?? null;
    await this.#applyPassword('user', password, prefs.overrides.smtp ?? null);
    await this.#user.save(prefs, this.#o.officeTimeoutMs);
    await this.#afterAccountChange('user', before, prefs.overrides.smtp ?? null, password);
    if (JSON.stringify(before) !== JSON.stringify(prefs.overrides.smtp ?? null) || password.action !== 'keep')
      this.#announce('accountSaved', 'user');
    const { dir, source } = globalPrefsDir(prefs, this.#o.env, this.#o.machinePrefsDir);
    if (globalPrefsSpec(dir, source === 'machine').filePath !== this.#global.filePath) await this.#refreshGlobal();
    this.#o.saved?.();
    return this.view();
  }

  /**
   * Saves the global file. Throws `prefs.notWritable` (file `global`) when this user may not write it
   * — the usual case for the machine-wide folder without administrator rights — and changes nothing.
   * The password goes to this OS user's keychain only; other users are asked for it once.
   */
  async updateGlobal(prefs: GlobalPrefs, password: PasswordChange): Promise<PrefsView> {
    // Not answered since start-up: the window shows defaults standing in for the file, and saving them
    // would overwrite the office's values.
    if (!this.#officeFile.answered) await this.#refreshGlobal();
    if (!this.#officeFile.answered)
      throw new KurierError('prefs.notAnswering', {
        path: this.#global.filePath,
        seconds: Math.ceil((this.#o.officeTimeoutMs ?? 5_000) / 1000),
      });
    const office = this.#global.get();
    const before = office.smtp ?? null;
    // The preferences window does not carry what only the office decides elsewhere (the database
    // choice, the companies' own accounts): absent, they stay as they are.
    await this.#global.save(
      {
        ...prefs,
        ...(prefs.database === undefined && office.database ? { database: office.database } : {}),
        ...(prefs.companySmtp === undefined && office.companySmtp ? { companySmtp: office.companySmtp } : {}),
      },
      this.#o.officeTimeoutMs,
    );
    this.#office.confirmOwnSave(office, this.#officeNow());
    await this.#applyPassword('global', password, prefs.smtp ?? null);
    await this.#afterAccountChange('global', before, prefs.smtp ?? null, password);
    if (JSON.stringify(before) !== JSON.stringify(prefs.smtp ?? null) || password.action !== 'keep')
      this.#announce('accountSaved', 'global');
    this.#o.saved?.();
    return this.view();
  }

  /**
   * Sets (`account`) or removes (null: the company sends through the office's account again) the own
   * SMTP account of the company whose key is `key`, in the office file, and applies the password change
   * to this OS user's keychain under the company's scope — bound to that account's server like the
   * office's. Removing the account also removes its saved password. Throws as {@link updateGlobal}.
   */
  async updateCompanySmtp(key: string, account: SmtpAccount | null, password: PasswordChange): Promise<PrefsView> {
    if (!this.#officeFile.answered) await this.#refreshGlobal();
    if (!this.#officeFile.answered)
      throw new KurierError('prefs.notAnswering', {
        path: this.#global.filePath,
        seconds: Math.ceil((this.#o.officeTimeoutMs ?? 5_000) / 1000),
      });
    await this.#refreshGlobal();
    const scope = companyScope(key);
    const office = this.#global.get();
    const before = office.companySmtp?.[key] ?? null;
    const companySmtp = Object.fromEntries(Object.entries(office.companySmtp ?? {}).filter(([other]) => other !== key));
    if (account) companySmtp[key] = account;
    const next: GlobalPrefs = { ...office, companySmtp };
    if (Object.keys(companySmtp).length === 0) delete (next as { companySmtp?: unknown }).companySmtp;
    await this.#global.save(next, this.#o.officeTimeoutMs);
    this.#office.confirmOwnSave(office, this.#officeNow());
    const change: PasswordChange = account ? password : { action: 'clear' };
    await this.#applyPassword(scope, change, account);
    await this.#afterAccountChange(scope, before, account, change);
    this.#announce('accountSaved', scope);
    this.#o.saved?.();
    return this.view();
  }

  /** What changed in the office file since this user confirmed it; the file is read again. */
  async officeReview(): Promise<OfficeReview> {
    await this.#refreshGlobal();
    return this.#office.review(this.#officeNow(), this.resolved(), {
      permissions: true,
    });
  }

  /** Confirms the office groups as the window showed them (their digests); returns the review after. */
  async confirmOffice(
    shown: Readonly<Partial<Record<OfficeGroup, string>>>,
  ): Promise<{ readonly confirmed: OfficeGroup[]; readonly review: OfficeReview }> {
    await this.#refreshGlobal();
    const confirmed = this.#office.confirm(this.#officeNow(), shown);
    this.#o.logger.info('officeChangesConfirmed', { groups: confirmed.join(','), filePath: this.#global.filePath });
    return { confirmed, review: await this.officeReview() };
  }

  /**
   * Reads the office file again and throws `prefs.officeChangeUnconfirmed` when a sensitive value in
   * force for this user changed since they confirmed it (of `only`'s groups, when given). Every sending
   * path calls this first.
   */
  async assertOfficeConfirmed(only?: readonly OfficeGroup[]): Promise<void> {
    await this.#refreshGlobal();
    if (!this.#officeFile.answered) {
      // Not known yet: the defaults standing in must not be sent with (e.g. without the office's copies).
      const unknown = groupsInForce(
        officeGroups.map((group) => ({ group, items: [] })),
        this.resolved(),
      ).filter((group) => !only || only.includes(group));
      if (unknown.length > 0) throw new KurierError('prefs.officeNotRead', { path: this.#global.filePath });
    }
    await this.#office.assertConfirmed(this.#officeNow(), this.resolved(), only);
  }

  #officeNow(): { filePath: string; prefs: GlobalPrefs; answered: boolean } {
    return { filePath: this.#global.filePath, prefs: this.#global.get(), answered: this.#officeFile.answered };
  }

  /** The office file answered for the first time since start-up: its values are known now. */
  #officeAnswered(file: PrefsFile<GlobalPrefs>): void {
    this.#awaitingOffice = false;
    this.#office.officeAnswered(officeSnapshot(file.get()), file.filePath);
    this.#o.logger.info('officePrefsAnswered', { filePath: file.filePath });
    // Batches that waited for the office values (or for an account they bring) go on.
    for (const scope of this.scopesInUse()) this.#announce('accountSaved', scope);
  }

  /** Looks at the office file (where the user's settings put it) and reads it again if it changed. */
  async #refreshGlobal(): Promise<void> {
    const { spec, source } = this.#globalSpec();
    await this.#officeFile.refresh(spec, source);
  }

  #globalSpec(): { spec: PrefsFileSpec<GlobalPrefs>; source: PrefsView['globalLocation']['source'] } {
    const { dir, source } = globalPrefsDir(this.#user.get(), this.#o.env, this.#o.machinePrefsDir);
    return { spec: globalPrefsSpec(dir, source === 'machine'), source };
  }

  #noteRecovery(recovery: PrefsRecovery | null): void {
    if (recovery && !this.#recoveries.some((known) => known.filePath === recovery.filePath && known.reason === recovery.reason)) {
      this.#recoveries.push(recovery);
    }
  }

  #openOfficeReviewer(isNewUser: boolean): OfficeReviewer {
    const confirmations = OfficeConfirmations.open(this.#o.dataDir, {
      isNewUser,
      current: this.#officeFile.answered ? officeSnapshot(this.#global.get()) : null,
      officePath: this.#global.filePath,
      logger: this.#o.logger,
    });
    return new OfficeReviewer({
      confirmations,
      logger: this.#o.logger,
      clock: this.#o.clock,
      platform: this.#o.platform ?? process.platform,
      systemRoot: systemRoot(this.#o.env),
      run: this.#o.runProgram ?? null,
    });
  }

  /** The office file as read at start-up, or (without it) read now, synchronously. */
  #startGlobal(start: OfficeStart | undefined): ConstructorParameters<typeof OfficeFile>[0] {
    if (!start) return this.#openGlobal(this.#user.get());
    const io = { logger: this.#o.logger, clock: this.#o.clock };
    if (start.outcome.answered) {
      const file = officeFileFrom(start.spec, start.outcome.read, io);
      this.#noteRecovery(file.recovery);
      return { file, source: start.source };
    }
    return {
      file: PrefsFile.defaults(start.spec),
      source: start.source,
      reading: { spec: start.spec, read: start.outcome.reading },
    };
  }

  #openGlobal(user: UserPrefs): { file: PrefsFile<GlobalPrefs>; source: PrefsView['globalLocation']['source'] } {
    const { dir, source } = globalPrefsDir(user, this.#o.env, this.#o.machinePrefsDir);
    const file = PrefsFile.open(globalPrefsSpec(dir, source === 'machine'), { logger: this.#o.logger, clock: this.#o.clock });
    this.#noteRecovery(file.recovery);
    return { file, source };
  }

  /** A new password is bound to the account saved with it; keeping one keeps its old binding. */
  async #applyPassword(scope: AccountScope, password: PasswordChange, account: SmtpAccount | null): Promise<void> {
    if (password.action === 'set') {
      if (!account) throw new KurierError('input.invalid', { field: 'password' });
      await this.#o.secrets.set(
        smtpPasswordKey(scope),
        sealPassword(password.value, smtpBindingOf(account, password.acceptPlainText === true)),
      );
    }
    if (password.action === 'clear') await this.#o.secrets.delete(smtpPasswordKey(scope));
    if (password.action !== 'keep') this.#sessionPasswords.delete(scope);
  }

  /**
   * A new password, or a different server or user name, lifts the rejected-password mark — unless the
   * new password is one this server has already rejected.
   */
  async #afterAccountChange(
    scope: AccountScope,
    before: SmtpAccount | null,
    after: SmtpAccount | null,
    password: PasswordChange,
  ): Promise<void> {
    if (password.action === 'set' && after) await this.#markOrClear(scope, after, password.value);
    else if (password.action !== 'keep' || loginIdentity(before) !== loginIdentity(after))
      this.#o.accountState.clearPasswordRejected(stateId(scope));
  }

  async #markOrClear(scope: AccountScope, account: SmtpAccount, password: string): Promise<void> {
    const rejectedAt = await this.#rejected.rejectedAt(scope, account, password);
    if (rejectedAt === null) {
      this.#o.accountState.clearPasswordRejected(stateId(scope));
      this.#announce('passwordProvided', scope);
    } else this.#o.accountState.markPasswordRejected(stateId(scope), new Date(rejectedAt), 'rejected before');
  }

  #signIn(scope: AccountScope): Promise<SignInState> {
    return this.#o.signIns?.(scope) ?? Promise.resolve({ account: null, expired: false });
  }

  async #passwordState(scope: AccountScope): Promise<PasswordState> {
    const opened = await this.#storedPassword(scope);
    const account = this.savedAccount(scope);
    const lookup = opened && account ? lookupFor(opened, account) : null;
    return {
      saved: (await this.#o.secrets.get(smtpPasswordKey(scope))) !== null,
      inSession: this.#sessionPasswords.has(scope),
      rejected: this.loginState(scope).isPasswordRejected(),
      withheld: lookup?.status === 'withheld' ? lookup.withheld : null,
    };
  }

  async #storedPassword(scope: AccountScope): Promise<OpenedPassword | null> {
    const stored = this.#sessionPasswords.get(scope) ?? (await this.#o.secrets.get(smtpPasswordKey(scope)));
    return stored === null ? null : openPassword(stored);
  }
}

/** Whether a stored password may go to `account`; see {@link PreferencesService.smtpLogin}. */
function lookupFor(opened: OpenedPassword, account: SmtpAccount): PasswordLookup {
  const now = destinationText(account);
  if (opened.kind === 'unbound') return { status: 'withheld', withheld: { reason: 'unbound', now } };
  const changes = bindingChanges(opened.boundTo, account);
  if (changes.length > 0)
    return { status: 'withheld', withheld: { reason: 'changed', changes, savedFor: destinationText(opened.boundTo), now } };
  if (account.security === 'none' && !opened.boundTo.plainTextAccepted)
    return { status: 'withheld', withheld: { reason: 'plainText', now } };
  return { status: 'ok', password: opened.password };
}

function loginIdentity(account: SmtpAccount | null): string {
  return account ? `${account.host}:${String(account.port)}:${account.username}` : '';
}
