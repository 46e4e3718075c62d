import type { ReactNode } from 'react';
import { SelectField } from './SelectField';

/** A company as the picker lists it. */
export interface PickableCompany {
  readonly id: number;
  readonly name: string;
}

/**
 * The select that chooses which client company a per-company section of the preferences shows (watched
 * folder, e-invoices, company data, templates). `before` holds options listed ahead of the companies
 * ("Office default", "New company"), whose values are not company ids.
 */
export function CompanyPicker(props: {
  readonly label: string;
  readonly name: string;
  readonly companies: readonly PickableCompany[];
  readonly value: number | string;
  readonly onChange: (value: string) => void;
  readonly before?: ReactNode;
  readonly disabled?: boolean;
}) {
  return (
    <SelectField
      label={props.label}
      name={props.name}
      value={props.value}
      onChange={props.onChange}
      {...(props.disabled !== undefined ? { disabled: props.disabled } : {})}
    >
      {props.before}
      {props.companies.map((company) => (
        <option key={company.id} value={company.id}>
          {company.name}
        </option>
      ))}
    </SelectField>
  );
}
