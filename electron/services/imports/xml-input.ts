/**
 * Reading an XML file we did not write, safely: the bytes are decoded by the encoding the file declares,
 * any DTD (`<!DOCTYPE`, `<!ENTITY`) is refused before a parser sees it — so neither an external entity
 * (XXE) nor an entity expansion bomb ("billion laughs") can do anything — and malformed XML is reported
 * with its line. Parsing is fast-xml-parser with every value kept as text (amounts stay exact decimals).
 */
import { TextDecoder } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportRejection } from './import-error';

/** A parsed element: text, or an object of children (`@_` attributes, `#text` for mixed content). */
export type XmlNode = string | { readonly [name: string]: XmlValue };
/** A child: one element or, for repeated elements, a list. */
export type XmlValue = XmlNode | readonly XmlNode[];

/** Elements that may repeat, so they always parse as lists whatever their count. */
const repeated = new Set([
  'InvoiceLine',
  'TaxSubTotal',
  'Payment',
  'OriginalDocumentReference',
  'FaWiersz',
  'ZamowienieWiersz',
  'RachunekBankowy',
  'TerminPlatnosci',
  'DaneFaKorygowanej',
  'Podmiot3',
  'AlternateBankAccount',
  'Note',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Text means what it says: `Bílá &amp; Čížek` is "Bílá & Čížek", `&#x10D;` is "č" (XML's five entities
  // and character references; htmlEntities adds the references). Safe because no DTD gets this far, so
  // no entity of the file's own can be defined; CDATA stays as written.
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => repeated.has(name),
});

/** Decodes `bytes` by the BOM or the XML declaration's encoding (UTF-8 when none); invalid bytes refuse. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode(bytes.subarray(3), 'utf-8');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return decode(bytes, bytes[0] === 0xff ? 'utf-16le' : 'utf-16be');
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  return decode(bytes, declared ?? 'utf-8');
}

function decode(bytes: Uint8Array, encoding: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding.toLowerCase(), { fatal: true });
  } catch (error) {
    throw new ImportRejection('malformedXml', { line: 1, problem: `encoding ${encoding}` }, { cause: error });
  }
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new ImportRejection('malformedXml', { line: 1, problem: `not ${encoding}` }, { cause: error });
  }
}

/**
 * Parses `text` into a tree after refusing any document type declaration.
 * @throws ImportRejection `doctypeRefused` or `malformedXml`.
 */
export function parseXml(text: string): Record<string, XmlValue> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new ImportRejection('doctypeRefused');
  // XMLValidator still ships in fast-xml-parser 5 (deprecated in favour of the separate fast-xml-validator
  // package, which we do not depend on); the parser alone accepts unclosed tags, so a malformed file
  // would otherwise pass as a truncated one.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new ImportRejection('malformedXml', { line: valid.err.line, problem: valid.err.msg });
  }
  return parser.parse(text) as Record<string, XmlValue>;
}

/** The first element `name` of `node` (the first of a list). */
export function child(node: XmlValue | undefined, name: string): XmlNode | undefined {
  const one = Array.isArray(node) ? (node as readonly XmlNode[])[0] : (node as XmlNode | undefined);
  if (one === undefined || typeof one === 'string') return undefined;
  const value = one[name];
  return Array.isArray(value) ? (value as readonly XmlNode[])[0] : (value as XmlNode | undefined);
}

/** Every element `name` of `node`. */
export function children(node: XmlValue | undefined, name: string): readonly XmlNode[] {
  const one = Array.isArray(node) ? (node as readonly XmlNode[])[0] : (node as XmlNode | undefined);
  if (one === undefined || typeof one === 'string') return [];
  const value = one[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly XmlNode[]) : [value as XmlNode];
}

/** The element's text ('' when absent or empty). */
export function textOf(node: XmlValue | undefined): string {
  const one = Array.isArray(node) ? (node as readonly XmlNode[])[0] : (node as XmlNode | undefined);
  if (one === undefined) return '';
  if (typeof one === 'string') return one;
  const value = one['#text'];
  return typeof value === 'string' ? value : '';
}

/** The text at a path of element names below `node`. */
export function at(node: XmlValue | undefined, ...path: readonly string[]): string {
  let current: XmlValue | undefined = node;
  for (const name of path) current = child(current, name);
  return textOf(current);
}

/** An attribute of the element. */
export function attribute(node: XmlValue | undefined, name: string): string {
  const one = Array.isArray(node) ? (node as readonly XmlNode[])[0] : (node as XmlNode | undefined);
  if (one === undefined || typeof one === 'string') return '';
  const value = one[`@_${name}`];
  return typeof value === 'string' ? value : '';
}

/**
 * The namespace of the root element `localName` as the text declares it (`xmlns` or `xmlns:prefix` on
 * the root's start tag); '' when it declares none. Read from the text because the parser drops prefixes.
 */
export function rootNamespace(text: string, localName: string): string {
  const start = new RegExp(`<(?:([\\w.-]+):)?${localName}(\\s[^>]*)?>`).exec(text);
  if (!start) return '';
  const prefix = start[1];
  const attributes = start[2] ?? '';
  const name = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  return new RegExp(`\\s${name.replace('.', '\\.')}\\s*=\\s*["']([^"']*)["']`).exec(attributes)?.[1] ?? '';
}
