/** Number and date formatting in the UI language. */
import { useMemo } from 'react';
import { useI18n } from './use-i18n';

/** Formatters for money (minor units) and ISO dates. */
export function useFormat() {
  const { language } = useI18n();
  return useMemo(
    () => ({
      money: (minor: number, currency: string) =>
        new Intl.NumberFormat(language, { style: 'currency', currency }).format(minor / 100),
      date: (iso: string) =>
        new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`)),
    }),
    [language],
  );
}
