/**
 * Header lines of at most 998 characters (RFC 5322 §2.1.1), and at most 78 wherever folding can make
 * them so, for the longest subjects, names and file names: messages go through a real smtp-server,
 * and the raw bytes it received are measured line by line, then parsed back with mailparser, which must
 * give the exact subject, names and file name. Before, an unbroken 2,000-character subject went out as
 * one 2,009-character line (the outbox's own composer and nodemailer's alike). The .eml draft handed to
 * the new Outlook is parsed from its bytes the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { emlDraft } from '../../../../electron/services/handoff/new-outlook';
import { passwordCredential } from '../../../../electron/services/mail/smtp-credential';
import { testSmtpConnection } from '../../../../electron/services/mail/connection-test';
import { composeMime, type MimeMessage } from '../../../../electron/services/outbox/mime-message';
import { SmtpSession } from '../../../../electron/services/mail/smtp-session';
import { createTestCertificate } from '../../../support/certificates';
import {
  startSmtpTestServer,
  testSmtpAccount,
  type ReceivedMessage,
  type SmtpTestServer,
} from '../../../support/smtp-test-server';

const certificate = createTestCertificate();
let server: SmtpTestServer;
beforeAll(async () => {
  server = await startSmtpTestServer({ certificate, secure: false, extra: { size: 0 } });
});
afterAll(() => server.close());

const account = () => testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert });

const longCzech = 'Účetní kancelář Příliš žluťoučký kůň úpěl ďábelské ódy a Łódź Świętokrzyska '.repeat(12).trim();
const subjects = [
  ['2,000 unbroken ASCII letters', 'A'.repeat(2000)],
  ['a 998-character word between spaces', `Faktura ${'x'.repeat(998)} zaplacena`],
  ['2,000 unbroken Czech letters', 'ž'.repeat(2000)],
  ['a long Czech sentence', longCzech],
  ['an unbroken mix', `${'Příliš'.repeat(150)}${'ABC'.repeat(300)}`],
] as const;

/** The lines of the raw message (CRLF), and those of its headers (everything before each blank line that follows headers). */
function lineLengths(raw: string): number[] {
  return raw.split('\r\n').map((line) => line.length);
}

function headerBlock(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n'));
}

async function sendComposed(message: MimeMessage): Promise<ReceivedMessage> {
  const session = await SmtpSession.open(account(), passwordCredential('správné-heslo'));
  const data = composeMime(message);
  await session.send(
    { from: message.from.address, to: [message.to.address], data: () => Promise.resolve(data), onDataSent: () => undefined },
    10_000,
  );
  session.close();
  return server.nextMessage();
}

function composed(overrides: Partial<MimeMessage>): MimeMessage {
  return {
    from: { name: 'Kancelář', address: 'ucetni@kancelar.example' },
    to: { name: 'Jana Nováková', address: 'jana@firma.example' },
    cc: [],
    replyTo: '',
    subject: 'Faktura',
    text: 'Dobrý den',
    html: '<p>Dobrý den</p>',
    messageId: '<header-lines@kancelar.example>',
    date: new Date('2026-11-23T09:00:00Z'),
    attachments: [],
    ...overrides,
  };
}

describe('the outbox composer', () => {
  it.each(subjects)(
    'keeps every line within 78 characters for %s, and the subject reads back exactly',
    async (_label, subject) => {
      const received = await sendComposed(composed({ subject }));
      expect(Math.max(...lineLengths(received.raw))).toBeLessThanOrEqual(78);
      expect(received.parsed.subject).toBe(subject);
    },
  );

  it('folds long unbroken names and file names, and they read back exactly', async () => {
    const fromName = 'B'.repeat(500);
    const toName = `${longCzech}${'Ř'.repeat(300)}`;
    const fileName = `Faktura_${'Výplatní_páska_2026-11_'.repeat(20)}${'x'.repeat(300)}.pdf`;
    const received = await sendComposed(
      composed({
        from: { name: fromName, address: 'ucetni@kancelar.example' },
        to: { name: toName, address: 'jana@firma.example' },
        subject: 'S'.repeat(1200),
        attachments: [{ fileName, contentType: 'application/pdf', content: Buffer.from('%PDF-1.7\n') }],
      }),
    );
    expect(Math.max(...lineLengths(received.raw))).toBeLessThanOrEqual(78);
    expect(received.parsed.from?.value[0]?.name).toBe(fromName);
    const to = Array.isArray(received.parsed.to) ? received.parsed.to[0] : received.parsed.to;
    expect(to?.value[0]?.name).toBe(toName);
    expect(received.parsed.attachments[0]?.filename).toBe(fileName);
    expect(received.parsed.subject).toBe('S'.repeat(1200));
  });
});

describe('the connection test’s message (nodemailer’s MailComposer)', () => {
  it.each(subjects)('keeps every header line within 998 characters, the subject within 78, for %s', async (_label, subject) => {
    const report = await testSmtpConnection(account(), passwordCredential('správné-heslo'), {
      testMessage: { subject, text: 'Test' },
    });
    expect(report.ok).toBe(true);
    const received = await server.nextMessage();
    const head = headerBlock(received.raw);
    expect(Math.max(...lineLengths(head))).toBeLessThanOrEqual(998);
    const subjectLines = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(head)?.[0] ?? '';
    expect(Math.max(...lineLengths(subjectLines))).toBeLessThanOrEqual(78);
    expect(received.parsed.subject).toBe(subject);
  });
});

describe('the new-Outlook .eml draft (nodemailer)', () => {
  it.each(subjects)('keeps every header line within 998 characters, the subject within 78, for %s', async (_label, subject) => {
    const raw = (
      await emlDraft({ to: ['jana@firma.example'], cc: [], bcc: [], subject, text: 'Dobrý den', attachments: [] }, 'posix')
    ).toString('utf8');
    const head = headerBlock(raw);
    expect(Math.max(...lineLengths(head))).toBeLessThanOrEqual(998);
    const subjectLines = /^Subject:.*(?:\r\n[ \t].*)*/m.exec(head)?.[0] ?? '';
    expect(Math.max(...lineLengths(subjectLines))).toBeLessThanOrEqual(78);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });
});
