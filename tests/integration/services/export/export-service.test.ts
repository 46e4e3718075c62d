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
import { createAppFixture, savedSmtpPassword, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';
import type { InputOf } from '../../../../shared/contract';
import type { SmtpAccount } from '../../../../shared/prefs';

const run = promisify(execFile);
let certificate: TestCertificate;
let server: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: true });
});
afterAll(() => server.close());

function officeAccount(): SmtpAccount {
  return {
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
  };
}

/** The user's own SMTP account (an override of the office's), with the password in the keychain. */
async function configure(app: AppFixture, password: string, account: Partial<SmtpAccount> = {}): Promise<void> {
  await app.services.prefs.updateUser(
    {
      exportFolder: '',
      globalPrefsFolder: '',
      overrides: { language: 'cs', personalEmail: 'ja@kancelar.example', smtp: { ...officeAccount(), ...account } },
    },
    { action: 'set', value: password },
  );
}

type MailCopy = NonNullable<InputOf<'export:run'>['copy']>;

/** The input of an export of `documentId` with an e-mail copy; the copy's fields default to a plain one. */
function withCopy(
  app: AppFixture,
  documentId: number,
  copy: Partial<MailCopy> = {},
  smtpPassword: InputOf<'export:run'>['smtpPassword'] = null,
): InputOf<'export:run'> {
  const plain: MailCopy = { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp' };
  return { documentId, format: 'pdf', folder: app.exportDir, copy: { ...plain, ...copy }, smtpPassword };
}

async function firstInvoiceWithMail(app: AppFixture) {
  for (const doc of app.services.documents.listDocuments()) {
    if (
      doc.kind === 'invoice' &&
      /[řčěžůłśąężźńó]/i.test(doc.partnerName) &&
      (await app.services.sender.prepare(doc.id)).to !== ''
    )
      return doc;
  }
  throw new Error('the demo company has no invoice for a partner with a diacritic name and an e-mail');
}

describe.skipIf(!keyringAvailable)('ExportService', () => {
  it('prefills the dialog from the document, the partner and the preferences', async () => {
    const app = await createAppFixture();
    await configure(app, 'správné-heslo');
    const doc = await firstInvoiceWithMail(app);
    const draft = await app.services.sender.prepare(doc.id);

    expect(draft.recipients[0]).toMatchObject({ source: 'partner', label: doc.partnerName });
    expect(draft.recipients[1]).toEqual({ source: 'personal', label: '', address: 'ja@kancelar.example' });
    // Never another client's address: a wrong pick would send one client's document to another.
    expect(draft.recipients).toHaveLength(2);
    expect(draft.to).toBe(draft.recipients[0]?.address);
    expect(draft.subject).toContain(doc.number);
    expect(draft.body).toContain(doc.number);
    expect(draft.folder).toBe(app.exportDir);
    expect(draft.fileName).toMatch(/\.pdf$/);
  });

  it('writes the PDF and delivers it attached to the chosen recipient', async () => {
    const app = await createAppFixture();
    await configure(app, 'správné-heslo');
    const doc = await firstInvoiceWithMail(app);
    const draft = await app.services.sender.prepare(doc.id);

    const outcome = await app.services.sender.run(
      withCopy(app, doc.id, { to: draft.to, subject: draft.subject, body: draft.body }),
    );

    expect(outcome.mail).toMatchObject({ ok: true, to: draft.to });
    expect(path.dirname(outcome.filePath)).toBe(app.exportDir);
    // The Czech partner's ISDOC lies beside the PDF (company preference "separate", the default).
    expect((await readdir(app.exportDir)).sort()).toEqual([path.basename(outcome.filePath), `${doc.number}.isdoc`].sort());
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
    const doc = await firstInvoiceWithMail(app);

    const outcome = await app.services.sender.run(withCopy(app, doc.id));

    expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    // The Czech partner's ISDOC lies beside the PDF (company preference "separate", the default).
    expect((await readdir(app.exportDir)).sort()).toEqual([path.basename(outcome.filePath), `${doc.number}.isdoc`].sort());
  });

  it('hands the PDF it saved to a mail program after SMTP failed, and refuses any file it did not export', async () => {
    const app = await createAppFixture({ handoff: { probe: fakeProgramProbe({}) } });
    await configure(app, 'špatné-heslo');
    const doc = await firstInvoiceWithMail(app);
    const input = withCopy(app, doc.id);
    const failed = await app.services.sender.run(input);
    expect(failed.mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    if (!input.copy) throw new Error('withCopy gives a copy');
    const copy = { ...input.copy, route: 'mailto' as const };

    const handedOff = await app.services.sender.handOffExported({ documentId: doc.id, filePath: failed.filePath, copy });

    expect(handedOff.filePath).toBe(failed.filePath);
    expect(handedOff.mail).toMatchObject({
      ok: true,
      handedOff: { route: 'mailto', attachmentPath: failed.filePath, notes: ['noAttachments'] },
    });
    const link = handedOff.mail?.ok === true ? new URL(handedOff.mail.handedOff?.mailtoUrl ?? '') : null;
    expect(link?.searchParams.get('subject')).toBe(copy.subject);
    expect((await readdir(app.exportDir)).filter((name) => name.endsWith('.pdf'))).toEqual([path.basename(failed.filePath)]);
    // Only a file this session exported for that document and failed to send: the window cannot pick
    // one, and a file exported without a copy (or whose copy may still arrive) is not offered either.
    const withoutCopy = await app.services.sender.run({ ...input, copy: null });
    for (const forged of [
      { documentId: doc.id, filePath: path.join(app.dataDir, 'kurier.sqlite') },
      { documentId: doc.id + 1, filePath: failed.filePath },
      { documentId: doc.id, filePath: withoutCopy.filePath },
    ]) {
      await expect(app.services.sender.handOffExported({ ...forged, copy })).rejects.toMatchObject({ code: 'input.invalid' });
    }
  });

  it('never logs in again with a rejected password until a new one is entered', async () => {
    const app = await createAppFixture();
    await configure(app, 'špatné-heslo');
    const doc = await firstInvoiceWithMail(app);
    const input = withCopy(app, doc.id);
    const before = server.authAttempts();

    expect((await app.services.sender.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    expect(server.authAttempts()).toBe(before + 1);
    expect((await app.services.prefs.view()).passwords.user.rejected).toBe(true);

    expect((await app.services.sender.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.passwordRejected' } });
    expect(server.authAttempts()).toBe(before + 1);

    const view = await app.services.prefs.updateUser(app.services.prefs.userPrefs(), { action: 'set', value: 'správné-heslo' });
    expect(view.passwords.user.rejected).toBe(false);
    expect((await app.services.sender.run(input)).mail).toMatchObject({ ok: true });
    expect(server.authAttempts()).toBe(before + 2);
    await server.nextMessage();
  });

  it('never overwrites an earlier export of the same document', async () => {
    const app = await createAppFixture();
    const doc = await firstInvoiceWithMail(app);
    const input = { documentId: doc.id, format: 'pdf' as const, folder: app.exportDir, copy: null, smtpPassword: null };
    const first = await app.services.sender.run(input);
    const second = await app.services.sender.run(input);
    expect(second.filePath).not.toBe(first.filePath);
    expect(second.filePath).toMatch(/ \(2\)\.pdf$/);
    expect((await readdir(app.exportDir)).filter((name) => name.endsWith('.pdf'))).toHaveLength(2);
  });

  it.each([
    { name: 'a folder that does not exist', folder: '/nonexistent/kurier', code: 'export.folderNotFound' },
    { name: 'a folder Kurier may not write to', folder: '/proc', code: 'export.folderNotWritable' },
  ])('refuses $name with its own error', async ({ folder, code }) => {
    const app = await createAppFixture();
    const doc = await firstInvoiceWithMail(app);
    await expect(
      app.services.sender.run({ documentId: doc.id, format: 'pdf', folder, copy: null, smtpPassword: null }),
    ).rejects.toMatchObject({ code });
  });

  it('reports a document that does not exist', async () => {
    const app = await createAppFixture();
    await expect(app.services.sender.prepare(999_999)).rejects.toMatchObject({ code: 'document.notFound' });
  });

  it('sends CC, BCC and the blind copy to myself to the addresses typed, and only BCC stays hidden', async () => {
    const app = await createAppFixture();
    await configure(app, 'správné-heslo', { bccSelf: true });
    const doc = await firstInvoiceWithMail(app);
    const draft = await app.services.sender.prepare(doc.id);

    const outcome = await app.services.sender.run(
      withCopy(app, doc.id, { to: draft.to, cc: 'sef@kancelar.example; archiv@kancelar.example', bcc: 'audit@kancelar.example' }),
    );

    expect(outcome.mail).toMatchObject({ ok: true });
    const received = await server.nextMessage();
    expect(received.envelopeTo).toEqual([
      draft.to,
      'sef@kancelar.example',
      'archiv@kancelar.example',
      'audit@kancelar.example',
      'ucetni@kancelar.example',
    ]);
    const cc = received.parsed.cc && 'value' in received.parsed.cc ? received.parsed.cc.value.map((entry) => entry.address) : [];
    expect(cc).toEqual(['sef@kancelar.example', 'archiv@kancelar.example']);
    expect(received.parsed.bcc).toBeUndefined();
    expect(received.raw).not.toContain('audit@kancelar.example');
  });

  it('prefills recipients, CC, BCC and the copy switch from the office preferences', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal(
      {
        personalEmail: 'kancelar@kancelar.example',
        sending: {
          route: 'smtp',
          sendCopy: true,
          cc: 'sef@kancelar.example',
          bcc: 'audit@kancelar.example',
          payslipProtection: 'optional',
          outlookMode: 'display',
        },
      },
      { action: 'keep' },
    );
    await app.services.prefs.updateUser(
      { exportFolder: '', globalPrefsFolder: '', overrides: { personalEmail: 'ja@kancelar.example' } },
      { action: 'keep' },
    );
    const doc = await firstInvoiceWithMail(app);
    const draft = await app.services.sender.prepare(doc.id);

    expect(draft.recipients.slice(1, 3)).toEqual([
      { source: 'personal', label: '', address: 'ja@kancelar.example' },
      { source: 'office', label: '', address: 'kancelar@kancelar.example' },
    ]);
    expect(draft).toMatchObject({
      sendCopy: true,
      cc: 'sef@kancelar.example',
      bcc: 'audit@kancelar.example',
      smtpConfigured: false,
      smtpPasswordNeeded: null,
    });
  });

  it('preselects nothing for a partner without e-mail, then the address typed for it — for it alone', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal(
      {
        personalEmail: 'kancelar@kancelar.example',
        sending: { route: 'smtp', sendCopy: true, cc: '', bcc: '', payslipProtection: 'optional', outlookMode: 'display' },
      },
      { action: 'keep' },
    );
    const docs = app.services.documents.listDocuments();
    const bakery = docs.find((doc) => doc.kind === 'invoice' && app.services.exporter.load(doc.id).partner.email === '');
    const other = docs.find((doc) => doc.kind === 'invoice' && app.services.exporter.load(doc.id).partner.email !== '');
    if (!bakery || !other) throw new Error('the demo data has no invoice of a partner without e-mail');
    const draft = await app.services.sender.prepare(bakery.id);
    expect(draft).toMatchObject({
      to: '',
      sendCopy: false,
      recipients: [{ source: 'office', label: '', address: 'kancelar@kancelar.example' }],
    });

    // Handed to a mail program (no SMTP here): the typed address is the bakery's from now on.
    const outcome = await app.services.sender.run({
      documentId: bakery.id,
      format: 'pdf',
      folder: app.exportDir,
      smtpPassword: null,
      copy: { to: 'objednavky@pekarstvi.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'mailto' },
    });
    expect(outcome.mail?.ok).toBe(true);
    const again = await app.services.sender.prepare(bakery.id);
    expect(again).toMatchObject({ to: 'objednavky@pekarstvi.example', sendCopy: true });
    expect(again.recipients[0]).toEqual({
      source: 'chosen',
      label: bakery.partnerName,
      address: 'objednavky@pekarstvi.example',
      partnerId: bakery.partnerId,
    });
    const otherDraft = await app.services.sender.prepare(other.id);
    expect(otherDraft.recipients.map((option) => option.address)).not.toContain('objednavky@pekarstvi.example');
  });

  it("asks once for the office account password and keeps it in this user's keychain when told to", async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    const doc = await firstInvoiceWithMail(app);
    const draft = await app.services.sender.prepare(doc.id);
    expect(draft.smtpPasswordNeeded).toEqual({
      scope: 'global',
      reason: 'missing',
      username: 'ucetni@kancelar.example',
      withheld: null,
      unencrypted: false,
    });

    const first = await app.services.sender.run(
      withCopy(app, doc.id, { to: draft.to }, { value: 'správné-heslo', remember: true }),
    );
    expect(first.mail).toMatchObject({ ok: true });
    await server.nextMessage();
    expect(await savedSmtpPassword(app.secrets, { scope: 'global', id: 'smtp:default' })).toBe('správné-heslo');
    expect(await app.secrets.get({ scope: 'user', id: 'smtp:default' })).toBeNull();
    expect((await app.services.sender.prepare(doc.id)).smtpPasswordNeeded).toBeNull();

    // A second copy to the same address is a deliberate one (the dialog asked).
    const second = await app.services.sender.run(withCopy(app, doc.id, { to: draft.to, again: true }));
    expect(second.mail).toMatchObject({ ok: true });
    await server.nextMessage();
  });

  it('keeps the office password for this session only when the user does not want it remembered', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    const doc = await firstInvoiceWithMail(app);

    const outcome = await app.services.sender.run(withCopy(app, doc.id, {}, { value: 'správné-heslo', remember: false }));
    expect(outcome.mail).toMatchObject({ ok: true });
    await server.nextMessage();
    expect(await app.secrets.get({ scope: 'global', id: 'smtp:default' })).toBeNull();
    expect((await app.services.prefs.view()).passwords.global).toEqual({
      saved: false,
      inSession: true,
      rejected: false,
      withheld: null,
    });
    expect((await app.services.sender.prepare(doc.id)).smtpPasswordNeeded).toBeNull();
  });

  it('asks again for the office password after the server rejected it, and never retries it meanwhile', async () => {
    const app = await createAppFixture();
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'staré-heslo' });
    const doc = await firstInvoiceWithMail(app);
    const input = withCopy(app, doc.id);
    const before = server.authAttempts();

    expect((await app.services.sender.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.authRejected' } });
    expect((await app.services.sender.prepare(doc.id)).smtpPasswordNeeded).toMatchObject({
      scope: 'global',
      reason: 'rejected',
    });
    expect((await app.services.sender.run(input)).mail).toMatchObject({ ok: false, error: { code: 'smtp.passwordRejected' } });
    expect(server.authAttempts()).toBe(before + 1);

    const fixed = await app.services.sender.run({ ...input, smtpPassword: { value: 'správné-heslo', remember: true } });
    expect(fixed.mail).toMatchObject({ ok: true });
    await server.nextMessage();
    expect(await savedSmtpPassword(app.secrets, { scope: 'global', id: 'smtp:default' })).toBe('správné-heslo');
  });
});
