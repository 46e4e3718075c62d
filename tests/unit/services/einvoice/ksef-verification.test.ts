import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ksefVerificationUrl, parseKsefNumber } from '../../../../electron/services/einvoice/ksef-verification';

const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\r\n<Faktura>ż</Faktura>\n', 'utf8');

describe('ksefVerificationUrl', () => {
  it('encodes NIP, P_1 as DD-MM-YYYY and the unpadded Base64URL SHA-256 of the exact bytes', () => {
    const digest = createHash('sha256').update(xml).digest();
    const expectedHash = digest.toString('base64').replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '');
    expect(ksefVerificationUrl({ environment: 'production', sellerNip: 'PL 526-587-76-35', issueDate: '2026-02-03', xml })).toBe(
      `https://qr.ksef.mf.gov.pl/invoice/5265877635/03-02-2026/${expectedHash}`,
    );
    expect(expectedHash).toHaveLength(43);
  });

  it('uses the host of the company environment', () => {
    const input = { sellerNip: '5265877635', issueDate: '2026-02-03', xml };
    expect(ksefVerificationUrl({ ...input, environment: 'demo' })).toMatch(/^https:\/\/qr-demo\.ksef\.mf\.gov\.pl\/invoice\//u);
    expect(ksefVerificationUrl({ ...input, environment: 'test' })).toMatch(/^https:\/\/qr-test\.ksef\.mf\.gov\.pl\/invoice\//u);
  });

  it('hashes bytes, not text: a changed line ending changes the code', () => {
    const input = { environment: 'production', sellerNip: '5265877635', issueDate: '2026-02-03' } as const;
    const lf = Buffer.from(xml.toString('utf8').replace(/\r\n/gu, '\n'), 'utf8');
    expect(ksefVerificationUrl({ ...input, xml })).not.toBe(ksefVerificationUrl({ ...input, xml: lf }));
  });

  it('refuses a NIP without ten digits and a malformed date', () => {
    expect(() => ksefVerificationUrl({ environment: 'production', sellerNip: '123', issueDate: '2026-02-03', xml })).toThrow(
      RangeError,
    );
    expect(() => ksefVerificationUrl({ environment: 'production', sellerNip: '5265877635', issueDate: '3.2.2026', xml })).toThrow(
      RangeError,
    );
  });
});

describe('parseKsefNumber', () => {
  it('accepts the 35-character form and normalises case and spaces', () => {
    expect(parseKsefNumber(' 5265877635-20250826-0100001af629-af ')).toBe('5265877635-20250826-0100001AF629-AF');
    expect(parseKsefNumber('5265877635-20250826-0100001AF629')).toBeUndefined();
    expect(parseKsefNumber('')).toBeUndefined();
  });
});
