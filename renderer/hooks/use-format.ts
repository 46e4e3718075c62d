/** Number and date formatting in the UI language, in the same style as e-mails (shared/i18n/formats). */
import { useMemo } from 'react';
import { formatDateTime, formatFileSize, formatLongDate, formatMoney, formatPeriod } from '../../shared/i18n/formats';
import { useI18n } from './use-i18n';

/** Formatters for money (minor units) and ISO dates; English is British English (`7 September 2026`). */
export function useFormat() {
  const { language } = useI18n();
  return useMemo(
    () => ({
      money: (minor: number, currency: string) => formatMoney(minor, currency, language),
      date: (iso: string) => formatLongDate(iso, language),
      /** `2026-11` as "listopad 2026". */
      month: (yearMonth: string) => formatPeriod(yearMonth, language),
      /** An instant (epoch ms) as local date and time. */
      dateTime: (epoch: number) => formatDateTime(epoch, language),
      /** A file's size: "195,3 kB", "1.2 MB". */
      fileSize: (bytes: number) => formatFileSize(bytes, language),
    }),
    [language],
  );
}
