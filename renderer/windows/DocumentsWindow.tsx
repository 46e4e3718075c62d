import { useEffect, useState } from 'react';
import type { DocumentSummary } from '../../shared/domain';
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

  useEffect(() => {
    document.title = `${t('documents.title')} – Kurier`;
    void kurier.documents.list().then((result) => {
      if (result.ok) setDocuments(result.value);
      else setError(result.error);
    });
  }, [t]);

  return (
    <main className="window">
      <header className="toolbar">
        <h1>{t('documents.title')}</h1>
        <div className="field-row">
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
      {error && <ErrorNotice error={error} />}
      {documents === null && !error && <p role="status">{t('app.loading')}</p>}
      {documents && (
        <>
          <p className="hint">{t('documents.count', { count: documents.length })}</p>
          <table className="documents">
            <thead>
              <tr>
                <th scope="col">{t('documents.number')}</th>
                <th scope="col">{t('documents.kind')}</th>
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
              {documents.map((doc) => (
                <tr key={doc.id}>
                  <th scope="row">{doc.number}</th>
                  <td>{t(`kinds.${doc.kind}`)}</td>
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
