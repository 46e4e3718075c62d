import { PDFDocument } from '@cantoo/pdf-lib';
import type { ElectronicInvoice } from '../einvoice/outgoing';

/**
 * The PDF with the e-invoice embedded as a file attachment (an `/EmbeddedFiles` entry with its MIME
 * type), the way POHODA, Money and ABRA send ISDOC: the person reads the PDF, the program the XML.
 * `date` stamps the attachment so the output stays deterministic.
 */
export async function embedElectronicInvoice(pdf: Uint8Array, invoice: ElectronicInvoice, date: Date): Promise<Buffer> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  await document.attach(invoice.bytes, invoice.fileName, {
    mimeType: invoice.contentType,
    description: invoice.fileName.endsWith('.isdoc') ? 'ISDOC' : 'KSeF FA(3)',
    creationDate: date,
    modificationDate: date,
  });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}
