/**
 * The login an SMTP account uses right now: its saved password, or its sign-in's access token. Sending,
 * batches and the connection test all ask here, so every one of them treats the two the same way.
 */
import { KurierError } from '../../../shared/errors';
import { oauthProviderOf, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import type { LoginGuardState } from '../secrets/login-guard';
import { passwordCredential, withheldCredential, type SmtpCredential } from './smtp-credential';
import type { PreferencesService } from '../prefs/preferences-service';
import type { OAuthService } from '../oauth/oauth-service';

// A sign-in has no password to lock out: the provider, not the mail server, decides about tokens.
const noLockout: LoginGuardState = { isPasswordRejected: () => false, markPasswordRejected: () => undefined };

/** Credentials and lockout state per account scope. */
export class SmtpLogins {
  readonly #prefs: PreferencesService;
  readonly #oauth: OAuthService;

  constructor(prefs: PreferencesService, oauth: OAuthService) {
    this.#prefs = prefs;
    this.#oauth = oauth;
  }

  /** How `scope`'s `account` logs in. */
  async credential(scope: AccountScope, account: SmtpAccount): Promise<SmtpCredential> {
    const provider = oauthProviderOf(account);
    if (provider === null) {
      if (account.username === '') return passwordCredential(null);
      const lookup = await this.#prefs.smtpLogin(scope, account);
      if (lookup.status === 'withheld') return withheldCredential(lookup.withheld);
      return passwordCredential(lookup.status === 'ok' ? lookup.password : null);
    }
    const state = await this.#oauth.state(scope);
    const host = account.host.trim().toLowerCase().replace(/\.$/, '');
    // An access token goes only to its provider's own SMTP servers, and never unencrypted: a file
    // pointed at another server must not receive a token that works at Microsoft or Google.
    const allowed = this.#oauth.smtpHosts(provider).includes(host) && account.security !== 'none';
    return {
      kind: 'oauth2',
      user: state.account?.address || account.username || account.senderAddress,
      accessToken: (renew) =>
        allowed
          ? this.#oauth.accessToken(scope, provider, renew)
          : Promise.reject(new KurierError('oauth.tokenWithheld', { host: account.host, port: account.port })),
      ...(allowed ? {} : { withheld: true }),
    };
  }

  /** The lockout rule of `scope`'s account (passwords only). */
  guard(scope: AccountScope, account: SmtpAccount): LoginGuardState {
    return oauthProviderOf(account) === null ? this.#prefs.loginState(scope) : noLockout;
  }
}
