/**
 * A company's logo (issue 15), set through the handler table as the preferences window sets it: a PNG
 * is kept and drawn in the header of its documents' PDFs — `pdfimages` lists it at its own size — and a
 * company without one gets PDFs without any image. A file that is not a PNG or JPEG, whatever its name,
 * or one over 1 MiB, is refused with a translated reason and the stored logo stays.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../../electron/ipc/dispatch';
import { createHandlers, type ShellAdapter } from '../../../../electron/ipc/handlers';
import { checkLogo } from '../../../../electron/services/export/logo-image';
import type { Logger } from '../../../../electron/services/logging/logger';
import { maxLogoBytes } from '../../../../shared/company-profile';
import { createTranslator } from '../../../../shared/i18n';
import { uploadPartBytes } from '../../../../shared/uploads';
import { languages } from '../../../../shared/domain';
import { createAppFixture } from '../../../support/app-fixture';
import { PNG } from 'pngjs';
import { discPng, pngChunk, stripedPng } from '../../../support/png-image';

const run = promisify(execFile);

const webShell: ShellAdapter = {
  kind: 'web',
  version: 'test',
  systemLanguage: 'en',
  chooseFolder: () => Promise.resolve({ supported: false, path: null }),
  openWindow: () => Promise.resolve({ opened: false, url: '' }),
  openExternal: () => Promise.resolve(false),
  revealFile: () => Promise.resolve(false),
};

/** The images `pdfimages -list` finds in a PDF: type, width and height of each. */
async function imagesIn(file: string): Promise<{ type: string; width: number; height: number }[]> {
  const { stdout } = await run('/usr/bin/pdfimages', ['-list', file], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, , type, width, height] = line.trim().split(/\s+/);
      return { type: type ?? '', width: Number(width), height: Number(height) };
    });
}

/** Uploads `bytes` as the page does (`uploads:begin`, then parts in order) and gives the upload's id. */
async function upload(handlers: Handlers, logger: Logger, bytes: Buffer): Promise<string> {
  const begun = await dispatch(handlers, 'uploads:begin', { name: 'logo', size: bytes.length }, logger);
  if (!begun.ok) throw new Error(`upload refused: ${begun.error.code}`);
  const { uploadId } = begun.value as { uploadId: string };
  for (let index = 0; index * uploadPartBytes < bytes.length; index += 1) {
    const part = bytes.subarray(index * uploadPartBytes, (index + 1) * uploadPartBytes);
    const sent = await dispatch(handlers, 'uploads:part', { uploadId, index, base64: part.toString('base64') }, logger);
    if (!sent.ok) throw new Error(`part refused: ${sent.error.code}`);
  }
  return uploadId;
}

describe('a company logo', () => {
  it('is drawn in its documents’ PDF header; a company without one has no image', async () => {
    const app = await createAppFixture();
    const handlers = createHandlers(app.services, webShell);
    const { documents, exporter, logger } = app.services;
    const [withLogo, without] = documents.companies.list();
    if (!withLogo || !without) throw new Error('the demo has two companies');
    const invoiceOf = (companyId: number) => {
      const found = documents.listDocuments({ companyId }).find((doc) => doc.kind === 'invoice');
      if (!found) throw new Error(`company ${String(companyId)} has no invoice`);
      return found.id;
    };

    const logo = stripedPng(240, 80);
    const set = await dispatch(
      handlers,
      'companies:setLogo',
      { companyId: withLogo.id, uploadId: await upload(handlers, logger, logo) },
      logger,
    );
    expect(set).toMatchObject({ ok: true, value: { id: withLogo.id, hasLogo: true } });
    // Kept re-encoded, with the same pixels.
    expect(PNG.sync.read(Buffer.from(documents.companies.logo(withLogo.id) ?? [])).data).toEqual(PNG.sync.read(logo).data);

    const exported = await exporter.exportFile(invoiceOf(withLogo.id), app.exportDir);
    expect(await imagesIn(exported.filePath)).toEqual([{ type: 'image', width: 240, height: 80 }]);
    const plain = await exporter.exportFile(invoiceOf(without.id), app.exportDir);
    expect(await imagesIn(plain.filePath)).toEqual([]);

    // Removed: the next PDF has no image again.
    expect(await dispatch(handlers, 'companies:removeLogo', { companyId: withLogo.id }, logger)).toMatchObject({
      ok: true,
      value: { hasLogo: false },
    });
    const after = await exporter.exportFile(invoiceOf(withLogo.id), app.exportDir);
    expect(await imagesIn(after.filePath)).toEqual([]);
    expect(path.dirname(after.filePath)).toBe(app.exportDir);
  });

  it('refuses a file that is not a PNG or JPEG, or is over 1 MiB, with a translated reason', async () => {
    const app = await createAppFixture();
    const handlers = createHandlers(app.services, webShell);
    const { documents, logger } = app.services;
    const company = documents.companies.list()[0];
    if (!company) throw new Error('no company');
    const logo = stripedPng(120, 40);
    const uploadId = await upload(handlers, logger, logo);
    await dispatch(handlers, 'companies:setLogo', { companyId: company.id, uploadId }, logger);
    const stored = Buffer.from(documents.companies.logo(company.id) ?? []);
    expect(stored.length).toBeGreaterThan(0);

    const attempt = async (bytes: Buffer) =>
      dispatch(handlers, 'companies:setLogo', { companyId: company.id, uploadId: await upload(handlers, logger, bytes) }, logger);
    const notImages = [
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      logo.subarray(0, 20),
      Buffer.alloc(0),
      // A whole PNG header with damaged image data: pdfkit would have thrown while writing every PDF.
      Buffer.concat([logo.subarray(0, 33), pngChunk('IDAT', Buffer.from('not zlib data')), pngChunk('IEND', Buffer.alloc(0))]),
      // Cut off inside its image data.
      logo.subarray(0, logo.length - 40),
      // 20,000 pixels wide: its data would unpack to far more than a logo needs.
      stripedPng(20_000, 1),
    ];
    for (const bytes of notImages) {
      expect(await attempt(bytes)).toEqual({ ok: false, error: { code: 'company.logoNotImage', details: {} } });
    }
    // A PNG padded past the limit (the bytes after IEND are still the file's).
    const large = Buffer.concat([logo, Buffer.alloc(maxLogoBytes + 1 - logo.length)]);
    expect(await attempt(large)).toEqual({
      ok: false,
      error: { code: 'company.logoTooLarge', details: { size: maxLogoBytes + 1, limit: maxLogoBytes } },
    });
    // A file the page did not read, being far over the limit: only its size comes, the answer is the same.
    expect(await dispatch(handlers, 'companies:setLogo', { companyId: company.id, size: 8_000_000 }, logger)).toEqual({
      ok: false,
      error: { code: 'company.logoTooLarge', details: { size: 8_000_000, limit: maxLogoBytes } },
    });
    expect(Buffer.from(documents.companies.logo(company.id) ?? [])).toEqual(stored);

    for (const language of languages) {
      const t = createTranslator(language);
      expect(t('errors.company.logoNotImage.message')).not.toContain('errors.');
      expect(t('errors.company.logoTooLarge.message', { size: maxLogoBytes + 1, limit: maxLogoBytes })).toContain(
        String(maxLogoBytes),
      );
    }
  });

  it('decodes a PNG with transparency whole: bad row filters are refused, an interlaced one is kept plain and drawn', async () => {
    const app = await createAppFixture();
    const handlers = createHandlers(app.services, webShell);
    const { documents, exporter, logger } = app.services;
    const company = documents.companies.list()[0];
    if (!company) throw new Error('no company');
    const attempt = async (bytes: Buffer) =>
      dispatch(handlers, 'companies:setLogo', { companyId: company.id, uploadId: await upload(handlers, logger, bytes) }, logger);

    // Its data inflates to exactly the length the header promises, but no row filter 7 exists: pdfkit
    // would have thrown it inside a zlib callback while writing the PDF, killing the render worker.
    const badFilter = discPng(60, 30, { filter: 7 });
    expect(PNG.sync.read.bind(null, badFilter)).toThrow();
    expect(await attempt(badFilter)).toEqual({ ok: false, error: { code: 'company.logoNotImage', details: {} } });
    expect(documents.companies.logo(company.id)).toBeUndefined();

    const interlaced = discPng(120, 60, { interlaced: true });
    expect(interlaced[28]).toBe(1);
    expect(await attempt(interlaced)).toMatchObject({ ok: true, value: { hasLogo: true } });
    const stored = Buffer.from(documents.companies.logo(company.id) ?? []);
    // Stored not interlaced, with the same pixels (and their transparency).
    expect(stored[28]).toBe(0);
    expect(PNG.sync.read(stored).data).toEqual(PNG.sync.read(interlaced).data);

    const invoice = documents.listDocuments({ companyId: company.id }).find((doc) => doc.kind === 'invoice');
    if (!invoice) throw new Error('no invoice');
    const exported = await exporter.exportFile(invoice.id, app.exportDir);
    expect(await imagesIn(exported.filePath)).toEqual([
      { type: 'image', width: 120, height: 60 },
      { type: 'smask', width: 120, height: 60 },
    ]);
    // The export after it still works: nothing was left broken.
    const again = await exporter.exportFile(invoice.id, app.exportDir);
    expect(await imagesIn(again.filePath)).toHaveLength(2);
  });

  it('reads the size of a JPEG from its frame header', () => {
    // SOI, an APP0 segment, then SOF0 with height 50 and width 300.
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x32, 0x01, 0x2c, 0x03, 0x01, 0x22,
      0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
    ]);
    expect(checkLogo(jpeg)).toEqual({ format: 'jpeg', width: 300, height: 50, bytes: jpeg });
  });
});
