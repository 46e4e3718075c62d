/**
 * Dates as people type them into a password: `1980-01-01`, `01.01.1980`, `1. ledna 1980`,
 * `1 stycznia 1980`, `January 1, 1980`. Month names (Czech, Polish and English, in the forms a date
 * uses) become numbers so one check covers every spelling.
 */

/** Whether year-month-day is a real calendar date between 1800 and 2299. */
export function isDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1800 || year > 2299 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Each month's names, lower case without diacritics: Czech nominative and genitive, Polish nominative
// and genitive, English and its three-letter abbreviation.
const monthNames: readonly (readonly string[])[] = [
  ['leden', 'ledna', 'styczen', 'stycznia', 'january', 'jan'],
  ['unor', 'unora', 'luty', 'lutego', 'february', 'feb'],
  ['brezen', 'brezna', 'marzec', 'marca', 'march', 'mar'],
  ['duben', 'dubna', 'kwiecien', 'kwietnia', 'april', 'apr'],
  ['kveten', 'kvetna', 'maj', 'maja', 'may'],
  ['cerven', 'cervna', 'czerwiec', 'czerwca', 'june', 'jun'],
  ['cervenec', 'cervence', 'lipiec', 'lipca', 'july', 'jul'],
  ['srpen', 'srpna', 'sierpien', 'sierpnia', 'august', 'aug'],
  ['zari', 'wrzesien', 'wrzesnia', 'september', 'sep', 'sept'],
  ['rijen', 'rijna', 'pazdziernik', 'pazdziernika', 'october', 'oct'],
  ['listopad', 'listopadu', 'listopada', 'november', 'nov'],
  ['prosinec', 'prosince', 'grudzien', 'grudnia', 'december', 'dec'],
];

const monthByName = new Map(monthNames.flatMap((names, index) => names.map((name) => [name, index + 1] as const)));

/**
 * `text` with every word that names a month replaced by the month's number between spaces, e.g.
 * `1. ledna 1980` → `1.  1  1980`; other words are kept.
 */
export function spelledMonthsToNumbers(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => {
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ł/gu, 'l');
    const month = monthByName.get(plain);
    return month === undefined ? word : ` ${String(month)} `;
  });
}
