/** One date style per language, shared by e-mails, screens and printed forms; English is British. */
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatLongDate, formatNumericDate, formatPeriod, localeOf } from '../../../shared/i18n/formats';

describe('dates', () => {
  it('writes the month out in running text (e-mails, screens)', () => {
    expect(formatLongDate('2026-08-29', 'pl')).toBe('29 sierpnia 2026');
    expect(formatLongDate('2026-08-29', 'cs')).toBe('29. srpna 2026');
    expect(formatLongDate('2026-08-29', 'en')).toBe('29 August 2026');
  });

  it('uses British English day-month-year for English, never the US month-first order', () => {
    expect(localeOf.en).toBe('en-GB');
    expect(formatNumericDate('2026-09-07', 'en')).toBe('07/09/2026');
    expect(formatDateTime(Date.UTC(2026, 8, 7, 12, 0), 'en')).toMatch(/^7 September 2026/u);
  });

  it('prints one numeric pattern per language on forms', () => {
    expect(formatNumericDate('2026-09-07', 'pl')).toBe('07.09.2026');
    expect(formatNumericDate('2026-08-24', 'pl')).toBe('24.08.2026');
    expect(formatNumericDate('2026-09-07', 'cs').replace(/\s/gu, ' ')).toBe('7. 9. 2026');
    expect(formatNumericDate('', 'pl')).toBe('');
  });

  it('names a pay period by month and year', () => {
    expect(formatPeriod('2026-11', 'pl')).toBe('listopad 2026');
    expect(formatPeriod('2026-11', 'en')).toBe('November 2026');
  });
});
