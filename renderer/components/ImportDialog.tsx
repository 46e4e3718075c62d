import { useId, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { ImportPlan, ImportResult } from '../../shared/imports';
import { useI18n } from '../hooks/use-i18n';
import { useKurier } from '../hooks/use-kurier';
import { useModalDialog } from '../hooks/use-modal-dialog';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';
import { ImportPlanTable } from './ImportPlanTable';
import { ImportResultTable } from './ImportResultTable';

/**
 * The import preview and, after the user confirms, its result: one row per file with what will be (or
 * was) created or updated, or why the file is not imported. A modal <dialog>; Esc or Cancel closes it
 * without importing anything, and focus goes back to the Import… button.
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
  const imported = result !== null && result.imported > 0;
  const ref = useModalDialog(props.onClose, imported, props.returnFocus);

  const ready = props.plan.items.filter((item) => item.status === 'ready');
  const needsCompany = ready.some((item) => item.company?.action === 'create');
  const commit = async () => {
    setBusy(true);
    const answer = await kurier.imports.commit({ planId: props.plan.planId, createCompanies });
    setBusy(false);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error);
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="import-dialog" data-testid="import-dialog">
      <h2 id={titleId}>{result ? t('imports.resultTitle') : t('imports.previewTitle')}</h2>
      {error && <ErrorNotice error={error} />}
      {result ? <ImportResultTable result={result} /> : <ImportPlanTable items={props.plan.items} />}
      {result && <p role="status">{t('imports.summary', { imported: result.imported, rejected: result.rejected })}</p>}
      {!result && ready.length === 0 && <p role="status">{t('imports.nothingToImport')}</p>}
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
