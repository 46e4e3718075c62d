/**
 * "Test connection" as the preferences windows run it: the staged test of the account in the form
 * (saved or not), with the password the form means, behind the lockout rules, followed by an SPF check
 * of the sender's domain and a hint about how the provider expects the user to log in.
 *
 * Lockout rules (providers lock a mailbox after a few failed logins):
 * - a saved password the server rejected is not sent again — the AUTH stage says so instead;
 * - a saved password goes only to the server, port, security and user name it was saved for;
 * - a test whose login fails marks the saved password rejected (sends and batches stop using it too);
 * - each failed login starts a cooldown before the next test of that account may log in, growing with
 *   every further failure (10 s, 30 s, 1 min, 2 min, 5 min); a successful login ends it.
 */
import type { ConnectionCheckReport, ConnectionTestResult, ProviderHint, SpfCheck } from '../../../shared/diagnostics';
import { KurierError } from '../../../shared/errors';
import {
  destinationText,
  oauthProviderOf,
  type AccountScope,
  type PasswordChange,
  type SmtpAccount,
} from '../../../shared/prefs';
import { findProviderByDomain, smtpProviders } from './provider-table';
import type { Logger } from '../logging/logger';
import { memoryCooldowns, type CooldownStore } from '../prefs/account-state-store';
import type { PreferencesService } from '../prefs/preferences-service';
import type { SmtpLogins } from './smtp-logins';
import { testSmtpConnection, type ConnectionTestOptions } from './connection-test';
import { passwordCredential, type SmtpCredential } from './smtp-credential';
import { checkSpf, type SpfResolver } from './spf-check';

/** What the windows ask for. */
export interface ConnectionCheckRequest {
  readonly scope: AccountScope;
  readonly account: SmtpAccount;
  /** `keep`: the saved password; `set`: the one typed in the form (not saved by testing). */
  readonly password: PasswordChange;
  /** A message to the sender's own address, translated by the window; null for no message. */
  readonly testMessage: { readonly subject: string; readonly text: string } | null;
}

/** What the service needs. */
export interface ConnectionCheckOptions {
  readonly prefs: PreferencesService;
  readonly logins: SmtpLogins;
  /** A fresh resolver per check: cancelling one check's queries must not cancel another's. */
  readonly spfResolver: () => SpfResolver;
  readonly logger: Logger;
  /** Passed through to every test (timeouts, resolver, TLS probe). */
  readonly testOptions?: Omit<ConnectionTestOptions, 'testMessage' | 'passwordRejected' | 'cipherStrength' | 'logger'>;
  readonly spfTimeoutMs?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Where the growing waits are kept, so a restart does not reset them (in memory by default). */
  readonly cooldowns?: CooldownStore;
}

/** Seconds to wait after the 1st, 2nd, … failed login; the last repeats. */
export const loginCooldownSeconds = [10, 30, 60, 120, 300] as const;

/** Runs connection tests for the preferences windows. */
export class ConnectionCheckService {
  readonly #o: ConnectionCheckOptions;
  readonly #cooldowns: CooldownStore;

  constructor(options: ConnectionCheckOptions) {
    this.#o = options;
    this.#cooldowns = options.cooldowns ?? memoryCooldowns();
  }

  /** Seconds before `scope`'s account may log in again in a test; 0 when it may now. */
  cooldownSeconds(scope: AccountScope, account: SmtpAccount): number {
    const cooldown = this.#cooldowns.cooldown(cooldownKey(scope, account));
    return cooldown ? Math.max(0, Math.ceil((cooldown.until - this.#now()) / 1000)) : 0;
  }

  /** Tests the account. Throws `smtp.testCooldown` (with `seconds`) while a cooldown runs. */
  async run(request: ConnectionCheckRequest, signal?: AbortSignal): Promise<ConnectionCheckReport> {
    const { scope, account } = request;
    const waiting = this.cooldownSeconds(scope, account);
    if (waiting > 0) throw new KurierError('smtp.testCooldown', { seconds: waiting });
    const provider = oauthProviderOf(account);
    if (provider !== null) {
      // Like a saved password, the sign-in's token goes only to the server of the saved account.
      const credential = await this.#o.logins.credential(scope, account);
      const withheld =
        !sameLogin(this.#o.prefs.savedAccount(scope), account) || (credential.kind === 'oauth2' && credential.withheld === true);
      return this.#report(
        scope,
        account,
        await this.#test(account, credential, request, signal, { tokenWithheld: withheld }),
        signal,
      );
    }
    const guard = this.#o.prefs.loginState(scope);
    // The saved password goes only to the destination it was saved for (see bound-secret.ts): a form
    // pointed at another host, port, security or user must have the password typed again.
    const saved =
      request.password.action === 'keep' && account.username !== '' ? await this.#o.prefs.smtpLogin(scope, account) : null;
    const usesSaved = saved?.status === 'ok';
    const typed = request.password.action === 'set' ? request.password : null;
    // A typed password crosses an unencrypted connection only when the user said it may.
    const withheld =
      saved?.status === 'withheld'
        ? saved.withheld
        : typed && account.security === 'none' && typed.acceptPlainText !== true
          ? { reason: 'plainText' as const, now: destinationText(account) }
          : null;
    const password = withheld ? null : typed ? typed.value : saved?.status === 'ok' ? saved.password : null;
    // A typed password this server has already rejected is not sent again: the answer would be the same,
    // and every further failure brings the mailbox closer to a lockout.
    const typedRejected = typed !== null && (await this.#o.prefs.wasRejected(scope, account, typed.value));
    const result = await this.#test(account, passwordCredential(password), request, signal, {
      passwordRejected: (usesSaved && guard.isPasswordRejected()) || typedRejected,
      ...(withheld ? { passwordWithheld: withheld } : {}),
    });
    const authStep = result.steps.find((step) => step.step === 'auth');
    if (authStep?.status === 'ok') this.#cooldowns.clearCooldown(cooldownKey(scope, account));
    if (authStep?.error?.code === 'smtp.authRejected') {
      if (usesSaved) guard.markPasswordRejected(String(authStep.error.details.response ?? ''));
      else if (typed) await this.#o.prefs.rememberRejected(scope, account, typed.value);
      this.#startCooldown(cooldownKey(scope, account));
    }
    return this.#report(scope, account, result, signal);
  }

  #test(
    account: SmtpAccount,
    credential: SmtpCredential,
    request: ConnectionCheckRequest,
    signal: AbortSignal | undefined,
    lockout: Pick<ConnectionTestOptions, 'passwordRejected' | 'passwordWithheld' | 'tokenWithheld'> = {},
  ): Promise<ConnectionTestResult> {
    return testSmtpConnection(account, credential, {
      ...this.#o.testOptions,
      ...lockout,
      cipherStrength: account.cipherStrength,
      logger: this.#o.logger,
      ...(request.testMessage ? { testMessage: request.testMessage } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  async #report(
    scope: AccountScope,
    account: SmtpAccount,
    result: ConnectionTestResult,
    signal: AbortSignal | undefined,
  ): Promise<ConnectionCheckReport> {
    this.#o.logger.info('connectionTested', {
      scope,
      host: account.host,
      port: account.port,
      ok: result.ok,
      failedStep: result.ok ? '' : result.failedStep,
    });
    return {
      result,
      spf: await this.#spf(account, result, signal),
      provider: providerHint(account),
      cooldownSeconds: this.cooldownSeconds(scope, account),
    };
  }

  #startCooldown(key: string): void {
    const failures = (this.#cooldowns.cooldown(key)?.failures ?? 0) + 1;
    const seconds = loginCooldownSeconds[Math.min(failures, loginCooldownSeconds.length) - 1] ?? 300;
    this.#cooldowns.setCooldown(key, { failures, until: this.#now() + seconds * 1000 });
  }

  /** SPF of the sender's domain against the addresses the test connected to (none when DNS failed). */
  async #spf(account: SmtpAccount, result: ConnectionTestResult, signal: AbortSignal | undefined): Promise<SpfCheck | null> {
    const dns = result.steps.find((step) => step.step === 'dns');
    const addresses = typeof dns?.facts.addresses === 'string' ? dns.facts.addresses.split(', ').filter((a) => a !== '') : [];
    if (dns?.status !== 'ok' || addresses.length === 0) return null;
    try {
      return await checkSpf(
        { senderAddress: account.senderAddress, serverHost: account.host, serverAddresses: addresses },
        {
          resolver: this.#o.spfResolver(),
          ...(this.#o.spfTimeoutMs ? { timeoutMs: this.#o.spfTimeoutMs } : {}),
          ...(signal ? { signal } : {}),
        },
      );
    } catch (error) {
      this.#o.logger.warn('spfCheckFailed', { error: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function cooldownKey(scope: AccountScope, account: SmtpAccount): string {
  return `${scope}|${normalHost(account.host)}|${account.username.trim().toLowerCase()}`;
}

/** Whether `form` logs in where `saved` does: same server, port, security and user name. */
function sameLogin(saved: SmtpAccount | null, form: SmtpAccount): boolean {
  return (
    saved !== null &&
    normalHost(saved.host) === normalHost(form.host) &&
    saved.port === form.port &&
    saved.security === form.security &&
    saved.username === form.username
  );
}

function providerHint(account: SmtpAccount): ProviderHint | null {
  const domain = account.senderAddress.slice(account.senderAddress.lastIndexOf('@') + 1);
  const host = account.host.trim().toLowerCase();
  const provider = smtpProviders.find((candidate) => candidate.host === host) ?? findProviderByDomain(domain);
  return provider ? { providerId: provider.id, displayName: provider.displayName, authHint: provider.authHint } : null;
}
