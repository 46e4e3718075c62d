/**
 * The render worker pool when a worker dies. A logo stored before Kurier decoded logos when they were
 * chosen (logo-image.ts) can hold image data pdfkit's PNG reader throws on inside a zlib callback —
 * an exception nobody can catch, so the worker thread dies. Only the document that was on that worker
 * fails, with a translated reason; the pool starts a new worker, and the next documents are rendered.
 * Workers that keep dying are replaced a bounded number of times a minute, then the pool says so.
 */
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { documentMarks } from '../../../../electron/services/einvoice/outgoing';
import type { RenderJob } from '../../../../electron/services/export/document-renderer';
import { RenderPool } from '../../../../electron/services/export/render-pool';
import { KurierError } from '../../../../shared/errors';
import { createTranslator } from '../../../../shared/i18n';
import { languages } from '../../../../shared/domain';
import { fontDir } from '../../../support/app-fixture';
import { discPng } from '../../../support/png-image';
import { pdfText } from '../../../support/qr-images';

const workerUrl = new URL('../../../support/render-worker-bootstrap.mjs', import.meta.url);

/** A demo invoice as the export service hands it to the renderer. */
function demoInvoice(): RenderJob {
  const db = new DatabaseSync(':memory:');
  applyMigrations(db, migrations);
  seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
  const documents = new DocumentRepository(db);
  const summary = documents.listDocuments({}).find((doc) => doc.kind === 'invoice');
  const document = summary && documents.getDocument(summary.id);
  const partner = document && documents.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('no demo invoice');
  const company = documents.getCompany(document.companyId);
  const marks = documentMarks({ document, partner, company, originalXml: undefined });
  db.close();
  return { document, partner, company, language: partner.language, marks };
}

/** The same invoice with a logo whose rows have filter 7 (no such filter): pdfkit dies on it. */
function withDeadlyLogo(job: RenderJob): RenderJob {
  return { ...job, logo: discPng(60, 30, { filter: 7 }) };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'rendered',
    (error: unknown) => error,
  );
}

const pools: RenderPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

describe('the render pool when a worker dies', () => {
  it('fails only the document on that worker and renders the next ones on a new worker', { timeout: 120_000 }, async () => {
    const job = demoInvoice();
    const pool = new RenderPool({ workerUrl, fontDir, size: 1 });
    pools.push(pool);
    expect(await pdfText(await pool.render(job))).toContain(job.document.number);

    const died = await failure(pool.render(withDeadlyLogo(job)));
    expect(died).toBeInstanceOf(KurierError);
    expect((died as KurierError).code).toBe('export.renderFailed');

    // The one worker died; the next exports (one of them sent while a worker was starting) succeed.
    const [first, second] = await Promise.all([pool.render(job), pool.render(job)]);
    expect(await pdfText(first)).toContain(job.document.number);
    expect(await pdfText(second)).toContain(job.document.number);
  });

  it(
    'replaces dying workers a bounded number of times a minute, then says so, and recovers later',
    { timeout: 120_000 },
    async () => {
      const job = demoInvoice();
      let now = 0;
      const pool = new RenderPool({ workerUrl, fontDir, size: 1, restartsPerMinute: 1, now: () => now });
      pools.push(pool);

      expect(((await failure(pool.render(withDeadlyLogo(job)))) as KurierError).code).toBe('export.renderFailed');
      // One replacement this minute: it renders, then dies too.
      expect(await pdfText(await pool.render(job))).toContain(job.document.number);
      expect(((await failure(pool.render(withDeadlyLogo(job)))) as KurierError).code).toBe('export.renderFailed');
      // No replacement left this minute: the pool says so instead of hanging or failing vaguely.
      expect(((await failure(pool.render(job))) as KurierError).code).toBe('export.rendererUnavailable');

      now += 61_000;
      expect(await pdfText(await pool.render(job))).toContain(job.document.number);

      for (const language of languages) {
        const t = createTranslator(language);
        for (const code of ['export.renderFailed', 'export.rendererUnavailable'] as const) {
          expect(t(`errors.${code}.message`)).not.toContain('errors.');
          expect(t(`errors.${code}.fix`)).not.toContain('errors.');
        }
      }
    },
  );
});
