/**
 * "Sign in with Microsoft / Google" for an SMTP account, and the access tokens sending needs.
 *
 * Sign-in (RFC 8252): `begin` starts a one-shot listener on 127.0.0.1 and returns the consent page's
 * address, which the window opens in the system browser (never an embedded one); `finish` waits for the
 * browser to come back, checks `state`, exchanges the code with the PKCE verifier, stores the tokens in
 * the keychain and answers the browser tab with a plain "you can close this tab" page.
 *
 * Tokens live only in the keychain (one entry per account scope) and in this object's memory; they never
 * reach preferences, logs, the database or a window. An access token is refreshed shortly before it
 * expires, and once more when the server rejects it. A refresh the provider refuses (revoked, expired)
 * marks the sign-in expired: sending stops with "sign in again" instead of failing every message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { KurierError } from '../../../shared/errors';
import type { Translate } from '../../../shared/i18n';
import type { AccountScope, accountScopes, OAuthApps, OAuthProvider, SignInState } from '../../../shared/prefs';
import type { Logger } from '../logging/logger';
import { scopedSecretKey, type SecretKey, type SecretStore } from '../secrets/secret-store';
import {
  authorizeUrl,
  exchangeCode,
  oauthClient,
  pkcePair,
  providerEndpoints,
  providerError,
  refreshTokens,
  type OAuthClient,
  type ProviderEndpoints,
  type TokenRequestOptions,
} from './oauth-client';
import { listenForRedirect, type LoopbackRedirect } from './loopback-redirect';

/** The keychain key of each scope's tokens. */
export const oauthTokenKeys: Readonly<Record<(typeof accountScopes)[number], SecretKey>> = {
  user: { scope: 'user', id: 'smtp:oauth' },
  global: { scope: 'global', id: 'smtp:oauth' },
};

/** The keychain key of any scope's tokens (a company's own account has its own). */
export function oauthTokenKey(scope: AccountScope): SecretKey {
  return scopedSecretKey(scope, 'smtp:oauth');
}

/** What is kept in the keychain for one scope. */
interface StoredSignIn {
  readonly provider: OAuthProvider;
  readonly address: string;
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly expiresAt: number;
  /** The provider refused the refresh token: the user must sign in again. */
  readonly expired: boolean;
  /**
   * The client the tokens were issued to: they are used only while the registration in force is the
   * same (see {@link OAuthService.accessToken}) and refreshed only at this token endpoint.
   */
  readonly boundTo: { readonly tokenUrl: string; readonly clientId: string };
}

/** What the service needs. */
export interface OAuthServiceOptions {
  readonly secrets: SecretStore;
  /** The registrations in force (office preferences, or the user's override). */
  readonly apps: () => OAuthApps;
  readonly logger: Logger;
  /** The translator for the page the browser tab shows at the end. */
  readonly translate: () => Translate;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** How long a sign-in waits for the browser (5 minutes by default). */
  readonly signInTimeoutMs?: number;
  /** Refresh this long before the access token expires (5 minutes by default). */
  readonly refreshMarginMs?: number;
  /** The providers' endpoints: fixed in code ({@link providerEndpoints}); tests pass local servers. */
  readonly endpoints?: Readonly<Record<OAuthProvider, ProviderEndpoints>>;
  /**
   * Throws while the office's app registrations (their endpoints) changed and wait for this user's
   * confirmation: a sign-in or a token refresh would send the user, or the refresh token, to them.
   */
  readonly assertAppsConfirmed?: () => Promise<void>;
}

interface Flow {
  readonly scope: AccountScope;
  readonly client: OAuthClient;
  readonly listener: LoopbackRedirect;
  readonly state: string;
  readonly verifier: string;
  result: Promise<SignInState> | null;
}

/** Signs accounts in and keeps their tokens fresh. */
export class OAuthService {
  readonly #o: OAuthServiceOptions;
  readonly #flows = new Map<string, Flow>();
  readonly #cache = new Map<AccountScope, StoredSignIn>();
  readonly #refreshing = new Map<AccountScope, Promise<StoredSignIn>>();
  readonly #signInListeners = new Set<(scope: AccountScope) => void>();

  constructor(options: OAuthServiceOptions) {
    this.#o = options;
  }

  /** Calls `listener` after each successful sign-in (batches stopped for it can go on); returns the unsubscribe. */
  onSignedIn(listener: (scope: AccountScope) => void): () => void {
    this.#signInListeners.add(listener);
    return () => this.#signInListeners.delete(listener);
  }

  /** Starts a sign-in: returns the consent page to open in the system browser. */
  async begin(
    scope: AccountScope,
    provider: OAuthProvider,
    loginHint: string,
  ): Promise<{ flowId: string; authorizeUrl: string }> {
    await this.#o.assertAppsConfirmed?.();
    const client = this.#client(provider);
    // One sign-in per scope at a time: a second press replaces the first.
    for (const [id, flow] of this.#flows) {
      if (flow.scope === scope) this.cancel(id);
    }
    const listener = await listenForRedirect({
      timeoutMs: this.#o.signInTimeoutMs ?? 5 * 60_000,
      timeoutError: () => new KurierError('oauth.timeout'),
    });
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(24).toString('base64url');
    const flowId = randomUUID();
    this.#flows.set(flowId, { scope, client, listener, state, verifier, result: null });
    this.#o.logger.info('signInStarted', { scope, provider });
    return { flowId, authorizeUrl: authorizeUrl(client, { redirectUri: listener.redirectUri, state, challenge, loginHint }) };
  }

  /** The SMTP servers `provider`'s access tokens may go to. */
  smtpHosts(provider: OAuthProvider): readonly string[] {
    return this.#endpoints(provider).smtpHosts;
  }

  /** Whether `url` is the consent page of a sign-in in progress (only those may open a browser). */
  isPendingAuthorizeUrl(url: string): boolean {
    if (!URL.canParse(url)) return false;
    const asked = new URL(url);
    // Parsed, not prefix-matched: `https://login.example.evil.example/?x=state=…` must not pass.
    return [...this.#flows.values()].some((flow) => {
      const page = new URL(flow.client.authorizeUrl);
      return (
        asked.origin === page.origin &&
        asked.pathname === page.pathname &&
        asked.username === '' &&
        asked.searchParams.get('state') === flow.state
      );
    });
  }

  /** Waits for the browser to come back and completes the sign-in. */
  finish(flowId: string): Promise<SignInState> {
    const flow = this.#flows.get(flowId);
    if (!flow) return Promise.reject(new KurierError('oauth.cancelled'));
    flow.result ??= this.#complete(flowId, flow);
    return flow.result;
  }

  /** Abandons a sign-in (the window was closed, or the user pressed Cancel). */
  cancel(flowId: string): void {
    const flow = this.#flows.get(flowId);
    if (!flow) return;
    this.#flows.delete(flowId);
    flow.listener.close(new KurierError('oauth.cancelled'));
  }

  /** Forgets `scope`'s tokens. */
  async signOut(scope: AccountScope): Promise<void> {
    this.#cache.delete(scope);
    await this.#o.secrets.delete(oauthTokenKey(scope));
    this.#o.logger.info('signedOut', { scope });
  }

  /** Who `scope` is signed in as; never a token. */
  async state(scope: AccountScope): Promise<SignInState> {
    const stored = await this.#load(scope);
    return stored
      ? { account: { provider: stored.provider, address: stored.address }, expired: stored.expired }
      : { account: null, expired: false };
  }

  /**
   * An access token for `scope` signed in with `provider`, refreshed when it expires within the margin,
   * or always when `renew` (the server rejected the last one). Throws `oauth.notSignedIn`,
   * `oauth.signInAgain`, `oauth.network` or another `oauth.*` error.
   */
  async accessToken(scope: AccountScope, provider: OAuthProvider, renew: boolean): Promise<string> {
    const stored = await this.#load(scope);
    if (!stored || stored.provider !== provider) throw new KurierError('oauth.notSignedIn', { provider });
    if (stored.expired) throw new KurierError('oauth.signInAgain', { provider, address: stored.address });
    // Tokens are used only with the registration they were issued to: a changed client ID (or, for a
    // test build, token endpoint) means the user signs in again — the tokens never reach the new one.
    const client = this.#client(provider);
    if (client.clientId !== stored.boundTo.clientId || client.tokenUrl !== stored.boundTo.tokenUrl) {
      throw new KurierError('oauth.signInChanged', {
        savedFor: `${provider} ${stored.boundTo.clientId} (${stored.address})`,
        now: `${provider} ${client.clientId}`,
      });
    }
    if (!renew && stored.expiresAt - this.#now() > (this.#o.refreshMarginMs ?? 5 * 60_000)) return stored.accessToken;
    await this.#o.assertAppsConfirmed?.();
    return (await this.#refresh(scope, stored)).accessToken;
  }

  async #complete(flowId: string, flow: Flow): Promise<SignInState> {
    const t = this.#o.translate();
    try {
      const arrival = await flow.listener.arrival;
      const { query } = arrival;
      try {
        if (query.get('state') !== flow.state) throw new KurierError('oauth.stateMismatch');
        // The provider's refusal, told apart the same way as a token endpoint's (consent, unknown app, …).
        if (query.get('error') !== null) {
          throw providerError(
            { error: query.get('error'), error_description: query.get('error_description') },
            new URL(flow.client.authorizeUrl).host,
            false,
          );
        }
        const code = query.get('code');
        if (code === null || code === '') throw new KurierError('oauth.failed', { response: 'no authorization code' });
        const tokens = await exchangeCode(
          flow.client,
          { code, verifier: flow.verifier, redirectUri: flow.listener.redirectUri },
          this.#tokenOptions(),
        );
        if (tokens.refreshToken === null)
          throw new KurierError('oauth.failed', { response: 'no refresh token (offline access not granted)' });
        const stored: StoredSignIn = {
          provider: flow.client.provider,
          address: tokens.address,
          refreshToken: tokens.refreshToken,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          expired: false,
          boundTo: { tokenUrl: flow.client.tokenUrl, clientId: flow.client.clientId },
        };
        await this.#save(flow.scope, stored);
        this.#o.logger.info('signedIn', { scope: flow.scope, provider: stored.provider });
        arrival.respond(200, page(t('oauth.browserDoneTitle'), t('oauth.browserDone')));
        for (const listener of [...this.#signInListeners]) listener(flow.scope);
        return { account: { provider: stored.provider, address: stored.address }, expired: false };
      } catch (error) {
        arrival.respond(400, page(t('oauth.browserFailedTitle'), t('oauth.browserFailed')));
        throw error;
      }
    } catch (error) {
      const reason =
        error instanceof KurierError
          ? error
          : new KurierError('oauth.failed', { response: 'unexpected error' }, { cause: error });
      this.#o.logger.warn('signInFailed', { scope: flow.scope, code: reason.code });
      throw reason;
    } finally {
      this.#flows.delete(flowId);
    }
  }

  /** One refresh per scope at a time: the connections of a batch share it. */
  #refresh(scope: AccountScope, stored: StoredSignIn): Promise<StoredSignIn> {
    const running = this.#refreshing.get(scope);
    if (running) return running;
    const refresh = (async () => {
      // The token endpoint and client the tokens were issued by, never what the files say now.
      const client: OAuthClient = { ...this.#client(stored.provider), ...stored.boundTo };
      try {
        const tokens = await refreshTokens(client, stored.refreshToken, this.#tokenOptions());
        const next: StoredSignIn = {
          ...stored,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          refreshToken: tokens.refreshToken ?? stored.refreshToken,
          address: tokens.address !== '' ? tokens.address : stored.address,
        };
        await this.#save(scope, next);
        this.#o.logger.info('tokenRefreshed', { scope, provider: stored.provider });
        return next;
      } catch (error) {
        if (error instanceof KurierError && error.code === 'oauth.signInAgain') {
          await this.#save(scope, { ...stored, accessToken: '', expiresAt: 0, expired: true });
          this.#o.logger.warn('signInExpired', { scope, provider: stored.provider });
          throw new KurierError('oauth.signInAgain', { provider: stored.provider, address: stored.address }, { cause: error });
        }
        throw error;
      }
    })();
    this.#refreshing.set(scope, refresh);
    void refresh.then(
      () => this.#refreshing.delete(scope),
      () => this.#refreshing.delete(scope),
    );
    return refresh;
  }

  async #load(scope: AccountScope): Promise<StoredSignIn | null> {
    const cached = this.#cache.get(scope);
    if (cached) return cached;
    const text = await this.#o.secrets.get(oauthTokenKey(scope));
    if (text === null) return null;
    try {
      const parsed = JSON.parse(text) as Partial<Record<keyof StoredSignIn, unknown>>;
      if (typeof parsed.refreshToken !== 'string' || (parsed.provider !== 'microsoft' && parsed.provider !== 'google'))
        return null;
      const boundTo = parsed.boundTo as Partial<StoredSignIn['boundTo']> | undefined;
      // Tokens saved before they were bound to their client: nothing says where they belong, so they
      // count as expired and the user signs in again (never refreshed at whatever the files say).
      const stored: StoredSignIn =
        typeof boundTo?.tokenUrl === 'string' && typeof boundTo.clientId === 'string'
          ? (parsed as unknown as StoredSignIn)
          : { ...(parsed as unknown as StoredSignIn), boundTo: { tokenUrl: '', clientId: '' }, expired: true };
      this.#cache.set(scope, stored);
      return stored;
    } catch {
      return null;
    }
  }

  async #save(scope: AccountScope, stored: StoredSignIn): Promise<void> {
    await this.#o.secrets.set(oauthTokenKey(scope), JSON.stringify(stored));
    this.#cache.set(scope, stored);
  }

  #endpoints(provider: OAuthProvider): ProviderEndpoints {
    return (this.#o.endpoints ?? providerEndpoints)[provider];
  }

  #client(provider: OAuthProvider): OAuthClient {
    return oauthClient(provider, this.#o.apps()[provider], this.#endpoints(provider));
  }

  #tokenOptions(): TokenRequestOptions {
    return { ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}), now: () => this.#now() };
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

/** The plain page the browser tab shows at the end; the texts are ours, never the provider's. */
function page(title: string, text: string): string {
  const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${String(c.codePointAt(0))};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5">
<h1 style="font-size:1.4rem">${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}
