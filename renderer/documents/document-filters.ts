/**
 * What the document list shows: the search text, the filters (company, type, period, sent state) and
 * the sort order, applied to the documents main listed. Pure functions, so the list and its tests agree.
 */
import type { LastSend } from '../../shared/contract';
import type { DocumentKind, DocumentSummary } from '../../shared/domain';

/** Columns the list sorts by. */
export const sortKeys = ['number', 'kind', 'company', 'partner', 'issueDate', 'dueDate', 'total', 'sent'] as const;
/** One of {@link sortKeys}. */
export type SortKey = (typeof sortKeys)[number];

/** The user's choices above the list. */
export interface DocumentQuery {
  readonly text: string;
  readonly companyId: number | 'all';
  readonly kind: DocumentKind | 'all';
  /** `YYYY-MM` of the issue date, or all. */
  readonly period: string;
  readonly sent: 'all' | 'sent' | 'notSent';
  readonly sortBy: SortKey;
  readonly descending: boolean;
}

/** The list as it opens: everything, newest first. */
export const initialQuery: DocumentQuery = {
  text: '',
  companyId: 'all',
  kind: 'all',
  period: 'all',
  sent: 'all',
  sortBy: 'issueDate',
  descending: true,
};

/** The months (`YYYY-MM`) documents were issued in, newest first. */
export function periodsOf(documents: readonly DocumentSummary[]): string[] {
  return [...new Set(documents.map((doc) => doc.issueDate.slice(0, 7)))].sort().reverse();
}

/** The document types present, in the order they first appear. */
export function kindsOf(documents: readonly DocumentSummary[]): DocumentKind[] {
  return [...new Set(documents.map((doc) => doc.kind))];
}

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

function compare(
  a: DocumentSummary,
  b: DocumentSummary,
  key: SortKey,
  sends: ReadonlyMap<number, LastSend>,
  kindName: (doc: DocumentSummary) => string,
): number {
  switch (key) {
    case 'number':
      return a.number.localeCompare(b.number, undefined, { numeric: true });
    case 'kind':
      return kindName(a).localeCompare(kindName(b));
    case 'company':
      return a.companyName.localeCompare(b.companyName);
    case 'partner':
      return a.partnerName.localeCompare(b.partnerName);
    case 'issueDate':
      return a.issueDate.localeCompare(b.issueDate);
    case 'dueDate':
      return a.dueDate.localeCompare(b.dueDate);
    case 'total':
      return a.totalMinor - b.totalMinor;
    case 'sent':
      return (sends.get(a.id)?.at ?? 0) - (sends.get(b.id)?.at ?? 0);
  }
}

/** The documents the query selects, in its order (ties keep the number order). */
export function applyQuery(
  documents: readonly DocumentSummary[],
  query: DocumentQuery,
  sends: ReadonlyMap<number, LastSend>,
  kindName: (doc: DocumentSummary) => string,
): DocumentSummary[] {
  const text = folded(query.text.trim());
  const shown = documents.filter(
    (doc) =>
      (query.companyId === 'all' || doc.companyId === query.companyId) &&
      (query.kind === 'all' || doc.kind === query.kind) &&
      (query.period === 'all' || doc.issueDate.startsWith(query.period)) &&
      (query.sent === 'all' || (query.sent === 'sent') === sends.has(doc.id)) &&
      (text === '' || [doc.number, doc.partnerName, doc.companyName].some((field) => folded(field).includes(text))),
  );
  const direction = query.descending ? -1 : 1;
  return shown.sort(
    (a, b) => direction * compare(a, b, query.sortBy, sends, kindName) || compare(a, b, 'number', sends, kindName),
  );
}
