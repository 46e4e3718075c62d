/**
 * Encodes text in Windows-1250 the way Czech and Polish Windows programs write their CSV exports. The
 * table is built from Node's own decoder (bytes 0x80–0xFF), so the test does not trust our decoder.
 */
const table = new Map<string, number>();
const decoder = new TextDecoder('windows-1250');
for (let byte = 0; byte < 256; byte++) {
  const ch = decoder.decode(Uint8Array.of(byte));
  if (!table.has(ch)) table.set(ch, byte);
}

/** The Windows-1250 bytes of `text`; throws on a character the code page lacks. */
export function encodeWindows1250(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const byte = table.get(ch);
    if (byte === undefined) throw new Error(`No Windows-1250 byte for ${ch}`);
    out.push(byte);
  }
  return Buffer.from(out);
}
