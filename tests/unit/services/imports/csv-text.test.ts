import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, parseCsv, readCsv } from '../../../../electron/services/imports/csv-text';
import { encodeWindows1250 } from '../../../support/windows-1250';

const czech = 'Název;IČO;Město\n"Žluťoučký kůň, s.r.o.";25796101;Říčany\n';

describe('CSV text', () => {
  it('reads UTF-8 with and without a BOM, and Windows-1250, to the same text', () => {
    const plain = Buffer.from(czech, 'utf8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
    const cp1250 = encodeWindows1250(czech);
    expect(decodeCsv(plain)).toEqual({ text: czech, encoding: 'utf-8' });
    expect(decodeCsv(bom)).toEqual({ text: czech, encoding: 'utf-8' });
    expect(decodeCsv(cp1250)).toEqual({ text: czech, encoding: 'windows-1250' });
    expect(decodeCsv(encodeWindows1250('Zażółć gęślą jaźń')).text).toBe('Zażółć gęślą jaźń');
  });

  it('detects the delimiter from the header, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(detectDelimiter('a,b,c\n1;2;3')).toBe(',');
    expect(detectDelimiter('"x;y;z",b,c\n')).toBe(',');
    expect(detectDelimiter('name\n')).toBe(';');
  });

  it('splits RFC 4180 fields: quotes, doubled quotes, line breaks inside quotes, CRLF, blank lines', () => {
    const text = 'a,b,c\r\n"1, one","say ""hi""","line\r\nbreak"\r\n\r\n,,\nlast,x,"y"';
    expect(parseCsv(text, ',')).toEqual([
      ['a', 'b', 'c'],
      ['1, one', 'say "hi"', 'line\r\nbreak'],
      ['', '', ''],
      ['last', 'x', 'y'],
    ]);
  });

  it('readCsv returns the encoding, the delimiter and the rows', () => {
    const table = readCsv(encodeWindows1250(czech));
    expect(table.encoding).toBe('windows-1250');
    expect(table.delimiter).toBe(';');
    expect(table.rows[1]).toEqual(['Žluťoučký kůň, s.r.o.', '25796101', 'Říčany']);
  });
});
