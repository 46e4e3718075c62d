import { useEffect, useState } from 'react';
import type { CompanySummary } from '../../shared/domain';
import { useKurier } from './use-kurier';

/** The office's client companies, loaded once (empty until they arrive). */
export function useCompanies(): readonly CompanySummary[] {
  const kurier = useKurier();
  const [companies, setCompanies] = useState<readonly CompanySummary[]>([]);
  useEffect(() => {
    let current = true;
    void kurier.companies.list().then((result) => {
      if (current && result.ok) setCompanies(result.value);
    });
    return () => {
      current = false;
    };
  }, [kurier]);
  return companies;
}
