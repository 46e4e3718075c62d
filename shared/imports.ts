/**
 * Importing the office's own documents (issue 15): what a plan and a result look like across the IPC
 * boundary, and the closed list of reasons a file is refused or flagged. The renderer turns each code into
 * a translated sentence (`imports.reasons.*` in the catalogs); details fill its placeholders.
 */
import { z } from 'zod';
import type { DocumentKind } from './domain';

/** Why a file is not imported. Each has a translated sentence under `imports.reasons`. */
export const importRejectionCodes = [
  'tooLarge',
  'emptyFile',
  'unknownFormat',
  'malformedXml',
  'doctypeRefused',
  'wrongSchema',
  'zipBomb',
  'zipDamaged',
  'zipNoIsdoc',
  'pdfEncrypted',
  'pdfDamaged',
  'pdfNoIsdoc',
  'unknownCurrency',
  'duplicateUuid',
  'duplicateNumber',
  'missingField',
  'invalidValue',
  'unknownDocumentType',
  'unknownCompany',
  'ksefNumberInvalid',
  'ksefNumberChecksum',
  'unreadable',
] as const;
/** One of {@link importRejectionCodes}. */
export type ImportRejectionCode = (typeof importRejectionCodes)[number];

/** What is imported but worth a look. Each has a translated sentence under `imports.warnings`. */
export const importWarningCodes = ['totalsMismatch', 'noEmail'] as const;
/** One of {@link importWarningCodes}. */
export type ImportWarningCode = (typeof importWarningCodes)[number];

/** A reason with the values its sentence needs (file name, field, amounts…). */
export interface ImportReason<C extends string = ImportRejectionCode | ImportWarningCode> {
  readonly code: C;
  readonly details: Readonly<Record<string, string | number>>;
}

/** The formats Kurier reads. */
export type ImportFormat = 'isdoc' | 'isdocx' | 'isdocPdf' | 'ksef';

/** One file of a plan: what will happen to it, or why it cannot be imported. */
export interface ImportPlanItem {
  readonly fileName: string;
  readonly format: ImportFormat | null;
  readonly status: 'ready' | 'rejected';
  readonly reason: ImportReason<ImportRejectionCode> | null;
  readonly warnings: readonly ImportReason<ImportWarningCode>[];
  readonly document: {
    readonly kind: DocumentKind;
    readonly number: string;
    readonly issueDate: string;
    readonly dueDate: string;
    readonly currency: string;
    readonly totalMinor: number;
    readonly ksefNumber: string | null;
    /** True when the file brings its own PDF (kept, never re-rendered). */
    readonly hasOwnPdf: boolean;
  } | null;
  /** The issuing company: one Kurier knows, or one the import creates. */
  readonly company: { readonly action: 'existing' | 'create'; readonly name: string; readonly identifier: string } | null;
  /** The buyer: an existing partner (matched by IČO/NIP), or one the import creates. */
  readonly partner: { readonly action: 'existing' | 'create'; readonly name: string; readonly email: string } | null;
}

/** A plan: its id (to commit it) and one item per file, in the order given. */
export interface ImportPlan {
  readonly planId: string;
  readonly items: readonly ImportPlanItem[];
}

/** One file's outcome after commit. */
export interface ImportResultItem {
  readonly fileName: string;
  readonly status: 'imported' | 'rejected';
  readonly documentId: number | null;
  readonly number: string;
  readonly companyName: string;
  readonly reason: ImportReason<ImportRejectionCode> | null;
  readonly warnings: readonly ImportReason<ImportWarningCode>[];
}

/** What a commit did. */
export interface ImportResult {
  readonly items: readonly ImportResultItem[];
  readonly imported: number;
  readonly rejected: number;
}

/**
 * The largest file Kurier imports, in MB — one limit for the Import… button, drag and drop, the command
 * line and the watched folder. Larger files are refused before they are read, with the reason
 * `imports.reasons.tooLarge` ({@link tooLargeDetails}).
 */
export const maxImportFileMb = 20;
/** {@link maxImportFileMb} in bytes. */
export const maxImportFileBytes = maxImportFileMb * 1024 * 1024;

/** The values of the `tooLarge` reason for a file of `bytes`: its size and the limit, in whole MB. */
export function tooLargeDetails(bytes: number): { readonly sizeMb: number; readonly limitMb: number } {
  return { sizeMb: Math.ceil(bytes / 1048576), limitMb: maxImportFileMb };
}

/** A file handed over as bytes; over the limit, the page does not read it and hands over only its size. */
export type ImportBytes =
  { readonly name: string; readonly bytes: Uint8Array } | { readonly name: string; readonly size: number };

/**
 * A file the page read (drag and drop or a file input): the id of its finished upload (see uploads.ts,
 * which carries its name) — or, for a file over {@link maxImportFileBytes}, only its name and size (so the
 * preview can give the reason without the page reading it).
 */
export const importFileSchema = z.union([
  z.object({ uploadId: z.uuid() }),
  z.object({
    name: z.string().min(1).max(255),
    size: z
      .number()
      .int()
      .min(maxImportFileBytes + 1)
      .max(Number.MAX_SAFE_INTEGER),
  }),
]);

/** A KSeF number: seller NIP, date, 12 hex characters and a 2-character check, joined by hyphens. */
export const ksefNumberPattern = /^\d{10}-\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$/;

/**
 * The check part of a KSeF number: CRC-8 (polynomial 0x07, initial value 0x00, no reflection, no final
 * XOR) of its first 32 characters, hyphens included, as 2 upper-case hex digits.
 */
export function ksefNumberChecksum(first32: string): string {
  let crc = 0;
  for (let index = 0; index < first32.length; index += 1) {
    crc ^= first32.charCodeAt(index) & 0xff;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * What is wrong with a normalised KSeF number a user typed or a UPO carries: `ksefNumber` (not the
 * format), `ksefNumberChecksum` (the format, but the check part does not match: a typo), else `undefined`.
 * Numbers taken from the names of imported files keep the format check only ({@link ksefNumberPattern}).
 */
export function ksefNumberProblem(value: string): 'ksefNumber' | 'ksefNumberChecksum' | undefined {
  if (!ksefNumberPattern.test(value)) return 'ksefNumber';
  return ksefNumberChecksum(value.slice(0, 32)) === value.slice(33) ? undefined : 'ksefNumberChecksum';
}

/** A KSeF number as a field holds it: normalised (trimmed, upper case), and what is wrong with it if typed. */
export function typedKsefNumber(field: string): {
  readonly value: string;
  readonly invalid: boolean;
  readonly problem: 'ksefNumber' | 'ksefNumberChecksum' | undefined;
} {
  const value = field.trim().toUpperCase();
  const problem = value === '' ? undefined : ksefNumberProblem(value);
  return { value, invalid: problem !== undefined, problem };
}

/** A typed KSeF number in an IPC input: normalised, refused as `ksefNumber` or `ksefNumberChecksum`. */
export const typedKsefNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, context) => {
    const problem = ksefNumberProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

/** Options of a plan: a KSeF number the user typed for a single FA(3) file. */
export const importOptionsSchema = z.object({
  ksefNumber: z.string().max(40).optional(),
  /** Electron: pick a folder (e.g. one PDF per employee) instead of files. */
  folder: z.boolean().optional(),
});
