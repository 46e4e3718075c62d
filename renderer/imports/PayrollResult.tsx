import type { PayrollOutcome } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** The payslips a payroll import created and those it skipped. */
export function PayrollResult(props: { readonly outcome: PayrollOutcome }) {
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
