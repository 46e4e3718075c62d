import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../../../electron/services/export/file-names';
import { maxFileNameLength, safeFileName, uniquePath } from '../../../../electron/services/files/file-names';
import { ownOrigin, type AccountingDocument, type Partner } from '../../../../shared/domain';
import { documentLabels } from '../../../../shared/i18n/document-labels';

const document: AccountingDocument = {
  id: 1,
  companyId: 1,
  kind: 'invoice',
  number: 'FV-2026-0001',
  partnerId: 1,
  issueDate: '2026-11-03',
  dueDate: '2026-11-17',
  taxableSupplyDate: '2026-11-03',
  currency: 'CZK',
  variableSymbol: '120260001',
  period: '',
  relatedNumber: '',
  lines: [],
  note: '',
  origin: ownOrigin,
};

function partnerNamed(name: string): Partner {
  return {
    id: 1,
    companyId: 1,
    kind: 'business',
    name,
    contactPerson: '',
    email: '',
    phone: '',
    address: { street: '', city: '', postalCode: '', country: 'CZ' },
    registrationNumber: '',
    taxId: '',
    language: 'cs',
  };
}

// eslint-disable-next-line no-control-regex -- the test looks for control characters on purpose
const unsafe = /[\u0000-\u001f\u007f/\\:*?"<>|]/u;

describe('exportFileName', () => {
  it('names a document by kind, number and partner, keeping diacritics', () => {
    expect(exportFileName(document, partnerNamed('Dvořák & synové s.r.o.'), 'cs')).toBe(
      'Faktura FV-2026-0001 Dvořák & synové s.r.o.pdf',
    );
    expect(
      exportFileName({ ...document, kind: 'payslip', number: 'VL-2026-11-003' }, partnerNamed('Łukasz Żółkiewski'), 'pl'),
    ).toBe('Pasek wynagrodzenia VL-2026-11-003 Łukasz Żółkiewski.pdf');
    expect(exportFileName({ ...document, kind: 'creditNote' }, partnerNamed('Harbour'), documentLabels.en)).toBe(
      'Credit note FV-2026-0001 Harbour.pdf',
    );
  });

  it('composes decomposed (NFD, macOS) names to NFC', () => {
    const name = exportFileName(document, partnerNamed('Dvořák'.normalize('NFD')), 'cs');
    expect(name).toBe('Faktura FV-2026-0001 Dvořák.pdf');
    expect(name.normalize('NFC')).toBe(name);
  });

  it('neutralises path traversal', () => {
    const name = exportFileName(document, partnerNamed('../../etc/passwd'), 'cs');
    expect(name).not.toMatch(unsafe);
    expect(name).toBe('Faktura FV-2026-0001 .. .. etc passwd.pdf');
    expect(safeFileName('../../etc/passwd', '.pdf')).toBe('etc passwd.pdf');
  });

  it('strips control characters, Windows-forbidden characters and bidi overrides', () => {
    const name = exportFileName(document, partnerNamed('a\r\nb\t\u0000c:*?"<>|\\/d\u202Efdp.exe'), 'cs');
    expect(name).not.toMatch(unsafe);
    expect(name).not.toContain('\u202E');
    expect(name).toBe('Faktura FV-2026-0001 a b c d fdp.exe.pdf');
  });

  it('defuses Windows device names and empty results', () => {
    for (const reserved of ['CON', 'con', 'NUL', 'aux', 'COM1', 'lpt9', 'COM¹']) {
      expect(safeFileName(reserved, '.pdf')).toBe(`_${reserved}.pdf`);
      expect(safeFileName(`${reserved}.tar`, '.gz')).toBe(`_${reserved}.tar.gz`);
    }
    // Windows ignores spaces before the dot when it matches device names.
    expect(safeFileName('CON .txt', '')).toBe('_CON .txt');
    expect(safeFileName('CONTRACT', '.pdf')).toBe('CONTRACT.pdf');
    expect(safeFileName(' ... ', '.pdf')).toBe('document.pdf');
    expect(safeFileName('\u0000\u0001', '.pdf')).toBe('document.pdf');
  });

  it('drops trailing dots and spaces before the extension is added', () => {
    expect(safeFileName('Invoice . . ', '')).toBe('Invoice');
    expect(safeFileName('  .hidden', '.pdf')).toBe('hidden.pdf');
  });

  it('never puts a double dot before .pdf when a name ends in an abbreviation', () => {
    for (const name of ['Dvořák & synové s.r.o.', 'Kowalski sp. j.', 'Harbour Ltd.', 'Novák a spol. . ']) {
      const fileName = exportFileName(document, partnerNamed(name), 'cs');
      expect(fileName).toMatch(/[^.]\.pdf$/u);
      expect(fileName).not.toContain('..');
    }
  });

  it('limits 300-character names to the maximum length', () => {
    const name = exportFileName(document, partnerNamed('Ž'.repeat(300)), 'cs');
    expect(name.length).toBeLessThanOrEqual(maxFileNameLength);
    expect(name.endsWith('Ž.pdf')).toBe(true);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
  });

  it('never cuts a surrogate pair or an emoji sequence at the limit', () => {
    const prefix = 'Faktura FV-2026-0001 ';
    for (let pad = 0; pad < 6; pad += 1) {
      const partnerName = `${'x'.repeat(maxFileNameLength - prefix.length - '.pdf'.length - pad - 1)}😀👩‍👩‍👧${'y'.repeat(50)}`;
      const name = exportFileName(document, partnerNamed(partnerName), 'cs');
      expect(name.length).toBeLessThanOrEqual(maxFileNameLength);
      expect(name.endsWith('.pdf')).toBe(true);
      // A lone surrogate would not survive a UTF-8 round trip.
      expect(new TextDecoder().decode(new TextEncoder().encode(name))).toBe(name);
      expect(name.includes('👩') ? name.includes('👩‍👩‍👧') : true).toBe(true);
    }
  });

  it('keeps the UTF-8 length within what ext4 accepts for 4-byte characters', () => {
    const name = safeFileName('😀'.repeat(200), '.pdf');
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
    expect(new TextDecoder().decode(new TextEncoder().encode(name))).toBe(name);
  });
});

describe('uniquePath', () => {
  const folder = join('/exports', 'listopad');

  it('returns the plain path when it is free', async () => {
    expect(await uniquePath(folder, 'Faktura FV-1 Dvořák.pdf', () => Promise.resolve(false))).toBe(
      join(folder, 'Faktura FV-1 Dvořák.pdf'),
    );
  });

  it('appends (2), (3)… before the extension while names are taken', async () => {
    const taken = new Set([join(folder, 'Faktura FV-1 s.r.o.pdf'), join(folder, 'Faktura FV-1 s.r.o (2).pdf')]);
    const exists = (path: string): Promise<boolean> => Promise.resolve(taken.has(path));
    expect(await uniquePath(folder, 'Faktura FV-1 s.r.o.pdf', exists)).toBe(join(folder, 'Faktura FV-1 s.r.o (3).pdf'));
  });

  it('gives up instead of looping forever', async () => {
    await expect(uniquePath(folder, 'a.pdf', () => Promise.resolve(true))).rejects.toThrow(/No free file name/);
  });
});
