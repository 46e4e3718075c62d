import { useEffect, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import { useKurier, useKurierEvent } from './use-kurier';

/**
 * The office's client companies (empty until they arrive), read again whenever main reports a company
 * added, edited, imported or removed (`companies:changed`), in this window or any other.
 */
export function useCompanies(): readonly CompanySummary[] {
  const kurier = useKurier();
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  const [generation, setGeneration] = useState(0);
  useKurierEvent('companies:changed', () => {
    setGeneration((value) => value + 1);
  });
  useEffect(() => {
    let current = true;
    void kurier.companies.list().then((result) => {
      if (current && result.ok) setCompanies(result.value);
    });
    return () => {
      current = false;
    };
  }, [kurier, generation]);
  return companies;
}
