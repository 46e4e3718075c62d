import { useId, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import { typedKsefNumber, type ImportPlan, type ImportResult } from '../../shared/imports';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { useModalDialog } from '../hooks/use-modal-dialog';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';
import { ImportPlanTable } from './ImportPlanTable';
import { ImportResultTable } from './ImportResultTable';
import { TextField } from './TextField';

/**
 * The import preview and, after the user confirms, its result: one row per file with what will be (or
 * was) created or updated, or why the file is not imported. A modal <dialog>; Esc or Cancel closes it
 * without importing anything, and focus goes back to the Import… button. A single KSeF file whose name
 * carries no KSeF number gets a field for it: the file is planned again with the number typed, which the
 * preview then shows.
 */
export function ImportDialog(props: {
  readonly plan: ImportPlan;
  readonly onClose: (imported: boolean) => void;
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const titleId = useId();
  const [createCompanies, setCreateCompanies] = useState(true);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState(props.plan);
  const [ksefNumber, setKsefNumber] = useState('');
  /** A number was applied: the field stays, so the user can correct it. */
  const [ksefApplied, setKsefApplied] = useState(false);
  const imported = result !== null && result.imported > 0;
  const ref = useModalDialog(props.onClose, imported, props.returnFocus);

  const ready = plan.items.filter((item) => item.status === 'ready');
  const needsCompany = ready.some((item) => item.company?.action === 'create');
  const single = plan.items.length === 1 ? plan.items[0] : undefined;
  const asksKsefNumber =
    single?.format === 'ksef' && single.status === 'ready' && (single.document?.ksefNumber === null || ksefApplied);
  const { value: typedKsef, invalid: ksefInvalid, problem: ksefProblem } = typedKsefNumber(ksefNumber);
  const applyKsefNumber = async () => {
    setBusy(true);
    setError(null);
    const answer = await kurier.imports.replan({ planId: plan.planId, ksefNumber: typedKsef });
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    setPlan(answer.value);
    setKsefApplied(true);
  };
  const commit = async () => {
    setBusy(true);
    const answer = await kurier.imports.commit({ planId: plan.planId, createCompanies });
    setBusy(false);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error);
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="import-dialog" data-testid="import-dialog">
      <h2 id={titleId}>{result ? t('imports.resultTitle') : t('imports.previewTitle')}</h2>
      {error && <ErrorNotice error={error} />}
      {result ? <ImportResultTable result={result} /> : <ImportPlanTable items={plan.items} />}
      {result && <p role="status">{t('imports.summary', { imported: result.imported, rejected: result.rejected })}</p>}
      {!result && ready.length === 0 && <p role="status">{t('imports.nothingToImport')}</p>}
      {!result && asksKsefNumber && (
        <div className="field-row" data-testid="import-ksef-number">
          <TextField
            name="ksefNumber"
            label={t('imports.ksefNumber')}
            hint={t('ksefNumbers.hint')}
            value={ksefNumber}
            onChange={setKsefNumber}
            problem={ksefProblem}
          />
          <button
            type="button"
            disabled={busy || typedKsef === '' || ksefInvalid || typedKsef === single.document?.ksefNumber}
            onClick={() => void applyKsefNumber()}
          >
            {t('imports.applyKsefNumber')}
          </button>
        </div>
      )}
      {!result && needsCompany && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={createCompanies}
            onChange={(event) => {
              setCreateCompanies(event.target.checked);
            }}
          />
          {t('imports.createCompanies')}
        </label>
      )}
      <ImportActions
        done={result !== null}
        onClose={() => {
          props.onClose(imported);
        }}
        commitLabel={ready.length > 0 ? t('imports.commit', { count: ready.length }) : null}
        commitDisabled={busy}
        onCommit={() => void commit()}
      />
    </dialog>
  );
}
