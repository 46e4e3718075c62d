import type { CompanySummary } from '../../shared/domain';
import { SelectField } from './SelectField';

/** The company a partner list or a payroll is imported into. */
export function ImportCompanySelect(props: {
  readonly label: string;
  readonly companies: readonly CompanySummary[];
  readonly value: number;
  readonly onChange: (companyId: number) => void;
}) {
  const { onChange } = props;
  return (
    <SelectField
      label={props.label}
      value={props.value}
      onChange={(picked) => {
        onChange(Number(picked));
      }}
    >
      {props.companies.map((company) => (
        <option key={company.id} value={company.id}>
          {company.name}
        </option>
      ))}
    </SelectField>
  );
}
