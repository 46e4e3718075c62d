/**
 * The login an SMTP account uses right now: its saved password, or its sign-in's access token. Sending,
 * batches and the connection test all ask here, so every one of them treats the two the same way.
 */
import { oauthProviderOf, type AccountScope, type SmtpAccount } from '../../../shared/prefs';
import type { LoginGuardState } from '../mail/login-guard';
import { passwordCredential, type SmtpCredential } from '../mail/smtp-credential';
import type { PreferencesService } from '../prefs/preferences-service';
import type { OAuthService } from './oauth-service';

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
    if (provider === null) return passwordCredential(await this.#prefs.smtpPassword(scope));
    const state = await this.#oauth.state(scope);
    return {
      kind: 'oauth2',
      user: state.account?.address || account.username || account.senderAddress,
      accessToken: (renew) => this.#oauth.accessToken(scope, provider, renew),
    };
  }

  /** The lockout rule of `scope`'s account (passwords only). */
  guard(scope: AccountScope, account: SmtpAccount): LoginGuardState {
    return oauthProviderOf(account) === null ? this.#prefs.loginState(scope) : noLockout;
  }
}
