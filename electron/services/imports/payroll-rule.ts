/**
 * How Kurier tells whose payslip a page is: the rule the user confirms once per company, and reading a
 * page with it. Payroll programs print a personal number ("Osobní číslo: 0042", "Nr ewidencyjny 17") or
 * the employee's name on every payslip; continuation pages may print nothing.
 */

/**
 * `personalNumber`: the token after `label`. `name`: the rest of the line after `label`, or, with an
 * empty label, the name of a known employee found anywhere on the page.
 */
export interface PayrollRule {
  readonly by: 'personalNumber' | 'name';
  readonly label: string;
}

const personalNumberLabels = [
  'Osobní číslo',
  'Os. číslo',
  'Osobní č.',
  'Os. č.',
  'Numer ewidencyjny',
  'Nr ewidencyjny',
  'Numer pracownika',
  'Nr pracownika',
  'Personal number',
  'Employee number',
  'Employee ID',
  'Employee no.',
];

const nameLabels = [
  'Jméno a příjmení',
  'Příjmení a jméno',
  'Zaměstnanec',
  'Imię i nazwisko',
  'Nazwisko i imię',
  'Pracownik',
  'Employee name',
  'Employee',
];

/** Lower case, NFC, single spaces: how labels and names are compared. */
export function comparable(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('cs').replace(/\s+/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function labelPattern(label: string): string {
  return escapeRegExp(label.normalize('NFC').trim()).replace(/\s+/g, '\\s*');
}

/**
 * Reads the key of one page: the personal number or the name, as printed; null when the page does not
 * say (a continuation page). `employeeNames` is used by the name rule without a label.
 */
export function keyOfPage(text: string, rule: PayrollRule, employeeNames: readonly string[] = []): string | null {
  const page = text.normalize('NFC');
  if (rule.label.trim() === '') {
    if (rule.by !== 'name') return null;
    const haystack = comparable(page);
    let best: { name: string; at: number } | null = null;
    for (const name of employeeNames) {
      // Payroll programs print "Jiří Růžička" or "Růžička Jiří": look for both orders.
      const forward = comparable(name);
      for (const variant of [forward, forward.split(' ').reverse().join(' ')]) {
        const at = haystack.indexOf(variant);
        if (at >= 0 && (best === null || at < best.at)) best = { name, at };
      }
    }
    return best?.name ?? null;
  }
  const value = rule.by === 'personalNumber' ? '([\\p{L}\\p{N}][\\p{L}\\p{N}/_-]*)' : '([^\\n]+)';
  const match = new RegExp(`${labelPattern(rule.label)}\\s*[:.#]?[ \\t]*${value}`, 'iu').exec(page);
  const key = match?.[1]?.trim().replace(/\s+/g, ' ');
  return key === undefined || key === '' ? null : key;
}

/**
 * A rule to offer the user for these pages: the first known personal-number label found on the first
 * page, else a known name label, else names of known employees anywhere on the page.
 */
export function suggestRule(firstPage: string): PayrollRule {
  const page = comparable(firstPage);
  const find = (labels: readonly string[]) => labels.find((label) => new RegExp(labelPattern(comparable(label)), 'u').test(page));
  const numberLabel = find(personalNumberLabels);
  if (numberLabel !== undefined) return { by: 'personalNumber', label: numberLabel };
  const nameLabel = find(nameLabels);
  if (nameLabel !== undefined) return { by: 'name', label: nameLabel };
  return { by: 'name', label: '' };
}

const monthNames: readonly (readonly string[])[] = [
  ['leden', 'ledna', 'styczeń', 'stycznia', 'january'],
  ['únor', 'února', 'luty', 'lutego', 'february'],
  ['březen', 'března', 'marzec', 'marca', 'march'],
  ['duben', 'dubna', 'kwiecień', 'kwietnia', 'april'],
  ['květen', 'května', 'maj', 'maja', 'may'],
  ['červen', 'června', 'czerwiec', 'czerwca', 'june'],
  ['červenec', 'července', 'lipiec', 'lipca', 'july'],
  ['srpen', 'srpna', 'sierpień', 'sierpnia', 'august'],
  ['září', 'wrzesień', 'września', 'september'],
  ['říjen', 'října', 'październik', 'października', 'october'],
  ['listopad', 'listopadu', 'listopada', 'november'],
  ['prosinec', 'prosince', 'grudzień', 'grudnia', 'december'],
];

/** The pay period printed on a page (`MM/YYYY`, `MM.YYYY`, `YYYY-MM` or a month name and year), as `YYYY-MM`. */
export function detectPeriod(text: string): string | null {
  const page = comparable(text);
  const iso = /\b(20\d\d)-(0[1-9]|1[0-2])\b/.exec(page);
  if (iso) return `${iso[1]}-${iso[2]}`;
  const numeric = /(?<![\d.])(0?[1-9]|1[0-2])\s*[/.]\s*(20\d\d)\b/.exec(page);
  if (numeric) return `${numeric[2]}-${(numeric[1] ?? '').padStart(2, '0')}`;
  // Longer names first, so "červenec" is not read as "červen".
  const candidates = monthNames
    .flatMap((names, index) => names.map((name) => ({ name, index })))
    .sort((a, b) => b.name.length - a.name.length);
  for (const { name, index } of candidates) {
    const match = new RegExp(`(?<![\\p{L}])${name}\\s+(20\\d\\d)\\b`, 'u').exec(page);
    if (match) return `${match[1]}-${String(index + 1).padStart(2, '0')}`;
  }
  return null;
}
