/**
 * An imported invoice sent by e-mail (issue 15): it goes out in its company's name (display name and
 * Reply-To from the company), and the attached PDF is the issuer's own PDF, byte for byte — the message
 * is read as the local SMTP server received it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { createAppFixture, keyringAvailable } from '../../../support/app-fixture';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');
let certificate: TestCertificate;
let server: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: true });
});
afterAll(() => server.close());

async function appWithAccount() {
  const app = await createAppFixture();
  await app.services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: {
        language: 'cs',
        personalEmail: 'ja@kancelar.example',
        smtp: {
          senderName: 'Účetní kancelář Bílá',
          senderAddress: 'ucetni@kancelar.example',
          replyTo: 'fakturace@kancelar.example',
          bccSelf: false,
          host: '127.0.0.1',
          port: server.port,
          security: 'ssl',
          cipherStrength: 'default',
          auth: 'password',
          username: 'ucetni@kancelar.example',
          trustedCertificate: certificate.cert,
        },
      },
    },
    { action: 'set', value: 'správné-heslo' },
  );
  return app;
}

describe.skipIf(!keyringAvailable)('sending an imported document', () => {
  it.each([
    ['a Czech ISDOC invoice', 'isdoc-1-invoice.isdoc', /\.isdoc$/],
    ['a Polish KSeF FA(3) invoice', '6772244113-20260915-0A1B2C3D4E5F-7C.xml', /\.xml$/],
  ])('%s: the SMTP copy carries the PDF and, after it, the original e-invoice byte for byte', async (_, file, name) => {
    const app = await appWithAccount();
    const original = path.join(fixtures, file);
    const plan = await app.services.imports.planPaths([original]);
    const [item] = app.services.imports.commit(plan.planId, true).items;
    const document = app.services.documents.getDocument(item!.documentId!)!;
    // The buyer of a fixture may have no e-mail: the copy goes to an address typed for it.
    const outcome = await app.services.exporter.run({
      documentId: document.id,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: 'prijemce@example.test', subject: 'Faktura', body: 'Dobrý den.', cc: '', bcc: '', route: 'smtp' },
      smtpPassword: null,
    });
    expect(outcome.mail).toMatchObject({ ok: true });

    const received = await server.nextMessage();
    const [pdf, einvoice, ...rest] = received.parsed.attachments;
    expect(rest).toEqual([]);
    expect(pdf?.contentType).toBe('application/pdf');
    expect(pdf?.content.equals(await readFile(outcome.filePath))).toBe(true);
    expect(einvoice?.filename).toMatch(name);
    expect(einvoice?.content.equals(await readFile(original))).toBe(true);
  });

  it("goes out in its company's name with the issuer's own PDF attached, byte for byte", async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          language: 'cs',
          personalEmail: 'ja@kancelar.example',
          smtp: {
            senderName: 'Účetní kancelář Bílá',
            senderAddress: 'ucetni@kancelar.example',
            replyTo: 'fakturace@kancelar.example',
            bccSelf: false,
            host: '127.0.0.1',
            port: server.port,
            security: 'ssl',
            cipherStrength: 'default',
            auth: 'password',
            username: 'ucetni@kancelar.example',
            trustedCertificate: certificate.cert,
          },
        },
      },
      { action: 'set', value: 'správné-heslo' },
    );
    const original = path.join(fixtures, 'isdoc-pdf-embedded-FV-2026-0905.pdf');
    const plan = await app.services.imports.planPaths([original]);
    const [item] = app.services.imports.commit(plan.planId, true).items;
    const document = app.services.documents.getDocument(item!.documentId!)!;
    app.services.db
      .prepare(
        "UPDATE companies SET sender_name = 'Bílá & Čížek – fakturace', reply_to = 'faktury@bila-cizek.example' WHERE id = ?",
      )
      .run(document.companyId);

    const draft = await app.services.exporter.prepare(document.id);
    expect(draft.to).toBe('ucetni@jezkuv-dul.example');
    const outcome = await app.services.exporter.run({
      documentId: document.id,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: draft.to, subject: draft.subject, body: draft.body, cc: '', bcc: '', route: 'smtp' },
      smtpPassword: null,
    });
    expect(outcome.mail).toMatchObject({ ok: true });

    const received = await server.nextMessage();
    expect(received.parsed.from?.value[0]).toEqual({ name: 'Bílá & Čížek – fakturace', address: 'ucetni@kancelar.example' });
    expect(received.parsed.replyTo?.value[0]?.address).toBe('faktury@bila-cizek.example');
    expect(received.parsed.subject).toContain('FV-2026-0905');
    const bytes = await readFile(original);
    expect(received.parsed.attachments[0]?.content.equals(bytes)).toBe(true);
    expect((await readFile(outcome.filePath)).equals(bytes)).toBe(true);
  });
});
