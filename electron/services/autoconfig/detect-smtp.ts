/**
 * Finds the SMTP settings for an e-mail address, the way Thunderbird's account set-up does but in the
 * order the research notes (smtp-sending.md §4) suggest for Kurier: built-in table, the provider's
 * autoconfig file (https only), DNS SRV (RFC 6186/8314), MX matched against the table, then probing
 * `smtp.` and `mail.` hosts. Every network wait has the per-step timeout; the caller's signal stops all.
 *
 * What is found is a suggestion for the form, never used to log in unseen: DNS and probes are
 * unauthenticated (RFC 6186 §6), so the user confirms the host before a password is sent to it.
 */
import type { MxRecord, SrvRecord } from 'node:dns';
import net from 'node:net';
import { KurierError } from '../../../shared/errors';
import { isValidEmailAddress } from '../../../shared/mail-address';
import type {
  DetectedSmtpSettings,
  DetectionFailure,
  DetectionSource,
  DetectionStep,
  SmtpDetection,
  StepOutcome,
} from '../../../shared/diagnostics';
import type { ConnectionSecurity } from '../../../shared/smtp-security';
import {
  findProviderByDomain,
  findProviderByMxHost,
  normalizeDomain,
  usernameFor,
  type SmtpProvider,
} from '../mail/provider-table';
import { withDeadline } from '../time/deadline';
import { tlsHandshake } from '../mail/smtp-errors';
import { childText, parseXml, type XmlElement } from './autoconfig-xml';

export type {
  DetectedSmtpSettings,
  DetectionFailure,
  DetectionSource,
  DetectionStep,
  SmtpDetection,
  StepOutcome,
} from '../../../shared/diagnostics';

/** The part of `node:dns/promises` Resolver used here; `cancel` ends queries a timeout gave up on. */
export interface DnsResolver {
  resolveSrv(hostname: string): Promise<SrvRecord[]>;
  resolveMx(hostname: string): Promise<MxRecord[]>;
  cancel?(): void;
}

/** The part of a fetch Response read here. */
export interface FetchedResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

/** A fetch-like function; production passes `globalThis.fetch`. Redirects are followed here, by hand. */
export type FetchLike = (
  url: string,
  init: { readonly signal: AbortSignal; readonly redirect: 'manual'; readonly headers: Readonly<Record<string, string>> },
) => Promise<FetchedResponse>;

/** Where a probe really connects; tests map `smtp.<domain>:465` to a local port. */
export type ProbeTarget = (host: string, port: number) => { readonly host: string; readonly port: number };

/** What detection needs. */
export interface SmtpDetectionDeps {
  readonly resolver: DnsResolver;
  readonly fetch: FetchLike;
  /** Limit for each network wait (one URL, one DNS query, one probe). Default 5 s, as Thunderbird's. */
  readonly stepTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly probeTarget?: ProbeTarget;
  /** Extra PEM authorities for the TLS probe (a test CA); the system's are used otherwise. */
  readonly trustedCertificates?: readonly string[];
}

type Found = Omit<DetectedSmtpSettings, 'source'>;
type Attempt = { readonly outcome: StepOutcome; readonly found?: Found };
type Context = {
  readonly address: string;
  readonly domain: string;
  readonly deps: SmtpDetectionDeps;
  readonly timeoutMs: number;
};

const maxRedirects = 2;
const maxBodyBytes = 1024 * 1024;
const notFound: Attempt = { outcome: { status: 'notFound' } };
const failed = (reason: DetectionFailure, detail?: string): Attempt => ({
  outcome: detail === undefined ? { status: 'failed', reason } : { status: 'failed', reason, detail },
});
const found = (settings: Found): Attempt => ({ outcome: { status: 'found' }, found: settings });

/** Tries each source in turn and returns at the first settings found. Throws `mail.invalidAddress`. */
export async function detectSmtpSettings(address: string, deps: SmtpDetectionDeps): Promise<SmtpDetection> {
  if (!isValidEmailAddress(address)) throw new KurierError('mail.invalidAddress', {});
  const domain = normalizeDomain(address.slice(address.lastIndexOf('@') + 1));
  if (domain === '') throw new KurierError('mail.invalidAddress', {});
  const context: Context = { address, domain, deps, timeoutMs: deps.stepTimeoutMs ?? 5000 };
  const steps: DetectionStep[] = [];
  for (const [source, target, run] of plan(context)) {
    deps.signal?.throwIfAborted();
    const attempt = await run();
    steps.push({ source, target, outcome: attempt.outcome });
    if (attempt.found) return { steps, result: { ...attempt.found, source } };
  }
  return { steps, result: null };
}

function plan(context: Context): [DetectionSource, string, () => Promise<Attempt>][] {
  const { domain, address } = context;
  const autoconfigUrls = [
    `https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`,
    `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
  ];
  const probes: [string, number, ConnectionSecurity][] = [`smtp.${domain}`, `mail.${domain}`].flatMap(
    (host): [string, number, ConnectionSecurity][] => [
      [host, 465, 'ssl'],
      [host, 587, 'starttls'],
    ],
  );
  return [
    ['providerTable', domain, () => Promise.resolve(fromProvider(findProviderByDomain(domain), address))],
    ...autoconfigUrls.map((url): [DetectionSource, string, () => Promise<Attempt>] => [
      'autoconfig',
      url,
      () => withTimeout(context, (signal) => fetchAutoconfig(context, url, signal)),
    ]),
    ...(
      [
        ['_submissions', 'ssl'],
        ['_submission', 'starttls'],
      ] as const
    ).map(([service, security]): [DetectionSource, string, () => Promise<Attempt>] => {
      const name = `${service}._tcp.${domain}`;
      return [
        'srv',
        name,
        () => withDns(context, async () => fromSrv(await context.deps.resolver.resolveSrv(name), security, address)),
      ];
    }),
    ['mx', domain, () => withDns(context, async () => fromMx(await context.deps.resolver.resolveMx(domain), address))],
    ...probes.map(([host, port, security]): [DetectionSource, string, () => Promise<Attempt>] => [
      'probe',
      `${host}:${port}`,
      () => withTimeout(context, (signal) => probe(context, host, port, security, signal)),
    ]),
  ];
}

function fromProvider(provider: SmtpProvider | undefined, address: string): Attempt {
  if (!provider) return notFound;
  const { host, port, security, id } = provider;
  return found({ host, port, security, username: usernameFor(provider.usernameForm, address), providerId: id });
}

/**
 * Runs `work` with the step timeout; a timeout aborts the work's signal and counts as `timedOut`, the
 * caller's abort ends the wait at once and is rethrown. A late rejection is swallowed, not left unhandled.
 */
async function withTimeout(
  context: Context,
  work: (signal: AbortSignal) => Promise<Attempt>,
  onTimeout?: () => void,
): Promise<Attempt> {
  const controller = new AbortController();
  const outer = context.deps.signal;
  const timedOut = new Error('step timed out');
  try {
    return await withDeadline(work(controller.signal), context.timeoutMs, {
      signal: outer,
      onTimeout: () => {
        onTimeout?.();
        controller.abort(timedOut);
        return timedOut;
      },
      onAbort: () => {
        onTimeout?.();
        controller.abort(outer?.reason);
      },
    });
  } catch (error) {
    if (error === timedOut) return { outcome: { status: 'timedOut' } };
    throw error;
  }
}

async function withDns(context: Context, query: () => Promise<Attempt>): Promise<Attempt> {
  const { resolver } = context.deps;
  return withTimeout(
    context,
    async () => {
      try {
        return await query();
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOTFOUND' || code === 'ENODATA') return notFound;
        if (code === 'ETIMEOUT' || code === 'ECANCELLED') return { outcome: { status: 'timedOut' } };
        return failed('dnsError', code);
      }
    },
    () => resolver.cancel?.(),
  );
}

function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : 'unknown';
}

/** An ASCII host name of LDH labels (IDN converted first), or null for anything else. */
function cleanHost(name: string): string | null {
  const ascii = normalizeDomain(name);
  const labels = ascii.split('.');
  return labels.length >= 2 && labels.every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label)) ? ascii : null;
}

function fromSrv(records: readonly SrvRecord[], security: ConnectionSecurity, address: string): Attempt {
  const best = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
  // A target of "." (RFC 2782) says the service is deliberately not offered.
  if (!best || best.name === '' || best.name === '.') return notFound;
  const host = cleanHost(best.name);
  if (host === null || !Number.isInteger(best.port) || best.port < 1 || best.port > 65535) return failed('invalidServerData');
  return found({ host, port: best.port, security, username: address });
}

function fromMx(records: readonly MxRecord[], address: string): Attempt {
  const byPreference = [...records].sort((a, b) => a.priority - b.priority);
  for (const record of byPreference) {
    const provider = findProviderByMxHost(record.exchange);
    if (provider) return fromProvider(provider, address);
  }
  return notFound;
}

// ---- autoconfig (config-v1.1.xml) ----

async function fetchAutoconfig(context: Context, firstUrl: string, signal: AbortSignal): Promise<Attempt> {
  let url = firstUrl;
  for (let redirects = 0; ; redirects++) {
    let response: FetchedResponse;
    try {
      response = await context.deps.fetch(url, { signal, redirect: 'manual', headers: { accept: 'application/xml, text/xml' } });
    } catch (error) {
      if (signal.aborted) throw error;
      return failed('networkError', errorCode(error));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (redirects >= maxRedirects) return failed('tooManyRedirects');
      const next = URL.parse(location, url);
      // The file decides where a password goes: never take it from plain http.
      if (next?.protocol !== 'https:') return failed('insecureRedirect');
      url = next.href;
      continue;
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return notFound;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return failed('httpStatus', String(response.status));
    }
    const text = await readCapped(response);
    if (text === null) return failed('bodyTooLarge');
    return fromAutoconfigXml(text, context);
  }
}

async function readCapped(response: FetchedResponse): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBodyBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBodyBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** The preferred usable outgoing server of a config-v1.1.xml: SSL first, then STARTTLS; never plain. */
function fromAutoconfigXml(text: string, context: Context): Attempt {
  const root = parseXml(text);
  if (root?.name !== 'clientConfig') return failed('invalidXml');
  const servers = root.children
    .filter((child) => child.name === 'emailProvider')
    .flatMap((provider) => provider.children)
    .filter((child) => child.name === 'outgoingServer' && child.attributes.get('type') === 'smtp');
  if (servers.length === 0) return notFound;
  const candidates = servers.map((server) => readServer(server, context)).filter((candidate) => candidate !== null);
  const best = candidates.find((c) => c.security === 'ssl') ?? candidates.find((c) => c.security === 'starttls');
  if (best) return found(best);
  return servers.some((server) => childText(server, 'socketType') === 'plain')
    ? failed('plaintextOnly')
    : failed('invalidServerData');
}

function readServer(server: XmlElement, context: Context): Found | null {
  const { address, domain } = context;
  const local = address.slice(0, address.lastIndexOf('@'));
  const fill = (value: string): string =>
    value.replaceAll('%EMAILADDRESS%', address).replaceAll('%EMAILLOCALPART%', local).replaceAll('%EMAILDOMAIN%', domain);
  const host = cleanHost(fill(childText(server, 'hostname') ?? ''));
  const portText = childText(server, 'port') ?? '';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  const socketType = childText(server, 'socketType');
  const security = socketType === 'SSL' ? 'ssl' : socketType === 'STARTTLS' ? 'starttls' : null;
  if (host === null || port < 1 || port > 65535 || security === null) return null;
  return { host, port, security, username: fill(childText(server, 'username') ?? '%EMAILADDRESS%') };
}

// ---- probing ----

function probe(
  context: Context,
  host: string,
  port: number,
  security: ConnectionSecurity,
  signal: AbortSignal,
): Promise<Attempt> {
  const target = context.deps.probeTarget?.(host, port) ?? { host, port };
  const settings: Found = { host, port, security, username: context.address };
  return security === 'ssl'
    ? probeImplicitTls(host, target, settings, context.deps.trustedCertificates, signal)
    : probeStartTls(target, settings, signal);
}

function socketFailure(error: unknown): Attempt {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return failed('connectionRefused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return failed('hostNotFound', code);
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/.test(code)) return failed('certificateUntrusted', code);
  if (code.startsWith('ERR_SSL') || code === 'ECONNRESET' || code === 'EPROTO') return failed('tlsFailed', code);
  return failed('networkError', code);
}

/** Port 465 style: a verified TLS handshake with the real host name is enough (mail/'s one probe). */
async function probeImplicitTls(
  host: string,
  target: { readonly host: string; readonly port: number },
  settings: Found,
  ca: readonly string[] | undefined,
  signal: AbortSignal,
): Promise<Attempt> {
  const outcome = await tlsHandshake(target, { servername: host, verify: true, signal, ...(ca ? { ca } : {}) });
  return outcome.secure ? found(settings) : socketFailure(outcome.error);
}

/** Port 587 style: a 220 greeting, and an EHLO answer that offers STARTTLS. */
function probeStartTls(
  target: { readonly host: string; readonly port: number },
  settings: Found,
  signal: AbortSignal,
): Promise<Attempt> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    let buffered = '';
    let stage: 'greeting' | 'ehlo' = 'greeting';
    const finish = (attempt: Attempt): void => {
      if (socket.writable) socket.end('QUIT\r\n', () => socket.destroy());
      else socket.destroy();
      resolve(attempt);
    };
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      buffered += data;
      if (buffered.length > 16_384) {
        finish(failed('unexpectedReply', 'reply too long'));
        return;
      }
      // Only whole lines count: the last piece has no CRLF yet.
      const lines = buffered.split('\r\n').slice(0, -1);
      const last = lines.findIndex((line) => /^\d{3}( |$)/.test(line));
      if (last === -1) return; // the reply is not complete yet
      const reply = lines.slice(0, last + 1);
      buffered = buffered
        .split('\r\n')
        .slice(last + 1)
        .join('\r\n');
      const code = reply[last]?.slice(0, 3);
      if (stage === 'greeting') {
        if (code !== '220') {
          finish(failed('unexpectedReply', (reply[last] ?? '').slice(0, 100)));
          return;
        }
        stage = 'ehlo';
        socket.write('EHLO localhost\r\n');
        return;
      }
      if (code !== '250') {
        finish(failed('unexpectedReply', (reply[last] ?? '').slice(0, 100)));
        return;
      }
      finish(reply.some((line) => /^250[ -]STARTTLS\b/i.test(line)) ? found(settings) : failed('noStartTls'));
    });
    socket.on('error', (error) => {
      finish(socketFailure(error));
    });
    socket.once('end', () => {
      finish(failed('unexpectedReply', 'connection closed'));
    });
    signal.addEventListener('abort', () => socket.destroy(), { once: true });
  });
}
