/**
 * How an imported document is paid, as the exported PDF shows it (issue 16): the payment method the file
 * names, printed in the partner's language; QR Platba only for a transfer with something still due, and
 * then for that amount — decoded from the rendered page with zbarimg, the text read with pdftotext.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppFixture } from '../../../support/app-fixture';
import { decodeQrCodes, pdfText } from '../../../support/qr-images';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');

/** Imports one fixture and exports its PDF as the export dialog does; the PDF's bytes. */
async function importAndExport(file: string): Promise<Buffer> {
  const app = await createAppFixture();
  const plan = await app.services.imports.planPaths([path.join(fixtures, file)]);
  const [item] = app.services.imports.commit(plan.planId, true).items;
  const exported = await app.services.exporter.exportFile(item!.documentId!, app.exportDir);
  return readFile(exported.filePath);
}

/** The SPAYD fields by key (the first two `*`-separated parts are the header `SPD*1.0`). */
const spaydFields = (spayd: string) =>
  new Map(
    spayd
      .split('*')
      .slice(2)
      .map((field) => [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1)]),
  );

describe('the payment state on an exported PDF', () => {
  it('asks for the amount still due of a partly paid transfer invoice, and says so', async () => {
    const pdf = await importAndExport('isdoc-partly-paid-FV-2026-0912.isdoc');
    const [spayd, ...others] = await decodeQrCodes(pdf);
    expect(others).toEqual([]);
    expect(spayd?.startsWith('SPD*1.0*')).toBe(true);
    const fields = spaydFields(spayd ?? '');
    // 14 475.94 less the paid deposit of 4 475.94 (PaidDepositsAmount) is what the file says is payable.
    expect(fields.get('AM')).toBe('10000.00');
    expect(fields.get('ACC')).toBe('CZ0520100000002801234578+FIOBCZPPXXX');
    expect(fields.get('CC')).toBe('CZK');
    expect(fields.get('X-VS')).toBe('20260912');
    expect(fields.get('DT')).toBe('20260929');
    const text = await pdfText(pdf);
    expect(text).toMatch(/Způsob úhrady:\s+Převodním příkazem/u);
    expect(text).toMatch(/Zbývá uhradit:\s+10\s000,00\sKč/u);
    expect(text).toContain('QR Platba');
  });

  it('prints cash as the payment method of a cash invoice, with no QR Platba', async () => {
    const pdf = await importAndExport('isdoc-cash-FV-2026-0911.isdoc');
    expect(await decodeQrCodes(pdf)).toEqual([]);
    const text = await pdfText(pdf);
    expect(text).toMatch(/Způsob úhrady:\s+Hotově/u);
    expect(text).not.toContain('QR Platba');
  });

  it('gives a paid invoice no QR Platba', async () => {
    const pdf = await importAndExport('isdoc-paid-FV-2026-0913.isdoc');
    expect(await decodeQrCodes(pdf)).toEqual([]);
    expect(await pdfText(pdf)).toMatch(/Zbývá uhradit:\s+0,00\sKč/u);
  });
});
