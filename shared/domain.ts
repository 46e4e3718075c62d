/**
 * Domain types shared by main and renderer: the office's company, its partners and the accounting
 * documents Kurier exports. Amounts are integers in minor units (haléře, grosze) so no total is ever
 * off by a rounding error.
 */

/**
 * The kinds of document Kurier exports. The first four are Kurier's own; the rest arrive by import:
 * ISDOC `DocumentType` 3 debit note, 4 proforma, 5 tax document on a received advance, 6 its credit note,
 * 7 simplified tax document; KSeF FA(3)/FA(2) `RodzajFaktury` ZAL, KOR_ZAL, ROZ, KOR_ROZ, UPR (VAT and
 * KOR map to `invoice` and `creditNote`, ISDOC 1 and 2 likewise). See `documentKindOfIsdoc` and
 * `documentKindOfKsef` below.
 */
export const documentKinds = [
  'invoice',
  'creditNote',
  'paymentReminder',
  'payslip',
  'debitNote',
  'proformaInvoice',
  'advanceInvoice',
  'advanceCorrection',
  'simplifiedInvoice',
  'settlementInvoice',
  'settlementCorrection',
] as const;
/** One of {@link documentKinds}. */
export type DocumentKind = (typeof documentKinds)[number];

/** Languages of the UI and of messages to partners. */
export const languages = ['cs', 'pl', 'en'] as const;
/** One of {@link languages}. */
export type Language = (typeof languages)[number];

/** A postal address as printed on a document. */
export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, e.g. `CZ`, `PL`. */
  readonly country: string;
}

/** The office's own company: the issuer printed on every document. */
export interface Company {
  readonly name: string;
  readonly address: Address;
  /** Czech IČO or Polish REGON; empty when none. */
  readonly registrationNumber: string;
  /** Czech DIČ or Polish NIP. */
  readonly taxId: string;
  readonly email: string;
  readonly phone: string;
  /** Bank account in the local format (e.g. `123456789/0800`) and as IBAN. */
  readonly bankAccount: string;
  readonly iban: string;
}

/** The ISDOC `DocumentType` codes 1–7 and the kind each becomes. */
export const documentKindOfIsdoc: Readonly<Record<string, DocumentKind>> = {
  '1': 'invoice',
  '2': 'creditNote',
  '3': 'debitNote',
  '4': 'proformaInvoice',
  '5': 'advanceInvoice',
  '6': 'advanceCorrection',
  '7': 'simplifiedInvoice',
};

/** The KSeF FA(3)/FA(2) `RodzajFaktury` values and the kind each becomes. */
export const documentKindOfKsef: Readonly<Record<string, DocumentKind>> = {
  VAT: 'invoice',
  KOR: 'creditNote',
  ZAL: 'advanceInvoice',
  KOR_ZAL: 'advanceCorrection',
  ROZ: 'settlementInvoice',
  KOR_ROZ: 'settlementCorrection',
  UPR: 'simplifiedInvoice',
};

/** Kinds that correct another document (they print "relates to" and a refund when negative). */
export const correctionKinds: readonly DocumentKind[] = ['creditNote', 'advanceCorrection', 'settlementCorrection'];

/** Where a document came from. */
export const documentSources = ['demo', 'isdoc', 'isdocx', 'isdocPdf', 'ksef', 'pdf', 'payroll'] as const;
/** One of {@link documentSources}. */
export type DocumentSource = (typeof documentSources)[number];

/** KSeF environments a Polish company's invoices are verified against (QR code host). */
export const ksefEnvironments = ['production', 'demo', 'test'] as const;
/** How an ISDOC travels with an e-mailed invoice: its own attachment, inside the PDF, or not at all. */
export const isdocAttachmentModes = ['separate', 'embedded', 'none'] as const;

/**
 * A client company of the office as stored: the issuer data printed on its documents plus how its
 * messages go out.
 */
export interface CompanyRecord extends Company {
  readonly id: number;
  /** Display name of From on messages sent for this company; empty = the office's sender name. */
  readonly senderName: string;
  /** Reply-To of messages sent for this company; empty = none. */
  readonly replyTo: string;
  /** Empty = the office's default SMTP account; else the company's own account id. */
  readonly smtpAccount: string;
  /** Per-company template overrides (shape of `Templates` in shared/templates.ts), JSON. */
  readonly templatesJson: string;
  readonly isDemo: boolean;
  readonly ksefEnvironment: (typeof ksefEnvironments)[number];
  readonly isdocAttachment: (typeof isdocAttachmentModes)[number];
  /** Polish invoices carry the Polish banks' transfer QR code (ZBP "Standard 2D") beside KOD I. */
  readonly polishTransferQr: boolean;
  readonly hasLogo: boolean;
}

/** What lists and filters show of a company. */
export interface CompanySummary {
  readonly id: number;
  readonly name: string;
  readonly registrationNumber: string;
  readonly taxId: string;
  readonly country: string;
  readonly isDemo: boolean;
}

/**
 * How a document is to be paid: ISDOC `PaymentMeansCode` (10 cash, 20 cheque, 31/42 transfer, 48 card,
 * 49 direct debit, 50 cash on delivery, 97 offset between partners) and FA(3) `FormaPlatnosci` (1 cash,
 * 2 card, 3 voucher, 4 cheque, 5 credit, 6 transfer, 7 mobile; `PlatnoscInna` other). `unstated` when the
 * file names no method and no account to pay to. Only a transfer gets a payment QR code.
 */
export const paymentMethods = [
  'transfer',
  'cash',
  'card',
  'cheque',
  'directDebit',
  'cashOnDelivery',
  'offset',
  'voucher',
  'credit',
  'mobile',
  'other',
  'unstated',
] as const;
/** One of {@link paymentMethods}. */
export type PaymentMethod = (typeof paymentMethods)[number];

/** How the issuer wants to be paid, as the imported file says (empty strings when it says nothing). */
export interface PaymentDetails {
  readonly iban: string;
  readonly bic: string;
  /** Local account number without the bank code, e.g. `2801234578` (CZ) or a Polish NRB. */
  readonly account: string;
  /** Czech bank code, e.g. `2010`. */
  readonly bankCode: string;
}

/** Where a document came from and what its file said beyond the lines. */
export interface DocumentOrigin {
  readonly source: DocumentSource;
  /** The imported file's name (no folder); empty for documents Kurier made. */
  readonly sourceFile: string;
  readonly ksefNumber: string | null;
  readonly isdocUuid: string | null;
  /** Totals the file declared, when it was imported; the lines' own totals otherwise. */
  readonly declaredTotals: { readonly baseMinor: number; readonly vatMinor: number; readonly totalMinor: number } | null;
  /**
   * Set when the file's totals do not add up: the declared total and what its lines add up to (minor
   * units). The document is imported, but flagged.
   */
  readonly totalsMismatch: { readonly declaredMinor: number; readonly linesMinor: number } | null;
  /** For a document in a foreign currency: the issuer's local currency and its rate (decimal string). */
  readonly localCurrency: string;
  /** Local currency units per one unit of `currency`, as a decimal string; empty when not foreign. */
  readonly exchangeRate: string;
  readonly payment: PaymentDetails;
  /** How the document is to be paid (a document Kurier made: by transfer). */
  readonly paymentMethod: PaymentMethod;
  /**
   * What is still to be paid (minor units) as the file says: the total less deposits and payments already
   * made; 0 when paid. `null` for a document Kurier made: its whole total is due.
   */
  readonly amountDueMinor: number | null;
  /** When the file says the document was paid in full (`YYYY-MM-DD`), else ''. */
  readonly paidOn: string;
  /** Kinds of original file kept byte for byte (`document_originals`). */
  readonly originals: readonly ('xml' | 'pdf' | 'isdocx')[];
}

/** The origin of a document Kurier made itself (demo data). */
export const ownOrigin: DocumentOrigin = {
  source: 'demo',
  sourceFile: '',
  ksefNumber: null,
  isdocUuid: null,
  declaredTotals: null,
  totalsMismatch: null,
  localCurrency: '',
  exchangeRate: '',
  payment: { iban: '', bic: '', account: '', bankCode: '' },
  paymentMethod: 'transfer',
  amountDueMinor: null,
  paidOn: '',
  originals: [],
};

/** A customer, supplier or employee. */
export interface Partner {
  readonly id: number;
  /** The client company this partner belongs to. */
  readonly companyId: number;
  readonly kind: 'business' | 'employee';
  readonly name: string;
  readonly contactPerson: string;
  /** Empty when the partner has no e-mail address. */
  readonly email: string;
  /** A mobile number (international form, e.g. `+420 603 123 456`) for SMS, e.g. a payslip password; empty when none. */
  readonly phone: string;
  readonly address: Address;
  readonly registrationNumber: string;
  readonly taxId: string;
  readonly language: Language;
}

/** One line of a document. */
export interface DocumentLine {
  readonly description: string;
  /** Quantity in thousandths (1 piece = 1000) so fractional hours and kilograms stay exact. */
  readonly quantityMilli: number;
  readonly unit: string;
  /** Unit price without VAT, minor units. */
  readonly unitPriceMinor: number;
  /** VAT rate in percent (21, 12, 0 in CZ; 23, 8, 5, 0 in PL). */
  readonly vatRatePercent: number;
}

/** VAT recapitulation for one rate. */
export interface VatRecapRow {
  readonly vatRatePercent: number;
  readonly baseMinor: number;
  readonly vatMinor: number;
}

/** Totals computed from the lines. */
export interface DocumentTotals {
  readonly baseMinor: number;
  readonly vatMinor: number;
  readonly totalMinor: number;
  readonly vatRecap: readonly VatRecapRow[];
}

/** An accounting document as stored and exported. */
export interface AccountingDocument {
  readonly id: number;
  /** The client company that issued it. */
  readonly companyId: number;
  readonly kind: DocumentKind;
  /** The document number, e.g. `FV-2026-0042`. */
  readonly number: string;
  readonly partnerId: number;
  /** ISO dates `YYYY-MM-DD`. */
  readonly issueDate: string;
  readonly dueDate: string;
  readonly taxableSupplyDate: string;
  /** ISO 4217, e.g. `CZK`, `PLN`, `EUR`. */
  readonly currency: string;
  /** Czech variable symbol or Polish payment title. */
  readonly variableSymbol: string;
  /** For payslips: the pay period `YYYY-MM`; empty otherwise. */
  readonly period: string;
  /** For credit notes and reminders: the invoice number they refer to; empty otherwise. */
  readonly relatedNumber: string;
  readonly lines: readonly DocumentLine[];
  readonly note: string;
  readonly origin: DocumentOrigin;
}

/** What lists show for a document, without its lines. */
export interface DocumentSummary {
  readonly id: number;
  readonly companyId: number;
  readonly companyName: string;
  readonly source: DocumentSource;
  readonly sourceFile: string;
  /** True when the imported file's totals did not add up (see {@link DocumentOrigin.totalsMismatch}). */
  readonly totalsFlagged: boolean;
  readonly kind: DocumentKind;
  readonly number: string;
  readonly partnerId: number;
  readonly partnerName: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly currency: string;
  readonly totalMinor: number;
}

/**
 * Computes base, VAT and total from the lines, rounding VAT per rate (as Czech and Polish invoices
 * print their recapitulation), never per line.
 */
export function computeTotals(lines: readonly DocumentLine[]): DocumentTotals {
  const baseByRate = new Map<number, number>();
  for (const line of lines) {
    const lineBase = Math.round((line.quantityMilli * line.unitPriceMinor) / 1000);
    baseByRate.set(line.vatRatePercent, (baseByRate.get(line.vatRatePercent) ?? 0) + lineBase);
  }
  const vatRecap = [...baseByRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([vatRatePercent, baseMinor]) => ({
      vatRatePercent,
      baseMinor,
      vatMinor: Math.round((baseMinor * vatRatePercent) / 100),
    }));
  const baseMinor = vatRecap.reduce((sum, row) => sum + row.baseMinor, 0);
  const vatMinor = vatRecap.reduce((sum, row) => sum + row.vatMinor, 0);
  return { baseMinor, vatMinor, totalMinor: baseMinor + vatMinor, vatRecap };
}

/**
 * What a document comes to: the total (gross) its imported file declared (what the original PDF prints;
 * what is still owed after deposits and payments is `origin.amountDueMinor`), else the total of its lines.
 */
export function documentTotalMinor(document: Pick<AccountingDocument, 'lines' | 'origin'>): number {
  return document.origin.declaredTotals?.totalMinor ?? computeTotals(document.lines).totalMinor;
}
