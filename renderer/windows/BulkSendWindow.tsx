import { useEffect, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import type { DocumentKind, DocumentSummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { DryRun, DuplicateChoice, EarlierCopy } from '../../shared/outbox';
import { EarlierCopiesDialog } from '../components/EarlierCopiesDialog';
import { CompanyFilter } from '../components/CompanyFilter';
import { useCompanies } from '../hooks/use-companies';
import { ErrorNotice } from '../components/ErrorNotice';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { fieldProblems } from '../field-problems';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { useBatchProgress } from '../hooks/use-batch-progress';
import { BatchProgressView } from '../outbox/BatchProgressView';
import { DryRunView } from '../outbox/DryRunView';

const kinds: readonly DocumentKind[] = ['invoice', 'creditNote', 'paymentReminder', 'payslip'];

/**
 * Export and send many documents: choose them (a month of payslips, every reminder), choose who gets
 * them, check everything in a dry run — recipients, documents without an address, sizes, duration,
 * the daily cap — then send and follow the progress.
 */
export function BulkSendWindow() {
  const kurier = useKurier();
  const { t } = useI18n();
  const format = useFormat();
  const [documents, setDocuments] = useState<readonly DocumentSummary[] | null>(null);
  const [kind, setKind] = useState<DocumentKind | 'all'>('all');
  const [month, setMonth] = useState('all');
  const [companyId, setCompanyId] = useState<number | null>(null);
  const companies = useCompanies();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [targetKind, setTargetKind] = useState<'partner' | 'address'>('partner');
  const [address, setAddress] = useState('');
  const [folder, setFolder] = useState('');
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [testToMe, setTestToMe] = useState(false);
  const [spread, setSpread] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  // Documents that already went to the same addresses: main refused to start until the user answers.
  const [earlier, setEarlier] = useState<readonly EarlierCopy[] | null>(null);
  const [notice, setNotice] = useState('');
  const startButton = useRef<HTMLButtonElement>(null);
  const { batches, refresh } = useBatchProgress();

  useEffect(() => {
    document.title = `${t('bulk.title')} – Kurier`;
  }, [t]);

  useEffect(() => {
    void Promise.all([kurier.documents.list(), kurier.prefs.get()]).then(([list, prefs]) => {
      if (list.ok) setDocuments(list.value);
      else setError(list.error);
      if (prefs.ok) setFolder(prefs.value.user.exportFolder);
    });
  }, [kurier]);

  const months = useMemo(
    () => [...new Set((documents ?? []).map((doc) => doc.issueDate.slice(0, 7)))].sort().reverse(),
    [documents],
  );
  const visible = (documents ?? []).filter(
    (doc) =>
      (kind === 'all' || doc.kind === kind) &&
      (month === 'all' || doc.issueDate.startsWith(month)) &&
      (companyId === null || doc.companyId === companyId),
  );
  const allVisibleSelected = visible.length > 0 && visible.every((doc) => selected.has(doc.id));
  const { of: problem, count: problemCount } = fieldProblems(error);
  const target = targetKind === 'partner' ? ({ kind: 'partner' } as const) : ({ kind: 'address', address } as const);

  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
    setDryRun(null);
  };
  const toggleVisible = (on: boolean) => {
    const next = new Set(selected);
    for (const doc of visible) {
      if (on) next.add(doc.id);
      else next.delete(doc.id);
    }
    setSelected(next);
    setDryRun(null);
  };

  const check = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await kurier.outbox.dryRun({ documentIds: [...selected], target });
    setBusy(false);
    if (result.ok) {
      setDryRun(result.value);
      setSpread(result.value.overDailyCap);
      if (folder.trim() === '') setFolder(result.value.defaultFolder);
    } else setError(result.error);
  };

  // Saved KSeF numbers change what the check says: ask again, keeping the choices made in it.
  const recheck = async () => {
    const result = await kurier.outbox.dryRun({ documentIds: [...selected], target });
    if (result.ok) setDryRun(result.value);
    else setError(result.error);
  };

  // Main decides whether a document already went to its address (the dry run here may be stale, and
  // another desk may have started the same documents): it answers with those copies instead of a batch.
  const start = async (duplicates: DuplicateChoice) => {
    setBusy(true);
    setError(null);
    setNotice('');
    const result = await kurier.outbox.start({
      documentIds: [...selected],
      target,
      folder,
      testToMe,
      spreadOverDays: spread,
      duplicates,
    });
    setBusy(false);
    if (!result.ok) {
      setEarlier(null);
      setError(result.error);
      return;
    }
    const { batchId, earlier: copies } = result.value;
    if (batchId === null && duplicates === 'ask') {
      setEarlier(copies);
      return;
    }
    setEarlier(null);
    // Copies left out (answered "skip", or found by the service's own look) are said, not hidden.
    if (duplicates !== 'send' && copies.length > 0) {
      setNotice(batchId === null ? t('bulk.earlier.nothingLeft') : t('bulk.earlier.skipped', { count: copies.length }));
    }
    setDryRun(null);
    await refresh();
  };

  if (!documents)
    return <main className="window">{error ? <ErrorNotice error={error} /> : <p role="status">{t('app.loading')}</p>}</main>;

  return (
    <main className="window">
      <h1>{t('bulk.title')}</h1>
      {batches.map((progress) => (
        <BatchProgressView key={progress.batchId} progress={progress} />
      ))}
      <form onSubmit={(event) => void check(event)} noValidate aria-busy={busy}>
        <fieldset>
          <legend>{t('bulk.choose')}</legend>
          <div className="field-row">
            <SelectField
              label={t('bulk.kind')}
              value={kind}
              onChange={(picked) => {
                setKind(picked as DocumentKind | 'all');
              }}
            >
              <option value="all">{t('bulk.allKinds')}</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('bulk.month')}
              value={month}
              onChange={(picked) => {
                setMonth(picked);
              }}
            >
              <option value="all">{t('bulk.allMonths')}</option>
              {months.map((m) => (
                <option key={m} value={m}>
                  {format.month(m)}
                </option>
              ))}
            </SelectField>
            <CompanyFilter companies={companies} value={companyId} onChange={setCompanyId} />
          </div>
          <table className="documents" data-testid="bulk-documents">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectAll')}
                    checked={allVisibleSelected}
                    onChange={(event) => {
                      toggleVisible(event.target.checked);
                    }}
                  />
                </th>
                <th scope="col">{t('documents.number')}</th>
                <th scope="col">{t('documents.kind')}</th>
                <th scope="col">{t('documents.partner')}</th>
                <th scope="col">{t('imports.companyFilter')}</th>
                <th scope="col">{t('documents.issueDate')}</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((doc) => (
                <tr key={doc.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('bulk.selectOne', { number: doc.number })}
                      checked={selected.has(doc.id)}
                      onChange={(event) => {
                        toggle(doc.id, event.target.checked);
                      }}
                    />
                  </td>
                  <th scope="row">{doc.number}</th>
                  <td>{t(`kinds.${doc.kind}`)}</td>
                  <td>{doc.partnerName}</td>
                  <td>{doc.companyName}</td>
                  <td>{format.date(doc.issueDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint" aria-live="polite">
            {t('bulk.selected', { count: selected.size })}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('bulk.target')}</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="target"
              checked={targetKind === 'partner'}
              onChange={() => {
                setTargetKind('partner');
                setDryRun(null);
              }}
            />
            {t('bulk.toPartner')}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="target"
              checked={targetKind === 'address'}
              onChange={() => {
                setTargetKind('address');
                setDryRun(null);
              }}
            />
            {t('bulk.toAddress')}
          </label>
          {targetKind === 'address' && (
            <TextField
              name="address"
              type="email"
              label={t('bulk.address')}
              value={address}
              onChange={(value) => {
                setAddress(value);
                setDryRun(null);
              }}
              problem={problem('target.address')}
            />
          )}
          <TextField name="folder" label={t('export.folder')} value={folder} onChange={setFolder} problem={problem('folder')} />
        </fieldset>
        <div className="actions">
          <button type="submit" className={dryRun ? '' : 'primary'} disabled={busy || selected.size === 0}>
            {busy && !dryRun ? t('bulk.checking') : t('bulk.check')}
          </button>
        </div>
      </form>
      {error && (
        <ErrorNotice error={error} {...(problemCount > 0 ? { title: t('prefs.fixFields', { count: problemCount }) } : {})} />
      )}
      <div aria-live="polite" className="status-area">
        {notice !== '' && (
          <p className="notice notice-success" data-testid="bulk-notice">
            {notice}
          </p>
        )}
      </div>
      {dryRun && (
        <DryRunView
          dryRun={dryRun}
          testToMe={testToMe}
          setTestToMe={setTestToMe}
          spread={spread}
          setSpread={setSpread}
          busy={busy}
          startButton={startButton}
          onStart={() => void start('ask')}
          onKsefNumbersSaved={() => void recheck()}
        />
      )}
      {earlier && (
        <EarlierCopiesDialog
          earlier={earlier}
          busy={busy}
          returnFocus={startButton}
          onAnswer={(answer) => {
            if (answer === null) setEarlier(null);
            else void start(answer);
          }}
        />
      )}
    </main>
  );
}
