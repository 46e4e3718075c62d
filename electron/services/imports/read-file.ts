/**
 * One file in, one {@link ReadFile} out (or an {@link ImportRejection}): recognises the format by its
 * content, not only its name — plain ISDOC, .isdocx, a PDF with an embedded ISDOC, KSeF FA(3)/FA(2) — and
 * keeps every original byte for byte. Pure: no database, no file system.
 */
import { ksefNumberProblem, maxImportFileBytes, tooLargeDetails } from '../../../shared/imports';
import { ImportRejection } from './import-error';
import { parseIsdoc } from './isdoc-parser';
import { readIsdocx } from './isdocx-reader';
import { parseKsef } from './ksef-parser';
import type { ReadFile } from './parsed-document';
import { readEmbeddedIsdoc } from './pdf-reader';
import { decodeXml } from './xml-input';

/** Options a user can give for a file. */
export interface ReadOptions {
  /** A KSeF number typed by the user (for a single FA(3)/FA(2) file); else taken from the file name. */
  readonly ksefNumber?: string | undefined;
}

/** The KSeF number in a file name such as `5265877635-20250826-0100001AF629-AF.xml`, or `null`. */
export function ksefNumberFromFileName(fileName: string): string | null {
  const match = /(\d{10}-\d{8}-[0-9A-Fa-f]{12}-[0-9A-Fa-f]{2})/.exec(fileName);
  return match?.[1]?.toUpperCase() ?? null;
}

/** Reads and parses one file's bytes. @throws ImportRejection */
export async function readImportFile(fileName: string, bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadFile> {
  if (bytes.byteLength > maxImportFileBytes) throw new ImportRejection('tooLarge', tooLargeDetails(bytes.byteLength));
  if (bytes.byteLength === 0) throw new ImportRejection('emptyFile');
  if (startsWith(bytes, '%PDF-')) {
    const xml = await readEmbeddedIsdoc(bytes);
    return {
      format: 'isdocPdf',
      parsed: parseIsdoc(decodeXml(xml)),
      originals: [
        { kind: 'xml', bytes: xml },
        { kind: 'pdf', bytes },
      ],
    };
  }
  if (startsWith(bytes, 'PK')) {
    const { isdoc, pdf } = await readIsdocx(bytes);
    const originals: ReadFile['originals'] = [
      { kind: 'xml', bytes: isdoc },
      ...(pdf ? [{ kind: 'pdf' as const, bytes: pdf }] : []),
      { kind: 'isdocx', bytes },
    ];
    return { format: 'isdocx', parsed: parseIsdoc(decodeXml(isdoc)), originals };
  }
  const text = decodeXml(bytes);
  const root = /<(?:[\w.-]+:)?([\w.-]+)[\s>/]/.exec(text.replace(/<\?[^>]*\?>|<!--[\s\S]*?-->/g, ''))?.[1];
  if (root === undefined && !text.trimStart().startsWith('<')) throw new ImportRejection('unknownFormat');
  if (root === 'Faktura') {
    const typed = options.ksefNumber?.trim().toUpperCase();
    const problem = typed === undefined || typed === '' ? undefined : ksefNumberProblem(typed);
    if (problem !== undefined) {
      const code = problem === 'ksefNumberChecksum' ? 'ksefNumberChecksum' : 'ksefNumberInvalid';
      throw new ImportRejection(code, { value: (typed ?? '').slice(0, 40) });
    }
    // A number from the file name keeps the format check only (ksefNumberFromFileName): the checksum is
    // for what a user types, and names of files KSeF gave out are not typed.
    const ksefNumber = typed !== undefined && typed !== '' ? typed : ksefNumberFromFileName(fileName);
    return { format: 'ksef', parsed: parseKsef(text, ksefNumber), originals: [{ kind: 'xml', bytes }] };
  }
  // Everything else XML goes to the ISDOC reader, which names the wrong schema or the malformed line.
  return { format: 'isdoc', parsed: parseIsdoc(text), originals: [{ kind: 'xml', bytes }] };
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  return Buffer.from(bytes.subarray(0, magic.length)).toString('latin1') === magic;
}
