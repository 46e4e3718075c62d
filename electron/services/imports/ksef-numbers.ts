import { KurierError } from '../../../shared/errors';
import { ksefNumberProblem } from '../../../shared/imports';
import type { DocumentRepository } from '../documents/document-repository';
import { needsKsefNumber } from '../einvoice/outgoing';
import { matchUpo, parseUpo } from './upo-parser';

/** What reading a UPO for some invoices gave. */
export type UpoReading =
  | { readonly status: 'notUpo' }
  | {
      readonly status: 'read';
      /** Invoices of the list the UPO confirms, with their KSeF numbers (not stored yet). */
      readonly matches: readonly { readonly documentId: number; readonly ksefNumber: string }[];
      /** How many invoices the UPO confirms in all. */
      readonly confirmed: number;
    };

/**
 * KSeF numbers of Polish invoices that do not have theirs yet: which invoices of a list lack one, the
 * numbers a UPO file gives them, and storing the numbers the user confirmed.
 */
export class KsefNumbers {
  readonly #documents: DocumentRepository;

  constructor(documents: DocumentRepository) {
    this.#documents = documents;
  }

  /** Whether the document's KOD I would print OFFLINE for want of its KSeF number. */
  isMissing(documentId: number): boolean {
    const document = this.#documents.getDocument(documentId);
    if (!document) return false;
    return needsKsefNumber({
      document,
      company: this.#documents.getCompany(document.companyId),
      originalXml: this.#documents.getOriginal(documentId, 'xml')?.bytes,
    });
  }

  /** The KSeF numbers the UPO in `bytes` gives to the invoices of `documentIds` still without one. */
  readUpo(bytes: Uint8Array, documentIds: readonly number[]): UpoReading {
    const entries = parseUpo(bytes);
    if (entries === undefined) return { status: 'notUpo' };
    const candidates = documentIds
      .filter((id) => this.isMissing(id))
      .flatMap((documentId) => {
        const document = this.#documents.getDocument(documentId);
        if (!document) return [];
        const company = this.#documents.getCompany(document.companyId);
        return [
          {
            documentId,
            sellerNip: company.taxId.replace(/\D/gu, ''),
            invoiceNumber: document.number,
            issueDate: document.issueDate,
            originalXml: this.#documents.getOriginal(documentId, 'xml')?.bytes,
          },
        ];
      });
    return { status: 'read', matches: matchUpo(entries, candidates), confirmed: entries.length };
  }

  /**
   * Stores the numbers; each must be a KSeF number (`NIP-YYYYMMDD-XXXXXXXXXXXX-XX`) whose check part matches and belong to an
   * invoice still without one (`input.invalid` otherwise, nothing stored).
   */
  store(numbers: readonly { readonly documentId: number; readonly ksefNumber: string }[]): number {
    const cleaned = numbers.map(({ documentId, ksefNumber }) => ({ documentId, ksefNumber: ksefNumber.trim().toUpperCase() }));
    for (const { documentId, ksefNumber } of cleaned) {
      const problem = ksefNumberProblem(ksefNumber);
      if (problem !== undefined) throw new KurierError('input.invalid', { field: 'ksefNumber', problem, documentId });
      if (!this.isMissing(documentId)) throw new KurierError('input.invalid', { field: 'documentId', documentId });
    }
    for (const { documentId, ksefNumber } of cleaned) this.#documents.setKsefNumber(documentId, ksefNumber);
    return cleaned.length;
  }
}
