/**
 * CSV as Czech and Polish Excel opens it: UTF-8 with a byte-order mark, semicolons between cells (the
 * comma is the decimal separator there), CRLF between rows. A cell that would start a formula (`=`, `+`,
 * `-`, `@`) is prefixed with an apostrophe, so a subject or a name cannot run as a formula.
 */

/**
 * One cell, quoted when it holds a separator, a quote or a line break; formulas defused. A phone number
 * in international form (`+420 603 123 456`: a plus, digits and spaces only) stays as it is — it can
 * call no function, and the SMS gateway that reads the file needs the plus.
 */
export function csvCell(value: string): string {
  const phone = /^\+\d[\d ]*$/.test(value);
  const safe = !phone && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole file's text. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((cells) => cells.map(csvCell).join(';')).join('\r\n')}\r\n`;
}
