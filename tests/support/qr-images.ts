/**
 * Reading what a person (or a phone) sees on a rendered PDF: pages rasterised by poppler's `pdftoppm`
 * and QR codes decoded by ZBar's `zbarimg` — real tools, argv arrays, a temp folder per call.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Resolution the pages are rendered at. */
export const renderDpi = 150;

async function withTemp<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kurier-qr-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every QR code ZBar finds on the PDF's first page, as text. */
export async function decodeQrCodes(pdf: Uint8Array): Promise<string[]> {
  return withTemp(async (dir) => {
    const file = path.join(dir, 'page.pdf');
    await writeFile(file, pdf);
    await run('/usr/bin/pdftoppm', ['-r', String(renderDpi), '-png', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const image = (await readdir(dir)).find((name) => name.endsWith('.png'));
    if (!image) throw new Error('pdftoppm wrote no image');
    try {
      // --raw: the data only; one symbol per line (our payloads have no line breaks).
      const { stdout } = await run('/usr/bin/zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', path.join(dir, image)], {
        encoding: 'utf8',
      });
      return stdout.split('\n').filter((line) => line !== '');
    } catch (error) {
      // zbarimg exits 4 when it finds no symbol.
      if ((error as { code?: number }).code === 4) return [];
      throw error;
    }
  });
}

/** The text of the PDF as poppler's `pdftotext` extracts it. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return withTemp(async (dir) => {
    const file = path.join(dir, 'page.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return stdout;
  });
}

/** A greyscale page: width, height and one byte per pixel (0 black … 255 white). */
interface GreyPage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

async function greyPage(pdf: Uint8Array): Promise<GreyPage> {
  return withTemp(async (dir) => {
    const file = path.join(dir, 'page.pdf');
    await writeFile(file, pdf);
    await run('/usr/bin/pdftoppm', ['-r', String(renderDpi), '-gray', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const image = (await readdir(dir)).find((name) => name.endsWith('.pgm'));
    if (!image) throw new Error('pdftoppm wrote no image');
    const data = await readFile(path.join(dir, image));
    // Binary PGM: "P5" width height maxval, each followed by one whitespace byte, then the pixels.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/u.exec(data.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('not a binary PGM');
    const width = Number(header[1]);
    const height = Number(header[2]);
    return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
  });
}

/**
 * The printed sizes, in centimetres, of the QR symbols a PDF gained compared with the same document
 * without them: the pixels that differ are grouped into bands of consecutive rows, and each band at
 * least 1 cm tall (a QR symbol, not a caption) is measured left to right, per column half of the page.
 */
export async function addedSymbolWidthsCm(withCodes: Uint8Array, without: Uint8Array): Promise<number[]> {
  const [a, b] = await Promise.all([greyPage(withCodes), greyPage(without)]);
  if (a.width !== b.width || a.height !== b.height) throw new Error('pages differ in size');
  const cm = (px: number): number => (px / renderDpi) * 2.54;
  const widths: number[] = [];
  for (const [from, to] of [
    [0, Math.floor(a.width / 2)],
    [Math.floor(a.width / 2), a.width],
  ] as const) {
    let bandStart = -1;
    let left = Number.POSITIVE_INFINITY;
    let right = -1;
    for (let y = 0; y <= a.height; y += 1) {
      let rowLeft = -1;
      let rowRight = -1;
      for (let x = from; y < a.height && x < to; x += 1) {
        const index = y * a.width + x;
        const dark = (a.pixels[index] ?? 255) < 128;
        if (dark && (b.pixels[index] ?? 255) >= 128) {
          if (rowLeft < 0) rowLeft = x;
          rowRight = x;
        }
      }
      if (rowLeft >= 0) {
        if (bandStart < 0) bandStart = y;
        left = Math.min(left, rowLeft);
        right = Math.max(right, rowRight);
      } else if (bandStart >= 0) {
        if (cm(y - bandStart) >= 1) widths.push(cm(right - left + 1));
        bandStart = -1;
        left = Number.POSITIVE_INFINITY;
        right = -1;
      }
    }
  }
  return widths;
}
