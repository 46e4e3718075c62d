/**
 * The render worker as the packaged app runs it. electron-builder puts the app into resources/app.asar
 * and copies what `asarUnpack` names into resources/app.asar.unpacked; a worker thread's script and its
 * imports are loaded by Node, which cannot read the archive. This test lays out that folder from the
 * real build (out/) and node_modules by electron-builder.yml's own patterns — with no app.asar beside
 * it, so anything not unpacked is simply missing — and renders a demo invoice through the worker main
 * starts (outsideAsar). A package the worker needs but the list forgets fails here.
 */
import { cp, glob, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { outsideAsar } from '../../electron/platform/asar-unpacked';
import { applyMigrations, migrations } from '../../electron/services/data/database';
import { seedDemoCompany } from '../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../electron/services/documents/document-repository';
import { documentMarks } from '../../electron/services/einvoice/outgoing';
import { RenderPool } from '../../electron/services/export/render-pool';
import { fontDir } from '../support/app-fixture';
import { decodeQrCodes, pdfText } from '../support/qr-images';
import { tempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The files electron-builder.yml's asarUnpack patterns select, copied to `resources/app.asar.unpacked`. */
async function unpackedApp(): Promise<string> {
  const config = load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8')) as { asarUnpack: string[] };
  const resources = path.join(await tempDir('kurier-packaged-'), 'resources');
  const unpacked = path.join(resources, 'app.asar.unpacked');
  for (const pattern of config.asarUnpack) {
    for await (const file of glob(pattern, { cwd: root })) {
      const target = path.join(unpacked, file);
      await mkdir(path.dirname(target), { recursive: true });
      await cp(path.join(root, file), target, { recursive: true, dereference: true });
    }
  }
  return resources;
}

describe('the render worker in the packaged app', () => {
  it(
    'starts from app.asar.unpacked and renders an invoice with its QR Platba from the unpacked files alone',
    { timeout: 240_000 },
    async () => {
      const resources = await unpackedApp();
      // What main.ts computes from its own URL inside the archive.
      const inArchive = pathToFileURL(path.join(resources, 'app.asar', 'out', 'main', 'render-worker.js'));
      const workerUrl = outsideAsar(inArchive);
      expect(workerUrl.pathname).toBe(
        pathToFileURL(path.join(resources, 'app.asar.unpacked', 'out', 'main', 'render-worker.js')).pathname,
      );

      const db = new DatabaseSync(':memory:');
      applyMigrations(db, migrations);
      seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
      const documents = new DocumentRepository(db);
      const czech = documents.companies.list().find((company) => company.country === 'CZ');
      const summary = documents.listDocuments({ companyId: czech?.id ?? 0 }).find((doc) => doc.kind === 'invoice');
      const document = summary && documents.getDocument(summary.id);
      const partner = document && documents.getPartner(document.partnerId);
      if (!document || !partner) throw new Error('no Czech demo invoice');
      const company = documents.getCompany(document.companyId);
      const marks = documentMarks({ document, partner, company, originalXml: undefined });

      const pool = new RenderPool({ workerUrl, fontDir, size: 1 });
      try {
        const pdf = await pool.render({ document, partner, company, language: partner.language, marks });
        expect(await pdfText(pdf)).toContain(document.number);
        expect(await decodeQrCodes(pdf)).toEqual([marks.payment?.spayd]);
      } finally {
        await pool.close();
        db.close();
      }
    },
  );

  it('keeps a URL outside an archive as it is (development build, web shell)', () => {
    const url = pathToFileURL(path.join(root, 'out', 'main', 'render-worker.js'));
    expect(outsideAsar(url)).toBe(url);
  });
});
