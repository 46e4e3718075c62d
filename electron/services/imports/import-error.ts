import type { ImportRejectionCode } from '../../../shared/imports';

/**
 * Why one file cannot be imported. Thrown inside the parsers and caught per file by the planner, which
 * turns it into that file's translated reason; it never crosses the IPC boundary as an exception.
 */
export class ImportRejection extends Error {
  readonly code: ImportRejectionCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ImportRejectionCode, details: Readonly<Record<string, string | number>> = {}, options?: ErrorOptions) {
    super(code, options);
    this.name = 'ImportRejection';
    this.code = code;
    this.details = details;
  }
}
