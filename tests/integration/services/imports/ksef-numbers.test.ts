/**
 * KSeF numbers before a bulk send: a Polish invoice imported from its FA(3) file without a KSeF number
 * is listed as missing one and its KOD I prints OFFLINE; the UPO KSeF issued (fixture written after the
 * Ministry of Finance's published schema and sample, see tests/fixtures/ksef/README.md) gives its number
 * by the hash of the invoice's own XML; a number that is not one is refused; once stored, the number
 * prints under KOD I.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { KsefNumbers } from '../../../../electron/services/imports/ksef-numbers';
import { documentMarks } from '../../../../electron/services/einvoice/outgoing';
import { parseUpo } from '../../../../electron/services/imports/upo-parser';
import { renderDocumentPdf } from '../../../../electron/services/export/pdf-renderer';
import { ImportService } from '../../../../electron/services/imports/import-service';
import { contract } from '../../../../shared/contract';
import { KurierError } from '../../../../shared/errors';
import { fontDir } from '../../../support/app-fixture';
import { importDatabase } from '../../../support/import-db';
import { pdfText } from '../../../support/qr-images';

const invoiceFile = path.resolve(import.meta.dirname, '../../../fixtures/documents/fa3-zal-advance.xml');
const upoFile = path.resolve(import.meta.dirname, '../../../fixtures/ksef/upo-sesja-fa3.xml');
const upoNumber = '6772244113-20260915-0B2C3D4E5F60-2D';

async function importedInvoice() {
  const { db } = await importDatabase();
  seedDemoCompany(db, () => new Date('2026-12-01T10:00:00Z'));
  const documents = new DocumentRepository(db);
  const imports = new ImportService({ db, documents, clock: () => new Date('2026-12-01T10:00:00Z') });
  const plan = await imports.planPaths([invoiceFile]);
  imports.commit(plan.planId, true);
  const summary = documents.listDocuments().find((doc) => doc.number === 'FZ/2026/09/001');
  if (!summary) throw new Error('the FA(3) invoice was not imported');
  return { documents, documentId: summary.id };
}

async function printedText(documents: DocumentRepository, documentId: number): Promise<string> {
  const document = documents.getDocument(documentId);
  const partner = document && documents.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('document missing');
  const company = documents.getCompany(document.companyId);
  const marks = documentMarks({ document, partner, company, originalXml: documents.getOriginal(documentId, 'xml')?.bytes });
  return pdfText(await renderDocumentPdf({ document, partner, company, language: 'pl', fontDir, marks }));
}

describe('KSeF numbers before a bulk send', () => {
  it('reads the UPO entries as the ministry lays them out', async () => {
    const entries = parseUpo(await readFile(upoFile));
    expect(entries).toEqual([
      expect.objectContaining({
        sellerNip: '6772244113',
        ksefNumber: upoNumber,
        invoiceNumber: 'FZ/2026/09/001',
        issueDate: '2026-09-15',
      }),
      expect.objectContaining({ invoiceNumber: 'FV/2026/09/999' }),
    ]);
    expect(parseUpo(Buffer.from('<Faktura><P_2>1</P_2></Faktura>'))).toBeUndefined();
    expect(parseUpo(Buffer.from('not xml at all'))).toBeUndefined();
    // A number whose check part does not match is not one KSeF gave: that entry is left out.
    const typo = (await readFile(upoFile, 'utf8')).replace(upoNumber, upoNumber.replace('-2D', '-2E'));
    expect(parseUpo(Buffer.from(typo))?.map((entry) => entry.invoiceNumber)).toEqual(['FV/2026/09/999']);
  });

  it('lists the invoice without a number, fills it from the UPO, refuses a wrong one, prints the stored one under KOD I', async () => {
    const { documents, documentId } = await importedInvoice();
    const numbers = new KsefNumbers(documents);
    expect(numbers.isMissing(documentId)).toBe(true);
    expect(await printedText(documents, documentId)).toMatch(/Weryfikacja w KSeF\s+OFFLINE/u);

    const reading = numbers.readUpo(await readFile(upoFile), [documentId]);
    expect(reading).toEqual({ status: 'read', matches: [{ documentId, ksefNumber: upoNumber }], confirmed: 2 });
    expect(numbers.readUpo(await readFile(invoiceFile), [documentId])).toEqual({ status: 'notUpo' });

    // The channel refuses a malformed number before the service sees it; the service refuses it too.
    const input = contract['ksef:storeNumbers'].input;
    expect(input.safeParse({ numbers: [{ documentId, ksefNumber: '6772244113-2026-0915' }] }).success).toBe(false);
    expect(input.safeParse({ numbers: [{ documentId, ksefNumber: ` ${upoNumber.toLowerCase()} ` }] }).success).toBe(true);
    expect(() => numbers.store([{ documentId, ksefNumber: '12345' }])).toThrow(KurierError);
    // A typo (the check part does not match) is refused by the channel as such, and by the service.
    const typo = upoNumber.replace('0B2C', '0B2D');
    const refused = input.safeParse({ numbers: [{ documentId, ksefNumber: typo }] });
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual(['ksefNumberChecksum']);
    expect(() => numbers.store([{ documentId, ksefNumber: typo }])).toThrow(KurierError);
    expect(numbers.isMissing(documentId)).toBe(true);

    expect(numbers.store([{ documentId, ksefNumber: upoNumber }])).toBe(1);
    expect(numbers.isMissing(documentId)).toBe(false);
    expect(documents.getDocument(documentId)?.origin.ksefNumber).toBe(upoNumber);
    expect(await printedText(documents, documentId)).toMatch(new RegExp(`Weryfikacja w KSeF\\s+${upoNumber}`, 'u'));
    // A number once stored is not overwritten through this path.
    expect(() => numbers.store([{ documentId, ksefNumber: '6772244113-20260915-0C3D4E5F6071-29' }])).toThrow(KurierError);
  });
});
