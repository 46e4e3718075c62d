import { useEffect, useId, useRef, useState } from 'react';
import type { KurierErrorShape } from '../../shared/errors';
import type { ImportPlan, ImportPlanItem, ImportReason, ImportResult } from '../../shared/imports';
import { useFormat } from '../hooks/use-format';
import { useI18n } from '../hooks/use-i18n';
import { kurier } from '../kurier';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';

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
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [createCompanies, setCreateCompanies] = useState(true);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const close = useRef(props.onClose);
  useEffect(() => {
    close.current = props.onClose;
  });
  const imported = result !== null && result.imported > 0;
  const importedRef = useRef(imported);
  useEffect(() => {
    importedRef.current = imported;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnFocus = props.returnFocus;
    dialog.showModal();
    const cancelled = (event: Event) => {
      event.preventDefault();
      close.current(importedRef.current);
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
      returnFocus.current?.focus();
    };
  }, [props.returnFocus]);

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
      {result ? <ResultTable result={result} /> : <PlanTable items={props.plan.items} />}
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
          close.current(imported);
        }}
        commitLabel={ready.length > 0 ? t('imports.commit', { count: ready.length }) : null}
        commitDisabled={busy}
        onCommit={() => void commit()}
      />
    </dialog>
  );
}

function PlanTable(props: { readonly items: readonly ImportPlanItem[] }) {
  const { t } = useI18n();
  const format = useFormat();
  return (
    <table className="import-plan">
      <thead>
        <tr>
          <th scope="col">{t('imports.file')}</th>
          <th scope="col">{t('imports.document')}</th>
          <th scope="col">{t('imports.company')}</th>
          <th scope="col">{t('imports.partner')}</th>
          <th scope="col">{t('imports.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item, index) => (
          <tr key={`${String(index)}-${item.fileName}`} data-status={item.status}>
            <th scope="row">{item.fileName}</th>
            <td>
              {item.document && (
                <>
                  {t(`kinds.${item.document.kind}`)} {item.document.number},{' '}
                  {format.money(item.document.totalMinor, item.document.currency)}
                  {item.document.hasOwnPdf && <>, {t('imports.ownPdf')}</>}
                </>
              )}
            </td>
            <td>
              {item.company &&
                (item.company.action === 'create'
                  ? t('imports.createCompany', { name: item.company.name, identifier: item.company.identifier })
                  : t('imports.existing', { name: item.company.name }))}
            </td>
            <td>
              {item.partner &&
                (item.partner.action === 'create'
                  ? t('imports.createPartner', { name: item.partner.name })
                  : t('imports.existing', { name: item.partner.name }))}
            </td>
            <td>
              <Outcome
                status={item.status === 'ready' ? 'ready' : 'rejected'}
                reason={item.reason}
                warnings={item.warnings}
                currency={item.document?.currency ?? ''}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ResultTable(props: { readonly result: ImportResult }) {
  const { t } = useI18n();
  return (
    <table className="import-result">
      <thead>
        <tr>
          <th scope="col">{t('imports.file')}</th>
          <th scope="col">{t('imports.document')}</th>
          <th scope="col">{t('imports.company')}</th>
          <th scope="col">{t('imports.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.result.items.map((item, index) => (
          <tr key={`${String(index)}-${item.fileName}`} data-status={item.status}>
            <th scope="row">{item.fileName}</th>
            <td>{item.number}</td>
            <td>{item.companyName}</td>
            <td>
              <Outcome status={item.status} reason={item.reason} warnings={item.warnings} currency="" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Outcome(props: {
  readonly status: 'ready' | 'rejected' | 'imported';
  readonly reason: ImportPlanItem['reason'];
  readonly warnings: ImportPlanItem['warnings'];
  readonly currency: string;
}) {
  const { t } = useI18n();
  const format = useFormat();
  const warning = (reason: ImportReason<'totalsMismatch' | 'noEmail'>) => {
    const { details } = reason;
    if (reason.code === 'noEmail') return t('imports.warnings.noEmail', { partner: String(details['partner'] ?? '') });
    const currency = String(details['currency'] ?? props.currency);
    return t('imports.warnings.totalsMismatch', {
      declared: format.money(Number(details['declaredMinor']), currency),
      lines: format.money(Number(details['linesMinor']), currency),
    });
  };
  return (
    <>
      <strong>{t(`imports.${props.status}`)}</strong>
      {props.reason && <> – {t(`imports.reasons.${props.reason.code}`, stringValues(props.reason.details))}</>}
      {props.warnings.map((item) => (
        <span key={item.code} className="warning">
          {' '}
          {warning(item)}
        </span>
      ))}
    </>
  );
}

function stringValues(details: Readonly<Record<string, string | number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([key, value]) => [key, String(value)]));
}
