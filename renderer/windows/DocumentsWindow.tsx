import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CompanySummary, DocumentSummary } from '../../shared/domain';
import { applyQuery, initialQuery, kindsOf, periodsOf, type DocumentQuery } from '../documents/document-filters';
import { DocumentFilters } from '../documents/DocumentFilters';
import { DocumentTable } from '../documents/DocumentTable';
import { openDocumentPdf } from '../documents/open-pdf';
import type { ImportChoice } from '../../shared/import-desk';
import { ImportFlow } from '../components/ImportFlow';
import { uploadFilesForImport } from '../import-files';
import type { KurierErrorShape } from '../../shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { useLastSends } from '../hooks/use-last-sends';
import { openWindow } from '../open-window';

/**
 * The document list: search, filters, sortable columns with the last send of each document, keyboard
 * navigation (see {@link DocumentTable}), and a primary Send… for the chosen document.
 */
export function DocumentsWindow(props: { readonly shell: 'electron' | 'web' }) {
  const kurier = useKurier();
  const { t } = useI18n();
  const [documents, setDocuments] = useState<readonly DocumentSummary[] | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  const [query, setQuery] = useState<DocumentQuery>(initialQuery);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [pdfBlocked, setPdfBlocked] = useState(false);
  const [plan, setPlan] = useState<ImportChoice | null>(null);
  /** Percent of the dropped or picked files handed to main so far; null when none are being read. */
  const [reading, setReading] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // The "Sent" column follows sends made in other windows: after each export, and when the user comes back.
  const { sends, reload: loadSends } = useLastSends();

  const load = useCallback(() => {
    loadSends();
    void kurier.documents.list().then((result) => {
      if (result.ok) setDocuments(result.value);
      else setError(result.error);
    });
    void kurier.companies.list().then((result) => {
      if (result.ok) setCompanies(result.value);
    });
  }, [kurier, loadSends]);

  useEffect(() => {
    document.title = `${t('documents.title')} – Kurier`;
    load();
  }, [t, load]);

  // A company added, renamed or removed in another window: its filter entry and the list's company column follow.
  useKurierEvent('companies:changed', load);

  const planFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    setError(null);
    setReading(0);
    const uploaded = await uploadFilesForImport(files, (sent, total) => {
      setReading(total === 0 ? 100 : Math.floor((sent * 100) / total));
    });
    const answer = uploaded.ok ? await kurier.imports.planFiles({ files: uploaded.value }) : uploaded;
    setReading(null);
    if (answer.ok) setPlan(answer.value);
    else setError(answer.error);
  };
  const chooseFiles = async (folder = false) => {
    // Electron: the native picker, main reads the chosen paths. The web shell: the page reads the files.
    if (props.shell === 'electron') {
      const answer = await kurier.imports.choose(folder ? { folder } : {});
      if (!answer.ok) {
        setError(answer.error);
        return;
      }
      if (answer.value.supported) {
        if (answer.value.plan) setPlan(answer.value.plan);
        return;
      }
    }
    fileInput.current?.click();
  };
  const kindName = useCallback((doc: DocumentSummary) => t(`kinds.${doc.kind}`), [t]);
  const shown = useMemo(
    () => (documents ? applyQuery(documents, query, sends, kindName) : null),
    [documents, query, sends, kindName],
  );
  const current = shown?.find((doc) => doc.id === activeId) ?? shown?.[0];
  const open = (doc: DocumentSummary) => {
    void openWindow({ window: 'export', documentId: doc.id });
  };

  return (
    // Dropping files anywhere in the window imports them; the Import… button is the keyboard way to the same.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- drop target only; Import… is the accessible path
    <main
      className={dragging ? 'window dropping' : 'window'}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => {
        setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void planFiles([...event.dataTransfer.files]);
      }}
    >
      <header className="toolbar">
        <h1>{t('documents.title')}</h1>
        <div className="field-row">
          <button type="button" ref={importButton} onClick={() => void chooseFiles()}>
            {t('imports.button')}
          </button>
          {props.shell === 'electron' && (
            <button type="button" onClick={() => void chooseFiles(true)}>
              {t('imports.folderButton')}
            </button>
          )}
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            accept=".isdoc,.isdocx,.xml,.pdf,.csv"
            aria-label={t('imports.button')}
            data-testid="import-input"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void planFiles(files);
            }}
          />
          <button type="button" onClick={() => void openWindow({ window: 'bulk' })}>
            {t('documents.bulk')}
          </button>
          <button type="button" onClick={() => void openWindow({ window: 'history' })}>
            {t('documents.history')}
          </button>
          <button type="button" onClick={() => void openWindow({ window: 'payslips' })}>
            {t('documents.payslips')}
          </button>
          <button type="button" onClick={() => void openWindow({ window: 'globalPrefs' })}>
            {t('documents.globalPrefs')}
          </button>
          <button type="button" onClick={() => void openWindow({ window: 'userPrefs' })}>
            {t('documents.userPrefs')}
          </button>
        </div>
      </header>
      {props.shell === 'web' && <p className="hint">{t('app.webShellNotice')}</p>}
      <p className="hint">{dragging ? t('imports.dropHere') : t('imports.dropHint')}</p>
      {plan && (
        <ImportFlow
          choice={plan}
          companies={companies}
          companyId={query.companyId}
          returnFocus={importButton}
          onDone={(imported) => {
            setPlan(null);
            if (imported) load();
          }}
        />
      )}
      {reading !== null && <p role="status">{t('imports.readingProgress', { percent: reading })}</p>}
      {error && <ErrorNotice error={error} />}
      {documents === null && !error && <p role="status">{t('app.loading')}</p>}
      {shown && (
        <>
          <DocumentFilters
            query={query}
            onChange={(change) => {
              setQuery((current) => ({ ...current, ...change }));
            }}
            companies={companies}
            kinds={kindsOf(documents ?? [])}
            periods={periodsOf(documents ?? [])}
          />
          <div className="field-row">
            <button
              type="button"
              className="primary"
              disabled={current === undefined}
              onClick={() => {
                if (current) open(current);
              }}
            >
              {t('documents.send')}
              {current && <span className="visually-hidden"> {current.number}</span>}
            </button>
            {companies.some((company) => company.isDemo) && (
              <button
                type="button"
                onClick={() =>
                  void kurier.companies.removeDemo().then(() => {
                    setQuery((current) => ({ ...current, companyId: 'all' }));
                    load();
                  })
                }
              >
                {t('imports.removeDemo')}
              </button>
            )}
          </div>
          <p className="hint" id="documents-keyboard-hint">
            {t('documents.keyboardHint')}
          </p>
          <p className="hint" role="status">
            {shown.length === 0 ? t('documents.noMatch') : t('documents.count', { count: shown.length })}
          </p>
          {pdfBlocked && (
            <p className="error" role="alert">
              {t('documents.pdfBlocked')}
            </p>
          )}
          <DocumentTable
            documents={shown}
            sends={sends}
            query={query}
            onSort={(key) => {
              setQuery((current) => ({
                ...current,
                sortBy: key,
                descending: current.sortBy === key ? !current.descending : key === 'issueDate' || key === 'sent',
              }));
            }}
            activeId={current?.id ?? null}
            onActivate={setActiveId}
            onOpen={open}
            onOpenPdf={(doc) => {
              setPdfBlocked(false);
              void openDocumentPdf(doc.id, props.shell).then((outcome) => {
                if (outcome === 'blocked') setPdfBlocked(true);
                else if (outcome) setError(outcome);
              });
            }}
          />
        </>
      )}
    </main>
  );
}
