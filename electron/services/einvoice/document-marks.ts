/**
 * The machine-readable marks printed on an outgoing document: the KSeF verification code (KOD I) of a
 * Polish invoice and the QR Platba of a Czech one payable by transfer. Computed here, drawn by export.
 */
export interface DocumentMarks {
  /** KOD I with the KSeF number printed under it; `ksefNumber` empty prints "OFFLINE" instead. */
  readonly ksef?: { readonly url: string; readonly ksefNumber: string };
  /** The SPAYD text of QR Platba. */
  readonly payment?: { readonly spayd: string };
  /** The Polish banks' transfer QR code (see polish-transfer.ts). */
  readonly polishTransfer?: { readonly text: string };
}

/** Printed under KOD I while the invoice has no KSeF number yet (issued offline). */
export const ksefOfflineLabel = 'OFFLINE';
