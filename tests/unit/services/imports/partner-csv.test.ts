import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../../electron/services/imports/csv-text';
import { isValidIco, isValidNip, normaliseIdentifier, partnerMatchKeys } from '../../../../electron/services/imports/identifiers';
import { guessMapping, readPartnerRows } from '../../../../electron/services/imports/partner-csv';

describe('identifiers', () => {
  it('checks IČO and NIP check digits', () => {
    expect(isValidIco('25796101')).toBe(true);
    expect(isValidIco('25796102')).toBe(false);
    expect(isValidNip('5260250274')).toBe(true);
    expect(isValidNip('5260250275')).toBe(false);
  });

  it('normalises the forms an office types into one key', () => {
    expect(normaliseIdentifier('CZ 2579 6101', '')?.matchKey).toBe('ico:25796101');
    expect(normaliseIdentifier('6178235', 'CZ')).toMatchObject({ registrationNumber: '06178235', matchKey: 'ico:06178235' });
    expect(normaliseIdentifier('PL 526-025-02-74', '')).toMatchObject({
      taxId: '5260250274',
      country: 'PL',
      matchKey: 'nip:5260250274',
    });
    expect(normaliseIdentifier('12345678', 'CZ')).toBeNull();
    expect(normaliseIdentifier('612345', 'IE')?.matchKey).toBe('id:IE:612345');
    expect(partnerMatchKeys({ registrationNumber: '012345675', taxId: '5260250274', country: 'PL' })).toEqual([
      'regon:012345675',
      'nip:5260250274',
    ]);
  });
});

describe('partners from CSV', () => {
  it('guesses the columns from Czech, Polish and English headers', () => {
    expect(
      guessMapping(['Název firmy', 'IČO', 'DIČ', 'Ulice', 'Město', 'PSČ', 'Stát', 'E-mail', 'Jazyk', 'Kontaktní osoba']),
    ).toEqual({
      name: 0,
      identifier: 1,
      taxId: 2,
      street: 3,
      city: 4,
      postalCode: 5,
      country: 6,
      email: 7,
      language: 8,
      contactPerson: 9,
    });
    expect(
      guessMapping(['Nazwa', 'NIP', 'Ulica', 'Miejscowość', 'Kod pocztowy', 'Kraj', 'Adres e-mail', 'Język', 'Osoba kontaktowa']),
    ).toMatchObject({
      name: 0,
      identifier: 1,
      taxId: null,
      street: 2,
      city: 3,
      postalCode: 4,
      country: 5,
      email: 6,
      language: 7,
      contactPerson: 8,
    });
    expect(guessMapping(['Company name', 'Registration number', 'VAT number', 'E-mail', 'Whatever'])).toMatchObject({
      name: 0,
      identifier: 1,
      taxId: 2,
      email: 3,
      city: null,
    });
  });

  it('turns good rows into drafts and refuses bad ones with every reason', () => {
    const csv = [
      'Název;IČO/NIP;Stát;E-mail;Jazyk',
      'Alfa s.r.o.;25796101;CZ;fakturace@alfa.example, jednatel@alfa.example;',
      'Beta sp. z o.o.;5260250274;Polska;biuro@beta.example;',
      ';25596641;CZ;nope@;klingonsky',
      'Gama;12345678;CZ;;',
      'Alfa again;CZ25796101;;;',
      'Delta;;Atlantis;;',
    ].join('\n');
    const { rows } = readCsv(Buffer.from(csv));
    const result = readPartnerRows(rows, guessMapping(rows[0] ?? []), 'cs');
    expect(result[0]).toMatchObject({
      line: 2,
      draft: {
        name: 'Alfa s.r.o.',
        registrationNumber: '25796101',
        email: 'fakturace@alfa.example',
        otherEmails: ['jednatel@alfa.example'],
        language: 'cs',
        matchKey: 'ico:25796101',
      },
    });
    expect(result[1]?.draft).toMatchObject({ taxId: '5260250274', country: 'PL', language: 'pl', matchKey: 'nip:5260250274' });
    expect(result[2]).toMatchObject({ line: 4, draft: null });
    expect(result[2]?.problems.map((p) => p.code)).toEqual(['missingName', 'invalidEmail', 'unknownLanguage']);
    expect(result[3]?.problems).toEqual([{ code: 'invalidIdentifier', value: '12345678' }]);
    expect(result[4]?.problems).toEqual([{ code: 'duplicateInFile', value: 'CZ25796101' }]);
    expect(result[5]?.problems).toEqual([{ code: 'unknownCountry', value: 'Atlantis' }]);
  });
});
