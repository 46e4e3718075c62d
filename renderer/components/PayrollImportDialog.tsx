import { useEffect, useId, useRef, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import type { KurierErrorShape } from '../../shared/errors';
import type { PayrollOutcome, PayrollPreview, PayrollRuleView, StagedFile } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';
import { useModalDialog } from '../hooks/use-modal-dialog';
import { kurier } from '../kurier';
import { ErrorNotice } from './ErrorNotice';
import { ImportActions } from './ImportActions';
import { ImportCompanySelect } from './ImportCompanySelect';

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
  }, [companyId, rule, validPeriod, sourceKey, version]);

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
              <RuleForm rule={shownRule} onChange={setRule} period={period} onPeriod={setPeriod} />
              <RuleStatus preview={preview} company={company} onConfirm={() => void confirm()} />
              <SampleTable preview={preview} />
              <PayslipTable preview={preview} company={company} />
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

function RuleForm(props: {
  readonly rule: PayrollRuleView;
  readonly onChange: (rule: PayrollRuleView) => void;
  readonly period: string;
  readonly onPeriod: (period: string) => void;
}) {
  const { t } = useI18n();
  const byId = useId();
  const labelId = useId();
  const hintId = useId();
  const periodId = useId();
  return (
    <fieldset>
      <legend>{t('imports.payroll.ruleLegend')}</legend>
      <p className="field-row">
        <label htmlFor={byId}>{t('imports.payroll.by')}</label>{' '}
        <select
          id={byId}
          value={props.rule.by}
          onChange={(event) => {
            props.onChange({ ...props.rule, by: event.target.value === 'name' ? 'name' : 'personalNumber' });
          }}
        >
          <option value="personalNumber">{t('imports.payroll.byPersonalNumber')}</option>
          <option value="name">{t('imports.payroll.byName')}</option>
        </select>
      </p>
      <p className="field-row">
        <label htmlFor={labelId}>{t('imports.payroll.label')}</label>{' '}
        <input
          id={labelId}
          aria-describedby={hintId}
          value={props.rule.label}
          maxLength={80}
          onChange={(event) => {
            props.onChange({ ...props.rule, label: event.target.value });
          }}
        />
      </p>
      <p className="hint" id={hintId}>
        {t('imports.payroll.labelHint')}
      </p>
      <p className="field-row">
        <label htmlFor={periodId}>{t('imports.payroll.period')}</label>{' '}
        <input
          id={periodId}
          type="month"
          value={props.period}
          onChange={(event) => {
            props.onPeriod(event.target.value);
          }}
        />
      </p>
    </fieldset>
  );
}

function RuleStatus(props: { readonly preview: PayrollPreview; readonly company: string; readonly onConfirm: () => void }) {
  const { t } = useI18n();
  const { preview } = props;
  if (preview.ruleConfirmed) {
    return (
      <p role="status" data-testid="payroll-rule-status">
        {t('imports.payroll.confirmed', { company: props.company })}
      </p>
    );
  }
  return (
    <div className="notice" data-testid="payroll-rule-status">
      <p role="status">
        {t(preview.confirmedRule ? 'imports.payroll.changed' : 'imports.payroll.unconfirmed', { company: props.company })}
      </p>
      <button type="button" onClick={props.onConfirm}>
        {t('imports.payroll.confirm')}
      </button>
    </div>
  );
}

function SampleTable(props: { readonly preview: PayrollPreview }) {
  const { t } = useI18n();
  return (
    <table className="import-plan" data-testid="payroll-samples">
      <caption>{t('imports.payroll.samplesCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.payroll.file')}</th>
          <th scope="col">{t('imports.payroll.page')}</th>
          <th scope="col">{t('imports.payroll.found')}</th>
          <th scope="col">{t('imports.payroll.excerpt')}</th>
        </tr>
      </thead>
      <tbody>
        {props.preview.samplePages.map((page) => (
          <tr key={`${page.file}-${String(page.page)}`}>
            <td>{page.file}</td>
            <th scope="row">{page.page + 1}</th>
            <td>{page.key ?? t('imports.payroll.continuation')}</td>
            <td className="excerpt">{page.excerpt.replace(/\s+/g, ' ').slice(0, 140)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PayslipTable(props: { readonly preview: PayrollPreview; readonly company: string }) {
  const { t } = useI18n();
  const { preview } = props;
  const matched = preview.payslips.filter((item) => item.employeeName !== '').length;
  return (
    <>
      <p role="status">{t('imports.payroll.matched', { matched, unmatched: preview.payslips.length - matched })}</p>
      <table className="import-plan" data-testid="payroll-payslips">
        <caption>{t('imports.payroll.payslipsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.payroll.employee')}</th>
            <th scope="col">{t('imports.payroll.pages')}</th>
            <th scope="col">{t('imports.payroll.number')}</th>
            <th scope="col">{t('imports.payroll.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.payslips.map((item) => (
            <tr key={`${item.file}-${String(item.firstPage)}`} data-action={item.action}>
              <th scope="row">{item.employeeName !== '' ? item.employeeName : (item.key ?? '')}</th>
              <td>
                {item.file} {t('imports.payroll.pageRange', { from: item.firstPage + 1, to: item.firstPage + item.pageCount })}
              </td>
              <td>{item.number}</td>
              <td>{t(`imports.payroll.actions.${item.action}`, { key: item.key ?? '' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.employeesWithout.length > 0 && (
        <p className="hint">
          {t('imports.payroll.without', { company: props.company, names: preview.employeesWithout.join(', ') })}
        </p>
      )}
      {preview.unreadable.map((file) => (
        <p key={file.file} className="problem">
          {t('imports.payroll.unreadable', { file: file.file, problem: file.problem })}
        </p>
      ))}
    </>
  );
}

function PayrollResult(props: { readonly outcome: PayrollOutcome }) {
  const { t } = useI18n();
  return (
    <>
      <p role="status">{t('imports.payroll.created', { count: props.outcome.created.length })}</p>
      <ul data-testid="payroll-result">
        {props.outcome.created.map((item) => (
          <li key={item.number}>
            {item.number} – {item.employeeName}
          </li>
        ))}
      </ul>
      {props.outcome.skipped.length > 0 && (
        <>
          <p>{t('imports.payroll.skipped', { count: props.outcome.skipped.length })}</p>
          <ul>
            {props.outcome.skipped.map((item, index) => (
              <li key={`${String(index)}-${item.key ?? ''}`}>
                {t(`imports.payroll.actions.${item.action}`, { key: item.key ?? '' })}
                {item.number !== '' && <> ({item.number})</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
