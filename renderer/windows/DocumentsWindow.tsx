import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompanySummary, DocumentSummary } from '../../shared/domain';
import type { ImportChoice } from '../../shared/import-desk';
import { ImportFlow } from '../components/ImportFlow';
import { readFilesForImport } from '../import-files';
import type { KurierErrorShape } from '../../shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { kurier } from '../kurier';
import { openWindow } from '../open-window';

/** The list of documents, each with an Export… button. */
export function DocumentsWindow(props: { readonly shell: 'electron' | 'web' }) {
  const { t } = useI18n();
  const format = useFormat();
  const [documents, setDocuments] = useState<readonly DocumentSummary[] | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  const [companyId, setCompanyId] = useState<number | 'all'>('all');
  const [plan, setPlan] = useState<ImportChoice | null>(null);
  const [dragging, setDragging] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    void kurier.documents.list().then((result) => {
      if (result.ok) setDocuments(result.value);
      else setError(result.error);
    });
    void kurier.companies.list().then((result) => {
      if (result.ok) setCompanies(result.value);
    });
  }, []);

  useEffect(() => {
    document.title = `${t('documents.title')} – Kurier`;
    load();
  }, [t, load]);

  const planFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const answer = await kurier.imports.planFiles({ files: await readFilesForImport(files) });
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
  const shown = documents?.filter((doc) => companyId === 'all' || doc.companyId === companyId) ?? null;

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
          companyId={companyId}
          returnFocus={importButton}
          onDone={(imported) => {
            setPlan(null);
            if (imported) load();
          }}
        />
      )}
      {error && <ErrorNotice error={error} />}
      {documents === null && !error && <p role="status">{t('app.loading')}</p>}
      {shown && (
        <>
          <div className="field-row">
            <label>
              {t('imports.companyFilter')}{' '}
              <select
                value={companyId}
                onChange={(event) => {
                  setCompanyId(event.target.value === 'all' ? 'all' : Number(event.target.value));
                }}
              >
                <option value="all">{t('imports.allCompanies')}</option>
                {companies.map((company) => (
                  <option key={company.id} value={company.id}>
                    {company.name}
                  </option>
                ))}
              </select>
            </label>
            {companies.some((company) => company.isDemo) && (
              <button
                type="button"
                onClick={() =>
                  void kurier.companies.removeDemo().then(() => {
                    setCompanyId('all');
                    load();
                  })
                }
              >
                {t('imports.removeDemo')}
              </button>
            )}
          </div>
          <p className="hint">{t('documents.count', { count: shown.length })}</p>
          <table className="documents">
            <thead>
              <tr>
                <th scope="col">{t('documents.number')}</th>
                <th scope="col">{t('documents.kind')}</th>
                <th scope="col">{t('imports.companyFilter')}</th>
                <th scope="col">{t('documents.partner')}</th>
                <th scope="col">{t('documents.issueDate')}</th>
                <th scope="col">{t('documents.dueDate')}</th>
                <th scope="col" className="amount">
                  {t('documents.total')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('documents.export')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((doc) => (
                <tr key={doc.id}>
                  <th scope="row">{doc.number}</th>
                  <td>{t(`kinds.${doc.kind}`)}</td>
                  <td>{doc.companyName}</td>
                  <td>{doc.partnerName}</td>
                  <td>{format.date(doc.issueDate)}</td>
                  <td>{format.date(doc.dueDate)}</td>
                  <td className="amount">{format.money(doc.totalMinor, doc.currency)}</td>
                  <td>
                    {/* The name is the visible text plus the number ("Export… FV-2026-0001"): a name that
                        does not contain what is on screen fails speech input (WCAG 2.5.3). */}
                    <button type="button" onClick={() => void openWindow({ window: 'export', documentId: doc.id })}>
                      {t('documents.export')}
                      <span className="visually-hidden"> {doc.number}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
