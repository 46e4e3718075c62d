import { describe, expect, it } from 'vitest';
import { buildSpayd, decimalAmount } from '../../../../electron/services/einvoice/spayd';

const base = {
  iban: 'CZ65 0800 0000 1920 0014 5399',
  amountMinor: 123_450,
  currency: 'czk',
  variableSymbol: '2026017',
  dueDate: '2026-12-31',
  message: 'Faktura 2026017',
};

describe('buildSpayd', () => {
  it('writes the fields in SPAYD 1.0 form', () => {
    expect(buildSpayd(base)).toBe(
      'SPD*1.0*ACC:CZ6508000000192000145399*AM:1234.50*CC:CZK*X-VS:2026017*DT:20261231*MSG:FAKTURA 2026017',
    );
  });

  it('adds the BIC after a plus sign', () => {
    expect(buildSpayd({ ...base, bic: 'gibacz px' })).toContain('ACC:CZ6508000000192000145399+GIBACZPX*');
  });

  it('escapes * and %, strips diacritics, upper-cases and keeps the message within 60 characters', () => {
    const spayd = buildSpayd({ ...base, message: `Účet * 100 % ${'ž'.repeat(80)}` }) ?? '';
    const message = spayd.split('*MSG:')[1] ?? '';
    expect(message.startsWith('UCET %2A 100 %25 ZZZ')).toBe(true);
    expect(decodeURIComponent(message)).toHaveLength(60);
    expect(spayd.split('*')).toHaveLength(8);
  });

  it('leaves out a variable symbol that is not up to ten digits and an empty due date', () => {
    const spayd = buildSpayd({ ...base, variableSymbol: 'FV-2026/1', dueDate: '' }) ?? '';
    expect(spayd).not.toContain('X-VS');
    expect(spayd).not.toContain('DT:');
  });

  it('gives nothing when nothing is due, the amount does not fit AM, or the IBAN is missing', () => {
    expect(buildSpayd({ ...base, amountMinor: 0 })).toBeUndefined();
    expect(buildSpayd({ ...base, amountMinor: -5000 })).toBeUndefined();
    expect(buildSpayd({ ...base, amountMinor: 1_000_000_000 })).toBeUndefined();
    expect(buildSpayd({ ...base, iban: '' })).toBeUndefined();
  });
});

describe('decimalAmount', () => {
  it('uses a dot and two decimals', () => {
    expect(decimalAmount(5)).toBe('0.05');
    expect(decimalAmount(100)).toBe('1.00');
    expect(decimalAmount(-12_345)).toBe('-123.45');
  });
});
