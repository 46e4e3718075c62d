import { createHash } from 'node:crypto';
import type { ksefEnvironments } from '../../../shared/domain';
import { ksefNumberProblem } from '../../../shared/imports';

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

/** Normalises a typed KSeF number (trims, upper-cases); `undefined` when it is not one or its check part is wrong. */
export function parseKsefNumber(typed: string): string | undefined {
  const value = typed.trim().toUpperCase();
  return ksefNumberProblem(value) === undefined ? value : undefined;
}
