/**
 * detectSmtpSettings against real servers on 127.0.0.1: an HTTP server standing in for every
 * autoconfig host (the fetch collaborator rewrites https://<host>/<path> to it), a UDP DNS server behind
 * a real node:dns Resolver, a TLS listener for port-465 probes and an smtp-server for port-587 probes.
 * Nothing here reaches the internet: every probe target is mapped to a local port.
 */
import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { domainToASCII } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSmtpSettings, type FetchLike, type SmtpDetectionDeps } from '../../../../electron/services/autoconfig/detect-smtp';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startDnsTestServer, type DnsTestServer } from '../../../support/dns-test-server';

const idnDomain = 'kancelář-novák.test';
const idnAscii = domainToASCII(idnDomain);

const xml = (outgoing: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1"><emailProvider id="x"><domain>x</domain>${outgoing}</emailProvider></clientConfig>`;
const smtp = (host: string, port: number, socketType: string, username = '%EMAILADDRESS%'): string =>
  `<outgoingServer type="smtp"><hostname>${host}</hostname><port>${port}</port><socketType>${socketType}</socketType><username>${username}</username></outgoingServer>`;

type Route = (response: http.ServerResponse) => void;
const sendXml =
  (body: string): Route =>
  (response) => {
    response.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' }).end(body);
  };
const redirect =
  (location: string): Route =>
  (response) => {
    response.writeHead(302, { location }).end();
  };

/** Routes by `<original host><path>`, query string left off. */
const routes: Record<string, Route> = {
  'autoconfig.autoconfig.test/mail/config-v1.1.xml': sendXml(
    xml(
      smtp('smtp.autoconfig.test', 587, 'STARTTLS', '%EMAILLOCALPART%') +
        smtp('smtp.autoconfig.test', 465, 'SSL', '%EMAILLOCALPART%'),
    ),
  ),
  'wellknown.test/.well-known/autoconfig/mail/config-v1.1.xml': sendXml(xml(smtp('mail.wellknown.test', 587, 'STARTTLS'))),
  'autoconfig.redirected.test/mail/config-v1.1.xml': redirect('/step2'),
  'autoconfig.redirected.test/step2': redirect('https://hoster.test/shared/config.xml'),
  'hoster.test/shared/config.xml': sendXml(xml(smtp('smtp.hoster.test', 465, 'SSL'))),
  'autoconfig.loop.test/mail/config-v1.1.xml': redirect('/a'),
  'autoconfig.loop.test/a': redirect('/b'),
  'autoconfig.loop.test/b': redirect('/c'),
  'autoconfig.downgrade.test/mail/config-v1.1.xml': redirect('http://autoconfig.downgrade.test/plain.xml'),
  'autoconfig.downgrade.test/plain.xml': sendXml(xml(smtp('smtp.downgrade.test', 465, 'SSL'))),
  'autoconfig.broken.test/mail/config-v1.1.xml': sendXml('<clientConfig><emailProvider><outgoingServer type="smtp">'),
  'broken.test/.well-known/autoconfig/mail/config-v1.1.xml': sendXml(
    `<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml(smtp('&e;', 465, 'SSL'))}`,
  ),
  'autoconfig.huge.test/mail/config-v1.1.xml': (response) => {
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end(`<clientConfig><!--${'x'.repeat(1024 * 1024 + 10)}--></clientConfig>`);
  },
  'autoconfig.status.test/mail/config-v1.1.xml': (response) => {
    response.writeHead(500).end('oops');
  },
  // Never answers: the step timeout must end the wait.
  'autoconfig.slow.test/mail/config-v1.1.xml': () => undefined,
  'slow.test/.well-known/autoconfig/mail/config-v1.1.xml': sendXml(xml(smtp('smtp.slow.test', 465, 'SSL'))),
  [`autoconfig.${idnAscii}/mail/config-v1.1.xml`]: sendXml(xml(smtp('smtp.%EMAILDOMAIN%', 465, 'SSL'))),
};

const zone = {
  srv: {
    '_submissions._tcp.srv-ssl.test': [
      { priority: 20, weight: 0, port: 465, target: 'backup.mailhost.test' },
      { priority: 10, weight: 5, port: 465, target: 'submit.mailhost.test' },
    ],
    '_submissions._tcp.srv-starttls.test': [{ priority: 0, weight: 0, port: 0, target: '.' }],
    '_submission._tcp.srv-starttls.test': [{ priority: 0, weight: 0, port: 587, target: 'mx.srv-starttls.test' }],
    '_submissions._tcp.broken.test': [{ priority: 0, weight: 0, port: 465, target: 'smtp.broken.test' }],
  },
  mx: {
    'workspace.test': [
      { priority: 10, exchange: 'alt1.aspmx.l.google.com' },
      { priority: 1, exchange: 'aspmx.l.google.com' },
    ],
    'm365.test': [{ priority: 0, exchange: 'm365-test.mail.protection.outlook.com' }],
    'selfhosted.test': [{ priority: 10, exchange: 'mx.selfhosted.test' }],
  },
};

let certificate: TestCertificate;
let httpServer: http.Server;
let httpPort = 0;
const httpRequests: string[] = [];
let dns: DnsTestServer;
let silentDns: DnsTestServer;
let tlsServer: tls.Server;
let smtpStartTls: SMTPServer;
let smtpNoStartTls: SMTPServer;
let mute: net.Server;
const ports = { tls: 0, startTls: 0, noStartTls: 0, closed: 0, mute: 0 };
const openSockets = new Set<net.Socket>();

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function close(server: net.Server): Promise<void> {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

async function startSmtp(hideSTARTTLS: boolean): Promise<[SMTPServer, number]> {
  const server = new SMTPServer({
    key: certificate.key,
    cert: certificate.cert,
    hideSTARTTLS,
    logger: false,
    authOptional: true,
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, (server.server.address() as net.AddressInfo).port];
}

beforeAll(async () => {
  certificate = createTestCertificate(['DNS:smtp.probe-ssl.test', 'DNS:smtp.untrusted.test', 'DNS:localhost', 'IP:127.0.0.1']);
  httpServer = http.createServer((request, response) => {
    const [pathAndHost = ''] = (request.url ?? '').slice(1).split('?');
    httpRequests.push(request.url ?? '');
    const route = routes[pathAndHost];
    if (route) route(response);
    else response.writeHead(404).end();
  });
  httpServer.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  httpPort = await listen(httpServer);
  dns = await startDnsTestServer(zone);
  silentDns = await startDnsTestServer(zone, { silent: true });
  tlsServer = tls.createServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    socket.end('220 tls.test ESMTP\r\n');
  });
  tlsServer.on('tlsClientError', () => undefined);
  ports.tls = await listen(tlsServer);
  [smtpStartTls, ports.startTls] = await startSmtp(false);
  [smtpNoStartTls, ports.noStartTls] = await startSmtp(true);
  // Accepts and says nothing, on TCP and TLS alike.
  mute = net.createServer((socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  ports.mute = await listen(mute);
  const closed = net.createServer();
  ports.closed = await listen(closed);
  await close(closed);
});

afterAll(async () => {
  for (const socket of openSockets) socket.destroy();
  await Promise.all([
    close(httpServer),
    close(tlsServer),
    close(mute),
    new Promise<void>((resolve) => {
      smtpStartTls.close(resolve);
    }),
    new Promise<void>((resolve) => {
      smtpNoStartTls.close(resolve);
    }),
    dns.close(),
    silentDns.close(),
  ]);
});

/** Probe targets: the named host:port pairs go to a local listener, everything else to a closed port. */
const probeMap = (): Record<string, number> => ({
  'smtp.probe-ssl.test:465': ports.tls,
  'mail.probe-starttls.test:587': ports.startTls,
  'smtp.nostarttls.test:587': ports.noStartTls,
  'smtp.untrusted.test:465': ports.tls,
  'smtp.wrongmode.test:465': ports.startTls,
  'smtp.mute.test:465': ports.mute,
  'smtp.mute.test:587': ports.mute,
});

const localFetch: FetchLike = (url, init) => {
  const target = new URL(url);
  return fetch(`http://127.0.0.1:${httpPort}/${target.host}${target.pathname}${target.search}`, init);
};

function deps(overrides: Partial<SmtpDetectionDeps> = {}): SmtpDetectionDeps {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dns.port}`]);
  const map = probeMap();
  return {
    resolver,
    fetch: localFetch,
    stepTimeoutMs: 2000,
    trustedCertificates: [certificate.cert],
    probeTarget: (host, port) => ({ host: '127.0.0.1', port: map[`${host}:${port}`] ?? ports.closed }),
    ...overrides,
  };
}

const outcomes = (detection: Awaited<ReturnType<typeof detectSmtpSettings>>): string[] =>
  detection.steps.map(
    (step) =>
      `${step.source} ${step.target} ${step.outcome.status}${step.outcome.status === 'failed' ? ` ${step.outcome.reason}` : ''}`,
  );

describe('autoconfig over HTTP', () => {
  it('reads autoconfig.<domain>, sends the address, prefers SSL and fills the local part', async () => {
    const detection = await detectSmtpSettings('jana.novakova@autoconfig.test', deps());
    expect(detection.result).toEqual({
      host: 'smtp.autoconfig.test',
      port: 465,
      security: 'ssl',
      username: 'jana.novakova',
      source: 'autoconfig',
    });
    expect(outcomes(detection)).toEqual([
      'providerTable autoconfig.test notFound',
      'autoconfig https://autoconfig.autoconfig.test/mail/config-v1.1.xml?emailaddress=jana.novakova%40autoconfig.test found',
    ]);
    expect(httpRequests).toContain(
      '/autoconfig.autoconfig.test/mail/config-v1.1.xml?emailaddress=jana.novakova%40autoconfig.test',
    );
  });

  it('falls back to /.well-known on the domain itself', async () => {
    const detection = await detectSmtpSettings('jana@wellknown.test', deps());
    expect(detection.result).toMatchObject({
      host: 'mail.wellknown.test',
      port: 587,
      security: 'starttls',
      source: 'autoconfig',
    });
    expect(detection.steps.map((step) => step.outcome.status)).toEqual(['notFound', 'notFound', 'found']);
  });

  it('follows up to two https redirects, relative or absolute', async () => {
    const detection = await detectSmtpSettings('jana@redirected.test', deps());
    expect(detection.result).toMatchObject({ host: 'smtp.hoster.test', source: 'autoconfig' });
  });

  it('stops at a third redirect and never follows one to http', async () => {
    const loop = await detectSmtpSettings('jana@loop.test', deps());
    expect(loop.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'tooManyRedirects' });
    const downgrade = await detectSmtpSettings('jana@downgrade.test', deps());
    expect(downgrade.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'insecureRedirect' });
    expect(httpRequests.some((url) => url.includes('plain.xml'))).toBe(false);
  });

  it('records malformed XML and a DOCTYPE as failures and moves on to SRV', async () => {
    const detection = await detectSmtpSettings('jana@broken.test', deps());
    expect(outcomes(detection).slice(1)).toEqual([
      'autoconfig https://autoconfig.broken.test/mail/config-v1.1.xml?emailaddress=jana%40broken.test failed invalidXml',
      'autoconfig https://broken.test/.well-known/autoconfig/mail/config-v1.1.xml failed invalidXml',
      'srv _submissions._tcp.broken.test found',
    ]);
    expect(detection.result).toEqual({
      host: 'smtp.broken.test',
      port: 465,
      security: 'ssl',
      username: 'jana@broken.test',
      source: 'srv',
    });
  });

  it('refuses a body over 1 MB and reports an HTTP error status', async () => {
    const huge = await detectSmtpSettings('jana@huge.test', deps());
    expect(huge.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'bodyTooLarge' });
    const status = await detectSmtpSettings('jana@status.test', deps());
    expect(status.steps[1]?.outcome).toEqual({ status: 'failed', reason: 'httpStatus', detail: '500' });
  });

  it('gives up on a server that never answers after the step timeout', async () => {
    const started = Date.now();
    const detection = await detectSmtpSettings('jana@slow.test', deps({ stepTimeoutMs: 300 }));
    expect(detection.steps[1]?.outcome).toEqual({ status: 'timedOut' });
    expect(detection.result).toMatchObject({ host: 'smtp.slow.test', source: 'autoconfig' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('looks an IDN domain up in its ASCII form', async () => {
    const detection = await detectSmtpSettings(`jana@${idnDomain}`, deps());
    expect(detection.result).toEqual({
      host: `smtp.${idnAscii}`,
      port: 465,
      security: 'ssl',
      username: `jana@${idnDomain}`,
      source: 'autoconfig',
    });
    expect(detection.steps[1]?.target).toContain(`https://autoconfig.${idnAscii}/`);
  });
});

describe('DNS SRV and MX', () => {
  it('takes the best _submissions record as implicit TLS', async () => {
    const detection = await detectSmtpSettings('jana@srv-ssl.test', deps());
    expect(detection.result).toEqual({
      host: 'submit.mailhost.test',
      port: 465,
      security: 'ssl',
      username: 'jana@srv-ssl.test',
      source: 'srv',
    });
    expect(dns.queries).toContain('_submissions._tcp.srv-ssl.test/SRV');
  });

  it('skips a "." target and falls back to _submission with STARTTLS', async () => {
    const detection = await detectSmtpSettings('jana@srv-starttls.test', deps());
    expect(outcomes(detection).slice(3)).toEqual([
      'srv _submissions._tcp.srv-starttls.test notFound',
      'srv _submission._tcp.srv-starttls.test found',
    ]);
    expect(detection.result).toMatchObject({ host: 'mx.srv-starttls.test', port: 587, security: 'starttls' });
  });

  it('recognises a custom domain hosted by Google or Microsoft from its MX', async () => {
    const workspace = await detectSmtpSettings('jana@workspace.test', deps());
    expect(workspace.result).toEqual({
      host: 'smtp.gmail.com',
      port: 465,
      security: 'ssl',
      username: 'jana@workspace.test',
      source: 'mx',
      providerId: 'googleWorkspace',
    });
    const m365 = await detectSmtpSettings('jana@m365.test', deps());
    expect(m365.result).toMatchObject({
      host: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
      source: 'mx',
      providerId: 'microsoft365',
    });
  });

  it('times out on a DNS server that never answers', async () => {
    const resolver = new Resolver({ timeout: 5000, tries: 1 });
    resolver.setServers([`127.0.0.1:${silentDns.port}`]);
    const started = Date.now();
    const detection = await detectSmtpSettings('jana@workspace.test', deps({ resolver, stepTimeoutMs: 300 }));
    expect(detection.steps.filter((step) => step.source === 'srv' || step.source === 'mx').map((step) => step.outcome)).toEqual([
      { status: 'timedOut' },
      { status: 'timedOut' },
      { status: 'timedOut' },
    ]);
    expect(silentDns.queries).toContain('workspace.test/MX');
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('probing smtp.<domain> and mail.<domain>', () => {
  it('finds implicit TLS on 465 with a verified certificate', async () => {
    const detection = await detectSmtpSettings('jana@probe-ssl.test', deps());
    expect(detection.result).toEqual({
      host: 'smtp.probe-ssl.test',
      port: 465,
      security: 'ssl',
      username: 'jana@probe-ssl.test',
      source: 'probe',
    });
    expect(outcomes(detection).slice(-1)).toEqual(['probe smtp.probe-ssl.test:465 found']);
  });

  it('tries smtp then mail, 465 then 587, and finds STARTTLS in the EHLO answer', async () => {
    const detection = await detectSmtpSettings('jana@probe-starttls.test', deps());
    expect(outcomes(detection).slice(6)).toEqual([
      'probe smtp.probe-starttls.test:465 failed connectionRefused',
      'probe smtp.probe-starttls.test:587 failed connectionRefused',
      'probe mail.probe-starttls.test:465 failed connectionRefused',
      'probe mail.probe-starttls.test:587 found',
    ]);
    expect(detection.result).toMatchObject({
      host: 'mail.probe-starttls.test',
      port: 587,
      security: 'starttls',
      source: 'probe',
    });
  });

  it('rejects a 587 server that does not offer STARTTLS', async () => {
    const detection = await detectSmtpSettings('jana@nostarttls.test', deps());
    expect(detection.steps[7]).toEqual({
      source: 'probe',
      target: 'smtp.nostarttls.test:587',
      outcome: { status: 'failed', reason: 'noStartTls' },
    });
    expect(detection.result).toBeNull();
  });

  it('reports an untrusted certificate and a plain server on the TLS port', async () => {
    const untrusted = await detectSmtpSettings('jana@untrusted.test', deps({ trustedCertificates: [] }));
    expect(untrusted.steps[6]?.outcome).toMatchObject({ status: 'failed', reason: 'certificateUntrusted' });
    const wrongMode = await detectSmtpSettings('jana@wrongmode.test', deps());
    expect(wrongMode.steps[6]?.outcome).toMatchObject({ status: 'failed', reason: 'tlsFailed' });
  });

  it('times out on a listener that never speaks, on 465 and 587 alike', async () => {
    const detection = await detectSmtpSettings('jana@mute.test', deps({ stepTimeoutMs: 300 }));
    expect(detection.steps.slice(6, 8).map((step) => step.outcome)).toEqual([{ status: 'timedOut' }, { status: 'timedOut' }]);
  });

  it('returns every step and no result when nothing is found', async () => {
    const detection = await detectSmtpSettings('jana@selfhosted.test', deps());
    expect(detection.result).toBeNull();
    expect(detection.steps.map((step) => step.source)).toEqual([
      'providerTable',
      'autoconfig',
      'autoconfig',
      'srv',
      'srv',
      'mx',
      'probe',
      'probe',
      'probe',
      'probe',
    ]);
    expect(detection.steps[5]?.outcome).toEqual({ status: 'notFound' });
  });
});

describe('cancelling', () => {
  it('stops at once when the caller aborts mid-step', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = detectSmtpSettings('jana@slow.test', deps({ stepTimeoutMs: 10_000, signal: controller.signal }));
    setTimeout(() => {
      controller.abort(new Error('user closed the dialog'));
    }, 100);
    await expect(pending).rejects.toThrow('user closed the dialog');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
