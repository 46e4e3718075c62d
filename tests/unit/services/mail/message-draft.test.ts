/**
 * What a partner reads in the e-mail a copy starts with: dates with the month written out, the account
 * their bank can use, and a credit note's amount as what comes back to them.
 */
import { describe, expect, it } from 'vitest';
import { draftMessage } from '../../../../electron/services/mail/message-draft';
import { ownOrigin, type AccountingDocument, type Company, type Language, type Partner } from '../../../../shared/domain';

const company: Company = {
  name: 'Účetní kancelář Novák s.r.o.',
  address: { street: 'Masarykova 12', city: 'Brno', postalCode: '602 00', country: 'CZ' },
  registrationNumber: '27082440',
  taxId: 'CZ27082440',
  email: 'kancelar@novak.example',
  phone: '',
  bankAccount: '2801234578/2010',
  iban: 'CZ0520100000002801234578',
};

function partnerIn(country: string, language: Language): Partner {
  return {
    id: 1,
    companyId: 1,
    kind: 'business',
    name: 'Odbiorca sp. z o.o.',
    contactPerson: '',
    email: 'biuro@odbiorca.example',
    phone: '',
    address: { street: 'Długa 1', city: 'Kraków', postalCode: '30-001', country },
    registrationNumber: '',
    taxId: '',
    language,
  };
}

function documentOf(kind: AccountingDocument['kind'], unitPriceMinor: number): AccountingDocument {
  return {
    id: 1,
    companyId: 1,
    kind,
    number: kind === 'creditNote' ? 'DB-2026-0001' : 'FV-2026-0042',
    partnerId: 1,
    issueDate: '2026-08-15',
    dueDate: '2026-08-29',
    taxableSupplyDate: '2026-08-15',
    currency: 'PLN',
    variableSymbol: '20260042',
    period: '',
    relatedNumber: kind === 'creditNote' ? 'FV-2026-0042' : '',
    lines: [{ description: 'Usługa', quantityMilli: 1000, unit: 'szt.', unitPriceMinor, vatRatePercent: 23 }],
    note: '',
    origin: ownOrigin,
  };
}

function draft(kind: AccountingDocument['kind'], partner: Partner, unitPriceMinor = 10_000) {
  const language = partner.language;
  return draftMessage({
    document: documentOf(kind, unitPriceMinor),
    partner,
    company,
    senderName: 'Jana',
    language,
    templates: {},
    reminderLevel: 1,
  });
}

/** Collapses U+00A0 and U+202F that Intl puts into amounts and dates. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/gu, ' ');

describe('dates in e-mails', () => {
  it('writes the month out in every language, British English included', () => {
    expect(draft('invoice', partnerIn('PL', 'pl')).body).toContain('29 sierpnia 2026');
    expect(draft('invoice', partnerIn('CZ', 'cs')).body).toContain('29. srpna 2026');
    expect(draft('invoice', partnerIn('GB', 'en')).body).toContain('29 August 2026');
    expect(draft('invoice', partnerIn('PL', 'pl')).body).not.toMatch(/\bsie\b/u);
  });
});

describe('the account in a payment request', () => {
  it('asks a partner outside the seller’s country to pay to the IBAN, in Polish and in English', () => {
    for (const partner of [partnerIn('PL', 'pl'), partnerIn('DE', 'en')]) {
      const { body } = draft('invoice', partner);
      expect(body).toContain('IBAN CZ05 2010 0000 0028 0123 4578');
      expect(body).not.toContain('2801234578/2010');
    }
  });

  it('keeps the domestic account number for a partner in the seller’s country', () => {
    const { body } = draft('invoice', partnerIn('CZ', 'cs'));
    expect(body).toContain('2801234578/2010');
    expect(body).not.toContain('IBAN');
  });
});

describe('credit notes', () => {
  it('names the amount to be refunded without a minus sign, in each language’s own phrasing', () => {
    const bodies = {
      pl: plain(draft('creditNote', partnerIn('PL', 'pl'), -9_900).body),
      cs: plain(draft('creditNote', partnerIn('CZ', 'cs'), -9_900).body),
      en: plain(draft('creditNote', partnerIn('GB', 'en'), -9_900).body),
    };
    expect(bodies.pl).toContain('Kwota do zwrotu wynosi 121,77 zł.');
    expect(bodies.cs).toContain('Částka k vrácení činí 121,77 PLN.');
    expect(bodies.en).toContain('The amount to be refunded to you is PLN 121.77.');
    for (const body of Object.values(bodies)) {
      expect(body).not.toMatch(/[-\u2212]\s?(PLN\s?)?\d+[,.]\d{2}/u);
      expect(body).not.toContain('na kwotę');
    }
  });
});
