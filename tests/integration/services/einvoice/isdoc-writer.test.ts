import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../../../electron/services/data/database';
import { seedDemoCompany } from '../../../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../../../electron/services/documents/document-repository';
import { generateIsdoc } from '../../../../electron/services/einvoice/isdoc-writer';
import { computeTotals } from '../../../../shared/domain';
import type { AccountingDocument } from '../../../../shared/domain';
import { tempDir } from '../../../support/temp-dir';

const run = promisify(execFile);
const schema = path.resolve(import.meta.dirname, '../../../fixtures/isdoc-schema/isdoc-invoice-6.0.2.xsd');

const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const repository = new DocumentRepository(db);

function demo(kind: AccountingDocument['kind']): AccountingDocument {
  const summary = repository.listDocuments().find((doc) => doc.kind === kind);
  const document = summary && repository.getDocument(summary.id);
  if (!document) throw new Error(`no demo ${kind}`);
  return document;
}

/** Validates with libxml2's XSD validator; resolves with its report, rejects with it on failure. */
async function xmllint(file: string): Promise<string> {
  try {
    const { stderr } = await run('/usr/bin/xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    return stderr;
  } catch (error) {
    throw new Error(`xmllint rejected ${path.basename(file)}: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

describe('generateIsdoc', () => {
  it.each(['invoice', 'creditNote'] as const)('writes a %s that validates against the ISDOC 6.0.2 XSD', async (kind) => {
    const document = demo(kind);
    const partner = repository.getPartner(document.partnerId);
    if (!partner) throw new Error('partner missing');
    const xml = generateIsdoc({ document, partner, company: repository.getCompany() });
    const file = path.join(await tempDir(), `${document.number}.isdoc`);
    await writeFile(file, xml, 'utf8');
    expect(await xmllint(file)).toContain('validates');

    const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as {
      Invoice: { DocumentType: string; ID: string; LegalMonetaryTotal: { PayableAmount: string } };
    };
    expect(parsed.Invoice.ID).toBe(document.number);
    expect(parsed.Invoice.DocumentType).toBe(kind === 'invoice' ? '1' : '2');
    // ISDOC states a credit note in positive amounts.
    const total = Math.abs(computeTotals(document.lines).totalMinor);
    expect(parsed.Invoice.LegalMonetaryTotal.PayableAmount).toBe(
      `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`,
    );
  });

  it('an invalid file is rejected by the same validator (the check can fail)', async () => {
    const document = demo('invoice');
    const partner = repository.getPartner(document.partnerId);
    if (!partner) throw new Error('partner missing');
    const xml = generateIsdoc({ document, partner, company: repository.getCompany() }).replace(
      /<UUID>[^<]*<\/UUID>/u,
      '<UUID>x</UUID>',
    );
    const file = path.join(await tempDir(), 'broken.isdoc');
    await writeFile(file, xml, 'utf8');
    await expect(xmllint(file)).rejects.toThrow(/UUID/u);
  });
});
