/**
 * How a client company's e-invoices travel, as the preferences window shows and changes them: the ISDOC
 * (or a Polish invoice's FA(3) XML) beside the PDF, inside it, or not at all; whether its Polish
 * invoices carry the Polish banks' transfer QR code; and which KSeF environment a Polish company issues
 * in (the host of its KOD I verification address). Stored with the company (issue 16).
 */
import { z } from 'zod';
import { isdocAttachmentModes, ksefEnvironments, type CompanyRecord } from './domain';

/** One company's e-invoice settings. */
export interface CompanyEinvoiceView {
  readonly companyId: number;
  readonly companyName: string;
  /** ISO country of the company: the Polish transfer QR applies to Polish companies only. */
  readonly country: string;
  readonly isdocAttachment: CompanyRecord['isdocAttachment'];
  readonly polishTransferQr: boolean;
  /** The KSeF environment the company issues in; always production for a company outside Poland. */
  readonly ksefEnvironment: CompanyRecord['ksefEnvironment'];
}

/** Input of `companies:updateEinvoice`. */
export const companyEinvoiceUpdateSchema = z.object({
  companyId: z.number().int().positive(),
  isdocAttachment: z.enum(isdocAttachmentModes),
  polishTransferQr: z.boolean(),
  /** Anything but production is refused for a company outside Poland (main checks the country). */
  ksefEnvironment: z.enum(ksefEnvironments),
});
