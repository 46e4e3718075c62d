import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { documentMarks, electronicInvoice } from '../../../../electron/services/einvoice/outgoing';
import { placeholderValues } from '../../../../electron/services/mail/message-draft';
import { ownOrigin } from '../../../../shared/domain';
import type { AccountingDocument, CompanyRecord, Partner } from '../../../../shared/domain';

const xml = Buffer.from('<?xml version="1.0"?>\r\n<Faktura>zażółć</Faktura>\r\n', 'utf8');

function company(country: 'CZ' | 'PL', overrides: Partial<CompanyRecord> = {}): CompanyRecord {
  return {
    id: 1,
    name: country === 'PL' ? 'Biuro Żółć sp. z o.o.' : 'Kancelář s.r.o.',
    address: { street: 'Długa 1', city: 'Kraków', postalCode: '30-001', country },
    registrationNumber: '',
    taxId: country === 'PL' ? '5265877635' : 'CZ27082440',
    email: '',
    phone: '',
    bankAccount: '2801234578/2010',
    iban: 'CZ0520100000002801234578',
    senderName: '',
    replyTo: '',
    smtpAccount: '',
    templatesJson: '{}',
    isDemo: false,
    ksefEnvironment: 'test',
    isdocAttachment: 'separate',
    polishTransferQr: false,
    hasLogo: false,
    ...overrides,
  };
}

const partner = (country: string): Partner => ({
  id: 1,
  companyId: 1,
  kind: 'business',
  name: 'Odběratel',
  contactPerson: '',
  email: 'a@b.example',
  phone: '',
  address: { street: 'Husova 7', city: 'Brno', postalCode: '602 00', country },
  registrationNumber: '06178235',
  taxId: 'CZ06178235',
  language: 'cs',
});

function document(kind: AccountingDocument['kind'], ksef: boolean, ksefNumber: string | null = null): AccountingDocument {
  return {
    id: 7,
    companyId: 1,
    kind,
    number: 'FV/2026/11/0042',
    partnerId: 1,
    issueDate: '2026-11-20',
    dueDate: '2026-12-04',
    taxableSupplyDate: '2026-11-20',
    currency: 'PLN',
    variableSymbol: '2026110042',
    period: '',
    relatedNumber: '',
    lines: [{ description: 'Usługa', unit: 'szt', quantityMilli: 1000, unitPriceMinor: 100_000, vatRatePercent: 23 }],
    note: '',
    origin: ksef ? { ...ownOrigin, source: 'ksef', ksefNumber, originals: ['xml'] } : ownOrigin,
  };
}

describe('documentMarks', () => {
  it('gives a Polish KSeF invoice KOD I over the kept bytes, in the company environment, OFFLINE without a number', () => {
    const marks = documentMarks({
      document: document('invoice', true),
      partner: partner('PL'),
      company: company('PL'),
      originalXml: xml,
    });
    const hash = createHash('sha256').update(xml).digest('base64url');
    expect(marks.ksef).toEqual({ url: `https://qr-test.ksef.mf.gov.pl/invoice/5265877635/20-11-2026/${hash}`, ksefNumber: '' });
    expect(marks.payment).toBeUndefined();
  });

  it('gives no KOD I without the original XML (nothing to hash)', () => {
    expect(
      documentMarks({
        document: document('invoice', true),
        partner: partner('PL'),
        company: company('PL'),
        originalXml: undefined,
      }),
    ).toEqual({});
  });

  it('gives a Czech invoice QR Platba and a Czech credit note none', () => {
    const invoice = documentMarks({
      document: document('invoice', false),
      partner: partner('CZ'),
      company: company('CZ'),
      originalXml: undefined,
    });
    expect(invoice.payment?.spayd).toMatch(
      /^SPD\*1\.0\*ACC:CZ0520100000002801234578\*AM:1230\.00\*CC:PLN\*X-VS:2026110042\*DT:20261204\*/u,
    );
    const credit = {
      ...document('creditNote', false),
      lines: [{ description: 'x', unit: 'ks', quantityMilli: -1000, unitPriceMinor: 100, vatRatePercent: 21 }],
    };
    expect(documentMarks({ document: credit, partner: partner('CZ'), company: company('CZ'), originalXml: undefined })).toEqual(
      {},
    );
  });
});

describe('QR Platba and the payment state', () => {
  const czech = (origin: Partial<AccountingDocument['origin']>, kind: AccountingDocument['kind'] = 'invoice') =>
    documentMarks({
      document: { ...document(kind, false), currency: 'CZK', origin: { ...ownOrigin, source: 'isdoc', ...origin } },
      partner: partner('CZ'),
      company: company('CZ'),
      originalXml: undefined,
    });

  it('gives an invoice paid in cash or by card no QR Platba', () => {
    expect(czech({ paymentMethod: 'cash', amountDueMinor: 123_000 })).toEqual({});
    expect(czech({ paymentMethod: 'card', amountDueMinor: 123_000 })).toEqual({});
  });

  it('gives a paid invoice no QR Platba', () => {
    expect(czech({ paymentMethod: 'transfer', amountDueMinor: 0, paidOn: '2026-11-25' })).toEqual({});
  });

  it('asks for the amount still due of a partly paid invoice, not its total', () => {
    expect(czech({ paymentMethod: 'transfer', amountDueMinor: 45_050 }).payment?.spayd).toMatch(
      /^SPD\*1\.0\*ACC:CZ0520100000002801234578\*AM:450\.50\*CC:CZK\*X-VS:2026110042\*DT:20261204\*/u,
    );
  });

  it('gives a payment reminder QR Platba for its total', () => {
    expect(czech({ paymentMethod: 'transfer', amountDueMinor: null }, 'paymentReminder').payment?.spayd).toMatch(
      /\*AM:1230\.00\*CC:CZK\*/u,
    );
  });

  it('gives a Polish invoice the transfer QR for the amount due, and none when it is paid in cash', () => {
    const polish = (origin: Partial<AccountingDocument['origin']>) =>
      documentMarks({
        document: { ...document('invoice', false), origin: { ...ownOrigin, source: 'ksef', ...origin } },
        partner: partner('PL'),
        company: company('PL', { polishTransferQr: true, iban: 'PL61109010140000071219812874' }),
        originalXml: undefined,
      });
    expect(polish({ paymentMethod: 'transfer', amountDueMinor: 50_000 }).polishTransfer?.text).toContain('|050000|');
    expect(polish({ paymentMethod: 'cash', amountDueMinor: 50_000 })).toEqual({});
  });
});

describe('electronicInvoice', () => {
  it('sends the FA(3) original byte for byte, generates ISDOC for a Czech partner, and nothing when the company says none', () => {
    const fa3 = electronicInvoice({
      document: document('invoice', true),
      partner: partner('PL'),
      company: company('PL'),
      originalXml: xml,
    });
    expect(fa3).toMatchObject({ fileName: 'FV_2026_11_0042.xml', origin: 'original' });
    expect(Buffer.from(fa3?.bytes ?? []).equals(xml)).toBe(true);
    const isdoc = electronicInvoice({
      document: document('invoice', false),
      partner: partner('CZ'),
      company: company('CZ'),
      originalXml: undefined,
    });
    expect(isdoc).toMatchObject({ fileName: 'FV_2026_11_0042.isdoc', origin: 'generated' });
    const none = company('CZ', { isdocAttachment: 'none' });
    expect(
      electronicInvoice({ document: document('invoice', false), partner: partner('CZ'), company: none, originalXml: undefined }),
    ).toBeUndefined();
  });
});

describe('the ksefNumber template placeholder', () => {
  it('is the document KSeF number, empty without one', () => {
    const values = (doc: AccountingDocument) =>
      placeholderValues({ document: doc, partner: partner('PL'), company: company('PL'), senderName: '', language: 'pl' })
        .ksefNumber;
    expect(values(document('invoice', true, '5265877635-20261120-0100001AF629-AF'))).toBe('5265877635-20261120-0100001AF629-AF');
    expect(values(document('invoice', false))).toBe('');
  });
});
