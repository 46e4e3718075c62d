/**
 * The built-in table of mail providers Kurier's users have most often: the big international ones and
 * the Czech and Polish free-mail services. It is the first and fastest answer to "which SMTP server does
 * this address use" and the only place sending limits are known.
 *
 * Host, port and security come from the Thunderbird ISPDB (`thunderbird/autoconfig`, `ispdb/*.xml`) unless
 * a comment says otherwise; limits from the provider pages named next to them. Where the research found
 * no figure, there is no limit entry: the outbox must learn and adapt instead of trusting a made-up number.
 */
import { domainToASCII } from 'node:url';
import type { ConnectionSecurity } from '../../../shared/smtp-security';

/** How the SMTP user name is formed from the address: the whole address, or the part before `@`. */
export type UsernameForm = 'address' | 'localPart';

import type { AuthHint } from '../../../shared/diagnostics';

export type { AuthHint } from '../../../shared/diagnostics';

/** Documented sending limits (messages unless the field says recipients or bytes). */
export interface SendingLimits {
  readonly perMinute?: number;
  readonly perDay?: number;
  readonly recipientsPerDay?: number;
  readonly recipientsPerMessage?: number;
  readonly bytesPerDay?: number;
  readonly maxConnections?: number;
  /** `official`: the provider's own page; `low`: a third-party or old figure, treat as a hint. */
  readonly confidence: 'official' | 'low';
}

/** One provider in the table. */
export interface SmtpProvider {
  readonly id: string;
  readonly displayName: string;
  /** Address domains (ASCII, lower case) that belong to the provider. */
  readonly domains: readonly string[];
  /** MX host suffixes: an MX host equal to one, or ending in `.` + one, is hosted by this provider. */
  readonly mxPatterns: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly security: ConnectionSecurity;
  readonly usernameForm: UsernameForm;
  readonly authHint: AuthHint;
  readonly limits?: SendingLimits;
}

/** Every provider Kurier knows without asking the network. */
export const smtpProviders: readonly SmtpProvider[] = [
  {
    id: 'gmail',
    displayName: 'Gmail',
    domains: ['gmail.com', 'googlemail.com'],
    // Google-hosted custom domains are Workspace (below); gmail.com itself is found by domain.
    mxPatterns: [],
    host: 'smtp.gmail.com',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'appPassword',
    // http://support.google.com/mail/bin/answer.py?hl=en&answer=22839 (older Google text) and
    // https://nodemailer.com/guides/using-gmail: 500 recipients per rolling 24 h, 100 per message via SMTP.
    limits: { recipientsPerDay: 500, recipientsPerMessage: 100, confidence: 'official' },
  },
  {
    id: 'googleWorkspace',
    displayName: 'Google Workspace',
    domains: [],
    mxPatterns: ['google.com', 'googlemail.com'],
    host: 'smtp.gmail.com',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'appPassword',
    // https://support.google.com/a/answer/166852: 2,000 messages/day (500 on a trial), 10,000 recipients/day,
    // 100 recipients per message over SMTP.
    limits: { perDay: 2000, recipientsPerDay: 10_000, recipientsPerMessage: 100, confidence: 'official' },
  },
  {
    id: 'microsoft365',
    displayName: 'Microsoft 365',
    domains: [],
    mxPatterns: ['mail.protection.outlook.com'],
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls',
    usernameForm: 'address',
    // Basic auth for SMTP AUTH is being switched off (research notes §3.1); OAuth2 is the lasting way.
    authHint: 'oauth',
    // https://learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/smtp-submission-improvements:
    // 3 concurrent connections, 30 messages/minute, 10,000 recipients/day; 500 recipients/message default
    // (https://azure.microsofts.workers.dev/en-us/defender-office-365/outbound-spam-sending-limits-troubleshoot).
    limits: { perMinute: 30, recipientsPerDay: 10_000, recipientsPerMessage: 500, maxConnections: 3, confidence: 'official' },
  },
  {
    id: 'outlook',
    displayName: 'Outlook.com',
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'],
    mxPatterns: ['olc.protection.outlook.com'],
    host: 'smtp-mail.outlook.com',
    port: 587,
    security: 'starttls',
    usernameForm: 'address',
    // Basic auth is gone for Outlook.com since 16 Sept 2024 (research notes §2).
    authHint: 'oauth',
    // No current official figure; https://www.msoutlook.info/question/235 (third party, old).
    limits: { perDay: 300, recipientsPerMessage: 100, confidence: 'low' },
  },
  {
    id: 'icloud',
    displayName: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    mxPatterns: ['mail.icloud.com'],
    host: 'smtp.mail.me.com',
    port: 587,
    security: 'starttls',
    usernameForm: 'address',
    authHint: 'appPassword',
    // The current page https://support.apple.com/en-ca/102198 says 1,000 messages/day and 500 recipients per
    // message; the older HT202305 said 200/day and 100 per message. The notes advise the lower figures.
    limits: { perDay: 200, recipientsPerDay: 1000, recipientsPerMessage: 100, confidence: 'official' },
  },
  {
    id: 'yahoo',
    displayName: 'Yahoo Mail',
    domains: ['yahoo.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr', 'yahoo.it', 'yahoo.es', 'ymail.com', 'rocketmail.com'],
    mxPatterns: ['yahoodns.net'],
    host: 'smtp.mail.yahoo.com',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'appPassword',
    // No official submission limit; third-party estimate cited in the research notes §2.
    limits: { perDay: 500, recipientsPerMessage: 100, confidence: 'low' },
  },
  {
    id: 'seznam',
    displayName: 'Seznam.cz',
    domains: ['seznam.cz', 'email.cz', 'post.cz', 'spoluzaci.cz'],
    mxPatterns: [],
    host: 'smtp.seznam.cz',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'password',
  },
  {
    // Not in the ISPDB; smtp.centrum.cz is what code in the wild uses (confidence low, research notes §2).
    // Official page, not retrieved: https://freemail.help.economia.cz/articles/44668-adresy-postovnich-serveru
    id: 'centrum',
    displayName: 'Centrum.cz',
    domains: ['centrum.cz', 'atlas.cz', 'volny.cz'],
    mxPatterns: [],
    host: 'smtp.centrum.cz',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'password',
  },
  {
    id: 'wp',
    displayName: 'WP Poczta',
    domains: ['wp.pl'],
    mxPatterns: [],
    host: 'smtp.wp.pl',
    port: 465,
    security: 'ssl',
    usernameForm: 'localPart',
    authHint: 'password',
    // Forum summary only: https://www.elektroda.com/rtvforum/topic3637686-30.html
    limits: { perDay: 300, recipientsPerDay: 500, confidence: 'low' },
  },
  {
    id: 'o2',
    displayName: 'Poczta o2',
    domains: ['o2.pl', 'tlen.pl', 'go2.pl', 'prokonto.pl'],
    mxPatterns: [],
    host: 'poczta.o2.pl',
    port: 465,
    security: 'ssl',
    usernameForm: 'localPart',
    authHint: 'password',
  },
  {
    id: 'onet',
    displayName: 'Onet Poczta',
    domains: ['onet.pl', 'op.pl', 'vp.pl', 'onet.eu', 'poczta.onet.pl', 'spoko.pl', 'buziaczek.pl', 'autograf.pl'],
    mxPatterns: [],
    host: 'smtp.poczta.onet.pl',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'password',
  },
  {
    // Not in the ISPDB; poczta.interia.pl is what code samples use (confidence low, research notes §2).
    id: 'interia',
    displayName: 'Interia Poczta',
    domains: ['interia.pl', 'interia.eu', 'poczta.fm'],
    mxPatterns: [],
    host: 'poczta.interia.pl',
    port: 465,
    security: 'ssl',
    usernameForm: 'address',
    authHint: 'password',
    // Free accounts: 1 GB/day transfer, then blocked for 24 h (third party):
    // https://www.nazwa.pl/pomoc/baza-wiedzy/jakie-ograniczenia-dotyczace-polaczen-imap4-pojawiaja-sie-w-popularnych-serwisach-oferujacych-poczte-e-mail/
    limits: { bytesPerDay: 1_000_000_000, confidence: 'low' },
  },
  {
    // Not covered by the research notes; host and port as given in issue 3 (GMX's published settings).
    id: 'gmx',
    displayName: 'GMX',
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch'],
    mxPatterns: [],
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    usernameForm: 'address',
    authHint: 'password',
  },
];

/** A domain or host name in the form the table uses: ASCII (punycode), lower case, no trailing dot. */
export function normalizeDomain(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  return domainToASCII(trimmed);
}

/** The provider an address domain belongs to (`seznam.cz`, `op.pl`), if the table knows it. */
export function findProviderByDomain(domain: string): SmtpProvider | undefined {
  const ascii = normalizeDomain(domain);
  if (ascii === '') return undefined;
  return smtpProviders.find((provider) => provider.domains.includes(ascii));
}

/** The provider hosting a domain whose MX host is `mxHost` (`aspmx.l.google.com`), if known. */
export function findProviderByMxHost(mxHost: string): SmtpProvider | undefined {
  const ascii = normalizeDomain(mxHost);
  if (ascii === '') return undefined;
  return smtpProviders.find((provider) =>
    provider.mxPatterns.some((pattern) => ascii === pattern || ascii.endsWith(`.${pattern}`)),
  );
}

/** The SMTP user name for `address` in the provider's form. */
export function usernameFor(form: UsernameForm, address: string): string {
  return form === 'address' ? address : address.slice(0, address.lastIndexOf('@'));
}
