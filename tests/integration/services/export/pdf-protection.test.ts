/**
 * The PDF protection on its own: a pdfkit file encrypted with revision 6 opens in poppler and qpdf with
 * the password as typed — also one with Czech and Polish letters, which revision 6 encodes as UTF-8 —
 * and keeps its text.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { protectPdf } from '../../../../electron/services/export/pdf-protection';
import { fontDir } from '../../../support/app-fixture';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
const text = 'Výplatní páska – Małgorzata Wójcik-Zięba, čistá mzda 41 250 Kč';

function plainPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ font: path.join(fontDir, 'DejaVuSans.ttf') });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    }),
  );
  doc.text(text);
  doc.end();
  return done;
}

describe('protectPdf', () => {
  for (const password of ['k7mq-4x9c-tr2h-8wpe', 'Žluťoučký kůň 2026', 'Zażółć-gęślą-jaźń']) {
    it(`locks with revision 6 and opens with ${password}`, async () => {
      const file = path.join(await tempDir('kurier-protect-'), 'locked.pdf');
      await writeFile(file, await protectPdf(await plainPdf(), password));
      const shown = (await run('qpdf', [`--password=${password}`, '--show-encryption', file], { encoding: 'utf8' })).stdout;
      expect(shown).toMatch(/^R = 6$/m);
      expect(shown).toContain('Supplied password is user password');
      const { stdout } = await run('pdftotext', ['-upw', password, file, '-'], { encoding: 'utf8' });
      expect(stdout.replace(/\s+/g, ' ')).toContain(text);
      await expect(run('pdftotext', [file, '-'])).rejects.toBeDefined();
    });
  }
});
