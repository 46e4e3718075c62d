import { useRef, type KeyboardEvent } from 'react';
import type { LastSend } from '../../shared/contract';
import type { DocumentSummary } from '../../shared/domain';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import type { MessageKey } from '../../shared/i18n';
import type { DocumentQuery, SortKey } from './document-filters';

const columns: readonly { readonly key: SortKey; readonly label: MessageKey; readonly amount?: true }[] = [
  { key: 'number', label: 'documents.number' },
  { key: 'kind', label: 'documents.kind' },
  { key: 'company', label: 'imports.companyFilter' },
  { key: 'partner', label: 'documents.partner' },
  { key: 'issueDate', label: 'documents.issueDate' },
  { key: 'dueDate', label: 'documents.dueDate' },
  { key: 'total', label: 'documents.total', amount: true },
  { key: 'sent', label: 'documents.sent' },
];

/**
 * The documents as a table with sortable columns (`aria-sort` on the sorted one) and one row in the tab
 * order at a time (roving tabindex): the arrows, Home and End move between rows, Enter opens the row's
 * document for export and sending. Each row also has its Export… and Open PDF buttons.
 */
export function DocumentTable(props: {
  readonly documents: readonly DocumentSummary[];
  readonly sends: ReadonlyMap<number, LastSend>;
  readonly query: DocumentQuery;
  readonly onSort: (key: SortKey) => void;
  /** The row in the tab order (the one "Send…" acts on). */
  readonly activeId: number | null;
  readonly onActivate: (id: number) => void;
  readonly onOpen: (doc: DocumentSummary) => void;
  readonly onOpenPdf: (doc: DocumentSummary) => void;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const rows = useRef(new Map<number, HTMLTableRowElement>());
  const { documents, query } = props;
  const activeId = documents.some((doc) => doc.id === props.activeId) ? props.activeId : (documents[0]?.id ?? null);

  const move = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (event.target !== event.currentTarget) return;
    const target =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? documents.length - 1
              : null;
    if (event.key === 'Enter') {
      event.preventDefault();
      const doc = documents[index];
      if (doc) props.onOpen(doc);
      return;
    }
    if (target === null) return;
    event.preventDefault();
    const doc = documents[Math.max(0, Math.min(documents.length - 1, target))];
    if (!doc) return;
    props.onActivate(doc.id);
    rows.current.get(doc.id)?.focus();
  };

  const sentText = (doc: DocumentSummary) => {
    const send = props.sends.get(doc.id);
    if (!send) return t('documents.notSent');
    const at = format.dateTime(send.at);
    return send.route === 'smtp'
      ? t('documents.sentSmtp', { at, recipient: send.recipient })
      : t('documents.handedOff', { at, recipient: send.recipient, route: t(`documents.handoffRoutes.${send.route}`) });
  };

  return (
    <table className="documents" aria-describedby="documents-keyboard-hint">
      <thead>
        <tr>
          {columns.map((column) => {
            const sorted = query.sortBy === column.key;
            return (
              <th
                key={column.key}
                scope="col"
                className={column.amount ? 'amount' : undefined}
                aria-sort={sorted ? (query.descending ? 'descending' : 'ascending') : undefined}
              >
                <button
                  type="button"
                  className="sort"
                  onClick={() => {
                    props.onSort(column.key);
                  }}
                >
                  {t(column.label)}
                  <span aria-hidden="true">{sorted ? (query.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            );
          })}
          <th scope="col">
            <span className="visually-hidden">{t('documents.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {documents.map((doc, index) => (
          // A row is focusable (one at a time) so the arrows can walk the list; Enter opens the document.
          <tr
            key={doc.id}
            ref={(element) => {
              if (element) rows.current.set(doc.id, element);
              else rows.current.delete(doc.id);
            }}
            tabIndex={doc.id === activeId ? 0 : -1}
            data-document={doc.number}
            onFocus={() => {
              if (doc.id !== props.activeId) props.onActivate(doc.id);
            }}
            onKeyDown={(event) => {
              move(event, index);
            }}
          >
            <th scope="row">{doc.number}</th>
            <td>{t(`kinds.${doc.kind}`)}</td>
            <td>{doc.companyName}</td>
            <td>{doc.partnerName}</td>
            <td>{format.date(doc.issueDate)}</td>
            <td>{format.date(doc.dueDate)}</td>
            <td className="amount">{format.money(doc.totalMinor, doc.currency)}</td>
            <td data-testid="last-send">{sentText(doc)}</td>
            <td className="row-actions">
              {/* The name is the visible text plus the number ("Export… FV-2026-0001"): a name that
                  does not contain what is on screen fails speech input (WCAG 2.5.3). */}
              <button
                type="button"
                tabIndex={doc.id === activeId ? 0 : -1}
                onClick={() => {
                  props.onOpen(doc);
                }}
              >
                {t('documents.export')}
                <span className="visually-hidden"> {doc.number}</span>
              </button>
              <button
                type="button"
                tabIndex={doc.id === activeId ? 0 : -1}
                onClick={() => {
                  props.onOpenPdf(doc);
                }}
              >
                {t('documents.openPdf')}
                <span className="visually-hidden"> {doc.number}</span>
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
