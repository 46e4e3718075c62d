/**
 * `.isdocx`: a ZIP with the ISDOC, a `manifest.xml` naming it (namespace
 * `http://isdoc.cz/namespace/2013/manifest`) and attachments such as the PDF. Read with yauzl from memory
 * with limits checked from the central directory before anything is inflated — entry count, total size
 * and compression ratio — and yauzl's own check that each entry inflates to no more than it declared, so
 * a ZIP bomb is refused instead of filling memory.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ImportRejection } from './import-error';
import { at, attribute, child, decodeXml, parseXml } from './xml-input';

/** Limits for one .isdocx. */
export const isdocxLimits = {
  maxEntries: 64,
  maxTotalBytes: 64 * 1024 * 1024,
  /** Deflate rarely gets past 1:20 on invoices; a bomb is 1:1000 and more. */
  maxRatio: 100,
} as const;

/** The main ISDOC and the first PDF of an .isdocx. */
export interface IsdocxContent {
  readonly isdoc: Uint8Array;
  readonly pdf: Uint8Array | null;
}

/** Reads an .isdocx; @throws ImportRejection `zipBomb`, `zipDamaged` or `zipNoIsdoc`. */
export async function readIsdocx(bytes: Uint8Array): Promise<IsdocxContent> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw new ImportRejection('zipDamaged', {}, { cause: error });
  }
  try {
    if (zip.entryCount > isdocxLimits.maxEntries) throw new ImportRejection('zipBomb', { entries: zip.entryCount });
    const entries = await listEntries(zip);
    let total = 0;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (total > isdocxLimits.maxTotalBytes || ratio > isdocxLimits.maxRatio) {
        throw new ImportRejection('zipBomb', { entry: entry.fileName.slice(0, 80) });
      }
    }
    const byName = new Map(entries.map((entry) => [entry.fileName, entry]));
    const manifest = byName.get('manifest.xml');
    const mainName = manifest ? mainDocumentOf(await readEntry(zip, manifest)) : undefined;
    const main = mainName !== undefined ? byName.get(mainName) : entries.find((e) => /\.isdoc$/i.test(e.fileName));
    if (main === undefined) throw new ImportRejection('zipNoIsdoc');
    const pdfEntry = entries.find((e) => /\.pdf$/i.test(e.fileName));
    return { isdoc: await readEntry(zip, main), pdf: pdfEntry ? await readEntry(zip, pdfEntry) : null };
  } catch (error) {
    if (error instanceof ImportRejection) throw error;
    throw new ImportRejection('zipDamaged', {}, { cause: error });
  } finally {
    zip.close();
  }
}

function mainDocumentOf(manifest: Uint8Array): string | undefined {
  const root = parseXml(decodeXml(manifest));
  const name = attribute(child(child(root, 'manifest'), 'maindocument'), 'filename') || at(root, 'manifest', 'maindocument');
  return name === '' ? undefined : name;
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => {
      resolve(entries);
    });
    zip.once('error', reject);
    zip.readEntry();
  });
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Uint8Array> {
  if (entry.isEncrypted()) throw new ImportRejection('zipDamaged', { entry: entry.fileName.slice(0, 80) });
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // yauzl stops at the declared size too; this guards a declared size that lies low on purpose.
    if (size > entry.uncompressedSize) throw new ImportRejection('zipBomb', { entry: entry.fileName.slice(0, 80) });
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
