/**
 * ISDOC 6.0, 6.0.1 and 6.0.2 (namespace `http://isdoc.cz/namespace/2013`, root `Invoice`) → a
 * {@link ParsedDocument}. Element names follow the official schema (isdoc-core-6.0.2.xsd, vendored under
 * tests/fixtures/isdoc-schema). Older 5.x files use another namespace and are refused as the wrong schema.
 */
import { documentKindOfIsdoc } from '../../../shared/domain';
import type { DocumentLine, PaymentMethod } from '../../../shared/domain';
import { isKnownCurrency, toMilli, toMinor, toMinorOrNull, unitPriceFor, vatPercent } from './amounts';
import { ImportRejection } from './import-error';
import type { ParsedDocument, ParsedParty } from './parsed-document';
import { at, attribute, child, children, parseXml, rootNamespace, textOf, type XmlNode, type XmlValue } from './xml-input';

/** The ISDOC 6.x namespace (6.0, 6.0.1 and 6.0.2 share it). */
export const isdocNamespace = 'http://isdoc.cz/namespace/2013';

/** Whether decoded XML text looks like an ISDOC invoice (root `Invoice` in the ISDOC namespace family). */
export function looksLikeIsdoc(root: Record<string, XmlValue>): boolean {
  return root['Invoice'] !== undefined;
}

/** Parses ISDOC XML text. @throws ImportRejection with the file's problem. */
export function parseIsdoc(text: string): ParsedDocument {
  const root = parseXml(text);
  const invoice = child(root, 'Invoice');
  if (invoice === undefined)
    throw new ImportRejection('wrongSchema', { found: Object.keys(root).filter((k) => !k.startsWith('?'))[0] ?? '' });
  const namespace = rootNamespace(text, 'Invoice');
  const version = attribute(invoice, 'version');
  if (namespace !== isdocNamespace || !/^6\.0(\.[12])?$/.test(version)) {
    throw new ImportRejection('wrongSchema', { found: `ISDOC ${version || '?'} (${namespace || 'no namespace'})` });
  }
  return asCredit(readInvoice(invoice));
}

/**
 * ISDOC states a credit note's amounts as positive numbers (the type says it is a credit); Kurier keeps a
 * credit as negative lines, so its PDF and e-mail speak of a refund — a negative quantity at the stated
 * price, as Kurier's own credit notes are written (and as its ISDOC writer expects them back).
 */
function asCredit(document: ParsedDocument): ParsedDocument {
  const isCredit = document.kind === 'creditNote' || document.kind === 'advanceCorrection';
  if (!isCredit || document.declared.totalMinor <= 0) return document;
  return {
    ...document,
    lines: document.lines.map((line) => ({ ...line, quantityMilli: -line.quantityMilli })),
    declared: {
      baseMinor: -document.declared.baseMinor,
      vatMinor: -document.declared.vatMinor,
      grossMinor: -document.declared.grossMinor,
      totalMinor: -document.declared.totalMinor,
    },
    amountDueMinor: -document.amountDueMinor,
    linesBaseMinor: document.linesBaseMinor === null ? null : -document.linesBaseMinor,
  };
}

function readInvoice(invoice: XmlNode): ParsedDocument {
  const typeCode = required(invoice, 'DocumentType');
  const kind = documentKindOfIsdoc[typeCode];
  if (kind === undefined) throw new ImportRejection('unknownDocumentType', { type: typeCode });
  const localCurrency = required(invoice, 'LocalCurrencyCode');
  const foreign = at(invoice, 'ForeignCurrencyCode');
  for (const code of [localCurrency, foreign].filter((c) => c !== '')) {
    if (!isKnownCurrency(code)) throw new ImportRejection('unknownCurrency', { currency: code });
  }
  const isForeign = foreign !== '' && foreign !== localCurrency;
  const curr = isForeign ? 'Curr' : '';
  const lines = children(child(invoice, 'InvoiceLines'), 'InvoiceLine').map((line, index) => readLine(line, index, curr));
  const totals = child(invoice, 'LegalMonetaryTotal');
  const base = toMinor(required(totals, `TaxExclusiveAmount${curr}`), `TaxExclusiveAmount${curr}`);
  const gross = toMinor(required(totals, `TaxInclusiveAmount${curr}`), `TaxInclusiveAmount${curr}`);
  const payable = toMinorOrNull(at(totals, `PayableAmount${curr}`), `PayableAmount${curr}`);
  const taxTotal = toMinorOrNull(at(invoice, 'TaxTotal', `TaxAmount${curr}`), `TaxAmount${curr}`);
  const payment = chosenPayment(children(child(invoice, 'PaymentMeans'), 'Payment'));
  const details = child(payment, 'Details');
  const dueDate = at(details, 'PaymentDueDate') || at(invoice, 'IssueDate');
  return {
    format: 'isdoc',
    kind,
    number: required(invoice, 'ID'),
    issueDate: isoDate(required(invoice, 'IssueDate'), 'IssueDate'),
    taxableSupplyDate: isoDate(at(invoice, 'TaxPointDate') || at(invoice, 'IssueDate'), 'TaxPointDate'),
    dueDate: isoDate(dueDate, 'PaymentDueDate'),
    currency: isForeign ? foreign : localCurrency,
    localCurrency: isForeign ? localCurrency : '',
    exchangeRate: isForeign ? rate(at(invoice, 'CurrRate'), at(invoice, 'RefCurrRate')) : '',
    variableSymbol: at(details, 'VariableSymbol'),
    relatedNumber: at(child(invoice, 'OriginalDocumentReferences'), 'OriginalDocumentReference', 'ID'),
    note: children(invoice, 'Note')
      .map(textOf)
      .filter((n) => n !== '')
      .join('\n'),
    supplier: readParty(child(child(invoice, 'AccountingSupplierParty'), 'Party'), 'AccountingSupplierParty'),
    customer: readParty(child(child(invoice, 'AccountingCustomerParty'), 'Party'), 'AccountingCustomerParty'),
    lines,
    declared: { baseMinor: base, vatMinor: taxTotal ?? gross - base, grossMinor: gross, totalMinor: gross },
    linesBaseMinor: lines.length === 0 ? null : sumLineAmounts(invoice, curr),
    payment: {
      iban: at(details, 'IBAN').replace(/\s+/g, ''),
      bic: at(details, 'BIC'),
      account: at(details, 'ID'),
      bankCode: at(details, 'BankCode'),
    },
    paymentMethod: paymentMethodOf(payment, details),
    // PayableAmount is the gross less advances already claimed and deposits paid (PaidDepositsAmount).
    amountDueMinor: payable ?? gross,
    paidOn: paidOnOf(details, payable),
    isdocUuid: required(invoice, 'UUID').toUpperCase(),
    ksefNumber: null,
  };
}

/**
 * The date the document was paid in full: the issue date of the payment document (`Details` in the
 * schema's "cash payment" form, `DocumentID` and `IssueDate`) when nothing is left payable, else ''.
 */
function paidOnOf(details: XmlNode | undefined, payable: number | null): string {
  if (payable !== 0 || at(details, 'DocumentID') === '') return '';
  const date = at(details, 'IssueDate');
  return date === '' ? '' : isoDate(date, 'Payment IssueDate');
}

/** ISDOC `PaymentMeansCode` values and the method each stands for (isdoc-core-6.0.2.xsd). */
const paymentMethodOfCode: Readonly<Record<string, PaymentMethod>> = {
  '10': 'cash',
  '20': 'cheque',
  '31': 'transfer',
  '42': 'transfer',
  '48': 'card',
  '49': 'directDebit',
  '50': 'cashOnDelivery',
  '97': 'offset',
};

/** The payment by transfer when the file offers one among several, else the first. */
function chosenPayment(payments: readonly XmlNode[]): XmlNode | undefined {
  return payments.find((p) => paymentMethodOfCode[at(p, 'PaymentMeansCode')] === 'transfer') ?? payments[0];
}

function paymentMethodOf(payment: XmlNode | undefined, details: XmlNode | undefined): PaymentMethod {
  const code = at(payment, 'PaymentMeansCode');
  if (code !== '') {
    const method = paymentMethodOfCode[code];
    if (method === undefined) throw new ImportRejection('invalidValue', { field: 'PaymentMeansCode', value: code.slice(0, 40) });
    return method;
  }
  return at(details, 'IBAN') !== '' || at(details, 'ID') !== '' ? 'transfer' : 'unstated';
}

function readLine(line: XmlNode, index: number, curr: string): DocumentLine {
  const field = `InvoiceLine ${index + 1}`;
  const quantityNode = child(line, 'InvoicedQuantity');
  const quantityMilli = toMilli(textOf(quantityNode), `${field} InvoicedQuantity`);
  const amount = toMinor(required(line, `LineExtensionAmount${curr}`), `${field} LineExtensionAmount${curr}`);
  return {
    description: at(line, 'Item', 'Description') || at(line, 'Note') || '—',
    quantityMilli,
    unit: attribute(quantityNode, 'unitCode'),
    unitPriceMinor: statedUnitPrice(line, curr, quantityMilli, amount, field) ?? unitPriceFor(amount, quantityMilli),
    vatRatePercent: vatPercent(at(line, 'ClassifiedTaxCategory', 'Percent')),
  };
}

/**
 * The line's own `UnitPrice` when it agrees with the line amount (quantity × price rounds to it): 0.333 kg
 * at 19.99 is 6.66, and 6.66 / 0.333 would make the price 20.00. `UnitPrice` is in the local currency, so
 * a foreign-currency line (and a file whose price does not add up) takes the price from its amount.
 */
function statedUnitPrice(line: XmlNode, curr: string, quantityMilli: number, amount: number, field: string): number | null {
  const stated = curr === '' ? toMinorOrNull(at(line, 'UnitPrice'), `${field} UnitPrice`) : null;
  if (stated === null) return null;
  return Math.round((quantityMilli * stated) / 1000) === amount ? stated : null;
}

function sumLineAmounts(invoice: XmlNode, curr: string): number {
  return children(child(invoice, 'InvoiceLines'), 'InvoiceLine').reduce(
    (sum, line) => sum + toMinor(at(line, `LineExtensionAmount${curr}`) || '0', 'LineExtensionAmount'),
    0,
  );
}

function readParty(party: XmlNode | undefined, where: string): ParsedParty {
  if (party === undefined) throw new ImportRejection('missingField', { field: where });
  const address = child(party, 'PostalAddress');
  const street = [at(address, 'StreetName'), at(address, 'BuildingNumber')].filter((s) => s !== '').join(' ');
  return {
    name: at(party, 'PartyName', 'Name') || required(party, 'PartyName'),
    registrationNumber: at(party, 'PartyIdentification', 'ID'),
    taxId: at(party, 'PartyTaxScheme', 'CompanyID').replace(/\s+/g, ''),
    address: {
      street,
      city: at(address, 'CityName'),
      postalCode: at(address, 'PostalZone'),
      country: at(address, 'Country', 'IdentificationCode').toUpperCase(),
    },
    email: at(party, 'Contact', 'ElectronicMail'),
    phone: at(party, 'Contact', 'Telephone'),
    contactPerson: at(party, 'Contact', 'Name'),
  };
}

/** Local units per one foreign unit: CurrRate / RefCurrRate, as decimal text. */
function rate(currRate: string, refCurrRate: string): string {
  if (currRate === '') throw new ImportRejection('missingField', { field: 'CurrRate' });
  const reference = refCurrRate === '' ? 1 : Number(refCurrRate);
  const value = Number(currRate) / reference;
  if (!Number.isFinite(value) || value <= 0) throw new ImportRejection('invalidValue', { field: 'CurrRate', value: currRate });
  return reference === 1 ? currRate : String(Number(value.toFixed(6)));
}

function required(node: XmlNode | undefined, name: string): string {
  const value = at(node, name);
  if (value === '') throw new ImportRejection('missingField', { field: name });
  return value;
}

/** A `YYYY-MM-DD` date that exists; else `invalidValue` naming the field. */
export function isoDate(text: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new ImportRejection('invalidValue', { field, value: text.slice(0, 40) });
  }
  return text;
}
