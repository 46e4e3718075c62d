import { describe, expect, it } from 'vitest';
import { commitPartnerImport, planPartnerImport } from '../../../../electron/services/imports/partner-import';
import { importDatabase } from '../../../support/import-db';
import { encodeWindows1250 } from '../../../support/windows-1250';

const header = ['Název', 'IČO/NIP', 'DIČ', 'Ulice', 'Město', 'PSČ', 'Stát', 'E-mail', 'Jazyk', 'Kontaktní osoba'];
const rows = [
  [
    'Žluťoučký kůň, s.r.o.',
    '25796101',
    'CZ25796101',
    'Náměstí Míru 1',
    'Říčany',
    '251 01',
    'CZ',
    'fakturace@kun.example; reditel@kun.example',
    '',
    'Jiří Řezníček',
  ],
  [
    'Zakład Łódź sp. z o.o.',
    '5260250274',
    'PL5260250274',
    'ul. Źródlana 8',
    'Łódź',
    '90-001',
    'PL',
    'biuro@lodz.example',
    'pl',
    'Małgorzata Wójcik',
  ],
  ['', '06178235', '', '', '', '', 'CZ', 'not-an-address', '', ''],
];

function csv(lines: readonly (readonly string[])[], delimiter: string): string {
  const quote = (cell: string) => (/[",;\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return `${lines.map((line) => line.map(quote).join(delimiter)).join('\r\n')}\r\n`;
}

function partners(db: import('node:sqlite').DatabaseSync, companyId: number) {
  return db
    .prepare(
      'SELECT name, registration_number, tax_id, email, city, language, contact_person FROM partners WHERE company_id = ? ORDER BY id',
    )
    .all(companyId);
}

describe('partners from CSV into a company', () => {
  for (const [label, encode, delimiter] of [
    ['UTF-8 with BOM, semicolons', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), ';'],
    ['UTF-8 without BOM, commas', (text: string) => Buffer.from(text), ','],
    ['Windows-1250, semicolons', encodeWindows1250, ';'],
    ['Windows-1250, commas', encodeWindows1250, ','],
  ] as const) {
    it(`imports ${label}, and a second import updates instead of duplicating`, async () => {
      const { db, companyId } = await importDatabase();
      const bytes = encode(csv([header, ...rows], delimiter));
      const preview = planPartnerImport(db, { companyId, bytes, defaultLanguage: 'cs' });
      expect(preview.delimiter).toBe(delimiter);
      expect(preview.encoding).toBe(label.startsWith('Windows') ? 'windows-1250' : 'utf-8');
      expect(preview.rows.map((row) => row.action)).toEqual(['create', 'create', 'refused']);
      expect(preview.rows[2]?.problems.map((problem) => problem.code)).toEqual(['missingName', 'invalidEmail']);
      expect(partners(db, companyId)).toEqual([]); // the preview wrote nothing

      commitPartnerImport(db, { companyId, bytes, defaultLanguage: 'cs' });
      expect(partners(db, companyId)).toEqual([
        {
          name: 'Žluťoučký kůň, s.r.o.',
          registration_number: '25796101',
          tax_id: 'CZ25796101',
          email: 'fakturace@kun.example',
          city: 'Říčany',
          language: 'cs',
          contact_person: 'Jiří Řezníček',
        },
        {
          name: 'Zakład Łódź sp. z o.o.',
          registration_number: '',
          tax_id: 'PL5260250274',
          email: 'biuro@lodz.example',
          city: 'Łódź',
          language: 'pl',
          contact_person: 'Małgorzata Wójcik',
        },
      ]);
      const further = db.prepare('SELECT address FROM partner_recipients').all();
      expect(further).toEqual([{ address: 'reditel@kun.example' }]);

      // The next month's export: a new address for the horse, the Polish partner written "PL 526-025-02-74".
      const changed = [
        header,
        ['Žluťoučký kůň, s.r.o.', 'CZ25796101', '', 'Náměstí Míru 1', 'Říčany', '251 01', 'CZ', 'ucetni@kun.example', '', ''],
        [
          'Zakład Łódź sp. z o.o.',
          'PL 526-025-02-74',
          '',
          'ul. Źródlana 8',
          'Łódź',
          '90-001',
          'Polska',
          'biuro@lodz.example',
          '',
          '',
        ],
      ];
      const second = encode(csv(changed, delimiter));
      const again = planPartnerImport(db, { companyId, bytes: second, defaultLanguage: 'cs' });
      expect(again.rows.map((row) => [row.action, row.changes])).toEqual([
        ['update', ['email']],
        ['unchanged', []],
      ]);
      commitPartnerImport(db, { companyId, bytes: second, defaultLanguage: 'cs' });
      const after = partners(db, companyId);
      expect(after).toHaveLength(2);
      expect(after[0]).toMatchObject({ email: 'ucetni@kun.example', contact_person: 'Jiří Řezníček', tax_id: 'CZ25796101' });
    });
  }

  it('uses the mapping the user chose in the preview', async () => {
    const { db, companyId } = await importDatabase();
    const bytes = Buffer.from('Firma;Poznámka;Kontakt\nAlfa s.r.o.;x;alfa@firma.example\n');
    const guessed = planPartnerImport(db, { companyId, bytes, defaultLanguage: 'cs' });
    expect(guessed.mapping.email).toBeNull();
    const mapping = { ...guessed.mapping, email: 2, contactPerson: null };
    commitPartnerImport(db, { companyId, bytes, mapping, defaultLanguage: 'cs' });
    expect(partners(db, companyId)).toMatchObject([{ name: 'Alfa s.r.o.', email: 'alfa@firma.example', contact_person: '' }]);
  });
});
