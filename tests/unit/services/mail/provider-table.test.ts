/**
 * The built-in provider table: lookups by address domain and by MX host, and the user-name form.
 */
import { describe, expect, it } from 'vitest';
import {
  findProviderByDomain,
  findProviderByMxHost,
  smtpProviders,
  usernameFor,
} from '../../../../electron/services/mail/provider-table';

describe('findProviderByDomain', () => {
  it.each([
    ['seznam.cz', 'seznam', 'smtp.seznam.cz', 465, 'ssl'],
    ['email.cz', 'seznam', 'smtp.seznam.cz', 465, 'ssl'],
    ['op.pl', 'onet', 'smtp.poczta.onet.pl', 465, 'ssl'],
    ['buziaczek.pl', 'onet', 'smtp.poczta.onet.pl', 465, 'ssl'],
    ['interia.eu', 'interia', 'poczta.interia.pl', 465, 'ssl'],
    ['poczta.fm', 'interia', 'poczta.interia.pl', 465, 'ssl'],
    ['gmail.com', 'gmail', 'smtp.gmail.com', 465, 'ssl'],
    ['hotmail.com', 'outlook', 'smtp-mail.outlook.com', 587, 'starttls'],
    ['me.com', 'icloud', 'smtp.mail.me.com', 587, 'starttls'],
    ['volny.cz', 'centrum', 'smtp.centrum.cz', 465, 'ssl'],
    ['wp.pl', 'wp', 'smtp.wp.pl', 465, 'ssl'],
    ['tlen.pl', 'o2', 'poczta.o2.pl', 465, 'ssl'],
    ['gmx.de', 'gmx', 'mail.gmx.net', 587, 'starttls'],
    ['ymail.com', 'yahoo', 'smtp.mail.yahoo.com', 465, 'ssl'],
  ])('%s → %s', (domain, id, host, port, security) => {
    expect(findProviderByDomain(domain)).toMatchObject({ id, host, port, security });
  });

  it('ignores case, surrounding space and a trailing dot', () => {
    expect(findProviderByDomain(' Seznam.CZ. ')?.id).toBe('seznam');
  });

  it('knows nothing of other domains, sub-domains or look-alikes', () => {
    expect(findProviderByDomain('firma.cz')).toBeUndefined();
    expect(findProviderByDomain('mail.seznam.cz')).toBeUndefined();
    expect(findProviderByDomain('seznam.cz.evil.example')).toBeUndefined();
    expect(findProviderByDomain('')).toBeUndefined();
  });
});

describe('findProviderByMxHost', () => {
  it('recognises Google-hosted custom domains as Workspace', () => {
    expect(findProviderByMxHost('aspmx.l.google.com')?.id).toBe('googleWorkspace');
    expect(findProviderByMxHost('ALT1.ASPMX.L.GOOGLE.COM.')?.id).toBe('googleWorkspace');
    expect(findProviderByMxHost('aspmx2.googlemail.com')?.id).toBe('googleWorkspace');
  });

  it('tells Microsoft 365 from Outlook.com', () => {
    expect(findProviderByMxHost('kancelar-cz.mail.protection.outlook.com')).toMatchObject({
      id: 'microsoft365',
      host: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
    });
    expect(findProviderByMxHost('hotmail-com.olc.protection.outlook.com')?.id).toBe('outlook');
  });

  it('matches whole labels only', () => {
    expect(findProviderByMxHost('notgoogle.com')).toBeUndefined();
    expect(findProviderByMxHost('google.com.evil.example')).toBeUndefined();
    expect(findProviderByMxHost('mx1.seznam.cz')).toBeUndefined();
  });
});

describe('the table itself', () => {
  it('has unique ids and no domain claimed twice', () => {
    const ids = smtpProviders.map((provider) => provider.id);
    expect(new Set(ids).size).toBe(ids.length);
    const domains = smtpProviders.flatMap((provider) => provider.domains);
    expect(new Set(domains).size).toBe(domains.length);
  });

  it('holds only lower-case ASCII names and encrypted connections', () => {
    for (const provider of smtpProviders) {
      for (const name of [...provider.domains, ...provider.mxPatterns, provider.host]) expect(name).toMatch(/^[a-z0-9.-]+$/);
      expect(provider.security).not.toBe('none');
    }
  });

  it('carries the documented Microsoft 365 limits', () => {
    expect(findProviderByMxHost('x.mail.protection.outlook.com')?.limits).toMatchObject({
      perMinute: 30,
      maxConnections: 3,
      recipientsPerDay: 10_000,
      confidence: 'official',
    });
  });
});

describe('usernameFor', () => {
  it('gives the address or its local part', () => {
    expect(usernameFor('address', 'jan@wp.pl')).toBe('jan@wp.pl');
    expect(usernameFor('localPart', 'jan.novak@wp.pl')).toBe('jan.novak');
    expect(findProviderByDomain('wp.pl')?.usernameForm).toBe('localPart');
  });
});
