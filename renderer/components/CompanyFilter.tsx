import type { CompanySummary } from '../../shared/domain';
import { useI18n } from '../hooks/use-i18n';
import { SelectField } from './SelectField';

/** "Company: All companies / …": narrows a list (history, bulk sending) to one client company. */
export function CompanyFilter(props: {
  readonly companies: readonly CompanySummary[];
  readonly value: number | null;
  readonly onChange: (companyId: number | null) => void;
}) {
  const { t } = useI18n();
  const { onChange } = props;
  return (
    <SelectField
      label={t('imports.companyFilter')}
      value={props.value ?? 'all'}
      onChange={(picked) => {
        onChange(picked === 'all' ? null : Number(picked));
      }}
    >
      <option value="all">{t('imports.allCompanies')}</option>
      {props.companies.map((company) => (
        <option key={company.id} value={company.id}>
          {company.name}
        </option>
      ))}
    </SelectField>
  );
}
