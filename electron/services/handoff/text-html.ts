/**
 * Plain text as an HTML fragment that shows the same: every character that means something in HTML
 * escaped, each line break a `<br>`, and the spaces that HTML would collapse (leading ones and runs)
 * kept as no-break spaces, so indentation survives. Wrapped in one `<div>` so the caller can put it
 * above a signature as a unit.
 */
export function textAsHtml(text: string): string {
  const escaped = text
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/"/gu, '&quot;')
    .replace(/'/gu, '&#39;');
  const lines = escaped
    .split(/\r\n|\r|\n/u)
    .map((line) => line.replace(/^ | (?= )/gu, '&nbsp;').replace(/\t/gu, '&nbsp;&nbsp;&nbsp;&nbsp;'));
  return `<div>${lines.join('<br>')}</div>`;
}
