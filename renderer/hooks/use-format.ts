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
      /** `2026-11` as "listopad 2026". */
      month: (yearMonth: string) =>
        new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${yearMonth}-01T00:00:00Z`)),
      /** An instant (epoch ms) as local date and time. */
      dateTime: (epoch: number) => new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(epoch),
    }),
    [language],
  );
}
