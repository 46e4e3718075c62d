import type { PayrollRuleView } from '../../shared/import-desk';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useI18n } from '../hooks/use-i18n';

/** The payroll split rule (personal number or name, printed after a label) and the pay period. */
export function PayrollRuleForm(props: {
  readonly rule: PayrollRuleView;
  readonly onChange: (rule: PayrollRuleView) => void;
  readonly period: string;
  readonly onPeriod: (period: string) => void;
}) {
  const { t } = useI18n();
  const { rule, onChange } = props;
  return (
    <fieldset>
      <legend>{t('imports.payroll.ruleLegend')}</legend>
      <SelectField
        label={t('imports.payroll.by')}
        name="by"
        value={rule.by}
        onChange={(picked) => {
          onChange({ ...rule, by: picked === 'name' ? 'name' : 'personalNumber' });
        }}
      >
        <option value="personalNumber">{t('imports.payroll.byPersonalNumber')}</option>
        <option value="name">{t('imports.payroll.byName')}</option>
      </SelectField>
      <TextField
        label={t('imports.payroll.label')}
        name="label"
        value={rule.label}
        maxLength={80}
        hint={t('imports.payroll.labelHint')}
        onChange={(label) => {
          onChange({ ...rule, label });
        }}
      />
      <TextField label={t('imports.payroll.period')} name="period" type="month" value={props.period} onChange={props.onPeriod} />
    </fieldset>
  );
}
