/**
 * The Polish banks' transfer QR code (ZBP "Standard 2D") on a Polish invoice whose company turned it
 * on: decoded from the rendered page by ZBar, it is the payee's NIP, PL, the 26-digit account, the
 * amount due in grosze, the payee and the invoice number, as the recommendation lays them out. Off (the
 * default), no such code is printed.
 */
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { CompanyRepository } from '../../../../electron/services/documents/company-repository';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { documentMarks } from '../../../../electron/services/einvoice/outgoing';
import { renderDocumentPdf } from '../../../../electron/services/export/pdf-renderer';
import { computeTotals, type AccountingDocument } from '../../../../shared/domain';
import { fontDir } from '../../../support/app-fixture';
import { decodeQrCodes, pdfText } from '../../../support/qr-images';

const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const documents = new DocumentRepository(db);
const companies = new CompanyRepository(db);
const companyId = companies.create({
  name: 'Biuro Rachunkowe Żółw sp. z o.o.',
  address: { street: 'Długa 1', city: 'Kraków', postalCode: '30-001', country: 'PL' },
  registrationNumber: '',
  taxId: 'PL 526-587-76-35',
  email: '',
  phone: '',
  bankAccount: '',
  iban: 'PL61 1090 1014 0000 0712 1981 2874',
});

function polishInvoice(): { document: AccountingDocument; total: number } {
  const summary = documents.listDocuments().find((doc) => doc.kind === 'invoice');
  const demo = summary && documents.getDocument(summary.id);
  if (!demo) throw new Error('demo invoice missing');
  const document = { ...demo, companyId, currency: 'PLN', number: 'FV/2026/11/0042' };
  return { document, total: computeTotals(document.lines).totalMinor };
}

async function render(enabled: boolean): Promise<Buffer> {
  companies.setPolishTransferQr(companyId, enabled);
  const company = documents.getCompany(companyId);
  const { document } = polishInvoice();
  const partner = documents.getPartner(document.partnerId);
  if (!partner) throw new Error('demo partner missing');
  const marks = documentMarks({ document, partner, company, originalXml: undefined });
  return renderDocumentPdf({ document, partner, company, language: 'pl', fontDir, marks });
}

describe('Polish transfer QR code', () => {
  it('is not printed while the company leaves it off (the default)', async () => {
    expect(documents.getCompany(companyId).polishTransferQr).toBe(false);
    const pdf = await render(false);
    expect(await decodeQrCodes(pdf)).toEqual([]);
  });

  it('decodes to NIP|PL|account|grosze|payee|title||| when the company turned it on', async () => {
    const pdf = await render(true);
    const { total } = polishInvoice();
    // Written out here by the recommendation's layout, not by Kurier's function.
    const expected = `5265877635|PL|61109010140000071219812874|${String(total).padStart(6, '0')}|Biuro Rachunkowe Żół|FV/2026/11/0042|||`;
    expect(await decodeQrCodes(pdf)).toEqual([expected]);
    expect(await pdfText(pdf)).toContain('Kod QR do przelewu');
  });
});
