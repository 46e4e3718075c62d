/**
 * Small PNG pictures made in the test (no image library): an RGB image of the given size, stripes of
 * two colours, encoded as the PNG specification says (signature, IHDR, one IDAT, IEND, CRC-32 each).
 */
import { crc32, deflateSync } from 'node:zlib';

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `width` × `height` RGB PNG (8 bits per channel, no alpha). */
export function stripedPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(Math.floor(x / 10) % 2 === 0 ? [0x1f, 0x4e, 0x79] : [0xf2, 0xa9, 0x00], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Where each of Adam7's seven passes starts and how far it steps: x0, y0, dx, dy. */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * A `width` × `height` RGBA PNG (8 bits per channel): a disc, opaque inside and transparent outside.
 * `interlaced` writes it in Adam7's seven passes; `filter` is every row's filter byte (0, none, unless a
 * test wants a damaged one: the data still inflates to exactly the length the header promises).
 */
export function discPng(width: number, height: number, options: { interlaced?: boolean; filter?: number } = {}): Buffer {
  const pixel = (x: number, y: number): number[] => {
    const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 <= (Math.min(width, height) / 2) ** 2;
    return inside ? [0x1f, 0x4e, 0x79, 0xff] : [0xff, 0xff, 0xff, 0x00];
  };
  const filter = options.filter ?? 0;
  const passes = options.interlaced ? adam7 : ([[0, 0, 1, 1]] as const);
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    for (let y = y0; y < height; y += dy) {
      const row = [filter];
      for (let x = x0; x < width; x += dx) row.push(...pixel(x, y));
      if (row.length > 1) rows.push(Buffer.from(row));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, options.interlaced ? 1 : 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
