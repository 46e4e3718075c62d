import { useEffect, useId, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import { useI18n } from '../hooks/use-i18n';
import { kurier } from '../kurier';

/** The office's client companies, loaded once (empty until they arrive). */
export function useCompanies(): readonly CompanySummary[] {
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  useEffect(() => {
    let current = true;
    void kurier.companies.list().then((result) => {
      if (current && result.ok) setCompanies(result.value);
    });
    return () => {
      current = false;
    };
  }, []);
  return companies;
}

/** "Company: All companies / …": narrows a list (history, bulk sending) to one client company. */
export function CompanyFilter(props: {
  readonly companies: readonly CompanySummary[];
  readonly value: number | null;
  readonly onChange: (companyId: number | null) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('imports.companyFilter')}</label>
      <select
        id={id}
        value={props.value ?? 'all'}
        onChange={(event) => {
          props.onChange(event.target.value === 'all' ? null : Number(event.target.value));
        }}
      >
        <option value="all">{t('imports.allCompanies')}</option>
        {props.companies.map((company) => (
          <option key={company.id} value={company.id}>
            {company.name}
          </option>
        ))}
      </select>
    </div>
  );
}
