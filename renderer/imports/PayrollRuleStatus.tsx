import type { PayrollPreview } from '../../shared/import-desk';
import { useI18n } from '../hooks/use-i18n';

/** Whether the company's payroll rule is confirmed, and the button that confirms it. */
export function PayrollRuleStatus(props: {
  readonly preview: PayrollPreview;
  readonly company: string;
  readonly onConfirm: () => void;
}) {
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
