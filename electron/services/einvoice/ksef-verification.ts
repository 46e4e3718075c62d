import { createHash } from 'node:crypto';
import type { ksefEnvironments } from '../../../shared/domain';

/** One of the KSeF environments a company issues in; each has its own verification host. */
export type KsefEnvironment = (typeof ksefEnvironments)[number];

const hosts: Readonly<Record<KsefEnvironment, string>> = {
  production: 'qr.ksef.mf.gov.pl',
  demo: 'qr-demo.ksef.mf.gov.pl',
  test: 'qr-test.ksef.mf.gov.pl',
};

/** What KOD I is computed from. */
export interface KsefVerificationInput {
  readonly environment: KsefEnvironment;
  /** The seller's NIP as printed (`PL 526-587-76-35` is fine: only the ten digits are used). */
  readonly sellerNip: string;
  /** The invoice's issue date P_1, ISO `YYYY-MM-DD`. */
  readonly issueDate: string;
  /** The exact bytes of the FA(3) XML file that went to KSeF. */
  readonly xml: Uint8Array;
}

/**
 * The address encoded in the verification QR code "KOD I" (Dz.U. 2025 poz. 1815, § 9):
 * `https://{host}/invoice/{NIP}/{P_1 as DD-MM-YYYY}/{Base64URL SHA-256 of the XML, no padding}`.
 * The hash is over the stored original bytes — a re-serialised file would hash differently and the
 * Ministry's page would not find the invoice.
 */
export function ksefVerificationUrl(input: KsefVerificationInput): string {
  const nip = input.sellerNip.replace(/\D/gu, '');
  if (nip.length !== 10) throw new RangeError('The seller NIP must have ten digits.');
  const date = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(input.issueDate);
  if (!date) throw new RangeError('The issue date must be YYYY-MM-DD.');
  const [, year, month, day] = date;
  const hash = createHash('sha256').update(input.xml).digest('base64url');
  return `https://${hosts[input.environment]}/invoice/${nip}/${day}-${month}-${year}/${hash}`;
}

/**
 * A KSeF number as KSeF assigns it: seller NIP, date YYYYMMDD, twelve hex digits and a two-character
 * check part, joined by hyphens (35 characters), e.g. `5265877635-20250826-0100001AF629-AF`.
 */
export const ksefNumberPattern = /^\d{10}-\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$/u;

/** Normalises a typed KSeF number (trims, upper-cases); `undefined` when it is not one. */
export function parseKsefNumber(typed: string): string | undefined {
  const value = typed.trim().toUpperCase();
  return ksefNumberPattern.test(value) ? value : undefined;
}
