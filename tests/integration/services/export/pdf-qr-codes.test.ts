import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { ksefVerificationUrl } from '../../../../electron/services/einvoice/ksef-verification';
import { buildSpayd } from '../../../../electron/services/einvoice/spayd';
import { renderDocumentPdf } from '../../../../electron/services/export/pdf-renderer';
import type { RenderDocumentInput } from '../../../../electron/services/export/pdf-renderer';
import { computeTotals } from '../../../../shared/domain';
import { fontDir } from '../../../support/app-fixture';
import { addedSymbolWidthsCm, decodeQrCodes, pdfText } from '../../../support/qr-images';

const fixture = path.resolve(import.meta.dirname, '../../../fixtures/ksef/fa3-kod-i.xml');
const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const repository = new DocumentRepository(db);

function demoInvoice(): RenderDocumentInput {
  const summary = repository.listDocuments().find((doc) => doc.kind === 'invoice');
  const document = summary && repository.getDocument(summary.id);
  const partner = document && repository.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('demo invoice missing');
  return { document, partner, company: repository.getCompany(), language: partner.language, fontDir };
}

/** KOD I computed here from the file's bytes with node:crypto, independently of Kurier's function. */
function expectedKodI(xml: Buffer, host: string): string {
  const text = xml.toString('utf8');
  const nip = /<NIP>(\d{10})<\/NIP>/u.exec(text)?.[1] ?? '';
  const [year, month, day] = (/<P_1>([\d-]+)<\/P_1>/u.exec(text)?.[1] ?? '').split('-');
  const hash = createHash('sha256').update(xml).digest('base64').replace(/\+/gu, '-').replace(/\//gu, '_').replace(/=+$/u, '');
  return `https://${host}/invoice/${nip}/${day ?? ''}-${month ?? ''}-${year ?? ''}/${hash}`;
}

describe('QR codes on the rendered PDF', () => {
  it('KOD I decodes to the address computed from the XML file, with the KSeF number printed under it', async () => {
    const xml = await readFile(fixture);
    const url = ksefVerificationUrl({ environment: 'production', sellerNip: '5265877635', issueDate: '2026-11-20', xml });
    const input = { ...demoInvoice(), language: 'pl' as const };
    const pdf = await renderDocumentPdf({
      ...input,
      marks: { ksef: { url, ksefNumber: '5265877635-20261120-0100001AF629-AF' } },
    });
    expect(await decodeQrCodes(pdf)).toEqual([expectedKodI(xml, 'qr.ksef.mf.gov.pl')]);
    // The caption above, then directly the number: nothing is printed between the code and the number.
    expect(await pdfText(pdf)).toMatch(/Weryfikacja w KSeF\s+5265877635-20261120-0100001AF629-AF/u);
    const widths = await addedSymbolWidthsCm(pdf, await renderDocumentPdf(input));
    expect(widths).toHaveLength(1);
    expect(widths[0]).toBeGreaterThanOrEqual(2);
  });

  it('uses the demo host and prints OFFLINE while the invoice has no KSeF number', async () => {
    const xml = await readFile(fixture);
    const url = ksefVerificationUrl({ environment: 'demo', sellerNip: '5265877635', issueDate: '2026-11-20', xml });
    const pdf = await renderDocumentPdf({ ...demoInvoice(), language: 'pl', marks: { ksef: { url, ksefNumber: '' } } });
    expect(await decodeQrCodes(pdf)).toEqual([expectedKodI(xml, 'qr-demo.ksef.mf.gov.pl')]);
    expect(await pdfText(pdf)).toMatch(/Weryfikacja w KSeF\s+OFFLINE/u);
  });

  it('QR Platba decodes to a SPAYD matching the document, at least 2 cm wide', async () => {
    const input = demoInvoice();
    const { document, company } = input;
    const total = computeTotals(document.lines).totalMinor;
    const spayd = buildSpayd({
      iban: company.iban,
      amountMinor: total,
      currency: document.currency,
      variableSymbol: document.variableSymbol,
      dueDate: document.dueDate,
      message: document.number,
    });
    if (spayd === undefined) throw new Error('no SPAYD for the demo invoice');
    const pdf = await renderDocumentPdf({ ...input, marks: { payment: { spayd } } });
    const [decoded, ...others] = await decodeQrCodes(pdf);
    expect(others).toEqual([]);
    const fields = new Map(
      (decoded ?? '')
        .split('*')
        .slice(2)
        .map((field) => [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1)]),
    );
    expect(decoded?.startsWith('SPD*1.0*')).toBe(true);
    expect(fields.get('ACC')).toBe(company.iban);
    expect(fields.get('AM')).toBe((total / 100).toFixed(2));
    expect(fields.get('CC')).toBe(document.currency);
    expect(fields.get('X-VS')).toBe(document.variableSymbol);
    expect(fields.get('DT')).toBe(document.dueDate.replace(/-/gu, ''));
    const widths = await addedSymbolWidthsCm(pdf, await renderDocumentPdf(input));
    expect(widths).toHaveLength(1);
    expect(widths[0]).toBeGreaterThanOrEqual(2);
  });
});
