/**
 * Reading a CSV file exported by an accounting program: the bytes' encoding (UTF-8 with or without a BOM,
 * else Windows-1250 — what Czech and Polish Windows programs such as POHODA or Symfonia still write), the
 * delimiter (`;` in cs/pl locales, `,` elsewhere) and RFC 4180 fields (quotes, doubled quotes, line breaks
 * inside quotes, CRLF or LF).
 *
 * Hand-written rather than `csv-parse`: the dependency cannot be installed in this checkout, and the
 * grammar is RFC 4180 only (no comments, no escapes other than `""`), so the parser stays small; it is
 * covered by tests/unit/services/imports/csv-text.test.ts.
 */

/** The encodings Kurier recognises in a CSV file. */
export type CsvEncoding = 'utf-8' | 'windows-1250';

/** The delimiters Kurier recognises. */
export type CsvDelimiter = ';' | ',';

/** A decoded and split CSV file. */
export interface CsvTable {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  /** Every record, the header row first; blank lines are dropped. */
  readonly rows: readonly (readonly string[])[];
}

/** Decodes the bytes: strict UTF-8 (a BOM is dropped) when they are valid UTF-8, else Windows-1250. */
export function decodeCsv(bytes: Uint8Array): { readonly text: string; readonly encoding: CsvEncoding } {
  try {
    // `fatal` makes any invalid sequence throw, so a Windows-1250 "č" (0xE8) is never read as UTF-8.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1250').decode(bytes), encoding: 'windows-1250' };
  }
}

/**
 * The delimiter of the header line: whichever of `;` and `,` occurs more often outside quotes (a tie
 * goes to `;`, the Czech and Polish default, since names often contain commas).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

/** Splits RFC 4180 text into records of fields. A quote left open swallows the rest of the file as one field. */
export function parseCsv(text: string, delimiter: CsvDelimiter): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && text.charAt(i + 1) === '\n') i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Decodes, detects the delimiter and parses in one step. */
export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsv(bytes);
  const delimiter = detectDelimiter(text);
  return { encoding, delimiter, rows: parseCsv(text, delimiter) };
}
