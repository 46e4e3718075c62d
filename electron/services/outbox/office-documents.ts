/**
 * What the office outbox asks of this desk's file: documents and companies stay in each desk's SQLite,
 * so the outbox in PostgreSQL knows a document by its company's key and number, and each desk maps
 * those to its own ids.
 */
import type { DocumentRepository } from '../documents/document-repository';
import type { PgOutboxOptions } from './pg-outbox-repository';

/** The look-ups of `documents` that the office outbox uses. */
export function officeDocuments(
  documents: () => DocumentRepository | undefined,
): Pick<PgOutboxOptions, 'documentKey' | 'documentIdsByKey' | 'companyName' | 'companyKey' | 'companyIdByKey'> {
  return {
    documentKey: (id) => documents()?.documentKey(id) ?? { companyKey: '', number: '' },
    documentIdsByKey: (keys) => documents()?.idsByKey(keys) ?? new Map<string, number[]>(),
    companyName: (id) => documents()?.companies.get(id)?.name ?? '',
    companyKey: (id) => documents()?.companyKey(id) ?? '',
    companyIdByKey: (key) => documents()?.companyIdByKey(key),
  };
}
