import { useEffect, useId, useRef, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { PayrollOutcome, PayrollPreview, PayrollRuleView, StagedFile } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';
import { useModalDialog } from '../hooks/use-modal-dialog';
import { useKurier } from '../hooks/use-kurier';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';
import { ImportCompanySelect } from './ImportCompanySelect';
import { PayrollPayslipTable } from '../imports/PayrollPayslipTable';
import { PayrollResult } from '../imports/PayrollResult';
import { PayrollRuleForm } from '../imports/PayrollRuleForm';
import { PayrollRuleStatus } from '../imports/PayrollRuleStatus';
import { PayrollSampleTable } from '../imports/PayrollSampleTable';

/**
 * The payroll preview: the split rule (personal number or name, printed after a label) with the first
 * pages and who Kurier finds on each, the rule confirmed once per company, the payslips matched to
 * employees and those that are not, then the commit and its result.
 */
export function PayrollImportDialog(props: {
  readonly files: readonly StagedFile[];
  readonly companies: readonly CompanySummary[];
  readonly companyId: number;
  readonly onClose: (imported: boolean) => void;
  readonly returnFocus: { readonly current: HTMLElement | null };
}) {
  const kurier = useKurier();
  const { t } = useI18n();
  const titleId = useId();
  const [companyId, setCompanyId] = useState(props.companyId);
  const [rule, setRule] = useState<PayrollRuleView | undefined>(undefined);
  const [period, setPeriod] = useState('');
  const [preview, setPreview] = useState<PayrollPreview | null>(null);
  const [outcome, setOutcome] = useState<PayrollOutcome | null>(null);
  const [error, setError] = useState<KurierErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const imported = outcome !== null && outcome.created.length > 0;
  const ref = useModalDialog(props.onClose, imported, props.returnFocus);
  const request = useRef(0);
  const sourceIds = props.files.map((file) => file.sourceId);
  const sourceKey = sourceIds.join(',');
  const validPeriod = /^20\d\d-(0[1-9]|1[0-2])$/.test(period) ? period : undefined;

  useEffect(() => {
    const asked = ++request.current;
    void kurier.imports.planPayroll({ companyId, sourceIds: sourceKey.split(','), rule, period: validPeriod }).then((answer) => {
      if (asked !== request.current) return;
      if (!answer.ok) {
        setError(answer.error);
        return;
      }
      setPreview(answer.value);
      setError(null);
      setPeriod((current) => (current === '' ? (answer.value.period ?? '') : current));
    });
  }, [kurier, companyId, rule, validPeriod, sourceKey, version]);

  const company = props.companies.find((item) => item.id === companyId)?.name ?? '';
  const shownRule = rule ?? preview?.rule;
  const confirm = async () => {
    if (!shownRule) return;
    const answer = await kurier.imports.confirmPayrollRule({ companyId, rule: shownRule });
    if (!answer.ok) setError(answer.error);
    else setVersion((v) => v + 1);
  };
  const commit = async () => {
    setBusy(true);
    const answer = await kurier.imports.commitPayroll({ companyId, sourceIds, period: validPeriod });
    setBusy(false);
    if (answer.ok) setOutcome(answer.value);
    else setError(answer.error);
  };
  const creates = preview?.payslips.filter((item) => item.action === 'create').length ?? 0;
  const names = props.files.map((file) => file.name);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className="import-dialog" data-testid="payroll-import-dialog">
      <h2 id={titleId}>
        {outcome
          ? t('imports.payroll.resultTitle')
          : t('imports.payroll.title', { files: names.length > 3 ? `${names.slice(0, 3).join(', ')}…` : names.join(', ') })}
      </h2>
      {error && <ErrorNotice error={error} />}
      {outcome ? (
        <PayrollResult outcome={outcome} />
      ) : (
        <>
          <ImportCompanySelect
            label={t('imports.payroll.company')}
            companies={props.companies}
            value={companyId}
            onChange={(id) => {
              setCompanyId(id);
              setRule(undefined);
            }}
          />
          {!preview && !error && <p role="status">{t('imports.payroll.reading')}</p>}
          {preview && shownRule && (
            <>
              <PayrollRuleForm rule={shownRule} onChange={setRule} period={period} onPeriod={setPeriod} />
              <PayrollRuleStatus preview={preview} company={company} onConfirm={() => void confirm()} />
              <PayrollSampleTable preview={preview} />
              <PayrollPayslipTable preview={preview} company={company} />
            </>
          )}
        </>
      )}
      <ImportActions
        done={outcome !== null}
        onClose={() => {
          props.onClose(imported);
        }}
        commitLabel={preview && creates > 0 ? t('imports.payroll.commit', { count: creates }) : null}
        commitDisabled={busy || !preview?.ruleConfirmed}
        onCommit={() => void commit()}
      />
    </dialog>
  );
}
