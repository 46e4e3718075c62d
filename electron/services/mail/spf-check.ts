/**
 * Would an SPF check (RFC 7208) pass for mail from the sender's domain relayed by the SMTP server the
 * user chose? A "no" is the most common reason a mail that "was sent" never arrives: the receiving
 * server rejects it, or files it as spam, because the domain does not allow that server to send for it.
 *
 * Approximation: the IP checked is the submission server's own address (`serverHost` resolved), not the
 * address the mail finally leaves from, which only the provider knows. Providers' submission hosts
 * usually sit in the same SPF ranges as their outgoing relays, so a mismatch is a warning to show, never
 * an error that stops sending.
 *
 * Deliberately simple, and said so where it matters: macros (`%{...}`) in a domain that would have to
 * be looked up make the record `invalidRecord`; `exists` and `ptr` never match (they are counted); `exp=`
 * is ignored. Only the resolver is asked anything, each query with its own timeout.
 */
import type { SpfCheck, SpfVerdict } from '../../../shared/diagnostics';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';
import { KurierError } from '../../../shared/errors';
import { isValidEmailAddress } from '../../../shared/mail-address';
import { withDeadline } from '../time/deadline';

/**
 * The part of `node:dns/promises` Resolver used here. `cancel` ends the queries a timeout gave up on;
 * it cancels everything the resolver has outstanding, so give this check a resolver of its own.
 */
export interface SpfResolver {
  resolveTxt(name: string): Promise<string[][]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  cancel?(): void;
}

export type { SpfCheck, SpfVerdict } from '../../../shared/diagnostics';

/** What {@link checkSpf} needs. */
export interface SpfCheckDeps {
  readonly resolver: SpfResolver;
  /** Limit for each DNS query. Default 5 s. */
  readonly timeoutMs?: number;
  /** Stops the check; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What {@link checkSpf} checks: the envelope sender and the SMTP server (host name or IP literal). */
export interface SpfCheckInput {
  readonly senderAddress: string;
  readonly serverHost: string;
  /** The server's addresses when already known (the connection test resolved them); looked up otherwise. */
  readonly serverAddresses?: readonly string[];
}

type Unknown = Extract<SpfVerdict, { kind: 'unknown' }>;
type Qualifier = '+' | '-' | '~' | '?';
type Family = 4 | 6;

/** A parsed directive; `term` is its text as written, without a `+` qualifier. */
type Directive =
  | { readonly term: string; readonly qualifier: Qualifier; readonly kind: 'all' }
  | { readonly term: string; readonly qualifier: Qualifier; readonly kind: 'include' | 'exists' | 'ptr'; readonly domain: string }
  | {
      readonly term: string;
      readonly qualifier: Qualifier;
      readonly kind: 'a' | 'mx';
      readonly domain: string | null;
      readonly cidr4: number;
      readonly cidr6: number;
    }
  | {
      readonly term: string;
      readonly qualifier: Qualifier;
      readonly kind: 'ip4' | 'ip6';
      readonly network: string;
      readonly prefix: number;
    };

interface ParsedRecord {
  readonly text: string;
  readonly directives: readonly Directive[];
  /** The `redirect=` target, null when absent. */
  readonly redirect: string | null;
}

/** A check_host() result that ends evaluation normally; errors are thrown as {@link SpfStop}. */
type HostResult =
  | { readonly kind: 'pass'; readonly mechanism: string }
  | { readonly kind: 'fail' | 'softfail' | 'neutral'; readonly record: string };

/** One evaluation: the lookup counter is per check_host() of the sender domain (RFC 7208 §4.6.4). */
interface Evaluation {
  readonly ip: string;
  readonly family: Family;
  lookups: number;
}

interface Context {
  readonly deps: SpfCheckDeps;
  readonly timeoutMs: number;
  /** Answers by `TYPE name`, shared by the evaluations of all server addresses. */
  readonly cache: Map<string, Promise<unknown>>;
}

/** Ends a check early with an `unknown` verdict: a permerror or temperror in RFC 7208 terms. */
class SpfStop extends Error {
  constructor(readonly verdict: Unknown) {
    super(verdict.reason);
  }
}

const unknownVerdict = (reason: Unknown['reason'], detail?: string): Unknown =>
  detail === undefined ? { kind: 'unknown', reason } : { kind: 'unknown', reason, detail };
const stop = (reason: Unknown['reason'], detail?: string): SpfStop => new SpfStop(unknownVerdict(reason, detail));
/** The verdict an {@link SpfStop} carries; anything else (the caller's abort, a bug) is rethrown. */
const stopped = (error: unknown): Unknown => {
  if (error instanceof SpfStop) return error.verdict;
  throw error;
};

const maxLookups = 10;
const maxMxNames = 10;
const qualifierResults = { '-': 'fail', '~': 'softfail', '?': 'neutral' } as const;

/**
 * Checks whether the sender domain's SPF record lets `serverHost` send for it. Each address of the
 * server is evaluated; the verdict is `allowed` when any passes (mail leaves from one of them), else the
 * first `unknown`, else the first address's `notAllowed`. Throws `mail.invalidAddress` for a bad sender;
 * DNS failures are verdicts, never exceptions.
 */
export async function checkSpf(input: SpfCheckInput, deps: SpfCheckDeps): Promise<SpfCheck> {
  const { senderAddress, serverHost } = input;
  if (!isValidEmailAddress(senderAddress)) throw new KurierError('mail.invalidAddress', { address: senderAddress });
  const domain = asciiName(senderAddress.slice(senderAddress.lastIndexOf('@') + 1));
  if (domain === null) throw new KurierError('mail.invalidAddress', { address: senderAddress });
  const context: Context = { deps, timeoutMs: deps.timeoutMs ?? 5000, cache: new Map() };
  const done = (verdict: SpfVerdict, record: string | null, serverAddresses: readonly string[] = [], lookups = 0): SpfCheck => ({
    domain,
    serverHost,
    serverAddresses,
    record,
    verdict,
    lookups,
  });

  let text: string | null;
  try {
    text = await fetchRecord(context, domain);
  } catch (error) {
    return done(stopped(error), null);
  }
  if (text === null) return done({ kind: 'noRecord' }, null);
  let parsed: ParsedRecord;
  try {
    parsed = parseRecord(text);
  } catch (error) {
    return done(stopped(error), text);
  }

  let addresses: readonly string[];
  try {
    addresses = await serverAddresses(context, serverHost, input.serverAddresses);
  } catch (error) {
    return done(stopped(error), parsed.text);
  }
  if (addresses.length === 0) return done(unknownVerdict('unresolvableServer', serverHost), parsed.text);

  const outcomes: { readonly verdict: SpfVerdict; readonly lookups: number }[] = [];
  for (const ip of addresses) {
    const evaluation: Evaluation = { ip, family: isIPv4(ip) ? 4 : 6, lookups: 0 };
    try {
      const result = await evaluate(context, evaluation, domain, parsed);
      const verdict: SpfVerdict =
        result.kind === 'pass'
          ? { kind: 'allowed', mechanism: result.mechanism }
          : { kind: 'notAllowed', qualifier: result.kind, record: result.record };
      outcomes.push({ verdict, lookups: evaluation.lookups });
      if (result.kind === 'pass') break;
    } catch (error) {
      const verdict = stopped(error);
      outcomes.push({ verdict, lookups: evaluation.lookups });
      // A timeout would only repeat for the next address: stop waiting.
      if (verdict.reason === 'timeout') break;
    }
  }
  const chosen =
    outcomes.find((outcome) => outcome.verdict.kind === 'allowed') ??
    outcomes.find((outcome) => outcome.verdict.kind === 'unknown') ??
    outcomes[0];
  if (!chosen) throw new Error('no address evaluated');
  return done(chosen.verdict, parsed.text, addresses, chosen.lookups);
}

// ---- the server's addresses ----

async function serverAddresses(context: Context, host: string, given: readonly string[] | undefined): Promise<string[]> {
  if (given) return given.map(normalizeIp).filter((ip) => ip !== null);
  const literal = normalizeIp(host.replace(/^\[(.*)\]$/, '$1'));
  if (literal !== null) return [literal];
  const name = asciiName(host);
  if (name === null) return [];
  const { resolver } = context.deps;
  const [v4, v6] = await Promise.all([
    query(context, 'A', name, () => resolver.resolve4(name)),
    query(context, 'AAAA', name, () => resolver.resolve6(name)),
  ]);
  return [...(v4 ?? []), ...(v6 ?? [])].map(normalizeIp).filter((ip) => ip !== null);
}

/** An IP address in canonical family: an IPv4-mapped IPv6 address becomes IPv4; null for a non-address. */
function normalizeIp(text: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  return isIP(text) === 0 ? null : text.toLowerCase();
}

/** A domain in lower-case ASCII without a trailing dot, or null when it is no usable DNS name. */
function asciiName(name: string): string | null {
  const ascii = domainToASCII(name.trim().toLowerCase().replace(/\.$/, ''));
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  const top = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((label) => label.length >= 1 && label.length <= 63) && !/^\d+$/.test(top)
    ? ascii
    : null;
}

// ---- DNS ----

/**
 * One DNS query with the timeout, cached by type and name. Returns null for a name without such
 * records (NXDOMAIN or NODATA); throws {@link SpfStop} for a timeout or another DNS error, and the
 * signal's reason when the caller aborts.
 */
function query<T>(context: Context, type: string, name: string, run: () => Promise<T>): Promise<T | null> {
  const key = `${type} ${name}`;
  const cached = context.cache.get(key) as Promise<T | null> | undefined;
  if (cached) return cached;
  const answer = withTimeout(context, key, run).catch((error: unknown) => {
    if (error instanceof SpfStop || context.deps.signal?.aborted === true) throw error;
    const code = errorCode(error);
    if (code === 'ENOTFOUND' || code === 'ENODATA') return null;
    if (code === 'ETIMEOUT' || code === 'ECANCELLED') throw stop('timeout', key);
    throw stop('dnsError', `${key}: ${code}`);
  });
  context.cache.set(key, answer);
  return answer;
}

/** Runs `run` against the timeout and the caller's signal; either one cancels the resolver's queries. */
function withTimeout<T>(context: Context, key: string, run: () => Promise<T>): Promise<T> {
  const { signal, resolver } = context.deps;
  signal?.throwIfAborted();
  return withDeadline(run(), context.timeoutMs, {
    signal,
    onTimeout: () => {
      resolver.cancel?.();
      return stop('timeout', key);
    },
    onAbort: () => resolver.cancel?.(),
  });
}

function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : 'unknown';
}

/**
 * The domain's SPF record: the one TXT record (its character-strings joined) that starts with
 * `v=spf1` followed by a space or its end, in any case. Null when there is none.
 */
async function fetchRecord(context: Context, domain: string): Promise<string | null> {
  const records = await query(context, 'TXT', domain, () => context.deps.resolver.resolveTxt(domain));
  const spf = (records ?? []).map((strings) => strings.join('')).filter((text) => /^v=spf1( |$)/i.test(text));
  if (spf.length > 1) throw stop('multipleRecords', domain);
  return spf[0] ?? null;
}

// ---- parsing (RFC 7208 §4.6, §5, §6) ----

/**
 * Parses the whole record first: a syntax error anywhere is a permerror before anything is evaluated
 * (RFC 7208 §4.6). Throws {@link SpfStop} `invalidRecord`.
 */
function parseRecord(text: string): ParsedRecord {
  const terms = text
    .split(' ')
    .filter((term) => term !== '')
    .slice(1);
  const directives: Directive[] = [];
  const modifiers = new Map<string, string>();
  for (const term of terms) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
    if (modifier) {
      const name = (modifier[1] ?? '').toLowerCase();
      if ((name === 'redirect' || name === 'exp') && modifiers.has(name)) throw stop('invalidRecord', `duplicate ${name}=`);
      modifiers.set(name, modifier[2] ?? '');
      continue;
    }
    directives.push(parseDirective(term));
  }
  const redirect = modifiers.get('redirect');
  if (redirect !== undefined) checkDomainSpec(redirect, `redirect=${redirect}`);
  // "exp=" only explains a fail, and unknown modifiers are ignored (§6). A "redirect" is ignored when
  // the record has an "all" (§6.1): an "all" always matches, so evaluation never gets that far.
  return { text, directives, redirect: redirect ?? null };
}

function parseDirective(written: string): Directive {
  const first = written.charAt(0);
  const explicit = first === '+' || first === '-' || first === '~' || first === '?';
  const qualifier: Qualifier = explicit ? first : '+';
  const body = explicit ? written.slice(1) : written;
  const term = qualifier === '+' ? body : written;
  const match = /^([a-z0-9]+)(.*)$/i.exec(body);
  const name = (match?.[1] ?? '').toLowerCase();
  const rest = match?.[2] ?? '';
  const invalid = (): SpfStop => stop('invalidRecord', written);
  switch (name) {
    case 'all':
      if (rest !== '') throw invalid();
      return { term, qualifier, kind: 'all' };
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':') || rest.length === 1) throw invalid();
      const domain = rest.slice(1);
      // exists is never looked up here, so a macro in it needs no expanding.
      if (name === 'include') checkDomainSpec(domain, written);
      return { term, qualifier, kind: name, domain };
    }
    case 'ptr': {
      if (rest !== '' && (!rest.startsWith(':') || rest.length === 1)) throw invalid();
      return { term, qualifier, kind: 'ptr', domain: rest.slice(1) };
    }
    case 'a':
    case 'mx': {
      const parts = /^(?::([^/]+))?(?:\/(\d{1,3}))?(?:\/\/(\d{1,3}))?$/.exec(rest);
      if (!parts) throw invalid();
      const [, domain, cidr4 = '32', cidr6 = '128'] = parts;
      if (Number(cidr4) > 32 || Number(cidr6) > 128) throw invalid();
      if (domain !== undefined) checkDomainSpec(domain, written);
      return { term, qualifier, kind: name, domain: domain ?? null, cidr4: Number(cidr4), cidr6: Number(cidr6) };
    }
    case 'ip4':
    case 'ip6': {
      const parts = /^:([^/]+)(?:\/(\d{1,3}))?$/.exec(rest);
      const network = parts?.[1] ?? '';
      const prefix = Number(parts?.[2] ?? (name === 'ip4' ? '32' : '128'));
      const valid = name === 'ip4' ? isIP(network) === 4 && prefix <= 32 : isIP(network) === 6 && prefix <= 128;
      if (!valid) throw invalid();
      return { term, qualifier, kind: name, network, prefix };
    }
    default:
      throw invalid();
  }
}

/**
 * The domain a domain-spec names. Macros are kept simple on purpose: the escapes `%%`, `%_` and `%-`
 * are expanded, but a `%{...}` macro (which needs the sender, the IP or the HELO name) in a domain
 * that must be looked up makes the record `invalidRecord`, not a real permerror. Throws {@link SpfStop}.
 */
function domainSpec(spec: string, term: string): string {
  if (spec.includes('%{')) throw stop('invalidRecord', `macro not supported: ${term}`);
  if (/%(?![%_-])/.test(spec)) throw stop('invalidRecord', term);
  const expanded = spec.replace(/%([%_-])/g, (_, escape: string) => (escape === '%' ? '%' : escape === '_' ? ' ' : '%20'));
  const name = asciiName(expanded);
  if (name === null) throw stop('invalidRecord', term);
  return name;
}

/** Checks a domain-spec while parsing, so that a bad one is a permerror before evaluation. */
function checkDomainSpec(spec: string, term: string): void {
  domainSpec(spec, term);
}

// ---- evaluation (RFC 7208 §4.6, §5) ----

/** check_host() for `domain` whose record is `record`: mechanisms left to right, then redirect=, else neutral. */
async function evaluate(context: Context, evaluation: Evaluation, domain: string, record: ParsedRecord): Promise<HostResult> {
  for (const directive of record.directives) {
    if (await matches(context, evaluation, domain, directive)) {
      return directive.qualifier === '+'
        ? { kind: 'pass', mechanism: directive.term }
        : { kind: qualifierResults[directive.qualifier], record: record.text };
    }
  }
  if (record.redirect !== null) {
    count(evaluation, `redirect=${record.redirect}`);
    const target = domainSpec(record.redirect, `redirect=${record.redirect}`);
    const redirected = await fetchRecord(context, target);
    if (redirected === null) throw stop('invalidRecord', `redirect=${target}: no SPF record`);
    // The redirect target's result is the result, whatever it is (§6.1).
    return evaluate(context, evaluation, target, parseRecord(redirected));
  }
  return { kind: 'neutral', record: record.text };
}

/** Counts a DNS-querying term; the 11th is a permerror (§4.6.4). Include loops end here too. */
function count(evaluation: Evaluation, term: string): void {
  evaluation.lookups++;
  if (evaluation.lookups > maxLookups) throw stop('tooManyLookups', term);
}

async function matches(context: Context, evaluation: Evaluation, domain: string, directive: Directive): Promise<boolean> {
  const { resolver } = context.deps;
  switch (directive.kind) {
    case 'all':
      return true;
    case 'ip4':
    case 'ip6':
      return (
        evaluation.family === (directive.kind === 'ip4' ? 4 : 6) &&
        inSubnet(evaluation.ip, directive.network, directive.prefix, evaluation.family)
      );
    case 'exists':
    case 'ptr':
      // Not evaluated (exists usually needs macros, ptr is deprecated): counted, never a match. A record
      // that relies on them may be reported notAllowed although it would pass.
      count(evaluation, directive.term);
      return false;
    case 'include': {
      count(evaluation, directive.term);
      const target = domainSpec(directive.domain, directive.term);
      const included = await fetchRecord(context, target);
      // "none" from an include is a permerror (§5.2).
      if (included === null) throw stop('invalidRecord', `${directive.term}: no SPF record`);
      const result = await evaluate(context, evaluation, target, parseRecord(included));
      return result.kind === 'pass';
    }
    case 'a': {
      count(evaluation, directive.term);
      const target = directive.domain === null ? domain : domainSpec(directive.domain, directive.term);
      return hostMatches(context, evaluation, target, directive);
    }
    case 'mx': {
      count(evaluation, directive.term);
      const target = directive.domain === null ? domain : domainSpec(directive.domain, directive.term);
      const exchanges = ((await query(context, 'MX', target, () => resolver.resolveMx(target))) ?? [])
        .map((mx) => mx.exchange)
        .filter((exchange) => exchange !== '' && exchange !== '.');
      if (exchanges.length > maxMxNames) throw stop('tooManyLookups', `${directive.term}: ${exchanges.length} MX names`);
      for (const exchange of exchanges) {
        const name = asciiName(exchange);
        if (name !== null && (await hostMatches(context, evaluation, name, directive))) return true;
      }
      return false;
    }
  }
}

/** Whether an address of `host` (A for an IPv4 client, AAAA for IPv6) is in the client's subnet. */
async function hostMatches(
  context: Context,
  evaluation: Evaluation,
  host: string,
  cidr: { readonly cidr4: number; readonly cidr6: number },
): Promise<boolean> {
  const { resolver } = context.deps;
  const addresses =
    evaluation.family === 4
      ? await query(context, 'A', host, () => resolver.resolve4(host))
      : await query(context, 'AAAA', host, () => resolver.resolve6(host));
  const prefix = evaluation.family === 4 ? cidr.cidr4 : cidr.cidr6;
  return (addresses ?? []).some(
    (address) => isIP(address) === evaluation.family && inSubnet(evaluation.ip, address, prefix, evaluation.family),
  );
}

/** Whether `ip` lies in `network/prefix`; both of `family` (checked by the callers). */
function inSubnet(ip: string, network: string, prefix: number, family: Family): boolean {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return list.check(ip, type);
}
