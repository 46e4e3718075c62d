import { useId } from 'react';
import type { CompanySummary } from '../../shared/domain';

/** The company a partner list or a payroll is imported into. */
export function ImportCompanySelect(props: {
  readonly label: string;
  readonly companies: readonly CompanySummary[];
  readonly value: number;
  readonly onChange: (companyId: number) => void;
}) {
  const id = useId();
  return (
    <p className="field-row">
      <label htmlFor={id}>{props.label}</label>{' '}
      <select
        id={id}
        value={props.value}
        onChange={(event) => {
          props.onChange(Number(event.target.value));
        }}
      >
        {props.companies.map((company) => (
          <option key={company.id} value={company.id}>
            {company.name}
          </option>
        ))}
      </select>
    </p>
  );
}
