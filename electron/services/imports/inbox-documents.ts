/**
 * The watched folder's door into import-core's ISDOC/KSeF importer: the same read → plan → commit steps
 * as the import dialog, restricted to the folder's company (a file issued by another company is refused,
 * never filed under the wrong one), never creating companies.
 *
 * `commitPlan` runs its own transaction per file, so the ledger cannot join it; instead a file whose
 * exact bytes are already kept as an original of one of the company's documents (`document_originals`,
 * written in the import's transaction) counts as imported: after a crash between the commit and the
 * ledger, the file is recorded and moved, not imported a second time nor refused as a duplicate.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { MessageKey } from '../../../shared/i18n';
import type { ImportReason } from '../../../shared/imports';
import type { DocumentRepository } from '../documents/document-repository';
import { integer } from '../documents/rows';
import { commitPlan } from './import-commit';
import { ImportRejection } from './import-error';
import { planFile, rejectedFile, type PlannedFile } from './import-plan';
import type { DocumentFileImporter, DocumentImportAnswer, Reason } from './inbox-service';
import { readImportFile } from './read-file';

/** What the adapter needs. */
export interface InboxDocumentsOptions {
  readonly db: DatabaseSync;
  readonly documents: DocumentRepository;
  readonly clock: () => Date;
}

// import-core's catalogs hold a sentence per rejection and warning code (`imports.reasons.*`,
// `imports.warnings.*`), with the details as its parameters.
function reasonOf(group: 'reasons' | 'warnings', reason: ImportReason): Reason {
  const params = Object.fromEntries(
    Object.entries(reason.details).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value)),
  ) as Record<string, string | number | boolean>;
  return { key: `imports.${group}.${reason.code}` as MessageKey, params };
}

/** ISDOC, .isdocx, PDF with ISDOC inside, KSeF FA(3)/FA(2), for one company's watched folder. */
export function inboxDocuments(options: InboxDocumentsOptions): DocumentFileImporter {
  const kept = options.db.prepare(
    `SELECT o.document_id FROM document_originals o JOIN documents d ON d.id = o.document_id
      WHERE d.company_id = ? AND o.sha256 = ?`,
  );
  return {
    async importFile({ companyId, name, bytes, inTransaction }): Promise<DocumentImportAnswer> {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const already = kept.all(companyId, sha256).map((row) => integer(row, 'document_id'));
      if (already.length > 0) {
        inTransaction(already);
        return { status: 'imported', documentIds: already };
      }
      const company = options.documents.companies.get(companyId);
      let planned: PlannedFile;
      try {
        const read = await readImportFile(name, bytes);
        planned = planFile({ documents: options.documents, company }, name, read, new Set());
      } catch (error) {
        if (!(error instanceof ImportRejection)) throw error;
        planned = rejectedFile(name, error);
      }
      const isPdf = path.extname(name).toLowerCase() === '.pdf';
      if (planned.view.reason?.code === 'pdfNoIsdoc' && isPdf) return { status: 'notMine' };
      const [item] = commitPlan({ db: options.db, documents: options.documents, clock: options.clock, createCompanies: false }, [
        planned,
      ]);
      if (!item || item.status === 'rejected' || item.documentId === null) {
        return { status: 'rejected', reasons: item?.reason ? [reasonOf('reasons', item.reason)] : [] };
      }
      const documentIds = [item.documentId];
      inTransaction(documentIds);
      return { status: 'imported', documentIds, notes: item.warnings.map((warning) => reasonOf('warnings', warning)) };
    },
  };
}
