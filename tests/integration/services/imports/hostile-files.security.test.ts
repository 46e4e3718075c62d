/**
 * Files that must not get in, or must get in flagged: each refused with its own reason (translated in the
 * UI), nothing written for it, the original file untouched — and the good files of the same import
 * still imported.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ImportService } from '../../../../electron/services/imports/import-service';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');
const hostile = (name: string) => path.join(fixtures, 'hostile', name);
const clock = () => new Date('2026-12-01T10:00:00Z');

let dir: string;
let db: DatabaseSync;
let documents: DocumentRepository;
let imports: ImportService;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kurier-hostile-'));
  db = openDatabase(path.join(dir, 'kurier.sqlite'));
  seedDemoCompany(db, clock);
  documents = new DocumentRepository(db);
  imports = new ImportService({ db, documents, clock });
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('hostile and broken files', () => {
  it('are refused one by one with their reason; the good file among them is imported; nothing is modified', async () => {
    const files = [
      ['isdoc-xxe.isdoc', 'doctypeRefused'],
      ['isdoc-billion-laughs.isdoc', 'doctypeRefused'],
      ['isdoc-5.2-old-namespace.isdoc', 'wrongSchema'],
      ['isdoc-malformed.isdoc', 'malformedXml'],
      ['not-a-document.xml', 'wrongSchema'],
      ['isdocx-zip-bomb.isdocx', 'zipBomb'],
      ['isdocx-damaged.isdocx', 'zipDamaged'],
      ['pdf-encrypted.pdf', 'pdfEncrypted'],
      ['pdf-damaged.pdf', 'pdfDamaged'],
      ['pdf-without-isdoc.pdf', 'pdfNoIsdoc'],
      ['isdoc-unknown-currency.isdoc', 'unknownCurrency'],
    ] as const;
    const paths = [...files.map(([name]) => hostile(name)), path.join(fixtures, 'isdoc-1-invoice.isdoc')];
    const before = await Promise.all(paths.map(sha));
    const countBefore = documents.listDocuments().length;

    const plan = await imports.planPaths(paths);
    expect(plan.items.map((item) => [item.fileName, item.reason?.code ?? item.status])).toEqual([
      ...files.map(([name, code]) => [name, code]),
      ['isdoc-1-invoice.isdoc', 'ready'],
    ]);
    expect(plan.items.find((i) => i.fileName === 'isdoc-5.2-old-namespace.isdoc')?.reason?.details).toEqual({
      found: 'ISDOC 5.2 (http://isdoc.cz/namespace/invoice)',
    });
    expect(plan.items.find((i) => i.fileName === 'isdoc-unknown-currency.isdoc')?.reason?.details).toEqual({ currency: 'XYZ' });

    const result = imports.commit(plan.planId, true);
    expect([result.imported, result.rejected]).toEqual([1, files.length]);
    expect(documents.listDocuments().length).toBe(countBefore + 1);
    expect(await Promise.all(paths.map(sha))).toEqual(before);
    // The external entity was never resolved: no document carries /etc/passwd's text.
    expect(JSON.stringify(documents.listDocuments())).not.toContain('root:');
  });

  it('imports a file whose totals do not add up, flagged with the declared and the computed amount', async () => {
    const plan = await imports.planPaths([hostile('isdoc-totals-do-not-add-up.isdoc')]);
    expect(plan.items[0]?.warnings).toEqual([
      { code: 'totalsMismatch', details: { declaredMinor: 660_000, linesMinor: 650_000, currency: 'CZK' } },
    ]);
    const [item] = imports.commit(plan.planId, true).items;
    const document = documents.getDocument(item!.documentId!)!;
    expect(document.origin.totalsMismatch).toEqual({ declaredMinor: 660_000, linesMinor: 650_000 });
    expect(documents.listDocuments().find((d) => d.id === document.id)?.totalsFlagged).toBe(true);
  });

  it('flags an FA(3) whose net and VAT do not add up to its gross (P_13 + P_14 ≠ P_15), and imports it', async () => {
    const plan = await imports.planPaths([hostile('fa3-totals-do-not-add-up.xml')]);
    // 1 800.00 + 414.00 = 2 214.00, the file says 2 241.00: the lines agree with the net, the gross does not.
    expect(plan.items[0]?.warnings).toEqual([
      { code: 'totalsMismatch', details: { declaredMinor: 224_100, linesMinor: 221_400, currency: 'PLN' } },
    ]);
    const [item] = imports.commit(plan.planId, true).items;
    const document = documents.getDocument(item!.documentId!)!;
    expect(document.origin.totalsMismatch).toEqual({ declaredMinor: 224_100, linesMinor: 221_400 });
    expect(documents.listDocuments().find((d) => d.id === document.id)?.totalsFlagged).toBe(true);
  });

  it('flags an ISDOC whose net and VAT do not add up to its gross, though its lines match its net', async () => {
    const text = (await readFile(path.join(fixtures, 'isdoc-1-invoice.isdoc'), 'utf8')).replace(
      '<TaxInclusiveAmount>14475.94</TaxInclusiveAmount>',
      '<TaxInclusiveAmount>14575.94</TaxInclusiveAmount>',
    );
    const plan = await imports.planBytes([{ name: 'gross-off-by-100.isdoc', bytes: Buffer.from(text) }]);
    expect(plan.items[0]?.warnings).toEqual([
      { code: 'totalsMismatch', details: { declaredMinor: 1_457_594, linesMinor: 1_447_594, currency: 'CZK' } },
    ]);
    const [item] = imports.commit(plan.planId, true).items;
    expect(documents.getDocument(item!.documentId!)?.origin.totalsMismatch).toEqual({
      declaredMinor: 1_457_594,
      linesMinor: 1_447_594,
    });
  });

  it('refuses a 50 MB file by its size, before reading it', async () => {
    const big = path.join(dir, 'faktura-50MB.isdoc');
    const handle = await open(big, 'w');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const plan = await imports.planPaths([big]);
    expect(plan.items[0]?.reason).toEqual({ code: 'tooLarge', details: { sizeMb: 50, limitMb: 20 } });
    expect((await stat(big)).size).toBe(50 * 1024 * 1024);
  });

  it('refuses bytes over the limit and an empty file given by the page', async () => {
    const plan = await imports.planBytes([
      { name: 'big.isdoc', bytes: new Uint8Array(21 * 1024 * 1024) },
      { name: 'empty.isdoc', bytes: new Uint8Array(0) },
    ]);
    expect(plan.items.map((i) => i.reason?.code)).toEqual(['tooLarge', 'emptyFile']);
  });
});
