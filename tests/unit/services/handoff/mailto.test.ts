/** The mailto: link (RFC 6068): encoding, the length cap and what it says it could not carry. */
import { describe, expect, it } from 'vitest';
import { mailtoUrl, maxMailtoLength } from '../../../../electron/services/handoff/mailto';

const mail = {
  to: ['jana@firma.cz', "o'brien@firma.cz"],
  cc: ['eva@firma.cz'],
  bcc: [],
  subject: 'Faktura FV-2026-0001 & záloha?',
  text: 'Dobrý den,\nv příloze.',
  attachments: [{ path: '/home/jana/Documents/Kurier/Outbox/Faktura.pdf' }],
};

describe('mailtoUrl', () => {
  it('puts the recipients in the path and everything else, percent-encoded, in the query', () => {
    expect(mailtoUrl(mail)).toEqual({
      url: 'mailto:jana@firma.cz,o%27brien@firma.cz?cc=eva@firma.cz&subject=Faktura%20FV-2026-0001%20%26%20z%C3%A1loha%3F&body=Dobr%C3%BD%20den%2C%0D%0Av%20p%C5%99%C3%ADloze.',
      bodyTruncated: false,
      attachmentsLeftOut: 1,
    });
  });

  it('is a bare mailto: with nothing to carry', () => {
    expect(mailtoUrl({ to: [], cc: [], bcc: [], subject: '', text: '', attachments: [] })).toEqual({
      url: 'mailto:',
      bodyTruncated: false,
      attachmentsLeftOut: 0,
    });
  });

  it('cuts a long body at a whole character, never inside an emoji or an escape', () => {
    const text = `${'Řádek s emoji 😀 a čárkou, '.repeat(200)}konec`;
    const link = mailtoUrl({ ...mail, text });
    expect(link.bodyTruncated).toBe(true);
    expect(link.url.length).toBeLessThanOrEqual(maxMailtoLength);
    expect(link.url.length).toBeGreaterThan(maxMailtoLength - 12);
    const body = new URL(link.url).searchParams.get('body')!;
    expect(text.startsWith(body)).toBe(true);
    expect(body).not.toMatch(/\uFFFD|[\uD800-\uDBFF]$/u);
  });

  it('honours a smaller cap', () => {
    const link = mailtoUrl(mail, 120);
    expect(link.url.length).toBeLessThanOrEqual(120);
    expect(link.bodyTruncated).toBe(true);
  });

  it('refuses when the recipients and subject alone are too long', () => {
    const many = Array.from({ length: 120 }, (_, i) => `prijemce${String(i)}@firma.cz`);
    expect(() => mailtoUrl({ ...mail, to: many })).toThrow(expect.objectContaining({ code: 'handoff.mailtoTooLong' }));
  });

  it('refuses addresses with line breaks before building anything', () => {
    expect(() => mailtoUrl({ ...mail, cc: ['eva@firma.cz\r\nBcc: all@example.com'] })).toThrow(
      expect.objectContaining({ code: 'mail.headerInjection' }),
    );
  });
});
