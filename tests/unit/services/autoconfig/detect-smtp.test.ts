/**
 * detectSmtpSettings with in-memory collaborators: the provider table answers without the network,
 * and the config-v1.1.xml reader takes what it should and refuses what it should. Real servers are in
 * the integration tier.
 */
import type { MxRecord, SrvRecord } from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import {
  detectSmtpSettings,
  type DnsResolver,
  type FetchLike,
  type SmtpDetection,
} from '../../../../electron/services/autoconfig/detect-smtp';
import { KurierError } from '../../../../shared/errors';

const dnsError = (code: string): Error => Object.assign(new Error(code), { code });

/** A resolver whose SRV answer ends every detection at step 3, so nothing is probed. */
const stopAtSrv: DnsResolver = {
  resolveSrv: (name: string): Promise<SrvRecord[]> =>
    name.startsWith('_submissions.')
      ? Promise.resolve([{ name: 'smtp.stop.example', port: 465, priority: 0, weight: 0 }])
      : Promise.reject(dnsError('ENOTFOUND')),
  resolveMx: (): Promise<MxRecord[]> => Promise.reject(dnsError('ENOTFOUND')),
};

function serving(xml: string): FetchLike {
  return (url) =>
    Promise.resolve(
      url.startsWith('https://autoconfig.') ? new Response(xml, { status: 200 }) : new Response('', { status: 404 }),
    );
}

async function autoconfigOutcome(xml: string, address = 'jana@firma.example'): Promise<SmtpDetection> {
  return detectSmtpSettings(address, { resolver: stopAtSrv, fetch: serving(xml), stepTimeoutMs: 1000 });
}

const config = (outgoing: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="firma.example">
    <domain>firma.example</domain>
    <incomingServer type="imap"><hostname>imap.firma.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    ${outgoing}
  </emailProvider>
</clientConfig>`;

const smtp = (host: string, port: number, socketType: string, username = '%EMAILADDRESS%'): string =>
  `<outgoingServer type="smtp"><hostname>${host}</hostname><port>${port}</port><socketType>${socketType}</socketType>` +
  `<authentication>password-cleartext</authentication><username>${username}</username></outgoingServer>`;

describe('the provider table step', () => {
  it('answers a known domain without touching the network', async () => {
    const fetch = vi.fn<FetchLike>();
    const resolver = { resolveSrv: vi.fn<DnsResolver['resolveSrv']>(), resolveMx: vi.fn<DnsResolver['resolveMx']>() };
    const detection = await detectSmtpSettings('jan@seznam.cz', { resolver, fetch });
    expect(detection.result).toEqual({
      host: 'smtp.seznam.cz',
      port: 465,
      security: 'ssl',
      username: 'jan@seznam.cz',
      source: 'providerTable',
      providerId: 'seznam',
    });
    expect(detection.steps).toEqual([{ source: 'providerTable', target: 'seznam.cz', outcome: { status: 'found' } }]);
    expect(fetch).not.toHaveBeenCalled();
    expect(resolver.resolveSrv).not.toHaveBeenCalled();
  });

  it('uses the local part where the provider wants it', async () => {
    const detection = await detectSmtpSettings('jan.kowalski@o2.pl', { resolver: stopAtSrv, fetch: vi.fn<FetchLike>() });
    expect(detection.result).toMatchObject({ host: 'poczta.o2.pl', username: 'jan.kowalski', providerId: 'o2' });
  });

  it('refuses an invalid address before doing anything', async () => {
    const fetch = vi.fn<FetchLike>();
    for (const address of ['jan', 'jan@', '@seznam.cz', 'jan@seznam', 'a b@seznam.cz', 'jan@seznam.cz\r\nBcc: x@y.cz']) {
      await expect(detectSmtpSettings(address, { resolver: stopAtSrv, fetch })).rejects.toSatisfy(
        (error) => error instanceof KurierError && error.code === 'mail.invalidAddress',
      );
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('reading config-v1.1.xml', () => {
  it('prefers SSL over STARTTLS over plain, whatever the order in the file', async () => {
    const detection = await autoconfigOutcome(
      config(
        smtp('plain.firma.example', 25, 'plain') +
          smtp('tls.firma.example', 587, 'STARTTLS') +
          smtp('ssl.firma.example', 465, 'SSL'),
      ),
    );
    expect(detection.result).toEqual({
      host: 'ssl.firma.example',
      port: 465,
      security: 'ssl',
      username: 'jana@firma.example',
      source: 'autoconfig',
    });
  });

  it('takes STARTTLS when there is no SSL server', async () => {
    const detection = await autoconfigOutcome(
      config(smtp('plain.firma.example', 25, 'plain') + smtp('tls.firma.example', 587, 'STARTTLS')),
    );
    expect(detection.result).toMatchObject({ host: 'tls.firma.example', port: 587, security: 'starttls' });
  });

  it('fills the placeholders in the user and host names', async () => {
    const detection = await autoconfigOutcome(config(smtp('smtp.%EMAILDOMAIN%', 465, 'SSL', '%EMAILLOCALPART%')));
    expect(detection.result).toMatchObject({ host: 'smtp.firma.example', username: 'jana' });
    const full = await autoconfigOutcome(config(smtp('smtp.firma.example', 465, 'SSL', 'x-%EMAILADDRESS%')));
    expect(full.result).toMatchObject({ username: 'x-jana@firma.example' });
  });

  it('decodes entities, CDATA, comments and single-quoted attributes', async () => {
    const xml = config(
      `<!-- the submission server --><outgoingServer type='smtp'><hostname><![CDATA[smtp.firma.example]]></hostname>` +
        `<port>&#52;65</port><socketType>SSL</socketType><username>a&amp;b</username></outgoingServer>`,
    );
    expect((await autoconfigOutcome(xml)).result).toMatchObject({ host: 'smtp.firma.example', port: 465, username: 'a&b' });
  });

  it('does not accept a plain-text-only server', async () => {
    const detection = await autoconfigOutcome(config(smtp('smtp.firma.example', 25, 'plain')));
    expect(detection.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'plaintextOnly' });
    expect(detection.result?.source).toBe('srv');
  });

  it('counts a file without an SMTP server as not found, and bad server data as a failure', async () => {
    expect((await autoconfigOutcome(config(''))).steps[1]?.outcome).toEqual({ status: 'notFound' });
    for (const server of [
      smtp('smtp.firma.example', 99999, 'SSL'),
      smtp('smtp firma.example', 465, 'SSL'),
      smtp('-bad.firma.example', 465, 'SSL'),
      smtp('localhost', 465, 'SSL'),
      smtp('smtp.firma.example', 465, 'TLS'),
    ]) {
      expect((await autoconfigOutcome(config(server))).steps[1]?.outcome).toEqual({
        status: 'failed',
        reason: 'invalidServerData',
      });
    }
  });

  it.each([
    ['not XML at all', 'this is not xml'],
    ['HTML', '<!doctype html><html><body>Not found</body></html>'],
    ['an unclosed element', config(smtp('smtp.firma.example', 465, 'SSL')).replace('</clientConfig>', '')],
    ['mismatched tags', '<clientConfig><emailProvider></clientConfig></emailProvider>'],
    ['a second root', `${config('')}<clientConfig/>`],
    ['an unknown entity', config(smtp('smtp.firma.example', 465, 'SSL', '&nbsp;'))],
    ['a NUL character reference', config(smtp('smtp.firma.example', 465, 'SSL', 'a&#0;b'))],
    ['a surrogate character reference', config(smtp('smtp.firma.example', 465, 'SSL', 'a&#xD800;b'))],
    ['a bare ampersand', config(smtp('smtp.firma.example', 465, 'SSL', 'a&b'))],
    [
      'an internal entity (billion laughs)',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><clientConfig>&lol2;</clientConfig>`,
    ],
    ['an external entity', `<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><clientConfig><x>&x;</x></clientConfig>`],
    ['an unterminated comment', '<clientConfig><!-- </clientConfig>'],
    ['a duplicate attribute', '<clientConfig a="1" a="2"></clientConfig>'],
    ['another root element', '<config><emailProvider/></config>'],
    ['absurd nesting', `<clientConfig>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</clientConfig>`],
  ])('refuses %s as invalid XML', async (_label, xml) => {
    const detection = await autoconfigOutcome(xml);
    expect(detection.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'invalidXml' });
  });
});

describe('the DNS steps with a stub resolver', () => {
  it('treats an SRV target of "." as not offered and DNS errors as failures', async () => {
    const resolver: DnsResolver = {
      resolveSrv: (name) =>
        name.startsWith('_submissions.')
          ? Promise.resolve([{ name: '.', port: 0, priority: 0, weight: 0 }])
          : Promise.reject(dnsError('ESERVFAIL')),
      resolveMx: () => Promise.resolve([{ exchange: 'aspmx.l.google.com', priority: 1 }]),
    };
    const detection = await detectSmtpSettings('jana@firma.example', { resolver, fetch: serving(''), stepTimeoutMs: 1000 });
    expect(detection.steps.slice(3).map((step) => step.outcome)).toEqual([
      { status: 'notFound' },
      { status: 'failed', reason: 'dnsError', detail: 'ESERVFAIL' },
      { status: 'found' },
    ]);
    expect(detection.result).toMatchObject({ source: 'mx', providerId: 'googleWorkspace', host: 'smtp.gmail.com' });
  });
});
