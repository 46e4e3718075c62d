/**
 * KSeF logical structures FA(3) (`http://crd.gov.pl/wzor/2025/06/25/13775/`) and FA(2)
 * (`http://crd.gov.pl/wzor/2023/06/29/12648/`), root `Faktura` → a {@link ParsedDocument}. Net and VAT per
 * rate come from `P_13_x`/`P_14_x`, the gross total from `P_15`, lines from `FaWiersz` (an advance
 * invoice without lines gets one line per rate).
 */
import { documentKindOfKsef } from '../../../shared/domain';
import type { DocumentLine, PaymentMethod } from '../../../shared/domain';
import { isKnownCurrency, toMilli, toMinor, toMinorOrNull, unitPriceFor, vatPercent } from './amounts';
import { ImportRejection } from './import-error';
import { isoDate } from './isdoc-parser';
import type { ParsedDocument, ParsedParty } from './parsed-document';
import { at, attribute, child, children, parseXml, rootNamespace, type XmlNode } from './xml-input';

/** FA(3) and FA(2) namespaces with their system codes. */
export const ksefNamespaces: Readonly<Record<string, string>> = {
  'http://crd.gov.pl/wzor/2025/06/25/13775/': 'FA (3)',
  'http://crd.gov.pl/wzor/2023/06/29/12648/': 'FA (2)',
};

/** Net (`P_13_*`) fields with the VAT rate they stand for, and their VAT (`P_14_*`) field. */
const rateFields: readonly (readonly [net: string, vat: string | null, rate: number])[] = [
  ['P_13_1', 'P_14_1', 23],
  ['P_13_2', 'P_14_2', 8],
  ['P_13_3', 'P_14_3', 5],
  ['P_13_4', 'P_14_4', 4],
  ['P_13_5', 'P_14_5', 0],
  ['P_13_6_1', null, 0],
  ['P_13_6_2', null, 0],
  ['P_13_6_3', null, 0],
  ['P_13_7', null, 0],
  ['P_13_8', null, 0],
  ['P_13_9', null, 0],
  ['P_13_10', null, 0],
  ['P_13_11', null, 0],
];

/** Parses FA(3)/FA(2) XML text; `ksefNumber` comes from the file name or the user. */
export function parseKsef(text: string, ksefNumber: string | null): ParsedDocument {
  const root = parseXml(text);
  const invoice = child(root, 'Faktura');
  if (invoice === undefined)
    throw new ImportRejection('wrongSchema', { found: Object.keys(root).filter((k) => !k.startsWith('?'))[0] ?? '' });
  const namespace = rootNamespace(text, 'Faktura');
  const systemCode = attribute(child(child(invoice, 'Naglowek'), 'KodFormularza'), 'kodSystemowy');
  const expected = ksefNamespaces[namespace];
  if (expected === undefined || systemCode !== expected) {
    throw new ImportRejection('wrongSchema', { found: `${systemCode || '?'} (${namespace || 'no namespace'})` });
  }
  const fa = child(invoice, 'Fa');
  if (fa === undefined) throw new ImportRejection('missingField', { field: 'Fa' });
  const type = required(fa, 'RodzajFaktury');
  const kind = documentKindOfKsef[type];
  if (kind === undefined) throw new ImportRejection('unknownDocumentType', { type });
  const currency = required(fa, 'KodWaluty');
  if (!isKnownCurrency(currency)) throw new ImportRejection('unknownCurrency', { currency });

  const perRate = rateFields
    .map(([net, vat, rate]) => ({
      rate,
      base: toMinorOrNull(at(fa, net), net),
      vat: vat === null ? 0 : (toMinorOrNull(at(fa, vat), vat) ?? 0),
    }))
    .filter((row): row is { rate: number; base: number; vat: number } => row.base !== null);
  const baseMinor = perRate.reduce((sum, row) => sum + row.base, 0);
  const vatMinor = perRate.reduce((sum, row) => sum + row.vat, 0);
  const totalMinor = toMinor(required(fa, 'P_15'), 'P_15');
  const rows = children(fa, 'FaWiersz');
  const isCorrection = kind === 'creditNote' || kind === 'advanceCorrection' || kind === 'settlementCorrection';
  const lines = rows.length > 0 ? rows.map(readLine) : perRate.map((row) => rateLine(row, type));
  const payment = child(fa, 'Platnosc');
  const account = child(payment, 'RachunekBankowy');
  const nrb = at(account, 'NrRB').replace(/\s+/g, '');
  const issueDate = isoDate(required(fa, 'P_1'), 'P_1');
  return {
    format: 'ksef',
    kind,
    number: required(fa, 'P_2'),
    issueDate,
    taxableSupplyDate: isoDate(at(fa, 'P_6') || at(fa, 'OkresFa', 'P_6_Do') || issueDate, 'P_6'),
    // DataZaplaty is the day it was paid, not when it is due.
    dueDate: isoDate(at(payment, 'TerminPlatnosci', 'Termin') || issueDate, 'Termin'),
    currency,
    localCurrency: currency === 'PLN' ? '' : 'PLN',
    exchangeRate: currency === 'PLN' ? '' : at(fa, 'KursWalutyZ') || at(rows[0], 'KursWaluty'),
    variableSymbol: '',
    relatedNumber: at(fa, 'DaneFaKorygowanej', 'NrFaKorygowanej'),
    note: at(fa, 'PrzyczynaKorekty'),
    supplier: readParty(child(invoice, 'Podmiot1'), 'Podmiot1'),
    customer: readParty(child(invoice, 'Podmiot2'), 'Podmiot2'),
    lines,
    declared: { baseMinor, vatMinor, grossMinor: totalMinor, totalMinor },
    // A correction lists rows before and after (StanPrzed), and a settlement (ROZ) lists the whole order
    // while its totals are what is left after the advances: neither's lines are a sum of its totals. For
    // ROZ this is how the Ministry of Finance's own sample Fa_3_Przykład_14.xml is written (rows 312 000.00
    // net, P_15 307 635.00; tests/fixtures/documents/mf-fa3-przyklad-14-roz.xml): only P_13_x + P_14_x =
    // P_15 adds up, and that is checked for every kind (import-plan.ts, totalsMismatch).
    linesBaseMinor:
      rows.length === 0 || isCorrection || kind === 'settlementInvoice' ? null : rows.reduce((sum, row) => sum + lineNet(row), 0),
    payment: {
      iban: /^[A-Z]{2}\d{2}/.test(nrb) ? nrb : nrb.length === 26 ? `PL${nrb}` : '',
      bic: at(account, 'SWIFT'),
      account: nrb,
      bankCode: '',
    },
    ...paymentState(payment, totalMinor, nrb),
    isdocUuid: null,
    ksefNumber,
  };
}

/** FA(3)/FA(2) `FormaPlatnosci` values and the method each stands for. */
const paymentMethodOfForm: Readonly<Record<string, PaymentMethod>> = {
  '1': 'cash',
  '2': 'card',
  '3': 'voucher',
  '4': 'cheque',
  '5': 'credit',
  '6': 'transfer',
  '7': 'mobile',
};

/**
 * How the invoice is paid and what is left: `Zaplacono` 1 (paid, on `DataZaplaty`) or
 * `ZnacznikZaplatyCzesciowej` 2 (paid in full in parts) leave nothing due; 1 (partly paid) leaves
 * `P_15` less the `KwotaZaplatyCzesciowej` of each `ZaplataCzesciowa`.
 */
function paymentState(
  payment: XmlNode | undefined,
  totalMinor: number,
  account: string,
): { paymentMethod: PaymentMethod; amountDueMinor: number; paidOn: string } {
  const form = at(payment, 'FormaPlatnosci');
  const method = paymentMethodOfForm[form];
  if (form !== '' && method === undefined)
    throw new ImportRejection('invalidValue', { field: 'FormaPlatnosci', value: form.slice(0, 40) });
  const paymentMethod: PaymentMethod =
    method ?? (at(payment, 'PlatnoscInna') === '1' ? 'other' : account !== '' ? 'transfer' : 'unstated');
  const parts = children(payment, 'ZaplataCzesciowa');
  const partial = at(payment, 'ZnacznikZaplatyCzesciowej');
  if (at(payment, 'Zaplacono') === '1') {
    return { paymentMethod, amountDueMinor: 0, paidOn: isoDate(at(payment, 'DataZaplaty'), 'DataZaplaty') };
  }
  if (partial === '2') {
    const last =
      parts
        .map((part) => at(part, 'DataZaplatyCzesciowej'))
        .sort()
        .at(-1) ?? '';
    return { paymentMethod, amountDueMinor: 0, paidOn: last === '' ? '' : isoDate(last, 'DataZaplatyCzesciowej') };
  }
  const paid =
    partial === '1'
      ? parts.reduce((sum, part) => sum + toMinor(at(part, 'KwotaZaplatyCzesciowej'), 'KwotaZaplatyCzesciowej'), 0)
      : 0;
  return { paymentMethod, amountDueMinor: totalMinor - paid, paidOn: '' };
}

function lineNet(row: XmlNode): number {
  const net = at(row, 'P_11');
  if (net !== '') return toMinor(net, 'P_11');
  return Math.round((toMilli(at(row, 'P_8B'), 'P_8B') * toMinor(at(row, 'P_9A') || '0', 'P_9A')) / 1000);
}

function readLine(row: XmlNode): DocumentLine {
  const quantityMilli = toMilli(at(row, 'P_8B'), 'P_8B');
  const sign = at(row, 'StanPrzed') === '1' ? -1 : 1;
  return {
    description: at(row, 'P_7') || '—',
    quantityMilli: sign * quantityMilli,
    unit: at(row, 'P_8A'),
    unitPriceMinor: unitPriceFor(lineNet(row), quantityMilli),
    vatRatePercent: vatPercent(at(row, 'P_12')),
  };
}

function rateLine(row: { rate: number; base: number }, type: string): DocumentLine {
  return {
    description: type === 'ZAL' || type === 'KOR_ZAL' ? 'Zaliczka' : 'Razem',
    quantityMilli: 1000,
    unit: '',
    unitPriceMinor: row.base,
    vatRatePercent: row.rate,
  };
}

function readParty(party: XmlNode | undefined, where: string): ParsedParty {
  if (party === undefined) throw new ImportRejection('missingField', { field: where });
  const ids = child(party, 'DaneIdentyfikacyjne');
  const address = child(party, 'Adres');
  const line2 = at(address, 'AdresL2');
  const postal = /^(\d{2}-\d{3})\s+(.*)$/.exec(line2);
  const euVat = at(ids, 'NrVatUE') === '' ? '' : `${at(ids, 'KodUE')}${at(ids, 'NrVatUE')}`;
  return {
    name: at(ids, 'Nazwa') || required(ids, 'Nazwa'),
    registrationNumber: '',
    taxId: at(ids, 'NIP') || euVat || at(ids, 'NrID'),
    address: {
      street: at(address, 'AdresL1'),
      city: postal?.[2] ?? line2,
      postalCode: postal?.[1] ?? '',
      country: at(address, 'KodKraju').toUpperCase() || 'PL',
    },
    email: at(party, 'DaneKontaktowe', 'Email'),
    phone: at(party, 'DaneKontaktowe', 'Telefon'),
    contactPerson: '',
  };
}

function required(node: XmlNode | undefined, name: string): string {
  const value = at(node, name);
  if (value === '') throw new ImportRejection('missingField', { field: name });
  return value;
}
