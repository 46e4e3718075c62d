/**
 * Fonts parsed once and shared by every document a thread renders (the month-end speed-up) must not
 * change a byte of any document: each PDF equals the one rendered from the font files alone, whatever
 * was rendered before it, and its text still extracts whole (a shared glyph cache once turned
 * "Supplier" into "upplier" after a Czech document). Word layouts kept across documents (the thread's
 * LRU) must not either: a document rendered again after others equals the same document rendered fresh.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { keptWordLayouts, loadPdfFonts, wordLayoutHits } from '../../../../electron/services/export/pdf-fonts';
import { renderDocumentPdf, type RenderDocumentInput } from '../../../../electron/services/export/pdf-renderer';
import { QrMatrices } from '../../../../electron/services/export/qr-drawing';
import { documentLabels } from '../../../../shared/i18n/document-labels';
import { fontDir } from '../../../support/app-fixture';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kurier-fonts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function inputs(): RenderDocumentInput[] {
  const db = new DatabaseSync(':memory:');
  applyMigrations(db, migrations);
  seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
  const documents = new DocumentRepository(db);
  return documents.listDocuments().map((summary) => {
    const document = documents.getDocument(summary.id);
    const partner = document && documents.getPartner(document.partnerId);
    if (!document || !partner) throw new Error('demo document missing');
    const marks = { payment: { spayd: `SPD*1.0*ACC:CZ0520100000002801234578*AM:${summary.id}.00*CC:CZK` } };
    return { document, partner, company: documents.getCompany(document.companyId), language: partner.language, fontDir, marks };
  });
}

describe('fonts shared between documents', () => {
  it('renders every demo document byte for byte as from the font files, in any order', async () => {
    const all = inputs();
    const english = all.map((input) => ({ ...input, language: 'en' as const }));
    const fonts = await loadPdfFonts(fontDir);
    const qrMatrices = new QrMatrices();
    // Czech and Polish first, so glyphs met inside composites (S in Š) are cached before English uses them.
    for (const input of [...all, ...english]) {
      const fresh = await renderDocumentPdf(input);
      const shared = await renderDocumentPdf({ ...input, fonts, qrMatrices });
      expect(shared.equals(fresh), `${input.document.number} (${input.language})`).toBe(true);
    }
    const last = english.at(-1);
    if (!last) throw new Error('no demo documents');
    const file = join(dir, 'last.pdf');
    await writeFile(file, await renderDocumentPdf({ ...last, fonts, qrMatrices }));
    const { stdout } = await run('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(stdout).toContain('Supplier');
  }, 120_000);

  it('lays words out once per thread: A, B, then A again equal A and B fresh, Czech and Polish text whole', async () => {
    const all = inputs();
    const czech = all.find((input) => input.language === 'cs' && input.document.kind === 'invoice');
    const polish = all.find((input) => input.language === 'pl' && input.document.kind === 'invoice');
    if (!czech || !polish) throw new Error('demo has no Czech or Polish invoice');
    const fonts = await loadPdfFonts(fontDir);
    const qrMatrices = new QrMatrices();
    await renderDocumentPdf({ ...czech, fonts, qrMatrices });
    await renderDocumentPdf({ ...polish, fonts, qrMatrices });
    const hitsBefore = wordLayoutHits(fonts);
    const czechAgain = await renderDocumentPdf({ ...czech, fonts, qrMatrices });
    // The second rendering took its words from the cache: the comparison below is with a warm cache.
    expect(wordLayoutHits(fonts)).toBeGreaterThan(hitsBefore);
    const polishAgain = await renderDocumentPdf({ ...polish, fonts, qrMatrices });
    expect(czechAgain.equals(await renderDocumentPdf(czech)), 'Czech invoice after others').toBe(true);
    expect(polishAgain.equals(await renderDocumentPdf(polish)), 'Polish invoice after others').toBe(true);

    for (const [input, pdf] of [
      [czech, czechAgain],
      [polish, polishAgain],
    ] as const) {
      const file = join(dir, `${input.language}-again.pdf`);
      await writeFile(file, pdf);
      const { stdout } = await run('pdftotext', [file, '-'], { encoding: 'utf8' });
      // A long name wraps in its column: compare with the lines joined.
      const text = stdout.replace(/\s+/gu, ' ');
      const labels = documentLabels[input.language];
      for (const expected of [labels.supplier, labels.customer, labels.dueDate, input.partner.name, input.company.name]) {
        expect(text, input.language).toContain(expected);
      }
    }
  }, 120_000);

  it('does not keep the layout of a very long word (a URL, an encoded signature in a note), and renders it the same', async () => {
    const invoice = inputs().find((input) => input.document.kind === 'invoice');
    if (!invoice) throw new Error('no demo invoice');
    // 10,000 characters without a break opportunity, as a hex-encoded signature pasted into an
    // imported document's note (Base64's '/' and '+' would let pdfkit break it into shorter words).
    const token = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString('hex');
    expect(token).toHaveLength(10_000);
    const input = { ...invoice, document: { ...invoice.document, note: `Signature: ${token}` } };

    const fonts = await loadPdfFonts(fontDir);
    const uncached = await loadPdfFonts(fontDir, { wordLayouts: 0 });
    const withCache = await renderDocumentPdf({ ...input, fonts });
    const withoutCache = await renderDocumentPdf({ ...input, fonts: uncached });
    expect(withCache.equals(withoutCache)).toBe(true);
    expect(withCache.equals(await renderDocumentPdf(input))).toBe(true);
    // Rendered again from the warm cache: still the same bytes.
    expect((await renderDocumentPdf({ ...input, fonts })).equals(withoutCache)).toBe(true);

    const kept = keptWordLayouts(fonts);
    // The document's ordinary words are kept; the long one, and the pieces pdfkit measures to wrap it, are not.
    expect(kept.words).toBeGreaterThan(0);
    expect(kept.longest).toBeLessThanOrEqual(64);
    expect(keptWordLayouts(uncached)).toEqual({ words: 0, longest: 0 });

    const file = join(dir, 'long-word.pdf');
    await writeFile(file, withCache);
    const { stdout } = await run('pdftotext', [file, '-'], { encoding: 'utf8' });
    // Wrapped over pages, between their footers: its lines joined hold it whole.
    const lines = stdout.split(/[\n\f]/u).map((line) => line.replace(/^Signature:\s*/u, '').trim());
    expect(lines.filter((line) => /^[0-9a-f]+$/u.test(line)).join('')).toContain(token);
  }, 120_000);
});
