/**
 * A PDF that carries an ISDOC as an embedded file (POHODA, Money, ABRA and PREMIER do this): the ISDOC is
 * read with @cantoo/pdf-lib's attachment API; the PDF itself stays the document's PDF, never re-rendered.
 */
import { PDFDocument } from '@cantoo/pdf-lib';
import { ImportRejection } from './import-error';

/** The embedded ISDOC (`.isdoc`, or an `.xml` whose root is an ISDOC `Invoice`). */
export async function readEmbeddedIsdoc(bytes: Uint8Array): Promise<Uint8Array> {
  // An encrypted PDF names its security handler in the trailer (`/Encrypt`); pdf-lib cannot read its
  // strings, so the user is told it is encrypted rather than damaged.
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('/Encrypt')) {
    throw new ImportRejection('pdfEncrypted');
  }
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    throw new ImportRejection(name === 'EncryptedPDFError' ? 'pdfEncrypted' : 'pdfDamaged', {}, { cause: error });
  }
  if (pdf.isEncrypted) throw new ImportRejection('pdfEncrypted');
  let attachments: ReturnType<PDFDocument['getAttachments']>;
  try {
    attachments = pdf.getAttachments();
  } catch (error) {
    throw new ImportRejection('pdfDamaged', {}, { cause: error });
  }
  const isdoc =
    attachments.find((a) => /\.isdoc$/i.test(a.name)) ??
    attachments.find(
      (a) => /\.xml$/i.test(a.name) && /<(\w+:)?Invoice[\s>]/.test(Buffer.from(a.data.subarray(0, 4096)).toString('utf8')),
    );
  if (isdoc === undefined) throw new ImportRejection('pdfNoIsdoc');
  return isdoc.data;
}
