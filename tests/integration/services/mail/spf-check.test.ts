/**
 * checkSpf against real DNS: a UDP test server on 127.0.0.1 serving TXT, A, AAAA and MX records, asked
 * by a real node:dns Resolver. Only documentation names and addresses (RFC 2606, 5737, 3849) are used.
 */
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KurierError } from '../../../../shared/errors';
import { checkSpf, type SpfCheckDeps, type SpfResolver } from '../../../../electron/services/mail/spf-check';
import { startDnsTestServer, type DnsTestServer, type TestZone } from '../../../support/dns-test-server';

/** `<prefix>.test` includes l1.<prefix>.test, which includes l2 …, up to l<depth> holding the address. */
function includeChain(prefix: string, depth: number): Record<string, string[]> {
  const records: Record<string, string[]> = { [`${prefix}.test`]: [`v=spf1 include:l1.${prefix}.test -all`] };
  for (let level = 1; level < depth; level++) {
    records[`l${level}.${prefix}.test`] = [`v=spf1 include:l${level + 1}.${prefix}.test -all`];
  }
  records[`l${depth}.${prefix}.test`] = ['v=spf1 ip4:192.0.2.99 -all'];
  return records;
}

// Over 255 bytes: sent as two character-strings, which must be joined without a space.
const longRecord = `v=spf1 ${Array.from({ length: 30 }, (_, index) => `ip4:198.51.100.${index}`).join(' ')} ip4:192.0.2.250 -all`;

const zone: TestZone = {
  txt: {
    'cidr.test': ['google-site-verification=abc123', 'v=spf1 ip4:192.0.2.0/24 -all'],
    'chain.test': ['v=spf1 include:_spf.chain.test ~all'],
    '_spf.chain.test': ['v=spf1 include:_netblocks.chain.test -all'],
    '_netblocks.chain.test': ['v=spf1 ip4:198.51.100.0/25 ip6:2001:db8:100::/48 -all'],
    'amech.test': ['v=spf1 a:relay.amech.test/24//64 -all'],
    'self-a.test': ['V=SPF1 A -ALL'],
    'mxmech.test': ['v=spf1 mx -all'],
    'manymx.test': ['v=spf1 mx -all'],
    'v6.test': ['v=spf1 ip6:2001:db8:25::/48 -all'],
    'soft.test': ['v=spf1 ip4:192.0.2.10 ~all'],
    'neutral.test': ['v=spf1 ip4:192.0.2.10'],
    'redirect.test': ['v=spf1 redirect=_spf.redirect-target.test'],
    '_spf.redirect-target.test': ['v=spf1 ip4:192.0.2.64/26 -all'],
    'redirect-all.test': ['v=spf1 ?all redirect=_spf.redirect-target.test'],
    'nospf.test': ['google-site-verification=abc123', 'v=spf10 ip4:192.0.2.0/24 -all'],
    'twice.test': ['v=spf1 ip4:192.0.2.0/24 -all', 'v=spf1 ~all'],
    'long.test': [longRecord],
    'exists.test': ['v=spf1 exists:%{i}._spf.exists.test ptr ~all'],
    'dangling.test': ['v=spf1 include:gone.example -all'],
    'macro.test': ['v=spf1 ip4:192.0.2.0/24 include:%{d}.spf.example -all'],
    'typo.test': ['v=spf1 ip4:192.0.2.0/24 inlcude:_spf.example -all'],
    ...includeChain('ten', 10),
    ...includeChain('deep', 11),
  },
  a: {
    'relay.amech.test': ['192.0.2.130'],
    'self-a.test': ['192.0.2.44'],
    'mx2.mxmech.test': ['198.51.100.33'],
    'smtp.provider.test': ['192.0.2.25'],
    'smtp.dual.test': ['198.51.100.200'],
  },
  aaaa: {
    'relay.amech.test': ['2001:db8:a::1'],
    'smtp.provider.test': ['2001:db8::25'],
    'smtp.dual.test': ['2001:db8:25::9'],
  },
  mx: {
    'mxmech.test': [
      { priority: 10, exchange: 'mx1.mxmech.test' },
      { priority: 20, exchange: 'mx2.mxmech.test' },
    ],
    'manymx.test': Array.from({ length: 11 }, (_, index) => ({ priority: index, exchange: `mx${index}.manymx.test` })),
  },
};

let dns: DnsTestServer;
let silentDns: DnsTestServer;

beforeAll(async () => {
  dns = await startDnsTestServer(zone);
  silentDns = await startDnsTestServer(zone, { silent: true });
});

afterAll(async () => {
  await Promise.all([dns.close(), silentDns.close()]);
});

function deps(server: DnsTestServer = dns, overrides: Partial<SpfCheckDeps> = {}): SpfCheckDeps {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${server.port}`]);
  return { resolver, timeoutMs: 2000, ...overrides };
}

/** Checks `user@<domain>` sent through a server at the given addresses. */
const check = (domain: string, ...serverAddresses: string[]): ReturnType<typeof checkSpf> =>
  checkSpf({ senderAddress: `jana@${domain}`, serverHost: 'smtp.provider.test', serverAddresses }, deps());

describe('allowed', () => {
  it('matches an ip4 CIDR range, picking the SPF record among other TXT records', async () => {
    const result = await check('cidr.test', '192.0.2.25');
    expect(result).toEqual({
      domain: 'cidr.test',
      serverHost: 'smtp.provider.test',
      serverAddresses: ['192.0.2.25'],
      record: 'v=spf1 ip4:192.0.2.0/24 -all',
      verdict: { kind: 'allowed', mechanism: 'ip4:192.0.2.0/24' },
      lookups: 0,
    });
  });

  it('follows an include chain two levels deep and names the top-level include', async () => {
    const v4 = await check('chain.test', '198.51.100.20');
    expect(v4.verdict).toEqual({ kind: 'allowed', mechanism: 'include:_spf.chain.test' });
    expect(v4.lookups).toBe(2);
    const v6 = await check('chain.test', '2001:db8:100:7::1');
    expect(v6.verdict).toEqual({ kind: 'allowed', mechanism: 'include:_spf.chain.test' });
  });

  it('does not let an included -all end the evaluation: the outer ~all decides', async () => {
    const result = await check('chain.test', '198.51.100.200');
    expect(result.verdict).toEqual({ kind: 'notAllowed', qualifier: 'softfail', record: 'v=spf1 include:_spf.chain.test ~all' });
    expect(result.lookups).toBe(2);
  });

  it('matches `a` with dual CIDR lengths against A and AAAA records', async () => {
    expect((await check('amech.test', '192.0.2.200')).verdict).toEqual({
      kind: 'allowed',
      mechanism: 'a:relay.amech.test/24//64',
    });
    expect((await check('amech.test', '2001:db8:a::ffff')).verdict).toEqual({
      kind: 'allowed',
      mechanism: 'a:relay.amech.test/24//64',
    });
    expect((await check('amech.test', '192.0.3.130')).verdict).toMatchObject({ kind: 'notAllowed', qualifier: 'fail' });
    expect((await check('amech.test', '2001:db8:b::1')).verdict).toMatchObject({ kind: 'notAllowed', qualifier: 'fail' });
  });

  it('matches a bare `a` against the domain itself, in any case', async () => {
    const result = await check('self-a.test', '192.0.2.44');
    expect(result.verdict).toEqual({ kind: 'allowed', mechanism: 'A' });
    expect(result.lookups).toBe(1);
    expect((await check('self-a.test', '192.0.2.45')).verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'fail',
      record: 'V=SPF1 A -ALL',
    });
  });

  it('matches `mx` through the A record of a later MX host, skipping one without addresses', async () => {
    const before = dns.queries.length;
    const result = await check('mxmech.test', '198.51.100.33');
    expect(result.verdict).toEqual({ kind: 'allowed', mechanism: 'mx' });
    expect(result.lookups).toBe(1);
    expect(dns.queries.slice(before)).toEqual(['mxmech.test/TXT', 'mxmech.test/MX', 'mx1.mxmech.test/A', 'mx2.mxmech.test/A']);
  });

  it('matches an ip6 range, and never with an IPv4 address', async () => {
    expect((await check('v6.test', '2001:db8:25::1')).verdict).toEqual({ kind: 'allowed', mechanism: 'ip6:2001:db8:25::/48' });
    expect((await check('v6.test', '2001:db8:26::1')).verdict).toMatchObject({ kind: 'notAllowed', qualifier: 'fail' });
    expect((await check('v6.test', '192.0.2.1')).verdict).toMatchObject({ kind: 'notAllowed', qualifier: 'fail' });
  });

  it('follows redirect= when nothing matched, and reports the target record on a fail', async () => {
    const allowed = await check('redirect.test', '192.0.2.70');
    expect(allowed.verdict).toEqual({ kind: 'allowed', mechanism: 'ip4:192.0.2.64/26' });
    expect(allowed.lookups).toBe(1);
    expect((await check('redirect.test', '192.0.2.10')).verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'fail',
      record: 'v=spf1 ip4:192.0.2.64/26 -all',
    });
  });

  it('joins a record split into several character-strings', async () => {
    const result = await check('long.test', '192.0.2.250');
    expect(result.record).toBe(longRecord);
    expect(result.verdict).toEqual({ kind: 'allowed', mechanism: 'ip4:192.0.2.250' });
  });
});

describe('not allowed', () => {
  it('fails with -all outside the range', async () => {
    expect((await check('cidr.test', '198.51.100.7')).verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'fail',
      record: 'v=spf1 ip4:192.0.2.0/24 -all',
    });
  });

  it('softfails with ~all', async () => {
    expect((await check('soft.test', '192.0.2.11')).verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'softfail',
      record: 'v=spf1 ip4:192.0.2.10 ~all',
    });
  });

  it('is neutral without an all, and never reaches a redirect= after an all', async () => {
    expect((await check('neutral.test', '192.0.2.11')).verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'neutral',
      record: 'v=spf1 ip4:192.0.2.10',
    });
    const withAll = await check('redirect-all.test', '192.0.2.70');
    expect(withAll.verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'neutral',
      record: 'v=spf1 ?all redirect=_spf.redirect-target.test',
    });
    expect(withAll.lookups).toBe(0);
  });

  it('counts exists and ptr as lookups but never matches them', async () => {
    const result = await check('exists.test', '192.0.2.1');
    expect(result.verdict).toEqual({
      kind: 'notAllowed',
      qualifier: 'softfail',
      record: 'v=spf1 exists:%{i}._spf.exists.test ptr ~all',
    });
    expect(result.lookups).toBe(2);
  });
});

describe('no record and unknown', () => {
  it('reports noRecord for TXT records without SPF and for a name that does not exist', async () => {
    expect(await check('nospf.test', '192.0.2.1')).toEqual({
      domain: 'nospf.test',
      serverHost: 'smtp.provider.test',
      serverAddresses: [],
      record: null,
      verdict: { kind: 'noRecord' },
      lookups: 0,
    });
    expect((await check('nowhere.test', '192.0.2.1')).verdict).toEqual({ kind: 'noRecord' });
  });

  it('reports multipleRecords when two TXT records start with v=spf1', async () => {
    const result = await check('twice.test', '192.0.2.1');
    expect(result.verdict).toEqual({ kind: 'unknown', reason: 'multipleRecords', detail: 'twice.test' });
    expect(result.record).toBeNull();
  });

  it('stops at the 11th DNS-querying term (a chain of 11 includes) but allows 10', async () => {
    const deep = await check('deep.test', '192.0.2.99');
    expect(deep.verdict).toEqual({ kind: 'unknown', reason: 'tooManyLookups', detail: 'include:l11.deep.test' });
    expect(deep.lookups).toBe(11);
    expect(dns.queries).not.toContain('l11.deep.test/TXT');
    const ten = await check('ten.test', '192.0.2.99');
    expect(ten.verdict).toEqual({ kind: 'allowed', mechanism: 'include:l1.ten.test' });
    expect(ten.lookups).toBe(10);
  });

  it('refuses an mx mechanism with more than 10 MX names', async () => {
    expect((await check('manymx.test', '192.0.2.1')).verdict).toEqual({
      kind: 'unknown',
      reason: 'tooManyLookups',
      detail: 'mx: 11 MX names',
    });
  });

  it('reports invalidRecord for an include without a record, a macro and an unknown mechanism', async () => {
    expect((await check('dangling.test', '192.0.2.1')).verdict).toEqual({
      kind: 'unknown',
      reason: 'invalidRecord',
      detail: 'include:gone.example: no SPF record',
    });
    // The whole record is checked first, even though the ip4 term would have matched.
    const macro = await check('macro.test', '192.0.2.1');
    expect(macro.verdict).toEqual({
      kind: 'unknown',
      reason: 'invalidRecord',
      detail: 'macro not supported: include:%{d}.spf.example',
    });
    expect(macro.record).toBe('v=spf1 ip4:192.0.2.0/24 include:%{d}.spf.example -all');
    expect((await check('typo.test', '192.0.2.1')).verdict).toEqual({
      kind: 'unknown',
      reason: 'invalidRecord',
      detail: 'inlcude:_spf.example',
    });
  });

  it('times out on a DNS server that never answers', async () => {
    const started = Date.now();
    const result = await checkSpf(
      { senderAddress: 'jana@cidr.test', serverHost: 'smtp.provider.test' },
      deps(silentDns, { timeoutMs: 300 }),
    );
    expect(result.verdict).toEqual({ kind: 'unknown', reason: 'timeout', detail: 'TXT cidr.test' });
    expect(result.record).toBeNull();
    expect(silentDns.queries).toContain('cidr.test/TXT');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports any other DNS failure as dnsError', async () => {
    const failing: SpfResolver = {
      resolveTxt: () => Promise.reject(Object.assign(new Error('queryTxt ESERVFAIL cidr.test'), { code: 'ESERVFAIL' })),
      resolve4: () => Promise.resolve([]),
      resolve6: () => Promise.resolve([]),
      resolveMx: () => Promise.resolve([]),
    };
    const result = await checkSpf({ senderAddress: 'jana@cidr.test', serverHost: '192.0.2.1' }, { resolver: failing });
    expect(result.verdict).toEqual({ kind: 'unknown', reason: 'dnsError', detail: 'TXT cidr.test: ESERVFAIL' });
  });

  it('rejects with the reason when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('window closed');
    const running = checkSpf(
      { senderAddress: 'jana@cidr.test', serverHost: 'smtp.provider.test' },
      deps(silentDns, { timeoutMs: 5000, signal: controller.signal }),
    );
    setTimeout(() => {
      controller.abort(reason);
    }, 50);
    await expect(running).rejects.toBe(reason);
  });

  it('throws mail.invalidAddress for a sender that is not an address', async () => {
    const rejected = checkSpf({ senderAddress: 'jana', serverHost: '192.0.2.1' }, deps());
    await expect(rejected).rejects.toBeInstanceOf(KurierError);
    await expect(rejected).rejects.toMatchObject({ code: 'mail.invalidAddress', details: { address: 'jana' } });
  });
});

describe('the server host', () => {
  it('is resolved through A and AAAA, once for every address checked', async () => {
    const before = dns.queries.length;
    const result = await checkSpf({ senderAddress: 'jana@cidr.test', serverHost: 'smtp.provider.test' }, deps());
    expect(result.serverAddresses).toEqual(['192.0.2.25', '2001:db8::25']);
    expect(result.verdict).toEqual({ kind: 'allowed', mechanism: 'ip4:192.0.2.0/24' });
    expect([...dns.queries.slice(before)].sort()).toEqual(['cidr.test/TXT', 'smtp.provider.test/A', 'smtp.provider.test/AAAA']);
  });

  it('is allowed when any of its addresses passes, here only the IPv6 one', async () => {
    const result = await checkSpf({ senderAddress: 'jana@v6.test', serverHost: 'smtp.dual.test' }, deps());
    expect(result.serverAddresses).toEqual(['198.51.100.200', '2001:db8:25::9']);
    expect(result.verdict).toEqual({ kind: 'allowed', mechanism: 'ip6:2001:db8:25::/48' });
  });

  it('is its own address when it is an IP literal, bracketed or IPv4-mapped', async () => {
    const before = dns.queries.length;
    const plain = await checkSpf({ senderAddress: 'jana@chain.test', serverHost: '198.51.100.20' }, deps());
    expect(plain.serverAddresses).toEqual(['198.51.100.20']);
    expect(plain.verdict).toEqual({ kind: 'allowed', mechanism: 'include:_spf.chain.test' });
    expect(dns.queries.slice(before).filter((name) => name.endsWith('/A') || name.endsWith('/AAAA'))).toEqual([]);
    const v6 = await checkSpf({ senderAddress: 'jana@v6.test', serverHost: '[2001:DB8:25::1]' }, deps());
    expect(v6.serverAddresses).toEqual(['2001:db8:25::1']);
    expect(v6.verdict).toEqual({ kind: 'allowed', mechanism: 'ip6:2001:db8:25::/48' });
    const mapped = await checkSpf({ senderAddress: 'jana@cidr.test', serverHost: '::ffff:192.0.2.9' }, deps());
    expect(mapped.serverAddresses).toEqual(['192.0.2.9']);
    expect(mapped.verdict).toEqual({ kind: 'allowed', mechanism: 'ip4:192.0.2.0/24' });
  });

  it('is unresolvableServer when the host has no addresses', async () => {
    const result = await checkSpf({ senderAddress: 'jana@cidr.test', serverHost: 'nohost.test' }, deps());
    expect(result.verdict).toEqual({ kind: 'unknown', reason: 'unresolvableServer', detail: 'nohost.test' });
    expect(result.record).toBe('v=spf1 ip4:192.0.2.0/24 -all');
    expect(result.serverAddresses).toEqual([]);
  });
});
