import { useEffect, useId, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import { isErrorCode } from '../../shared/errors';
import { messageStatuses, type MessageStatus, type OutboxMessageView } from '../../shared/outbox';
import { CompanyFilter } from '../components/CompanyFilter';
import { useCompanies } from '../hooks/use-companies';
import { ErrorNotice } from '../components/ErrorNotice';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier, useKurierEvent } from '../hooks/use-kurier';
import { useBatchProgress } from '../hooks/use-batch-progress';
import { BatchProgressView } from '../outbox/BatchProgressView';
import { SelectField } from '../components/SelectField';

/**
 * Send history: every message with its recipient, document, route, time, state and the server's last
 * answer in plain words; filters; retry of failures; "it did arrive" for uncertain ones; CSV export.
 */
export function HistoryWindow() {
  const kurier = useKurier();
  const { t, describe } = useI18n();
  const format = useFormat();
  const [rows, setRows] = useState<readonly OutboxMessageView[] | null>(null);
  const [status, setStatus] = useState<MessageStatus | 'all'>('all');
  const [text, setText] = useState('');
  // '' = everyone; else only the messages this user queued (at any desk).
  const [user, setUser] = useState('');
  const [users, setUsers] = useState<readonly string[]>([]);
  const [companyId, setCompanyId] = useState<number | null>(null);
  const companies = useCompanies();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [notice, setNotice] = useState('');
  const { batches } = useBatchProgress();
  const textId = useId();

  // Bumped to reload: on every progress event (rows change as batches go on) and after an action.
  const [version, setVersion] = useState(0);
  const reload = () => {
    setVersion((current) => current + 1);
  };

  useEffect(() => {
    document.title = `${t('history.title')} – Kurier`;
  }, [t]);
  useEffect(() => {
    let current = true;
    void kurier.outbox.history({ status, text, user, batchId: null, companyId, limit: 500 }).then((result) => {
      if (!current) return;
      if (result.ok) setRows(result.value);
      else setError(result.error);
    });
    void kurier.outbox.historyUsers().then((result) => {
      if (current && result.ok) setUsers(result.value);
    });
    return () => {
      current = false;
    };
  }, [kurier, status, text, user, companyId, version]);
  useKurierEvent('outbox:progressed', () => {
    setVersion((current) => current + 1);
  });
  useKurierEvent('database:changed', () => {
    setVersion((current) => current + 1);
  });

  const chosen = (rows ?? []).filter((row) => selected.has(row.id));
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };

  const act = async (action: 'retry' | 'markDelivered') => {
    // An uncertain message may have arrived already: sending it again is the user's informed choice.
    if (
      action === 'retry' &&
      chosen.some((row) => row.status === 'uncertain') &&
      !window.confirm(t('history.confirmResendUncertain'))
    )
      return;
    setError(null);
    const ids = chosen.map((row) => row.id);
    const result = action === 'retry' ? await kurier.outbox.retry({ ids }) : await kurier.outbox.markDelivered({ ids });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setNotice(t(action === 'retry' ? 'history.retried' : 'history.markedDelivered', { count: result.value.changed }));
    setSelected(new Set());
    reload();
  };

  const exportCsv = async () => {
    setError(null);
    const header = [
      'time',
      'document',
      'company',
      'name',
      'recipient',
      'subject',
      'route',
      'status',
      'attempts',
      'error',
      'serverAnswer',
      'messageId',
      'user',
      'queuedDesk',
      'deliveredDesk',
    ].map((key) => t(`history.csv.${key as 'time'}`));
    const statusLabels = Object.fromEntries(messageStatuses.map((s) => [s, t(`history.status.${s}`)]));
    const labels = { header, status: statusLabels, mayHaveArrivedTwice: t('history.mayHaveArrivedTwice') };
    const result = await kurier.outbox.exportCsv({
      filter: { status, text, user, batchId: null, companyId, limit: 10_000 },
      labels,
    });
    if (result.ok) setNotice(t('history.exported', { path: result.value.path }));
    else setError(result.error);
  };

  const answer = (row: OutboxMessageView): string => {
    // A sent row keeps the error of its last failed attempt only when the user confirmed it arrived.
    if (row.status === 'sent') return row.lastCode === '' ? t('history.accepted') : t('history.confirmed');
    if (row.lastCode === '' || !isErrorCode(row.lastCode)) return '';
    return describe({ code: row.lastCode, details: row.lastDetails }).message;
  };

  return (
    <main className="window window-wide">
      <h1>{t('history.title')}</h1>
      {batches
        .filter((batch) => batch.status !== 'done' && batch.status !== 'cancelled')
        .map((progress) => (
          <BatchProgressView key={progress.batchId} progress={progress} />
        ))}
      <div className="field-row">
        <SelectField
          label={t('history.filterStatus')}
          value={status}
          onChange={(picked) => {
            setStatus(picked as MessageStatus | 'all');
          }}
        >
          <option value="all">{t('history.allStatuses')}</option>
          {messageStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`history.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <CompanyFilter companies={companies} value={companyId} onChange={setCompanyId} />
        <SelectField
          label={t('history.filterUser')}
          value={user}
          onChange={(picked) => {
            setUser(picked);
          }}
        >
          <option value="">{t('history.allUsers')}</option>
          {users.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <div className="field">
          <label htmlFor={textId}>{t('history.filterText')}</label>
          <input
            id={textId}
            type="search"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
        </div>
      </div>
      <div className="field-row">
        <button
          type="button"
          disabled={!chosen.some((row) => row.status === 'failed' || row.status === 'uncertain' || row.status === 'cancelled')}
          onClick={() => void act('retry')}
        >
          {t('history.retry', { count: chosen.length })}
        </button>
        <button
          type="button"
          disabled={!chosen.some((row) => row.status === 'uncertain')}
          onClick={() => void act('markDelivered')}
        >
          {t('history.markDelivered')}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t('history.exportCsv')}
        </button>
      </div>
      <div aria-live="polite" className="status-area">
        {notice !== '' && <p className="notice notice-success">{notice}</p>}
      </div>
      {error && <ErrorNotice error={error} />}
      {rows === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <table className="documents" data-testid="history">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('history.select')}</span>
              </th>
              <th scope="col">{t('history.csv.time')}</th>
              <th scope="col">{t('history.csv.document')}</th>
              <th scope="col">{t('history.csv.company')}</th>
              <th scope="col">{t('history.csv.recipient')}</th>
              <th scope="col">{t('history.csv.route')}</th>
              <th scope="col">{t('history.csv.user')}</th>
              <th scope="col">{t('history.csv.status')}</th>
              <th scope="col">{t('history.csv.serverAnswer')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-status={row.status}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('history.selectOne', { recipient: row.recipient, document: row.documentNumber })}
                    checked={selected.has(row.id)}
                    onChange={(event) => {
                      toggle(row.id, event.target.checked);
                    }}
                  />
                </td>
                <td>{format.dateTime(row.sentAt ?? row.updatedAt)}</td>
                <th scope="row">{row.documentNumber}</th>
                <td>{row.companyName}</td>
                <td>
                  {row.recipientName !== '' ? `${row.recipientName} ` : ''}
                  <span className="hint">{row.recipient}</span>
                </td>
                <td>{t(`prefs.routes.${row.route}`)}</td>
                <td data-testid="history-sender">
                  {row.queuedByUser === '' && row.queuedByDesk === ''
                    ? ''
                    : t('history.sentBy', { user: row.queuedByUser, desk: row.queuedByDesk })}
                  {row.deliveredByDesk !== '' && row.deliveredByDesk !== row.queuedByDesk && (
                    <span className="hint"> – {t('history.deliveredBy', { desk: row.deliveredByDesk })}</span>
                  )}
                </td>
                <td>
                  {t(`history.status.${row.status}`)}
                  {row.attempts > 1 ? <span className="hint"> ({t('history.attempts', { count: row.attempts })})</span> : null}
                  {row.mayHaveArrivedTwice && row.status === 'sent' ? (
                    <span className="hint"> – {t('history.mayHaveArrivedTwice')}</span>
                  ) : null}
                </td>
                <td title={row.lastResponse}>
                  {answer(row)}
                  {row.lastResponse !== '' && row.status !== 'sent' && <span className="hint"> – {row.lastResponse}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
