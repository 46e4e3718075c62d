/**
 * The provider side of OAuth2 for SMTP: which endpoints and scopes each provider uses, and the two
 * token-endpoint calls (authorization code with PKCE, and refresh). Every provider answer is turned
 * into one of our error codes; the tokens themselves never reach a log or an error's details.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KurierError } from '../../../shared/errors';
import { googleEndpoints, microsoftEndpoints, oauthSmtpHosts, type OAuthApp, type OAuthProvider } from '../../../shared/prefs';

/** The scopes Kurier asks for. `openid email` only names the signed-in mailbox. */
export const oauthScopes: Readonly<Record<OAuthProvider, readonly string[]>> = {
  // `common`: work, school and personal accounts; offline_access gives a refresh token.
  microsoft: ['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'email'],
  google: ['https://mail.google.com/', 'openid', 'email'],
};

/** One provider's endpoints with the tenant filled in, and the client Kurier is registered as. */
export interface OAuthClient {
  readonly provider: OAuthProvider;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * Where a provider signs in, takes tokens and accepts them: fixed in code, never read from preferences
 * (anyone who can write the office file could otherwise receive the code, its PKCE verifier and the
 * refresh token). Only tests pass other endpoints, through the composition root.
 */
export interface ProviderEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** The SMTP servers its access tokens may be sent to. */
  readonly smtpHosts: readonly string[];
}

/** Microsoft's and Google's endpoints. */
export const providerEndpoints: Readonly<Record<OAuthProvider, ProviderEndpoints>> = {
  microsoft: { ...microsoftEndpoints, smtpHosts: oauthSmtpHosts('microsoft') },
  google: { ...googleEndpoints, smtpHosts: oauthSmtpHosts('google') },
};

/** The client for `provider` from the office's registration; throws `oauth.notRegistered` without a client ID. */
export function oauthClient(
  provider: OAuthProvider,
  app: OAuthApp,
  endpoints: ProviderEndpoints = providerEndpoints[provider],
): OAuthClient {
  if (app.clientId.trim() === '') throw new KurierError('oauth.notRegistered', { provider });
  const tenant = encodeURIComponent(app.tenant.trim() === '' ? 'common' : app.tenant.trim());
  return {
    provider,
    authorizeUrl: endpoints.authorizeUrl.replaceAll('{tenant}', tenant),
    tokenUrl: endpoints.tokenUrl.replaceAll('{tenant}', tenant),
    clientId: app.clientId.trim(),
    clientSecret: app.clientSecret.trim(),
  };
}

/** A PKCE pair (RFC 7636, S256): the verifier stays in main, the challenge goes to the browser. */
export function pkcePair(): { readonly verifier: string; readonly challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The consent page's address. */
export function authorizeUrl(
  client: OAuthClient,
  request: { redirectUri: string; state: string; challenge: string; loginHint: string },
): string {
  const url = new URL(client.authorizeUrl);
  const params: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: request.redirectUri,
    scope: oauthScopes[client.provider].join(' '),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    // Google gives a refresh token only for offline access, and again only when consent is asked.
    ...(client.provider === 'google' ? { access_type: 'offline', prompt: 'consent' } : { prompt: 'select_account' }),
    ...(request.loginHint !== '' ? { login_hint: request.loginHint } : {}),
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** What the token endpoint gave. */
export interface TokenSet {
  readonly accessToken: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** Absent when the provider keeps the old one (a refresh need not rotate it). */
  readonly refreshToken: string | null;
  /** The mailbox, from the ID token's `email` or `preferred_username`; empty when not told. */
  readonly address: string;
}

/** How to reach the token endpoint (tests and the app pass `fetch`). */
export interface TokenRequestOptions {
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly timeoutMs?: number;
}

/** Exchanges an authorization code for tokens, proving possession of the PKCE verifier. */
export function exchangeCode(
  client: OAuthClient,
  grant: { code: string; verifier: string; redirectUri: string },
  options: TokenRequestOptions = {},
): Promise<TokenSet> {
  return tokenRequest(
    client,
    { grant_type: 'authorization_code', code: grant.code, code_verifier: grant.verifier, redirect_uri: grant.redirectUri },
    options,
  );
}

/** A new access token from the refresh token; `oauth.signInAgain` when the provider no longer accepts it. */
export function refreshTokens(client: OAuthClient, refreshToken: string, options: TokenRequestOptions = {}): Promise<TokenSet> {
  return tokenRequest(
    client,
    { grant_type: 'refresh_token', refresh_token: refreshToken, scope: oauthScopes[client.provider].join(' ') },
    options,
  );
}

interface TokenResponse {
  readonly access_token?: unknown;
  readonly expires_in?: unknown;
  readonly refresh_token?: unknown;
  readonly id_token?: unknown;
  readonly error?: unknown;
  readonly error_description?: unknown;
}

async function tokenRequest(
  client: OAuthClient,
  fields: Record<string, string>,
  options: TokenRequestOptions,
): Promise<TokenSet> {
  const body = new URLSearchParams({
    ...fields,
    client_id: client.clientId,
    ...(client.clientSecret !== '' ? { client_secret: client.clientSecret } : {}),
  });
  const host = new URL(client.tokenUrl).host;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new KurierError('oauth.network', { host }, { cause: error });
  }
  let json: TokenResponse;
  try {
    json = (await response.json()) as TokenResponse;
  } catch (error) {
    throw new KurierError('oauth.failed', { host, response: `HTTP ${String(response.status)}` }, { cause: error });
  }
  if (!response.ok || typeof json.access_token !== 'string')
    throw providerError(json, host, fields.grant_type === 'refresh_token');
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? 3600);
  return {
    accessToken: json.access_token,
    expiresAt: (options.now ?? Date.now)() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    refreshToken: typeof json.refresh_token === 'string' && json.refresh_token !== '' ? json.refresh_token : null,
    address: typeof json.id_token === 'string' ? mailboxOf(json.id_token) : '',
  };
}

/**
 * The provider's refusal as our error. Microsoft's AADSTS codes say which: 700016 (no such app in
 * the tenant), 90002 (no such tenant), 50194 (app not multi-tenant), 7000218 (public client flows
 * off), 65001 (consent missing), 70000/70008/700082 (grant expired or revoked).
 */
export function providerError(
  json: { error?: unknown; error_description?: unknown },
  host: string,
  refreshing: boolean,
): KurierError {
  const error = typeof json.error === 'string' ? json.error : '';
  const description = typeof json.error_description === 'string' ? json.error_description.replace(/[\r\n]+/g, ' ') : '';
  const response = `${error}${description !== '' ? `: ${description}` : ''}`.slice(0, 300);
  if (error === 'access_denied' || /AADSTS65004\b/.test(description))
    return new KurierError('oauth.consentDenied', { host, response });
  if (
    error === 'invalid_client' ||
    error === 'unauthorized_client' ||
    /AADSTS(700016|90002|50194|7000218|700054)\b/.test(description)
  ) {
    return new KurierError('oauth.clientRejected', { host, response });
  }
  if (error === 'invalid_grant' || error === 'interaction_required' || error === 'consent_required') {
    return new KurierError(refreshing ? 'oauth.signInAgain' : 'oauth.failed', { host, response });
  }
  return new KurierError('oauth.failed', { host, response: response === '' ? 'no token in the answer' : response });
}

/**
 * The mailbox named in an ID token. The token came straight from the provider's token endpoint over a
 * verified connection (OpenID Connect Core §3.1.3.7 allows TLS in place of the signature check here),
 * and it only labels the account: the mail server decides what the access token may do.
 */
function mailboxOf(idToken: string): string {
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const claim of ['email', 'preferred_username', 'upn']) {
      const value = payload[claim];
      if (typeof value === 'string' && value.includes('@')) return value.trim();
    }
  } catch {
    // Not a JWT: no label.
  }
  return '';
}
