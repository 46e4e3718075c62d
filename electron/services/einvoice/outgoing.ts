import { documentTotalMinor } from '../../../shared/domain';
import type { AccountingDocument, CompanyRecord, DocumentKind, Partner } from '../../../shared/domain';
import type { DocumentMarks } from './document-marks';
import { canGenerateIsdoc, generateIsdoc } from './isdoc-writer';
import { ksefVerificationUrl } from './ksef-verification';
import { buildPolishTransfer } from './polish-transfer';
import { buildSpayd } from './spayd';

/** What the marks and the e-invoice of one outgoing document are computed from. */
export interface OutgoingDocument {
  readonly document: AccountingDocument;
  readonly partner: Partner;
  readonly company: CompanyRecord;
  /** The imported original XML (FA(3) or ISDOC) byte for byte, when there is one. */
  readonly originalXml: Uint8Array | undefined;
}

/** Kinds that ask to be paid: an invoice of any sort, and a reminder of one. */
const payableKinds: readonly DocumentKind[] = [
  'invoice',
  'paymentReminder',
  'debitNote',
  'proformaInvoice',
  'advanceInvoice',
  'simplifiedInvoice',
  'settlementInvoice',
];
/** Kinds that are VAT invoices in KSeF terms (everything but reminders and payslips). */
const ksefKinds: readonly DocumentKind[] = [
  'invoice',
  'creditNote',
  'advanceInvoice',
  'advanceCorrection',
  'settlementInvoice',
  'settlementCorrection',
  'simplifiedInvoice',
];

const isPolish = (company: CompanyRecord): boolean => company.address.country === 'PL';
const isCzech = (company: CompanyRecord): boolean => company.address.country === 'CZ';
const fromKsef = (document: AccountingDocument): boolean => document.origin.source === 'ksef';
const fromIsdoc = (document: AccountingDocument): boolean => document.origin.source.startsWith('isdoc');

/**
 * What a payment QR code asks for: the amount still due of a document payable by transfer (the file's
 * figure for an imported one, the whole total for Kurier's own), or `undefined` when it is paid in
 * another way, already paid, or asks for nothing.
 */
function amountToTransfer(document: AccountingDocument): number | undefined {
  if (!payableKinds.includes(document.kind) || document.origin.paymentMethod !== 'transfer') return undefined;
  const due = document.origin.amountDueMinor ?? documentTotalMinor(document);
  return due > 0 ? due : undefined;
}

/**
 * The QR codes the document's PDF carries. A Polish invoice whose FA(3) XML Kurier keeps gets KOD I over
 * those exact bytes, with its KSeF number (or OFFLINE while it has none); without the XML there is
 * nothing to hash, so no code. A Czech invoice or reminder payable by transfer gets QR Platba for the
 * amount still due; a credit note, a document paid in cash or by card, or one already paid gets none. A
 * Polish invoice in złoty payable by transfer gets the Polish banks' transfer QR for the amount still due
 * when its company turned that on.
 */
export function documentMarks(input: OutgoingDocument): DocumentMarks {
  const { document, company, originalXml } = input;
  let marks: DocumentMarks = {};
  if (isPolish(company) && fromKsef(document) && originalXml && ksefKinds.includes(document.kind)) {
    const url = ksefVerificationUrl({
      environment: company.ksefEnvironment,
      sellerNip: company.taxId,
      issueDate: document.issueDate,
      xml: originalXml,
    });
    marks = { ...marks, ksef: { url, ksefNumber: document.origin.ksefNumber ?? '' } };
  }
  const due = amountToTransfer(document);
  if (isCzech(company) && due !== undefined) {
    const spayd = buildSpayd({
      iban: document.origin.payment.iban !== '' ? document.origin.payment.iban : company.iban,
      bic: document.origin.payment.bic,
      amountMinor: due,
      currency: document.currency,
      variableSymbol: document.variableSymbol,
      dueDate: document.dueDate,
      message: document.number,
    });
    if (spayd !== undefined) marks = { ...marks, payment: { spayd } };
  }
  if (isPolish(company) && company.polishTransferQr && due !== undefined && document.currency === 'PLN') {
    const text = buildPolishTransfer({
      nip: company.taxId,
      account: document.origin.payment.iban !== '' ? document.origin.payment.iban : company.iban || company.bankAccount,
      amountMinor: due,
      payeeName: company.name,
      title: document.number,
    });
    if (text !== undefined) marks = { ...marks, polishTransfer: { text } };
  }
  return marks;
}

/**
 * A Polish invoice issued in KSeF whose KSeF number Kurier does not know yet: its KOD I would print
 * OFFLINE. (Without the original XML there is no KOD I at all, so no number to ask for.)
 */
export function needsKsefNumber(input: Omit<OutgoingDocument, 'partner'>): boolean {
  const { document, company, originalXml } = input;
  const known = document.origin.ksefNumber ?? '';
  return (
    isPolish(company) && fromKsef(document) && originalXml !== undefined && ksefKinds.includes(document.kind) && known === ''
  );
}

/** An e-invoice file that travels with the PDF. */
export interface ElectronicInvoice {
  /** The file's name without folder, e.g. `FV-2026-0001.isdoc`. */
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** `original`: the imported file byte for byte; `generated`: written by Kurier. */
  readonly origin: 'original' | 'generated';
}

/**
 * The machine-readable invoice for the partner's accounting program, or `undefined`: for a Czech
 * partner the ISDOC (the imported original when there is one, else generated for an invoice or credit
 * note of a Czech company); for a Polish invoice from KSeF its original FA(3) XML. Nothing when the
 * company chose `none`.
 */
export function electronicInvoice(input: OutgoingDocument): ElectronicInvoice | undefined {
  const { document, partner, company, originalXml } = input;
  if (company.isdocAttachment === 'none') return undefined;
  const stem = document.number.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  if (fromKsef(document) && originalXml && ksefKinds.includes(document.kind)) {
    return { fileName: `${stem}.xml`, contentType: 'application/xml', bytes: originalXml, origin: 'original' };
  }
  if (partner.address.country !== 'CZ') return undefined;
  if (fromIsdoc(document) && originalXml) {
    return { fileName: `${stem}.isdoc`, contentType: 'application/xml', bytes: originalXml, origin: 'original' };
  }
  if (isCzech(company) && canGenerateIsdoc(document)) {
    const xml = generateIsdoc({ document, partner, company, bic: document.origin.payment.bic });
    return { fileName: `${stem}.isdoc`, contentType: 'application/xml', bytes: Buffer.from(xml, 'utf8'), origin: 'generated' };
  }
  return undefined;
}
