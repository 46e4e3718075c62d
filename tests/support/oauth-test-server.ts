/**
 * A real OAuth2 / OpenID Connect server on 127.0.0.1 (the `oauth2-mock-server` package) standing in for
 * Microsoft's and Google's identity platforms: an authorize endpoint that redirects back with a code, a
 * token endpoint that checks the PKCE verifier and issues signed JWT access tokens with refresh tokens.
 * On top of it this keeps what a test needs to see and steer: every token issued, the PKCE challenge
 * and redirect of each authorization, revoked refresh tokens, a consent the user denies, a client the
 * provider does not know, and a verifier for the access tokens that the SMTP server calls.
 */
import { createHash, createPublicKey, randomUUID, verify, type JsonWebKey } from 'node:crypto';
import { OAuth2Server } from 'oauth2-mock-server';
import { onTestFinished } from 'vitest';
import type { ProviderEndpoints } from '../../electron/services/oauth/oauth-client';
import type { OAuthProvider } from '../../shared/prefs';

/** What the server saw and issued. */
export interface OAuthTestServer {
  readonly url: string;
  /** Endpoints for Kurier's office preferences. */
  readonly app: { clientId: string; clientSecret: string; tenant: string; authorizeUrl: string; tokenUrl: string };
  /**
   * This server as both providers' fixed endpoints (the composition root's test seam); its tokens may
   * go to SMTP servers on 127.0.0.1.
   */
  readonly endpoints: Readonly<Record<OAuthProvider, ProviderEndpoints>>;
  /** Each authorization request's query (redirect_uri, state, code_challenge, scope, …). */
  readonly authorizations: URLSearchParams[];
  /** Each token request's form fields (grant_type, code_verifier, refresh_token, …). */
  readonly tokenRequests: Record<string, string>[];
  /** Access and refresh tokens issued, newest last. */
  readonly issued: { accessToken: string; refreshToken: string | null }[];
  /** Refresh tokens the user revoked: refreshing with them gets `invalid_grant`. */
  readonly revoked: Set<string>;
  /** Knobs: deny the next consents, reject the client (unknown app), the mailbox the ID token names. */
  readonly behaviour: { denyConsent: boolean; unknownClient: boolean; email: string };
  /** Whether `token` is an access token this server signed, unexpired, for the SMTP scope. */
  isValidAccessToken(token: string, scope: string): boolean;
  /** Acts as the user's browser: opens the consent URL, follows the redirect back; the final page. */
  browse(authorizeUrl: string): Promise<{ status: number; text: string }>;
}

/** Starts the server; it stops when the test ends. */
export async function startOAuthTestServer(): Promise<OAuthTestServer> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  onTestFinished(() => server.stop());
  const url = server.issuer.url ?? '';
  const jwks = (await (await fetch(`${url}/jwks`)).json()) as { keys: JsonWebKey[] };
  const keys = jwks.keys.map((key) => createPublicKey({ key, format: 'jwk' }));

  const authorizations: URLSearchParams[] = [];
  const tokenRequests: Record<string, string>[] = [];
  const issued: { accessToken: string; refreshToken: string | null }[] = [];
  const revoked = new Set<string>();
  const grantedScopes = new Map<string, string>();
  const behaviour = { denyConsent: false, unknownClient: false, email: 'ucetni@kancelar.example' };

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: { url?: string }) => {
    const query = new URL(req.url ?? '/', url).searchParams;
    authorizations.push(query);
    const code = redirect.url.searchParams.get('code');
    if (code !== null) grantedScopes.set(code, query.get('scope') ?? '');
    if (behaviour.denyConsent) {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
      redirect.url.searchParams.set(
        'error_description',
        'The user has denied access to the scope requested by the client application.',
      );
    }
  });
  // A real provider grants the scopes consented to at the authorize step; the mock would say "dummy".
  server.service.on(
    'beforeTokenSigning',
    (token: { payload: Record<string, unknown> }, req: { body: Record<string, string> }) => {
      token.payload.email = behaviour.email;
      // Real tokens are unique; two signed in the same second must not come out identical.
      token.payload.jti = randomUUID();
      const granted = grantedScopes.get(req.body.code ?? '');
      if (granted !== undefined && typeof token.payload.scope === 'string') token.payload.scope = granted;
    },
  );
  server.service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown>; statusCode: number }, req: { body: Record<string, string> }) => {
      tokenRequests.push({ ...req.body });
      if (behaviour.unknownClient) {
        response.statusCode = 400;
        response.body = {
          error: 'unauthorized_client',
          error_description: "AADSTS700016: Application with identifier 'kurier-test' was not found in the directory 'Kancelář'.",
        };
        return;
      }
      if (req.body.grant_type === 'refresh_token' && revoked.has(req.body.refresh_token ?? '')) {
        response.statusCode = 400;
        response.body = {
          error: 'invalid_grant',
          error_description: 'AADSTS70008: The refresh token has expired or was revoked.',
        };
        return;
      }
      issued.push({
        accessToken: String(response.body.access_token),
        refreshToken: typeof response.body.refresh_token === 'string' ? response.body.refresh_token : null,
      });
    },
  );

  return {
    url,
    app: {
      clientId: 'kurier-test-client',
      clientSecret: '',
      tenant: 'common',
      authorizeUrl: `${url}/authorize`,
      tokenUrl: `${url}/token`,
    },
    endpoints: {
      microsoft: { authorizeUrl: `${url}/authorize`, tokenUrl: `${url}/token`, smtpHosts: ['127.0.0.1'] },
      google: { authorizeUrl: `${url}/authorize`, tokenUrl: `${url}/token`, smtpHosts: ['127.0.0.1'] },
    },
    authorizations,
    tokenRequests,
    issued,
    revoked,
    behaviour,
    isValidAccessToken(token, scope) {
      const [header, payload, signature] = token.split('.');
      if (header === undefined || payload === undefined || signature === undefined) return false;
      const signed = Buffer.from(`${header}.${payload}`);
      if (!keys.some((key) => verify('sha256', signed, key, Buffer.from(signature, 'base64url')))) return false;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        exp?: number;
        scope?: string;
        iss?: string;
      };
      return claims.iss === url && (claims.exp ?? 0) * 1000 > Date.now() && (claims.scope ?? '').split(' ').includes(scope);
    },
    async browse(authorizeUrl) {
      const response = await fetch(authorizeUrl, { redirect: 'follow' });
      return { status: response.status, text: await response.text() };
    },
  };
}

/** base64url(SHA-256(verifier)): what an S256 challenge must be. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
