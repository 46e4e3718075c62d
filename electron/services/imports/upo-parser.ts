/**
 * Reading a KSeF UPO (Urzędowe Poświadczenie Odbioru, the official receipt KSeF issues for a session):
 * one `Dokument` per accepted invoice, with the seller's NIP, the KSeF number assigned, the invoice's
 * own number, its issue date and `SkrotDokumentu` — the Base64 SHA-256 of the invoice XML as sent.
 * Structure as published by the Ministry of Finance (schemas `upo-sesja-v4-2.xsd`, `upo-faktura-v3-1.xsd`,
 * namespaces `http://upo.schematy.mf.gov.pl/KSeF/v4-*`); namespaces are ignored, so later versions with
 * the same elements read alike. The XAdES signature is not checked: the number only prints on a PDF the
 * user sends, and Kurier matches it to an invoice by that invoice's own hash.
 */
import { createHash } from 'node:crypto';
import { ksefNumberProblem } from '../../../shared/imports';
import { ImportRejection } from './import-error';
import { decodeXml, parseXml, type XmlValue } from './xml-input';

/** One invoice the UPO confirms. */
export interface UpoEntry {
  readonly sellerNip: string;
  readonly ksefNumber: string;
  readonly invoiceNumber: string;
  /** `YYYY-MM-DD`, as the UPO gives it. */
  readonly issueDate: string;
  /** Base64 SHA-256 of the invoice XML (empty when the UPO has none). */
  readonly documentHash: string;
}

/** The entries of a UPO file, or `undefined` when the bytes are not a UPO (or not XML at all). */
export function parseUpo(bytes: Uint8Array): UpoEntry[] | undefined {
  let root: Record<string, XmlValue>;
  try {
    root = parseXml(decodeXml(bytes));
  } catch (error) {
    if (error instanceof ImportRejection) return undefined;
    throw error;
  }
  const confirmation = root.Potwierdzenie;
  if (confirmation === undefined || typeof confirmation === 'string' || Array.isArray(confirmation)) return undefined;
  const documents = (confirmation as Record<string, XmlValue>).Dokument;
  const list: readonly XmlValue[] = documents === undefined ? [] : Array.isArray(documents) ? documents : [documents];
  const entries: UpoEntry[] = [];
  for (const item of list) {
    if (typeof item === 'string' || Array.isArray(item)) continue;
    const field = (name: string): string => {
      const value = (item as Record<string, XmlValue>)[name];
      return typeof value === 'string' ? value.trim() : '';
    };
    const ksefNumber = field('NumerKSeFDokumentu').toUpperCase();
    // A number with the wrong format or check part is not one KSeF gave: not offered to be saved.
    if (ksefNumberProblem(ksefNumber) !== undefined) continue;
    entries.push({
      sellerNip: field('NipSprzedawcy'),
      ksefNumber,
      invoiceNumber: field('NumerFaktury'),
      issueDate: field('DataWystawieniaFaktury'),
      documentHash: field('SkrotDokumentu'),
    });
  }
  return entries;
}

/** What a UPO entry is matched against: an invoice Kurier keeps, with its original XML. */
export interface UpoCandidate {
  readonly documentId: number;
  readonly sellerNip: string;
  readonly invoiceNumber: string;
  readonly issueDate: string;
  readonly originalXml: Uint8Array | undefined;
}

/**
 * The KSeF number of each candidate the UPO confirms. The hash of the invoice's own XML decides when
 * both have one (the same invoice number re-issued differently does not match); otherwise seller NIP,
 * invoice number and issue date must all agree.
 */
export function matchUpo(
  entries: readonly UpoEntry[],
  candidates: readonly UpoCandidate[],
): { readonly documentId: number; readonly ksefNumber: string }[] {
  const matches: { documentId: number; ksefNumber: string }[] = [];
  for (const candidate of candidates) {
    const hash = candidate.originalXml ? createHash('sha256').update(candidate.originalXml).digest('base64') : '';
    const entry = entries.find((upo) =>
      upo.documentHash !== '' && hash !== ''
        ? upo.documentHash === hash
        : upo.sellerNip === candidate.sellerNip &&
          upo.invoiceNumber === candidate.invoiceNumber &&
          upo.issueDate === candidate.issueDate,
    );
    if (entry) matches.push({ documentId: candidate.documentId, ksefNumber: entry.ksefNumber });
  }
  return matches;
}
