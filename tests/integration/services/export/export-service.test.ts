/**
 * Export with a copy, through the same wiring main.ts uses: the PDF lands in the folder, the e-mail
 * with that PDF reaches a real SMTP server, and a failing e-mail never hides a saved file.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';
import type { UserPrefs } from '../../../../shared/prefs';

const run = promisify(execFile);
let certificate: TestCertificate;
let server: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: true });
});
afterAll(() => server.close());

async function configure(app: AppFixture, password: string): Promise<void> {
  const prefs: UserPrefs = {
    language: 'cs',
    personalEmail: 'ja@kancelar.example',
    exportFolder: '',
    smtp: {
      senderName: 'Účetní kancelář Bílá',
      senderAddress: 'ucetni@kancelar.example',
      replyTo: 'fakturace@kancelar.example',
      host: '127.0.0.1',
      port: server.port,
      security: 'ssl',
      cipherStrength: 'default',
      username: 'ucetni@kancelar.example',
      trustedCertificate: certificate.cert,
    },
  };
  await app.services.prefs.updateUser(prefs, { action: 'set', value: password });
}

function firstInvoiceWithMail(app: AppFixture) {
  const summary = app.services.documents
    .listDocuments()
    .find((doc) => doc.kind === 'invoice' && /[řčěžůłśąężźńó]/i.test(doc.partnerName) && app.services.exporter.prepare(doc.id).to !== '');
  if (!summary) throw new Error('the demo company has no invoice for a partner with a diacritic name and an e-mail');
  return summary;
}

describe.skipIf(!keyringAvailable)('ExportService', () => {
  it('prefills the dialog from the document, the partner and the preferences', async () => {
    const app = await createAppFixture();
    await configure(app, 'správné-heslo');
    const doc = firstInvoiceWithMail(app);
    const draft = app.services.exporter.prepare(doc.id);

    expect(draft.recipients[0]).toMatchObject({ source: 'partner', label: doc.partnerName });
    expect(draft.recipients[1]).toEqual({ source: 'personal', label: '', address: 'ja@kancelar.example' });
    const others = draft.recipients.slice(2);
    expect(others.length).toBeGreaterThanOrEqual(8);
    expect(others.every((option) => option.source === 'partner' && option.partnerId !== doc.partnerId)).toBe(true);
    expect(draft.to).toBe(draft.recipients[0]?.address);
    expect(draft.subject).toContain(doc.number);
    expect(draft.body).toContain(doc.number);
    expect(draft.folder).toBe(app.exportDir);
    expect(draft.fileName).toMatch(/\.pdf$/);
  });

  it('writes the PDF and delivers it attached to the chosen recipient', async () => {
    const app = await createAppFixture();
    await configure(app, 'správné-heslo');
    const doc = firstInvoiceWithMail(app);
    const draft = app.services.exporter.prepare(doc.id);

    const outcome = await app.services.exporter.run({
      documentId: doc.id,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: draft.to, subject: draft.subject, body: draft.body },
    });

    expect(outcome.mail).toMatchObject({ ok: true, to: draft.to });
    expect(path.dirname(outcome.filePath)).toBe(app.exportDir);
    expect(await readdir(app.exportDir)).toEqual([path.basename(outcome.filePath)]);
    const { stdout } = await run('pdftotext', ['-layout', outcome.filePath, '-']);
    expect(stdout).toContain(doc.number);
    expect(stdout).toContain(doc.partnerName);

    const received = await server.nextMessage();
    expect(received.parsed.subject).toBe(draft.subject);
    expect(received.parsed.to && 'value' in received.parsed.to ? received.parsed.to.value[0]?.address : '').toBe(draft.to);
    expect(received.parsed.replyTo?.value[0]?.address).toBe('fakturace@kancelar.example');
    expect(received.parsed.attachments[0]?.filename).toBe(draft.fileName);
    expect(received.parsed.attachments[0]?.content.equals(await readFile(outcome.filePath))).toBe(true);
    expect(app.events.map((event) => event.stage)).toEqual(['rendering', 'writing', 'sending', 'done']);
  });

  it('keeps the saved PDF and reports the mail failure on its own when the password is wrong', async () => {
    const app = await createAppFixture();
    await configure(app, 'špatné-heslo');
    const doc = firstInvoiceWithMail(app);

    const outcome = await app.services.exporter.run({
      documentId: doc.id,
      format: 'pdf',
      folder: app.exportDir,
      copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den' },
    });

    expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    expect(await readdir(app.exportDir)).toEqual([path.basename(outcome.filePath)]);
  });

  it('never logs in again with a rejected password until a new one is entered', async () => {
    const app = await createAppFixture();
    await configure(app, 'špatné-heslo');
    const doc = firstInvoiceWithMail(app);
    const input = {
      documentId: doc.id,
      format: 'pdf' as const,
      folder: app.exportDir,
      copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den' },
    };
    const before = server.authAttempts();

    expect((await app.services.exporter.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    expect(server.authAttempts()).toBe(before + 1);
    expect((await app.services.prefs.userView()).smtpPasswordRejected).toBe(true);

    expect((await app.services.exporter.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.passwordRejected' } });
    expect(server.authAttempts()).toBe(before + 1);

    const view = await app.services.prefs.updateUser(app.services.prefs.userPrefs(), { action: 'set', value: 'správné-heslo' });
    expect(view.smtpPasswordRejected).toBe(false);
    expect((await app.services.exporter.run(input)).mail).toMatchObject({ ok: true });
    expect(server.authAttempts()).toBe(before + 2);
    await server.nextMessage();
  });

  it('never overwrites an earlier export of the same document', async () => {
    const app = await createAppFixture();
    const doc = firstInvoiceWithMail(app);
    const input = { documentId: doc.id, format: 'pdf' as const, folder: app.exportDir, copy: null };
    const first = await app.services.exporter.run(input);
    const second = await app.services.exporter.run(input);
    expect(second.filePath).not.toBe(first.filePath);
    expect(second.filePath).toMatch(/ \(2\)\.pdf$/);
    expect((await readdir(app.exportDir)).sort()).toHaveLength(2);
  });

  it.each([
    { name: 'a folder that does not exist', folder: '/nonexistent/kurier', code: 'export.folderNotFound' },
    { name: 'a folder Kurier may not write to', folder: '/proc', code: 'export.folderNotWritable' },
  ])('refuses $name with its own error', async ({ folder, code }) => {
    const app = await createAppFixture();
    const doc = firstInvoiceWithMail(app);
    await expect(app.services.exporter.run({ documentId: doc.id, format: 'pdf', folder, copy: null })).rejects.toMatchObject({ code });
  });

  it('reports a document that does not exist', async () => {
    const app = await createAppFixture();
    expect(() => app.services.exporter.prepare(999_999)).toThrow(expect.objectContaining({ code: 'document.notFound' }));
  });
});
