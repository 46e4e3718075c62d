/**
 * The two invoices the README shows, rendered by Kurier's own renderer: a Polish invoice issued in KSeF
 * with KOD I and its KSeF number printed under it, and a Czech invoice with QR Platba. The codes are
 * decoded from the rendered page and compared with what is computed here from the XML file and the
 * document. With KURIER_SCREENSHOTS=1 the top of each page is also written to docs/screenshots
 * (`pdftoppm -png -r 80`, cropped), as the e2e screenshots are.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { documentMarks } from '../../../../electron/services/einvoice/outgoing';
import { InThreadRenderer } from '../../../../electron/services/export/document-renderer';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { fontDir } from '../../../support/app-fixture';
import { importDatabase } from '../../../support/import-db';
import { decodeQrCodes, pdfText } from '../../../support/qr-images';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
const ksefFile = path.resolve(import.meta.dirname, '../../../fixtures/documents/6772244113-20260915-0A1B2C3D4E5F-7C.xml');
const screenshotDir = path.resolve(import.meta.dirname, '../../../../docs/screenshots');
const renderer = new InThreadRenderer(fontDir);

/** Writes the page's top `heightPx` (at 80 dpi) as a README screenshot, when asked to. */
async function screenshot(pdf: Uint8Array, name: string, heightPx: number): Promise<void> {
  if (process.env.KURIER_SCREENSHOTS !== '1') return;
  const dir = await tempDir('kurier-readme-');
  const file = path.join(dir, 'page.pdf');
  await writeFile(file, pdf);
  const stem = path.join(dir, 'crop');
  // A4 at 80 dpi is 661 × 935 pixels: the full width, the top of the page.
  await run('/usr/bin/pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    '-x',
    '0',
    '-y',
    '0',
    '-W',
    '661',
    '-H',
    String(heightPx),
    file,
    stem,
  ]);
  await mkdir(screenshotDir, { recursive: true });
  await rename(`${stem}.png`, path.join(screenshotDir, name));
}

async function database() {
  const { db } = await importDatabase();
  seedDemoCompany(db, () => new Date('2026-12-01T10:00:00Z'));
  const documents = new DocumentRepository(db);
  return { documents, imports: new ImportService({ db, documents, clock: () => new Date('2026-12-01T10:00:00Z') }) };
}

describe('the README invoices', () => {
  it('a Polish invoice from KSeF carries KOD I for its XML, with the KSeF number under it', async () => {
    const { documents, imports } = await database();
    const plan = await imports.planPaths([ksefFile]);
    expect(imports.commit(plan.planId, true).imported).toBe(1);
    const summary = documents.listDocuments().find((doc) => doc.number === 'FV/2026/09/001');
    const document = summary && documents.getDocument(summary.id);
    const partner = document && documents.getPartner(document.partnerId);
    if (!document || !partner) throw new Error('the FA(3) invoice was not imported');
    const company = documents.getCompany(document.companyId);
    const originalXml = documents.getOriginal(document.id, 'xml')?.bytes;
    const pdf = await renderer.render({
      document,
      partner,
      company,
      language: 'pl',
      marks: documentMarks({ document, partner, company, originalXml }),
    });

    // Computed here from the file itself: seller NIP, P_1 as DD-MM-YYYY, Base64URL SHA-256 of its bytes.
    const hash = createHash('sha256')
      .update(await readFile(ksefFile))
      .digest('base64url');
    expect(await decodeQrCodes(pdf)).toContain(`https://qr.ksef.mf.gov.pl/invoice/6772244113/15-09-2026/${hash}`);
    expect(await pdfText(pdf)).toContain('6772244113-20260915-0A1B2C3D4E5F-7C');
    await screenshot(pdf, 'invoice-pl-kod-i.png', 700);
  });

  it('a Czech invoice carries QR Platba for the amount due, its variable symbol and due date', async () => {
    const db = new DatabaseSync(':memory:');
    applyMigrations(db, migrations);
    seedDemoCompany(db, () => new Date('2026-12-01T10:00:00Z'));
    const documents = new DocumentRepository(db);
    const czech = documents.companies.list().find((company) => company.country === 'CZ');
    const summary = documents.listDocuments({ companyId: czech?.id ?? 0 }).find((doc) => doc.kind === 'invoice');
    const document = summary && documents.getDocument(summary.id);
    const partner = document && documents.getPartner(document.partnerId);
    if (!document || !partner) throw new Error('no Czech demo invoice');
    const company = documents.getCompany(document.companyId);
    const pdf = await renderer.render({
      document,
      partner,
      company,
      language: 'cs',
      marks: documentMarks({ document, partner, company, originalXml: undefined }),
    });

    const [spayd] = await decodeQrCodes(pdf);
    expect(spayd).toMatch(/^SPD\*1\.0\*/u);
    expect(spayd).toContain(`*ACC:${company.iban.replace(/\s/gu, '')}`);
    expect(spayd).toContain(`*X-VS:${document.variableSymbol}`);
    expect(spayd).toContain(`*DT:${document.dueDate.replaceAll('-', '')}`);
    expect(await pdfText(pdf)).toContain('QR Platba');
    await screenshot(pdf, 'invoice-cz-qr-platba.png', 640);
  });
});
