/**
 * The outbox's own MIME composer and SMTP transparency: what they produce is parsed back with
 * mailparser (as the test servers and real clients read it) and must say exactly what went in.
 */
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime, normalizeAddress, type MimeMessage } from '../../../../electron/services/outbox/mime-message';
import { textToHtml } from '../../../../shared/templates';

const body =
  'Dobrý den,\n\nv příloze zasíláme fakturu č. 2026-0001.\n.řádek začínající tečkou\n\nS pozdravem\nÚčetní kancelář Bílá\n';
const fileName = 'Faktura FV-2026-0001 Dvořák & synové s.r.o. – říjen.pdf';
const subject = 'Faktura FV-2026-0001 – Dvořák & synové: žluťoučký kůň, Łódź, gęślą jaźń';

function message(overrides: Partial<MimeMessage> = {}): MimeMessage {
  return {
    from: { name: 'Účetní kancelář Bílá & Čížek', address: 'ucetni@kancelar.example' },
    to: { name: 'Dvořák & synové s.r.o.', address: 'jana@dvorak-stavby.example' },
    cc: ['kopie@dvorak-stavby.example'],
    replyTo: 'fakturace@kancelar.example',
    subject,
    text: body,
    html: textToHtml(body, 'cs'),
    messageId: '<0d7e3c1a-5f0e-4f7e-9d7c-1f2a3b4c5d6e@kancelar.example>',
    date: new Date('2026-11-23T10:00:00Z'),
    attachments: [
      {
        fileName,
        contentType: 'application/pdf',
        content: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(60 * 1024 + 2)]),
      },
    ],
    ...overrides,
  };
}

/** The raw message's lines, CRLF-split. */
function lines(raw: Buffer): string[] {
  return raw.toString('latin1').split('\r\n');
}

describe('composeMime', () => {
  it('reads back with its subject, names, addresses, Message-ID, text, HTML (with lang) and the attachment byte for byte', async () => {
    const input = message();
    const parsed = await simpleParser(composeMime(input));

    expect(parsed.subject).toBe(subject);
    expect(parsed.from?.value).toEqual([{ name: 'Účetní kancelář Bílá & Čížek', address: 'ucetni@kancelar.example' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { name: 'Dvořák & synové s.r.o.', address: 'jana@dvorak-stavby.example' },
    ]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value.map((a) => a.address) : []).toEqual([
      'kopie@dvorak-stavby.example',
    ]);
    expect(parsed.replyTo?.value[0]?.address).toBe('fakturace@kancelar.example');
    expect(parsed.messageId).toBe(input.messageId);
    expect(parsed.date?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(parsed.text).toBe(body);
    expect(parsed.html).toContain('<html lang="cs">');
    expect(parsed.html).toContain('<p>Dobrý den,</p>');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe(fileName);
    expect(parsed.attachments[0]?.contentType).toBe('application/pdf');
    expect(parsed.attachments[0]?.content.equals(input.attachments[0]?.content ?? Buffer.alloc(0))).toBe(true);
  });

  it('carries the e-invoice after the PDF: both attachments in order, byte for byte, names kept', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3 * 1024 + 1)]);
    const isdoc = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\r\n<Invoice>Příliš žluťoučký</Invoice>\r\n');
    const raw = composeMime(
      message({
        attachments: [
          { fileName: 'Faktura FV-2026-0007.pdf', contentType: 'application/pdf', content: pdf },
          { fileName: 'Faktura FV-2026-0007.isdoc', contentType: 'application/xml', content: isdoc },
        ],
      }),
    );
    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['Faktura FV-2026-0007.pdf', 'Faktura FV-2026-0007.isdoc']);
    expect(parsed.attachments[0]?.content.equals(pdf)).toBe(true);
    expect(parsed.attachments[1]?.content.equals(isdoc)).toBe(true);
    expect(parsed.text).toBe(body);
    expect(lines(raw).every((line) => line.length <= 76)).toBe(true);
  });

  it('is 7-bit with CRLF line ends only, no line over 76 characters, and ends with CRLF', () => {
    const raw = composeMime(message());
    const text = raw.toString('latin1');
    expect(raw.some((byte) => byte > 0x7e)).toBe(false);
    expect(/[^\r]\n|\r[^\n]/.test(text)).toBe(false);
    expect(lines(raw).filter((line) => line.length > 76)).toEqual([]);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('encodes the subject per RFC 2047 and the file name per RFC 2231 and RFC 2047, as MailComposer did', () => {
    const raw = composeMime(message()).toString('latin1');
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headers).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(raw).toMatch(/filename\*(0\*)?=utf-8''Faktura%20FV-2026-0001%20Dvo%C5%99/i);
    expect(raw).toMatch(/name="=\?UTF-8\?Q\?Faktura_FV-2026-0001_Dvo=C5=99/);
  });

  it('keeps a line break or control character in a header value from ending the header', async () => {
    const parsed = await simpleParser(composeMime(message({ subject: 'Faktura\r\nBcc: vsichni@example.test', attachments: [] })));
    expect(parsed.subject).toBe('Faktura Bcc: vsichni@example.test');
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('sends a message without attachment as multipart/alternative, and a CSV with its bytes unchanged', async () => {
    const plain = await simpleParser(composeMime(message({ attachments: [] })));
    expect(plain.attachments).toHaveLength(0);
    expect(plain.text).toBe(body);
    const csv = Buffer.from('\uFEFFčas;stav\r\n2026-11-23;odesláno\r\n', 'utf8');
    const withCsv = await simpleParser(
      composeMime(message({ attachments: [{ fileName: 'kurier-batch-7.csv', contentType: 'text/csv', content: csv }] })),
    );
    expect(withCsv.attachments[0]?.content.equals(csv)).toBe(true);
    expect(withCsv.attachments[0]?.filename).toBe('kurier-batch-7.csv');
  });

  it('uses base64 for text that is mostly not Latin, and 7bit for short plain ASCII', async () => {
    const cyrillic = 'Добрый день,\nсчёт во вложении.\n';
    const raw = composeMime(message({ text: cyrillic, html: textToHtml(cyrillic, 'cs'), attachments: [] }));
    expect(raw.toString('latin1')).toMatch(/text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64/);
    expect((await simpleParser(raw)).text).toBe(cyrillic);
    const ascii = composeMime(message({ text: 'Hello,\nthe invoice is attached.\n', attachments: [] })).toString('latin1');
    expect(ascii).toMatch(/text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit/);
  });

  it('gives an internationalised domain in punycode, in the header and for the envelope', async () => {
    expect(normalizeAddress('jana@příklad.cz')).toBe('jana@xn--pklad-zsa96e.cz');
    expect(normalizeAddress('Jana@Firma.CZ')).toBe('Jana@firma.cz');
    const parsed = await simpleParser(composeMime(message({ to: { name: '', address: 'jana@příklad.cz' } })));
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : '').toBe('jana@příklad.cz');
  });
});
