/**
 * One message through the SMTP session (mail/smtp-session.ts), composed as the outbox composes it,
 * against a real SMTP server requiring AUTH: once over STARTTLS on a submission port,
 * once over implicit TLS. The server trusts nothing about the client; the client trusts exactly the test
 * certificate. Assertions are on the message as the server received and parsed it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMessageId, type ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { sendThroughSession } from '../../../support/session-send';
import type { SmtpAccount } from '../../../../shared/prefs';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';

const fileName = 'Faktura FV-2026-0001 Dvořák & synové s.r.o. – říjen.pdf';
const subject = 'Faktura FV-2026-0001 – Dvořák & synové: žluťoučký kůň, Łódź, gęślą jaźń';

let certificate: TestCertificate;
beforeAll(() => {
  certificate = createTestCertificate();
});

function account(server: SmtpTestServer, security: SmtpAccount['security']): SmtpAccount {
  return {
    senderName: 'Účetní kancelář Bílá & Čížek',
    senderAddress: 'ucetni@kancelar.example',
    replyTo: 'fakturace@kancelar.example',
    bccSelf: false,
    host: '127.0.0.1',
    port: server.port,
    security,
    cipherStrength: 'default',
    auth: 'password',
    username: 'ucetni@kancelar.example',
    trustedCertificate: certificate.cert,
  };
}

async function mailWithPdf(): Promise<ComposedMail> {
  const dir = await tempDir();
  const pdfPath = path.join(dir, 'attachment.pdf');
  await writeFile(pdfPath, '%PDF-1.7\n% Kurier test attachment\n');
  return {
    from: { name: 'Účetní kancelář Bílá & Čížek', address: 'ucetni@kancelar.example' },
    to: ['jana.dvorakova@dvorak-stavby.example'],
    cc: [],
    bcc: [],
    replyTo: 'fakturace@kancelar.example',
    subject,
    text: 'Dobrý den,\n\nv příloze zasíláme fakturu.\n\nS pozdravem',
    attachments: [{ path: pdfPath, fileName, contentType: 'application/pdf' }],
    messageId: newMessageId('ucetni@kancelar.example'),
  };
}

describe.each([
  { mode: 'STARTTLS on a submission port', secure: false, security: 'starttls' as const },
  { mode: 'implicit TLS', secure: true, security: 'ssl' as const },
])('one message through the SMTP session over $mode', ({ secure, security }) => {
  let server: SmtpTestServer;
  beforeAll(async () => {
    server = await startSmtpTestServer({ certificate, secure });
  });
  afterAll(() => server.close());

  it('delivers from, reply-to, to, a diacritic subject, the body and the PDF with its diacritic name', async () => {
    const mail = await mailWithPdf();
    const receipt = await sendThroughSession(account(server, security), 'správné-heslo', mail);
    const received = await server.nextMessage();

    expect(receipt.accepted).toEqual(['jana.dvorakova@dvorak-stavby.example']);
    expect(received.user).toBe('ucetni@kancelar.example');
    expect(received.envelopeTo).toEqual(['jana.dvorakova@dvorak-stavby.example']);
    const parsed = received.parsed;
    expect(parsed.from?.value).toEqual([{ name: 'Účetní kancelář Bílá & Čížek', address: 'ucetni@kancelar.example' }]);
    expect(parsed.replyTo?.value[0]?.address).toBe('fakturace@kancelar.example');
    expect(parsed.subject).toBe(subject);
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.text).toContain('v příloze zasíláme fakturu.');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe(fileName);
    expect(parsed.attachments[0]?.contentType).toBe('application/pdf');
    expect(parsed.attachments[0]?.content.toString()).toContain('Kurier test attachment');
  });

  it('encodes the subject per RFC 2047 and the file name both per RFC 2231 and RFC 2047', async () => {
    await sendThroughSession(account(server, security), 'správné-heslo', await mailWithPdf());
    const { raw } = await server.nextMessage();
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));

    // Every header line is 7-bit: no raw UTF-8 reaches a header.
    expect(Buffer.from(headers, 'utf8').some((byte) => byte > 0x7e)).toBe(false);
    expect(headers).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    // Content-Disposition: filename*=utf-8''… (RFC 2231) for Thunderbird and webmail; Content-Type:
    // name="=?UTF-8?…?=" (RFC 2047) for Outlook.
    expect(raw).toMatch(/filename\*(0\*)?=utf-8''Faktura%20FV-2026-0001%20Dvo%C5%99/i);
    expect(raw).toMatch(/name="=\?UTF-8\?Q\?Faktura_FV-2026-0001_Dvo=C5=99/);
  });
});
