/**
 * Thunderbird's reading of a `-compose` argument: GetArgs() in comm-central's
 * mail/components/compose/content/MsgComposeCommands.js, step for step. Tests build an argument with
 * Kurier and read it back here, to see exactly the fields Thunderbird would see.
 */

/** The `key → value` pairs Thunderbird takes from `originalData`; the first occurrence of a key wins. */
export function thunderbirdGetArgs(originalData: string): Record<string, string> {
  const args: Record<string, string> = {};
  if (originalData === '') return args;
  const separator = String.fromCharCode(1);
  let data = '';
  let quoteChar = '';
  let prevChar = '';
  for (let i = 0; i < originalData.length; i++) {
    const aChar = originalData.charAt(i);
    const nextChar = i < originalData.length - 1 ? originalData.charAt(i + 1) : '';
    if (aChar === quoteChar && (nextChar === ',' || nextChar === '')) {
      // A quote closes only before a comma or at the end.
      quoteChar = '';
      data += aChar;
    } else if ((aChar === "'" || aChar === '"') && prevChar === '=') {
      // A quote opens only right after `=`.
      if (quoteChar === '') quoteChar = aChar;
      data += aChar;
    } else if (aChar === ',') {
      data += quoteChar === '' ? separator : aChar;
    } else {
      data += aChar;
    }
    prevChar = aChar;
  }
  const pairs = data.split(separator);
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i] ?? '';
    const pos = pair.indexOf('=');
    if (pos === -1) continue;
    const name = pair.substring(0, pos);
    const value = pair.substring(pos + 1);
    if (value.startsWith("'") && value.endsWith("'")) {
      args[name] = value.substring(1, value.length - 1);
    } else {
      try {
        args[name] = decodeURIComponent(value);
      } catch {
        args[name] = value;
      }
    }
  }
  return args;
}
