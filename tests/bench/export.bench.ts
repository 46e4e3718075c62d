/**
 * Throughput of the two slow steps of an export with a copy: rendering the PDF, and sending one message
 * with the PDF attached to a real SMTP server over implicit TLS on 127.0.0.1. Reported, never asserted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrations } from '../../electron/services/data/database';
import { seedDemoCompany } from '../../electron/services/documents/demo-seed';
import { DocumentRepository } from '../../electron/services/documents/document-repository';
import { renderDocumentPdf } from '../../electron/services/export/pdf-renderer';
import { sendThroughSession } from '../support/session-send';
import { fontDir } from '../support/app-fixture';
import { createTestCertificate } from '../support/certificates';
import { startSmtpTestServer, testMail, testSmtpAccount } from '../support/smtp-test-server';
import { measure, record, startResults } from './measure';

const db = new DatabaseSync(':memory:');
applyMigrations(db, migrations);
seedDemoCompany(db, () => new Date('2026-11-23T09:00:00Z'));
const documents = new DocumentRepository(db);
const company = documents.getCompany();
const invoice = documents.listDocuments().find((doc) => doc.kind === 'invoice');
const payslip = documents.listDocuments().find((doc) => doc.kind === 'payslip');

async function render(id: number | undefined): Promise<Buffer> {
  const document = documents.getDocument(id ?? 0);
  const partner = document && documents.getPartner(document.partnerId);
  if (!document || !partner) throw new Error('demo document missing');
  return renderDocumentPdf({ document, partner, company, language: partner.language, fontDir });
}

const certificate = createTestCertificate();
const server = await startSmtpTestServer({ certificate, secure: true });
afterAll(() => server.close());
const pdfPath = path.join(mkdtempSync(path.join(tmpdir(), 'kurier-bench-')), 'Faktura.pdf');
writeFileSync(pdfPath, await render(invoice?.id));
const account = testSmtpAccount({ port: server.port, security: 'ssl', trustedCertificate: certificate.cert });

startResults('Kurier export and send benchmarks');

describe('export and send', () => {
  it('renders PDFs and sends copies', async () => {
    record(await measure('render an invoice PDF', 50, () => render(invoice?.id)));
    record(await measure('render a payslip PDF', 50, () => render(payslip?.id)));
    record(
      await measure('send one message with the PDF (new TLS connection + AUTH each time)', 50, async () => {
        await sendThroughSession(
          account,
          'správné-heslo',
          testMail({
            subject: 'Faktura',
            attachments: [{ path: pdfPath, fileName: 'Faktura.pdf', contentType: 'application/pdf' }],
            messageId: '<bench@kancelar.example>',
          }),
        );
        server.received.length = 0;
      }),
    );
    expect(server.port).toBeGreaterThan(0);
  }, 300_000);
});
