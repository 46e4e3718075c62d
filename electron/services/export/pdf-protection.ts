/**
 * Password protection of a finished PDF: AES-256 with the revision 6 security handler of PDF 2.0
 * (ISO 32000-2, Algorithm 2.B). Revision 6 matters because of what a guess costs: under revision 5 —
 * all pdfkit writes (`pdfVersion: '1.7ext3'`) — checking one password is one SHA-256, so a birth number
 * with a known birth date falls in milliseconds; Algorithm 2.B makes every guess at least 64 rounds of
 * AES and SHA-2.
 *
 * pdfkit renders the document unencrypted and `@cantoo/pdf-lib` (a maintained pdf-lib fork whose
 * `encrypt` writes `/V 5 /R 6`, drawing the file key and IVs from Web Crypto) encrypts it. A library
 * rather than a security handler of our own, so nothing of ours parses PDF syntax to find every string
 * and stream. Kurier runs no external program for this (qpdf checks the result in tests only).
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument } from '@cantoo/pdf-lib';

/**
 * What the employee may do with an opened payslip: print it (also in high quality) and have it read
 * aloud; not change it, copy text out of it, annotate it, fill forms or re-assemble pages. Readers honour
 * these flags; any PDF tool given the password can ignore them, so "not editable" is advisory.
 */
export const protectedPdfPermissions = {
  printing: 'highResolution',
  modifying: false,
  copying: false,
  annotating: false,
  fillingForms: false,
  contentAccessibility: true,
  documentAssembly: false,
} as const;

/**
 * Returns `pdf` encrypted so that it opens only with `userPassword`, with {@link protectedPdfPermissions}.
 * The owner password (which lifts the permissions) is random and never kept.
 */
export async function protectPdf(pdf: Uint8Array, userPassword: string): Promise<Buffer> {
  // updateMetadata: false keeps the producer, dates and title exactly as rendered.
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  document.encrypt({
    algorithm: 'AES-256',
    userPassword,
    ownerPassword: randomBytes(24).toString('base64url'),
    permissions: protectedPdfPermissions,
  });
  return Buffer.from(await document.save());
}
