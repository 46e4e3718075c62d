import type { Address, DocumentKind, DocumentLine, PaymentDetails, PaymentMethod } from '../../../shared/domain';
import type { ImportFormat } from '../../../shared/imports';

/** A party as the file names it. */
export interface ParsedParty {
  readonly name: string;
  /** IČO (CZ) or REGON (PL); for a Polish party often empty. */
  readonly registrationNumber: string;
  /** DIČ (CZ, with its CZ prefix) or NIP (PL, ten digits). */
  readonly taxId: string;
  readonly address: Address;
  readonly email: string;
  readonly phone: string;
  readonly contactPerson: string;
}

/** What a parser read from one document file, before anything is matched or stored. */
export interface ParsedDocument {
  readonly format: 'isdoc' | 'ksef';
  readonly kind: DocumentKind;
  readonly number: string;
  readonly issueDate: string;
  readonly taxableSupplyDate: string;
  readonly dueDate: string;
  /** The currency the amounts below are in (the foreign one for a foreign-currency invoice). */
  readonly currency: string;
  /** The issuer's local currency when `currency` is foreign, else ''. */
  readonly localCurrency: string;
  /** Local units per one unit of `currency` (decimal text), '' when not foreign. */
  readonly exchangeRate: string;
  readonly variableSymbol: string;
  readonly relatedNumber: string;
  readonly note: string;
  readonly supplier: ParsedParty;
  readonly customer: ParsedParty;
  readonly lines: readonly DocumentLine[];
  /** Totals as the file states them: net, VAT, gross (tax inclusive) and the document's total (the gross). */
  readonly declared: {
    readonly baseMinor: number;
    readonly vatMinor: number;
    readonly grossMinor: number;
    readonly totalMinor: number;
  };
  /**
   * What the file's own line amounts add up to (net), to compare with `declared.baseMinor`; `null` when the
   * file's lines cannot be compared (a KSeF correction lists the state before and after).
   */
  readonly linesBaseMinor: number | null;
  readonly payment: PaymentDetails;
  readonly paymentMethod: PaymentMethod;
  /** What is still to be paid: the gross less paid deposits (ISDOC) or payments made (FA(3)); 0 when paid. */
  readonly amountDueMinor: number;
  /** The day the file says the document was paid in full, else ''. */
  readonly paidOn: string;
  readonly isdocUuid: string | null;
  readonly ksefNumber: string | null;
}

/** A file's content and what it turned out to be. */
export interface ReadFile {
  readonly format: ImportFormat;
  readonly parsed: ParsedDocument;
  /** The originals kept byte for byte: the XML always; the PDF and the .isdocx when the file had them. */
  readonly originals: readonly { readonly kind: 'xml' | 'pdf' | 'isdocx'; readonly bytes: Uint8Array }[];
}
