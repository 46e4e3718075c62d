/**
 * The Content-Security-Policy of every Kurier page, sent as a header by both shells and repeated in
 * the HTML. No inline scripts, no eval, no remote anything; `connect-src 'self'` admits the web shell's
 * same-origin WebSocket.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The WebSocket subprotocol of the web shell's calls; the server answers with it. */
export const socketProtocol = 'kurier';

/**
 * The subprotocol carrying the web shell's socket token (`kurier.<token>`), offered beside
 * {@link socketProtocol}; it is also the fragment of the address the start URL redirects to.
 */
export function socketTokenProtocol(token: string): string {
  return `${socketProtocol}.${token}`;
}
