/**
 * Turns what nodemailer and Node report into one of our error codes with the facts a user needs.
 * Classification is by server reply code first (the same EENVELOPE can be a 421 or a 550), then by
 * socket/TLS evidence. A greeting that never arrives is ambiguous — a slow server, a firewall, or an
 * implicit-TLS port spoken to in plain text — so it is settled by a short TLS probe.
 */
import { connect, rootCertificates } from 'node:tls';
import { KurierError, type ErrorDetails } from '../../../shared/errors';
import type { ConnectionSecurity } from '../../../shared/prefs';
import { withDeadline } from '../time/deadline';
import { replyMeaning } from './smtp-reply';

/** Where the failed connection went. */
export interface SmtpTarget {
  readonly host: string;
  readonly port: number;
  readonly security: ConnectionSecurity;
}

/** The fields nodemailer puts on its errors (all optional: plain Node errors arrive too). */
interface NodemailerError {
  readonly code?: string;
  readonly errno?: number;
  readonly command?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly message?: string;
  readonly reason?: string;
}

const certificateReasons: readonly (readonly [RegExp, string])[] = [
  [/self[- ]signed certificate in certificate chain/i, 'selfSignedChain'],
  [/self[- ]signed certificate/i, 'selfSigned'],
  [/certificate has expired/i, 'expired'],
  [/certificate is not yet valid/i, 'notYetValid'],
  [/does not match certificate's altnames|hostname\/ip does not match/i, 'hostnameMismatch'],
  [/unable to (get local issuer|verify the first) certificate|unable to verify leaf signature/i, 'unknownIssuer'],
  [/certificate (revoked|signature failure)|CERT_/i, 'invalid'],
];

// The server and Kurier share no protocol version or cipher at the chosen cipher strength.
const noCommonTls =
  /unsupported protocol|protocol version|no protocols available|no shared cipher|handshake failure|no ciphers available/i;

const plainTextOnTlsPort = /wrong version number|packet length too long|unknown protocol|record layer failure|http request/i;

/** `DNS:mail.example, IP Address:127.0.0.1` as `mail.example, 127.0.0.1`; a dash when there are none. */
export function certificateNames(subjectAltNames: string): string {
  const names = subjectAltNames
    .split(',')
    .map((name) => name.trim().replace(/^(DNS|IP Address):/u, ''))
    .filter((name) => name !== '');
  return names.length === 0 ? '–' : names.join(', ');
}

/** A one-line, bounded copy of a server reply, safe to show. */
function replyText(response: string | undefined): string {
  return (response ?? '').replace(/[\r\n]+/g, ' ').slice(0, 300);
}

/** Maps an error to a KurierError; `probe` decides greeting timeouts (injectable for tests). */
export async function classifySmtpError(
  error: unknown,
  target: SmtpTarget,
  context: { readonly sender: string; readonly recipients: readonly string[] },
  probe: (target: SmtpTarget) => Promise<boolean> = probeImplicitTls,
): Promise<KurierError> {
  if (error instanceof KurierError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const where: ErrorDetails = { host: target.host, port: target.port };
  const message = e.message ?? '';
  const response = replyText(e.response);

  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(message)) {
    return new KurierError('smtp.hostNotFound', where, { cause: error });
  }
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(message)) {
    return new KurierError('smtp.connectionRefused', where, { cause: error });
  }
  if (/does not match certificate's altnames|hostname\/ip does not match/iu.test(message)) {
    // Node's name check attaches the certificate it judged: say which names it is issued for.
    const names = (error as { readonly cert?: { readonly subjectaltname?: string } }).cert?.subjectaltname ?? '';
    return new KurierError('smtp.certificateNameMismatch', { ...where, names: certificateNames(names) }, { cause: error });
  }
  const certificate = certificateReasons.find(([pattern]) => pattern.test(message));
  if (certificate) {
    return new KurierError('smtp.certificateUntrusted', { ...where, reason: certificate[1] }, { cause: error });
  }
  if (plainTextOnTlsPort.test(message) || plainTextOnTlsPort.test(e.reason ?? '')) {
    return new KurierError('smtp.tlsModeMismatch', { ...where, expected: 'starttls', suggestedPort: 587 }, { cause: error });
  }
  if (noCommonTls.test(message)) return new KurierError('smtp.tlsFailed', { ...where, reason: 'noCommonTls' }, { cause: error });
  if (e.code === 'ETIMEDOUT' && /greeting/i.test(message) && target.security !== 'ssl' && (await probe(target))) {
    return new KurierError('smtp.tlsModeMismatch', { ...where, expected: 'ssl', suggestedPort: 465 }, { cause: error });
  }
  if (e.code === 'ETIMEDOUT') return new KurierError('smtp.timeout', where, { cause: error });
  // With requireTLS nodemailer sends STARTTLS even when it is not offered; a refusal means no encryption.
  if ((e.code === 'ETLS' && e.command === 'STARTTLS') || /does not support required STARTTLS/iu.test(message)) {
    return new KurierError('smtp.starttlsUnavailable', { ...where, response }, { cause: error });
  }
  if (e.code === 'ETLS') return new KurierError('smtp.tlsFailed', { ...where, response }, { cause: error });
  return classifyReply(e, where, response, context, error);
}

function classifyReply(
  e: NodemailerError,
  where: ErrorDetails,
  response: string,
  context: { readonly sender: string; readonly recipients: readonly string[] },
  cause: unknown,
): KurierError {
  const code = e.responseCode ?? 0;
  // 530 "authentication required" arrives at MAIL FROM when no user name is set: the fix is the same
  // as for a rejected login.
  const atLogin = e.code === 'EAUTH' || e.code === 'ENOAUTH' || code === 530;
  if (code === 0 && !atLogin) {
    if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EPROTOCOL')
      return new KurierError('smtp.connectionLost', where, { cause });
    return new KurierError('internal.unexpected', {}, { cause });
  }
  const meaning = replyMeaning({ code, response, command: atLogin ? 'AUTH' : e.command });
  const recipients = context.recipients.join(', ');
  switch (meaning) {
    case 'authDisabled':
      return new KurierError('smtp.authDisabled', { ...where, response }, { cause });
    case 'basicAuthRetired':
      return new KurierError('smtp.basicAuthRetired', { ...where, response }, { cause });
    case 'authRejected':
      return new KurierError('smtp.authRejected', { ...where, response }, { cause });
    case 'authRefused':
      return new KurierError('smtp.authRefused', { ...where, response: response || '–' }, { cause });
    case 'authTemporary':
      // 454 4.7.0 and Microsoft's 432 4.3.2 are temporary: the password may be fine, so it must not
      // be marked as rejected.
      return new KurierError('smtp.temporarilyRejected', { ...where, response }, { cause });
    case 'quota':
      return new KurierError('smtp.quotaExceeded', { ...where, response }, { cause });
    case 'rateLimit':
      return new KurierError('smtp.rateLimited', { ...where, response }, { cause });
    case 'senderRejected':
      return new KurierError('smtp.senderRejected', { address: context.sender, response }, { cause });
    case 'recipientUnknown':
      return new KurierError('smtp.recipientRejected', { address: recipients, response }, { cause });
    case 'mailboxFull':
      return new KurierError('smtp.mailboxFull', { address: recipients, response }, { cause });
    case 'tooLarge':
      return new KurierError('smtp.messageTooLarge', { ...where, response }, { cause });
    case 'tooManyRecipients':
      return new KurierError('smtp.tooManyRecipients', { ...where, response }, { cause });
    case 'policy':
      return new KurierError('smtp.policyRejected', { ...where, response }, { cause });
    case 'busy':
    case 'temporary':
      return new KurierError('smtp.temporarilyRejected', { ...where, response }, { cause });
    case 'permanent':
      // A plain 5xx to a recipient is about that recipient; anywhere else the server said no more.
      return e.command === 'RCPT TO'
        ? new KurierError('smtp.recipientRejected', { address: recipients, response }, { cause })
        : new KurierError('smtp.rejected', { ...where, response }, { cause });
    default:
      return unreachable(meaning);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected reply meaning ${String(value)}`);
}

/** How {@link tlsHandshake} connects. */
export interface TlsHandshakeOptions {
  readonly timeoutMs?: number;
  /** The name the certificate must carry (SNI); by default the target's host unless it is an IP address. */
  readonly servername?: string;
  /** Check the certificate (with `ca` trusted besides the system's); off: only learn the protocol. */
  readonly verify?: boolean;
  readonly ca?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Whether the handshake completed; when not, why (a socket error, the timeout, the caller's abort). */
export type TlsHandshakeOutcome = { readonly secure: true } | { readonly secure: false; readonly error: unknown };

/**
 * Tries a TLS handshake with `target` straight away (an implicit-TLS port) and hangs up: no application
 * data is sent. The one probe of the kind: the connection test asks which protocol a silent port speaks,
 * detection asks whether port 465 answers with a certificate for the host.
 */
export async function tlsHandshake(
  target: Pick<SmtpTarget, 'host' | 'port'>,
  options: TlsHandshakeOptions = {},
): Promise<TlsHandshakeOutcome> {
  const servername = options.servername ?? (/^[\d.:]+$/.test(target.host) ? undefined : target.host);
  const socket = connect({
    host: target.host,
    port: target.port,
    rejectUnauthorized: options.verify === true,
    ...(servername !== undefined ? { servername } : {}),
    ...(options.ca ? { ca: [...rootCertificates, ...options.ca] } : {}),
  });
  const handshake = new Promise<TlsHandshakeOutcome>((resolve) => {
    socket.once('secureConnect', () => {
      resolve({ secure: true });
    });
    socket.once('error', (error) => {
      resolve({ secure: false, error });
    });
  });
  try {
    return await withDeadline(handshake, options.timeoutMs ?? 5_000, {
      signal: options.signal,
      onTimeout: () => new Error('no TLS handshake in time'),
    });
  } catch (error) {
    return { secure: false, error };
  } finally {
    socket.destroy();
  }
}

/**
 * Whether `target` completes a TLS handshake straight away (an implicit-TLS port). The probe checks no
 * certificate: it only learns which protocol the port speaks; the real connection that follows verifies
 * the certificate as always.
 */
export async function probeImplicitTls(target: SmtpTarget, timeoutMs = 5_000): Promise<boolean> {
  return (await tlsHandshake(target, { timeoutMs })).secure;
}
