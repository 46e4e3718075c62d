import { createHash } from 'node:crypto';
// The package's JavaScript has only a default export (its .d.ts also names one that does not exist).
import Builder from 'fast-xml-builder';
import { computeTotals } from '../../../shared/domain';
import type { AccountingDocument, Address, Company, DocumentLine, Partner, PaymentMethod } from '../../../shared/domain';
import { decimalAmount } from './spayd';

/** The ISDOC namespace shared by 6.0, 6.0.1 and 6.0.2. */
export const isdocNamespace = 'http://isdoc.cz/namespace/2013';

/** What an ISDOC is generated from. */
export interface IsdocSource {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: Company;
  /** Optional BIC of the company's bank (ISDOC has a place for it; empty when unknown). */
  readonly bic?: string;
}

/** The ISDOC `DocumentType` of the kinds Kurier generates an ISDOC for. */
const documentTypes = { invoice: 1, creditNote: 2 } as const;

/** Whether {@link generateIsdoc} can write this document (an invoice or a credit note). */
export function canGenerateIsdoc(document: AccountingDocument): boolean {
  return document.kind === 'invoice' || document.kind === 'creditNote';
}

/**
 * Writes an ISDOC 6.0.2 invoice (valid against `isdoc-invoice-6.0.2.xsd`) for an invoice or a credit
 * note. ISDOC states a credit note in positive amounts — its `DocumentType` 2 says they are to be
 * subtracted (ISDOC 6.0.2 documentation, "Finanční částky") — so Kurier's negative credit lines are
 * written with the sign turned. The amounts are in the document's own currency (no exchange rate is
 * known, so `CurrRate` is 1). The UUID derives from the issuer and the number, so a re-sent document
 * keeps its identity in the recipient's program.
 */
export function generateIsdoc(source: IsdocSource): string {
  const { document, partner, company } = source;
  if (document.kind !== 'invoice' && document.kind !== 'creditNote') {
    throw new RangeError(`ISDOC has no document type for ${document.kind}`);
  }
  const sign = document.kind === 'creditNote' ? -1 : 1;
  const lines = document.lines.map((line) => ({ ...line, quantityMilli: line.quantityMilli * sign }));
  const totals = computeTotals(lines);
  const amount = (minor: number): string => decimalAmount(minor);
  // What is still due, in ISDOC's positive terms; the rest was paid before this ISDOC was written.
  const payable = document.origin.amountDueMinor === null ? totals.totalMinor : document.origin.amountDueMinor * sign;
  const invoice: Record<string, unknown> = {
    '@_xmlns': isdocNamespace,
    '@_version': '6.0.2',
    DocumentType: documentTypes[document.kind],
    ID: document.number,
    UUID: documentUuid(company, document),
    IssuingSystem: 'Kurier',
    IssueDate: document.issueDate,
    ...(document.kind === 'invoice' && document.taxableSupplyDate !== '' ? { TaxPointDate: document.taxableSupplyDate } : {}),
    VATApplicable: company.taxId === '' ? 'false' : 'true',
    ElectronicPossibilityAgreementReference: '',
    ...(document.note === '' ? {} : { Note: document.note }),
    LocalCurrencyCode: document.currency,
    CurrRate: 1,
    RefCurrRate: 1,
    AccountingSupplierParty: { Party: party(company, company.email) },
    AccountingCustomerParty: { Party: party(partner, partner.email) },
    ...(document.relatedNumber === ''
      ? {}
      : { OriginalDocumentReferences: { OriginalDocumentReference: { '@_id': 'original', ID: document.relatedNumber } } }),
    InvoiceLines: { InvoiceLine: lines.map((line, index) => invoiceLine(line, index)) },
    TaxTotal: {
      TaxSubTotal: totals.vatRecap.map((row) => ({
        TaxableAmount: amount(row.baseMinor),
        TaxAmount: amount(row.vatMinor),
        TaxInclusiveAmount: amount(row.baseMinor + row.vatMinor),
        AlreadyClaimedTaxableAmount: amount(0),
        AlreadyClaimedTaxAmount: amount(0),
        AlreadyClaimedTaxInclusiveAmount: amount(0),
        DifferenceTaxableAmount: amount(row.baseMinor),
        DifferenceTaxAmount: amount(row.vatMinor),
        DifferenceTaxInclusiveAmount: amount(row.baseMinor + row.vatMinor),
        TaxCategory: { Percent: row.vatRatePercent },
      })),
      TaxAmount: amount(totals.vatMinor),
    },
    LegalMonetaryTotal: {
      TaxExclusiveAmount: amount(totals.baseMinor),
      TaxInclusiveAmount: amount(totals.totalMinor),
      AlreadyClaimedTaxExclusiveAmount: amount(0),
      AlreadyClaimedTaxInclusiveAmount: amount(0),
      DifferenceTaxExclusiveAmount: amount(totals.baseMinor),
      DifferenceTaxInclusiveAmount: amount(totals.totalMinor),
      // ISDOC 6.0.2 has no other place for what was already paid: PayableAmount is the gross less it.
      PaidDepositsAmount: amount(totals.totalMinor - payable),
      PayableAmount: amount(payable),
    },
    ...paymentMeans(source, totals.totalMinor, payable),
  };
  const builder = new Builder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ Invoice: invoice })}`;
}

function party(subject: Company | Partner, email: string): Record<string, unknown> {
  const { street, building } = splitStreet(subject.address);
  return {
    PartyIdentification: { ID: subject.registrationNumber },
    PartyName: { Name: subject.name },
    PostalAddress: {
      StreetName: street,
      BuildingNumber: building,
      CityName: subject.address.city,
      PostalZone: subject.address.postalCode,
      Country: { IdentificationCode: subject.address.country, Name: countryName(subject.address.country) },
    },
    ...(subject.taxId === '' ? {} : { PartyTaxScheme: { CompanyID: subject.taxId, TaxScheme: 'VAT' } }),
    ...(email === '' ? {} : { Contact: { ElectronicMail: email } }),
  };
}

function invoiceLine(line: DocumentLine, index: number): Record<string, unknown> {
  const base = Math.round((line.quantityMilli * line.unitPriceMinor) / 1000);
  const vat = Math.round((base * line.vatRatePercent) / 100);
  const unitVat = Math.round((line.unitPriceMinor * line.vatRatePercent) / 100);
  return {
    ID: String(index + 1),
    InvoicedQuantity: { '#text': decimalQuantity(line.quantityMilli), '@_unitCode': line.unit },
    LineExtensionAmount: decimalAmount(base),
    LineExtensionAmountTaxInclusive: decimalAmount(base + vat),
    LineExtensionTaxAmount: decimalAmount(vat),
    UnitPrice: decimalAmount(line.unitPriceMinor),
    UnitPriceTaxInclusive: decimalAmount(line.unitPriceMinor + unitVat),
    // 0: VAT computed from the price without VAT ("zdola"), as Kurier's totals are.
    ClassifiedTaxCategory: { Percent: line.vatRatePercent, VATCalculationMethod: 0 },
    Item: { Description: line.description },
  };
}

/**
 * ISDOC `PaymentMeansCode` (isdoc-core-6.0.2.xsd, UN/ECE 4461) of each payment method: the inverse of the
 * importer's reading (isdoc-parser.ts). The methods ISDOC has no code for get no `PaymentMeans`.
 */
const paymentMeansCodes: Partial<Record<PaymentMethod, number>> = {
  cash: 10,
  cheque: 20,
  transfer: 42,
  card: 48,
  directDebit: 49,
  cashOnDelivery: 50,
  offset: 97,
};

/**
 * The document's payment: its method's code and, in `Details`, either the payment document and its date
 * (the schema's "cash payment" branch, used for any method once the document is paid in full) or, for a
 * transfer still due, the company's bank account. Cash and card need no bank account.
 */
function paymentMeans(source: IsdocSource, totalMinor: number, payableMinor: number): Record<string, unknown> {
  const { company, document } = source;
  const code = paymentMeansCodes[document.origin.paymentMethod];
  if (code === undefined) return {};
  const paid = document.origin.paidOn !== '' && payableMinor === 0;
  if (code === paymentMeansCodes.transfer && company.iban === '' && !paid) return {};
  const [accountId = '', bankCode = ''] = company.bankAccount.split('/');
  const details = paid
    ? { DocumentID: document.number, IssueDate: document.origin.paidOn }
    : code === paymentMeansCodes.transfer
      ? {
          PaymentDueDate: document.dueDate,
          ID: accountId.trim(),
          BankCode: bankCode.trim(),
          Name: '',
          IBAN: company.iban.replace(/\s/gu, ''),
          BIC: source.bic ?? '',
          ...(/^\d{1,10}$/u.test(document.variableSymbol) ? { VariableSymbol: document.variableSymbol } : {}),
        }
      : null;
  return {
    PaymentMeans: {
      Payment: {
        // What this payment settles: the amount paid once paid in full, else what is still due.
        PaidAmount: decimalAmount(paid ? totalMinor : payableMinor),
        PaymentMeansCode: code,
        ...(details === null ? {} : { Details: details }),
      },
    },
  };
}

/** `Korunní 2569/108` → street `Korunní`, building `2569/108`; a street without a number keeps it all. */
export function splitStreet(address: Address): { street: string; building: string } {
  const match = /^(.*\S)\s+(\d[\w/-]*)$/u.exec(address.street.trim());
  if (match) return { street: match[1] ?? '', building: match[2] ?? '' };
  const leading = /^(\d[\w/-]*)\s+(.*\S)$/u.exec(address.street.trim());
  if (leading) return { street: leading[2] ?? '', building: leading[1] ?? '' };
  return { street: address.street.trim(), building: '' };
}

const czechRegions = new Intl.DisplayNames(['cs'], { type: 'region', fallback: 'code' });

function countryName(code: string): string {
  return czechRegions.of(code) ?? code;
}

function decimalQuantity(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  const fraction = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/u, '');
  return `${sign}${Math.floor(abs / 1000)}${fraction === '' ? '' : `.${fraction}`}`;
}

/** A stable UUID (RFC 4122 layout, name-based) for the issuer's document number. */
function documentUuid(company: Company, document: AccountingDocument): string {
  const hex = createHash('sha256').update(`kurier-isdoc\n${company.taxId}\n${document.kind}\n${document.number}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
