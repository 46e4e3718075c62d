/**
 * The account a batch sends with and the limits it keeps to: the user's bulk preferences, capped by what
 * a provider Kurier knows documents. The outbox worker asks for it each time it starts on an account.
 */
import { companyKeyOf, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import { findProviderByDomain, smtpProviders } from '../mail/provider-table';
import type { SmtpLogins } from '../mail/smtp-logins';
import type { BatchAccount } from '../outbox/outbox-worker';
import type { PreferencesService } from '../prefs/preferences-service';

/** What the accounts need. */
export interface SendingAccountsOptions {
  readonly prefs: PreferencesService;
  readonly logins: SmtpLogins;
  /** SMTP connections per batch (1–3); by default 2 for a provider Kurier knows, 1 otherwise. */
  readonly connections?: number;
  /**
   * Test-only (benchmarks): messages per minute and per day to use instead of the user's bulk
   * preferences, whose schema caps them at 600/min and 100,000/day; Infinity lifts the limit. A known
   * provider's documented limits still apply. The app never sets these.
   */
  readonly perMinute?: number;
  readonly perDay?: number;
}

/** Resolves sending accounts for the outbox. */
export class SendingAccounts {
  readonly #o: SendingAccountsOptions;

  constructor(options: SendingAccountsOptions) {
    this.#o = options;
  }

  /** The limits and connections a batch on `account` keeps to. */
  limitsFor(account: SmtpAccount): Pick<BatchAccount, 'perMinute' | 'perDay' | 'connections'> {
    const { bulk } = this.#o.prefs.resolved().effective;
    const host = account.host.trim().toLowerCase();
    const domain = account.senderAddress.slice(account.senderAddress.lastIndexOf('@') + 1);
    const provider = smtpProviders.find((candidate) => candidate.host === host) ?? findProviderByDomain(domain);
    const limits = provider?.limits;
    const providerDay = Math.min(limits?.perDay ?? Infinity, limits?.recipientsPerDay ?? Infinity);
    return {
      perMinute: Math.min(this.#o.perMinute ?? bulk.messagesPerMinute, limits?.perMinute ?? Infinity),
      perDay: Math.min(this.#o.perDay ?? bulk.messagesPerDay, providerDay),
      connections: this.#o.connections ?? (provider ? Math.min(2, limits?.maxConnections ?? 2) : 1),
    };
  }

  /** The account a batch of `scope` sends with right now. */
  async accountFor(scope: AccountScope): Promise<BatchAccount | null> {
    // Throws prefs.officeChangeUnconfirmed while an office change waits: the worker stops the batch
    // with that reason (its messages stay queued) until the user confirms.
    await this.#o.prefs.assertOfficeConfirmed();
    // A company's own account is its own scope; `user` and `global` send only while they are in force.
    // A company whose own account was removed chose the office default again: what it queued before
    // goes through the office's account — never a user's own mailbox, which nobody chose for the
    // company's clients — and stops (smtp.notConfigured) while the office has none.
    const sending = companyKeyOf(scope) !== null ? this.#companyAccount(scope) : this.#inForce(scope);
    if (!sending) return null;
    const { account } = sending;
    return {
      account,
      credential: await this.#o.logins.credential(sending.scope, account),
      loginState: this.#o.logins.guard(sending.scope, account),
      recheck: () => this.#o.prefs.assertOfficeConfirmed(),
      ...this.limitsFor(account),
    };
  }

  #companyAccount(scope: AccountScope): { readonly scope: AccountScope; readonly account: SmtpAccount } | null {
    const own = this.#o.prefs.savedAccount(scope);
    if (own) return { scope, account: own };
    const office = this.#o.prefs.savedAccount('global');
    return office ? { scope: 'global', account: office } : null;
  }

  #inForce(scope: AccountScope): { readonly scope: AccountScope; readonly account: SmtpAccount } | null {
    const inForce = this.#o.prefs.sendingAccount();
    return inForce?.scope === scope ? inForce : null;
  }
}
