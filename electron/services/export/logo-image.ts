/**
 * A company logo as the office chooses it (issue 15): a PNG or JPEG of at most {@link maxLogoBytes},
 * told by its magic bytes and its header (not by its name), so the PDF renderer is never handed
 * something it cannot draw. What the header says of the size is what the PDF's image will be.
 * A PNG is decoded whole and kept re-encoded (see {@link checkLogo}).
 */
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { maxLogoBytes } from '../../../shared/company-profile';
import { KurierError } from '../../../shared/errors';

/** What a checked logo is. */
export interface LogoImage {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
}

/** A checked logo and the bytes to store for it. */
export interface CheckedLogo extends LogoImage {
  readonly bytes: Uint8Array;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The largest side of a logo in pixels: a header box of 6 × 2 cm needs far less, and a 1 MiB PNG may not unpack to gigabytes. */
export const maxLogoSide = 4000;
/** Channels per PNG colour type (greyscale, RGB, palette, grey + alpha, RGBA). */
const pngChannels: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Checks that `bytes` are a PNG or JPEG logo Kurier accepts and gives the bytes to store. Throws
 * `company.logoTooLarge` over the limit and `company.logoNotImage` for anything else (another format, a
 * truncated, damaged or empty picture).
 *
 * pdfkit unpacks a PNG with transparency only while the PDF is written, in a zlib callback, where damaged
 * image data (a wrong length, an unknown row filter) escapes as an exception nobody can catch and kills
 * the render worker. So a PNG is decoded here whole and synchronously by pngjs, which throws where it can
 * be caught, and what is stored is pngjs's own re-encoding of the pixels — 8 bits, not interlaced, RGB
 * when every pixel is opaque — so pdfkit only ever reads a PNG it can decode.
 */
export function checkLogo(bytes: Uint8Array): CheckedLogo {
  if (bytes.length > maxLogoBytes) throw new KurierError('company.logoTooLarge', { size: bytes.length, limit: maxLogoBytes });
  const image = pngSize(bytes) ?? jpegSize(bytes);
  if (!image || image.width === 0 || image.height === 0) throw new KurierError('company.logoNotImage');
  if (image.width > maxLogoSide || image.height > maxLogoSide) throw new KurierError('company.logoNotImage');
  if (image.format === 'jpeg') return { ...image, bytes };
  // Bounded unpacking first: pngjs inflates an interlaced PNG without a limit, so a zlib bomb stops here.
  if (!pngDataIntact(bytes, image)) throw new KurierError('company.logoNotImage');
  const clean = reencodedPng(bytes);
  if (clean.width !== image.width || clean.height !== image.height) throw new KurierError('company.logoNotImage');
  if (clean.bytes.length > maxLogoBytes)
    throw new KurierError('company.logoTooLarge', { size: clean.bytes.length, limit: maxLogoBytes });
  return { ...image, bytes: clean.bytes };
}

/** The PNG's pixels decoded by pngjs (which checks CRCs, filters and lengths) and written again plainly. */
function reencodedPng(bytes: Uint8Array): { width: number; height: number; bytes: Uint8Array } {
  let decoded;
  try {
    decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw new KurierError('company.logoNotImage');
  }
  const { width, height, data } = decoded;
  let opaque = true;
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] !== 0xff) {
      opaque = false;
      break;
    }
  }
  // An opaque logo stays without an alpha channel, so its PDF image has no soft mask.
  const written = PNG.sync.write({ width, height, data }, { colorType: opaque ? 2 : 6 });
  return { width, height, bytes: new Uint8Array(written.buffer, written.byteOffset, written.byteLength) };
}

/** Width and height from the IHDR chunk, which a PNG must have first. */
function pngSize(bytes: Uint8Array): LogoImage | null {
  if (bytes.length < 33 || !pngSignature.every((byte, i) => bytes[i] === byte)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * True when a PNG's image data (its IDAT chunks, joined) unpacks, and — not interlaced — to exactly the
 * bytes its header promises; the unpacking is bounded by that size, so a zlib bomb stops early.
 */
function pngDataIntact(bytes: Uint8Array, image: LogoImage): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const depth = bytes[24] ?? 0;
  const channels = pngChannels[bytes[25] ?? -1];
  const interlaced = bytes[28] === 1;
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) return false;
  const rowBytes = Math.ceil((image.width * channels * depth) / 8) + 1;
  const expected = image.height * rowBytes;
  const data: Uint8Array[] = [];
  for (let offset = 8; offset + 12 <= bytes.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > bytes.length) return false;
    if (type === 'IDAT') data.push(bytes.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (data.length === 0) return false;
  try {
    // Adam7 adds a filter byte per row of each of the seven passes: at most 7 bytes more per row.
    const unpacked = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 7 * image.height + 64 });
    return interlaced ? unpacked.length > 0 : unpacked.length === expected;
  } catch {
    return false;
  }
}

/** Width and height from the first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array): LogoImage | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    if (marker === 0xd9 || marker === 0xda || length < 2) return null;
    offset += 2 + length;
  }
  return null;
}
