/**
 * How a client company's e-invoices travel, as the preferences window shows and changes them: the ISDOC
 * (or a Polish invoice's FA(3) XML) beside the PDF, inside it, or not at all; and whether its Polish
 * invoices carry the Polish banks' transfer QR code. Stored with the company (issue 16).
 */
import { z } from 'zod';
import { isdocAttachmentModes, type CompanyRecord } from './domain';

/** One company's e-invoice settings. */
export interface CompanyEinvoiceView {
  readonly companyId: number;
  readonly companyName: string;
  /** ISO country of the company: the Polish transfer QR applies to Polish companies only. */
  readonly country: string;
  readonly isdocAttachment: CompanyRecord['isdocAttachment'];
  readonly polishTransferQr: boolean;
}

/** Input of `companies:updateEinvoice`. */
export const companyEinvoiceUpdateSchema = z.object({
  companyId: z.number().int().positive(),
  isdocAttachment: z.enum(isdocAttachmentModes),
  polishTransferQr: z.boolean(),
});
