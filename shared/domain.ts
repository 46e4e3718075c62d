/**
 * Domain types shared by main and renderer: the office's company, its partners and the accounting
 * documents Kurier exports. Amounts are integers in minor units (haléře, grosze) so no total is ever
 * off by a rounding error.
 */

/** The kinds of document Kurier exports. */
export const documentKinds = ['invoice', 'creditNote', 'paymentReminder', 'payslip'] as const;
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

/** A customer, supplier or employee. */
export interface Partner {
  readonly id: number;
  readonly kind: 'business' | 'employee';
  readonly name: string;
  readonly contactPerson: string;
  /** Empty when the partner has no e-mail address. */
  readonly email: string;
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
}

/** What lists show for a document, without its lines. */
export interface DocumentSummary {
  readonly id: number;
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
