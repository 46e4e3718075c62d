/**
 * A client company's own SMTP account (issue 15, item 1): set in the office preferences, its password
 * in the keychain under the company's scope and bound to its server. A message of company A goes out
 * through A's account with A's sender name and reply-to — over the user's own account and the office
 * default, on the export dialog's copy and in a batch — while company B, without one, uses the office
 * default. Two real SMTP servers on 127.0.0.1, the real keychain, real preference files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { createHandlers, type ShellAdapter } from '../../../../electron/ipc/handlers';
import type { Channel } from '../../../../shared/channels';
import type { CompanyProfileView } from '../../../../shared/company-profile';
import type { InputOf, OutputOf } from '../../../../shared/contract';
import type { Result } from '../../../../shared/errors';
import type { CompanyRecord } from '../../../../shared/domain';
import { companyKey } from '../../../../shared/company-identifiers';
import { companyScope, type GlobalPrefs, type SmtpAccount } from '../../../../shared/prefs';
import { globalPrefsFileName } from '../../../../electron/services/prefs/prefs-files';
import { smtpPasswordKey } from '../../../../electron/services/prefs/preferences-service';
import { openPassword } from '../../../../electron/services/secrets/bound-secret';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { waitUntil } from '../../../support/outbox-fixture';
import { startSmtpTestServer, type SmtpTestServer } from '../../../support/smtp-test-server';

let certificate: TestCertificate;
/** Company A's own server: only A's mailbox may log in. */
let serverA: SmtpTestServer;
/** The office's server (and the user's own account's): only the office mailbox may log in. */
let serverB: SmtpTestServer;
const passwordA = 'heslo-firmy-A-7f3';

beforeAll(async () => {
  certificate = createTestCertificate();
  serverA = await startSmtpTestServer({ certificate, secure: true, users: { 'faktury@firma-a.example': passwordA } });
  serverB = await startSmtpTestServer({
    certificate,
    secure: true,
    users: { 'ucetni@kancelar.example': 'správné-heslo', 'jana.bila@kancelar.example': 'heslo-jany' },
  });
});
afterAll(async () => {
  await serverA.close();
  await serverB.close();
});

function officeAccount(): SmtpAccount {
  return {
    senderName: 'Účetní kancelář Bílá',
    senderAddress: 'ucetni@kancelar.example',
    replyTo: '',
    bccSelf: false,
    host: '127.0.0.1',
    port: serverB.port,
    security: 'ssl',
    cipherStrength: 'default',
    auth: 'password',
    username: 'ucetni@kancelar.example',
    trustedCertificate: certificate.cert,
  };
}

function accountA(): SmtpAccount {
  return {
    ...officeAccount(),
    senderName: 'Firma A – fakturace',
    senderAddress: 'faktury@firma-a.example',
    port: serverA.port,
    username: 'faktury@firma-a.example',
  };
}

/** The two demo companies: A gets its own account and its own sender name and reply-to. */
function companies(app: AppFixture): { a: CompanyRecord; b: CompanyRecord; keyA: string } {
  const [first, second] = app.services.documents.companies.list();
  const a = first && app.services.documents.companies.get(first.id);
  const b = second && app.services.documents.companies.get(second.id);
  if (!a || !b) throw new Error('the demo data has two companies');
  const keyA = companyKey(a);
  if (keyA === null) throw new Error('demo company without IČO');
  app.services.db
    .prepare('UPDATE companies SET sender_name = ?, reply_to = ? WHERE id = ?')
    .run('Firma A s.r.o.', 'odpovedi@firma-a.example', a.id);
  onTestFinished(async () => {
    for (const id of ['smtp:default', 'smtp:rejected', 'smtp:oauth'])
      await app.secrets.delete({ scope: 'company', id: `${keyA}/${id}` }).catch(() => false);
  });
  return { a, b, keyA };
}

/** The IPC handlers as the windows call them. */
function ipc(app: AppFixture) {
  const handlers = createHandlers(app.services, { kind: 'web' } as ShellAdapter);
  return async <C extends Channel>(channel: C, input: unknown) =>
    (await dispatch(handlers, channel, input, app.services.logger)) as Result<OutputOf<C>>;
}

/** `companies:update` of the company as the Companies form sends it, with `change` typed over it. */
async function updateCompany(
  app: AppFixture,
  companyId: number,
  change: Partial<CompanyProfileView>,
): Promise<Result<CompanyProfileView>> {
  const view: Partial<CompanyProfileView> = app.services.documents.companies.view(companyId);
  const profile = { ...view, ...change };
  delete profile.id;
  delete profile.isDemo;
  delete profile.hasLogo;
  return ipc(app)('companies:update', { companyId, profile });
}

/** The demo company of `country`, with its key's keychain entries removed when the test ends. */
function companyIn(app: AppFixture, country: string): CompanyRecord {
  const summary = app.services.documents.companies.list().find((company) => company.country === country);
  const company = summary && app.services.documents.companies.get(summary.id);
  if (!company) throw new Error(`no demo company in ${country}`);
  onTestFinished(async () => {
    const key = companyKey(app.services.documents.companies.get(company.id) ?? company);
    for (const id of ['smtp:default', 'smtp:rejected', 'smtp:oauth'])
      await app.secrets.delete({ scope: 'company', id: `${key ?? ''}/${id}` }).catch(() => false);
  });
  return company;
}

/** A document of `companyId` whose partner has an address. */
function documentOf(app: AppFixture, companyId: number, skip = 0): number {
  const ids = app.services.documents
    .listDocuments()
    .filter((doc) => {
      const loaded = app.services.exporter.load(doc.id);
      return loaded.company.id === companyId && loaded.partner.email !== '' && loaded.document.kind !== 'payslip';
    })
    .map((doc) => doc.id);
  const id = ids[skip];
  if (id === undefined) throw new Error(`no document ${String(skip)} of company ${String(companyId)} with an address`);
  return id;
}

function withCopy(app: AppFixture, documentId: number, to = 'jana@firma.example'): InputOf<'export:run'> {
  return {
    documentId,
    format: 'pdf',
    folder: app.exportDir,
    copy: { to, subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route: 'smtp', again: true },
    smtpPassword: null,
  };
}

/** Waits until the batch has the status or reason given (the batch read last is shown if it never does). */
async function untilBatch(
  app: AppFixture,
  batchId: number,
  expected: { readonly status?: string; readonly reasonCode?: string },
): Promise<void> {
  await waitUntil(
    async () => {
      const batch = await app.services.outboxRepository.batch(batchId);
      return (
        (expected.status === undefined || batch?.status === expected.status) &&
        (expected.reasonCode === undefined || batch?.reasonCode === expected.reasonCode)
      );
    },
    async () => app.services.outboxRepository.batch(batchId),
  );
}

/** A batch of one document of A, stopped because A's server refused a wrong password; its id. */
async function stoppedBatchOfA(app: AppFixture, keyA: string, companyId: number): Promise<number> {
  await app.services.prefs.updateCompanySmtp(keyA, accountA(), { action: 'set', value: 'špatné-heslo' });
  const { batchId } = await app.services.batches.start({
    documentIds: [documentOf(app, companyId)],
    target: { kind: 'address', address: 'prijemce@klient.example' },
    folder: app.exportDir,
    testToMe: false,
    spreadOverDays: false,
  });
  await untilBatch(app, batchId, { status: 'stopped', reasonCode: 'smtp.authRejected' });
  return batchId;
}

async function setUp(): Promise<{ app: AppFixture; a: CompanyRecord; b: CompanyRecord; keyA: string }> {
  const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
  const { a, b, keyA } = companies(app);
  await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
  await app.services.prefs.updateCompanySmtp(keyA, accountA(), { action: 'set', value: passwordA });
  return { app, a, b, keyA };
}

describe.skipIf(!keyringAvailable)("a client company's own SMTP account", () => {
  it("sends company A's copy through A's server in A's name, and company B's through the office default", async () => {
    const { app, a, b, keyA } = await setUp();

    const sentA = await app.services.sender.run(withCopy(app, documentOf(app, a.id)));
    expect(sentA.mail).toMatchObject({ ok: true });
    const atA = await serverA.nextMessage();
    expect(atA.user).toBe('faktury@firma-a.example');
    expect(atA.envelopeFrom).toBe('faktury@firma-a.example');
    expect(atA.parsed.from?.value).toEqual([{ name: 'Firma A s.r.o.', address: 'faktury@firma-a.example' }]);
    expect(atA.parsed.replyTo?.value).toEqual([{ name: '', address: 'odpovedi@firma-a.example' }]);

    const sentB = await app.services.sender.run(withCopy(app, documentOf(app, b.id)));
    expect(sentB.mail).toMatchObject({ ok: true });
    const atB = await serverB.nextMessage();
    expect(atB.user).toBe('ucetni@kancelar.example');
    expect(atB.parsed.from?.value[0]?.address).toBe('ucetni@kancelar.example');

    // The password is in the keychain under the company's scope, bound to A's server; the office file
    // says which server, never the password.
    const entry = await app.secrets.get(smtpPasswordKey(companyScope(keyA)));
    expect(entry).not.toBeNull();
    expect(openPassword(entry ?? '')).toMatchObject({
      kind: 'bound',
      password: passwordA,
      boundTo: { host: '127.0.0.1', port: serverA.port, username: 'faktury@firma-a.example' },
    });
    const officeFile = await readFile(path.join(app.machinePrefsDir, globalPrefsFileName), 'utf8');
    expect(officeFile).toContain(`"${keyA}"`);
    expect(officeFile).not.toContain(passwordA);
    expect(officeFile).not.toContain('správné-heslo');
    // The window learns only that a password is saved.
    const view = await app.services.prefs.view();
    expect(view.companyPasswords[keyA]).toMatchObject({ saved: true, withheld: null });
    expect(JSON.stringify(view)).not.toContain(passwordA);
  });

  it("keeps company A on its own account when the user overrides the office's", async () => {
    const { app, a, b } = await setUp();
    await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          smtp: { ...officeAccount(), senderAddress: 'jana.bila@kancelar.example', username: 'jana.bila@kancelar.example' },
        },
      },
      { action: 'set', value: 'heslo-jany' },
    );

    const draft = await app.services.sender.prepare(documentOf(app, a.id));
    expect(draft.smtpPasswordNeeded).toBeNull();
    expect((await app.services.sender.run(withCopy(app, documentOf(app, a.id)))).mail).toMatchObject({ ok: true });
    expect((await serverA.nextMessage()).user).toBe('faktury@firma-a.example');
    // Company B follows the user's override.
    expect((await app.services.sender.run(withCopy(app, documentOf(app, b.id)))).mail).toMatchObject({ ok: true });
    expect((await serverB.nextMessage()).user).toBe('jana.bila@kancelar.example');
  });

  it("withholds A's password from a changed host and asks for it again", async () => {
    const { app, a, keyA } = await setUp();
    const attempts = serverA.authAttempts();
    // `localhost` reaches the same test server, so a password sent there would show as a login attempt.
    await app.services.prefs.updateCompanySmtp(keyA, { ...accountA(), host: 'localhost' }, { action: 'keep' });

    const draft = await app.services.sender.prepare(documentOf(app, a.id));
    expect(draft.smtpPasswordNeeded).toMatchObject({
      scope: companyScope(keyA),
      reason: 'withheld',
      withheld: { reason: 'changed', changes: ['host'] },
    });
    const outcome = await app.services.sender.run(withCopy(app, documentOf(app, a.id)));
    expect(outcome.mail).toMatchObject({ ok: false, error: { code: 'smtp.passwordWithheld' } });
    expect(serverA.authAttempts()).toBe(attempts);
    expect(serverB.received).toHaveLength(0);
    expect((await app.services.prefs.view()).companyPasswords[keyA]?.withheld).toMatchObject({ reason: 'changed' });

    // The connection test of the company account refuses the old password too.
    const report = await app.services.connectionCheck.run({
      scope: companyScope(keyA),
      account: { ...accountA(), host: 'localhost' },
      password: { action: 'keep' },
      testMessage: null,
    });
    expect(JSON.stringify(report)).toContain('smtp.passwordWithheld');
    expect(serverA.authAttempts()).toBe(attempts);

    // Typed again in the dialog, it is bound to the new host and the copy goes out.
    const retyped = await app.services.sender.run({
      ...withCopy(app, documentOf(app, a.id)),
      smtpPassword: { value: passwordA, remember: true },
    });
    expect(retyped.mail).toMatchObject({ ok: true });
    expect((await serverA.nextMessage()).user).toBe('faktury@firma-a.example');
  });

  it("holds every copy while a company account was changed in the office file behind Kurier's back", async () => {
    const { app, a, keyA } = await setUp();
    const filePath = path.join(app.machinePrefsDir, globalPrefsFileName);
    const stored = JSON.parse(await readFile(filePath, 'utf8')) as { version: number; prefs: GlobalPrefs };
    const tampered = { ...accountA(), senderAddress: 'platby@podvodnik.example', bccSelf: true };
    await writeFile(filePath, JSON.stringify({ ...stored, prefs: { ...stored.prefs, companySmtp: { [keyA]: tampered } } }));

    const held = await app.services.sender.run(withCopy(app, documentOf(app, a.id)));
    expect(held.mail).toMatchObject({ ok: false, error: { code: 'prefs.officeChangeUnconfirmed' } });
    const review = await app.services.prefs.officeReview();
    expect(review.changes).toEqual([{ group: 'companyAccounts', items: [`${keyA}.bccSelf`, `${keyA}.senderAddress`] }]);
    expect(review.holding).toEqual(['companyAccounts']);
    expect(serverA.received).toHaveLength(0);

    await app.services.confirmOffice(review.digests);
    expect((await app.services.sender.run(withCopy(app, documentOf(app, a.id)))).mail).toMatchObject({ ok: true });
    expect((await serverA.nextMessage()).envelopeFrom).toBe('platby@podvodnik.example');
  });

  it("delivers what A queued through the office default once A's own account is removed", async () => {
    const { app, a, keyA } = await setUp();
    // A wrong password: A's server refuses it and the batch stops, its message still queued.
    await stoppedBatchOfA(app, keyA, a.id);

    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    const delivered = await serverB.nextMessage();
    expect(delivered.user).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeTo).toEqual(['prijemce@klient.example']);
    expect(serverA.received).toHaveLength(0);
  });

  it("sends what A queued through the office's account, never the user's own, once A's account is removed", async () => {
    const { app, a, keyA } = await setUp();
    // The user's own mailbox is on a third server: nothing of A's may arrive there.
    const userServer = await startSmtpTestServer({
      certificate,
      secure: true,
      users: { 'jana.bila@jana.example': 'heslo-jany' },
    });
    onTestFinished(() => userServer.close());
    await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          smtp: {
            ...officeAccount(),
            senderAddress: 'jana.bila@jana.example',
            username: 'jana.bila@jana.example',
            port: userServer.port,
          },
        },
      },
      { action: 'set', value: 'heslo-jany' },
    );
    await stoppedBatchOfA(app, keyA, a.id);

    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    const delivered = await serverB.nextMessage();
    expect(delivered.user).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeFrom).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeTo).toEqual(['prijemce@klient.example']);
    expect(userServer.received).toHaveLength(0);
    expect(serverA.received).toHaveLength(0);
  });

  it("stops what A queued, saying why, when A's account is removed and the office has none", async () => {
    // No office account: only the user's own and A's.
    const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
    const { a, keyA } = companies(app);
    await app.services.prefs.updateUser(
      {
        exportFolder: '',
        globalPrefsFolder: '',
        overrides: {
          smtp: { ...officeAccount(), senderAddress: 'jana.bila@kancelar.example', username: 'jana.bila@kancelar.example' },
        },
      },
      { action: 'set', value: 'heslo-jany' },
    );
    const batchId = await stoppedBatchOfA(app, keyA, a.id);

    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    await untilBatch(app, batchId, { reasonCode: 'smtp.notConfigured' });
    expect(serverB.received).toHaveLength(0);
    expect(serverA.received).toHaveLength(0);
  });

  it("sends what A queued through the office once the office's missing password is saved", async () => {
    // The office account is there, its password is not (yet) in this desk's keychain.
    const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
    const { a, keyA } = companies(app);
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'keep' });
    const batchId = await stoppedBatchOfA(app, keyA, a.id);

    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    await untilBatch(app, batchId, { reasonCode: 'smtp.passwordMissing' });

    // Saving the office's password lets the batch go on by itself, through the office's server.
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
    const delivered = await serverB.nextMessage();
    expect(delivered.user).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeTo).toEqual(['prijemce@klient.example']);
    expect(serverA.received).toHaveLength(0);
    await untilBatch(app, batchId, { status: 'done' });
  });

  it('sends what A queued through the office once the office account is set up at last', async () => {
    const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
    const { a, keyA } = companies(app);
    const batchId = await stoppedBatchOfA(app, keyA, a.id);

    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    await untilBatch(app, batchId, { reasonCode: 'smtp.notConfigured' });

    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
    const delivered = await serverB.nextMessage();
    expect(delivered.user).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeTo).toEqual(['prijemce@klient.example']);
    expect(serverA.received).toHaveLength(0);
  });

  it("sends what A queued through the office once A's account removed behind Kurier's back is confirmed", async () => {
    const { app, keyA, a } = await setUp();
    const batchId = await stoppedBatchOfA(app, keyA, a.id);
    const filePath = path.join(app.machinePrefsDir, globalPrefsFileName);
    const stored = JSON.parse(await readFile(filePath, 'utf8')) as { version: number; prefs: GlobalPrefs };
    const withoutA: GlobalPrefs = { ...stored.prefs };
    delete (withoutA as { companySmtp?: unknown }).companySmtp;
    await writeFile(filePath, JSON.stringify({ ...stored, prefs: withoutA }));

    // Resumed by the user, the batch holds until the change is confirmed.
    await app.services.worker.resume(batchId);
    await untilBatch(app, batchId, { reasonCode: 'prefs.officeChangeUnconfirmed' });

    await app.services.confirmOffice((await app.services.prefs.officeReview()).digests);
    const delivered = await serverB.nextMessage();
    expect(delivered.user).toBe('ucetni@kancelar.example');
    expect(delivered.envelopeTo).toEqual(['prijemce@klient.example']);
    expect(serverA.received).toHaveLength(0);
  });

  it('keeps sending through a Polish company’s own account after its REGON is added', async () => {
    const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
    const polish = companyIn(app, 'PL');
    const regon = polish.registrationNumber;
    expect(regon).not.toBe('');
    expect(await updateCompany(app, polish.id, { registrationNumber: '' })).toMatchObject({ ok: true });
    const key = companyKey(app.services.documents.companies.get(polish.id) ?? polish) ?? '';
    await app.services.prefs.updateCompanySmtp(key, accountA(), { action: 'set', value: passwordA });

    expect(await updateCompany(app, polish.id, { registrationNumber: regon })).toMatchObject({ ok: true });
    expect(app.services.documents.companies.get(polish.id)?.registrationNumber).toBe(regon);
    const sent = await app.services.sender.run(withCopy(app, documentOf(app, polish.id)));
    expect(sent.mail).toMatchObject({ ok: true });
    expect((await serverA.nextMessage()).user).toBe('faktury@firma-a.example');
    expect(serverB.received).toHaveLength(0);
  });

  it('refuses a new IČO for a Czech company with its own account, and changes nothing', async () => {
    const app = await createAppFixture({ smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
    await app.services.prefs.updateGlobal({ smtp: officeAccount() }, { action: 'set', value: 'správné-heslo' });
    const czech = companyIn(app, 'CZ');
    const key = companyKey(czech) ?? '';
    await app.services.prefs.updateCompanySmtp(key, accountA(), { action: 'set', value: passwordA });

    const refused = await updateCompany(app, czech.id, { registrationNumber: '25596641', name: 'Nový název s.r.o.' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'input.invalid', details: { 'profile.registrationNumber': 'keyOfOwnAccount' } },
    });
    expect(app.services.documents.companies.get(czech.id)).toMatchObject({
      registrationNumber: czech.registrationNumber,
      name: czech.name,
    });
    expect(app.services.prefs.globalPrefs().companySmtp?.[key]).toEqual(accountA());
    const sent = await app.services.sender.run(withCopy(app, documentOf(app, czech.id)));
    expect(sent.mail).toMatchObject({ ok: true });
    expect((await serverA.nextMessage()).user).toBe('faktury@firma-a.example');

    // Once the account is removed, the IČO may change.
    await app.services.prefs.updateCompanySmtp(key, null, { action: 'keep' });
    expect(await updateCompany(app, czech.id, { registrationNumber: '25596641' })).toMatchObject({ ok: true });
  });

  it("asks A's server in the dry run of A's documents, and only the office's for B's", async () => {
    const { app, a, b, keyA } = await setUp();
    const target = { kind: 'address', address: 'prijemce@klient.example' } as const;
    expect((await app.services.batches.dryRun([documentOf(app, a.id)], target)).serverCheck).toBeNull();
    // A's own account points at a port nobody listens on: only a dry run with A's documents notices.
    await app.services.prefs.updateCompanySmtp(keyA, { ...accountA(), port: 1 }, { action: 'keep' });
    const withA = await app.services.batches.dryRun([documentOf(app, a.id), documentOf(app, b.id)], target);
    expect(withA.serverCheck).not.toBeNull();
    expect(withA.sendable).toBe(2);
    expect((await app.services.batches.dryRun([documentOf(app, b.id)], target)).serverCheck).toBeNull();
  });

  it('keeps the companies’ accounts when the office form is saved without them', async () => {
    const { app, keyA } = await setUp();
    await app.services.prefs.updateGlobal(
      { smtp: officeAccount(), personalEmail: 'kancelar@kancelar.example' },
      { action: 'keep' },
    );
    expect(app.services.prefs.globalPrefs().companySmtp?.[keyA]).toEqual(accountA());
  });

  it('removing the account sends A through the office default again and forgets its password', async () => {
    const { app, a, keyA } = await setUp();
    await app.services.prefs.updateCompanySmtp(keyA, null, { action: 'keep' });
    expect(await app.secrets.get(smtpPasswordKey(companyScope(keyA)))).toBeNull();
    expect((await app.services.sender.run(withCopy(app, documentOf(app, a.id)))).mail).toMatchObject({ ok: true });
    expect((await serverB.nextMessage()).user).toBe('ucetni@kancelar.example');
  });

  it("delivers a batch of both companies' documents, each through its company's account", async () => {
    const { app, a, b } = await setUp();
    const documentIds = [documentOf(app, a.id, 0), documentOf(app, b.id, 0), documentOf(app, a.id, 1), documentOf(app, b.id, 1)];
    const start = await app.services.batches.start({
      documentIds,
      target: { kind: 'address', address: 'prijemce@klient.example' },
      folder: app.exportDir,
      testToMe: false,
      spreadOverDays: false,
    });
    expect(start.batchIds).toHaveLength(2);
    await waitUntil(
      () => serverA.received.length >= 2 && serverB.received.length >= 2,
      () => ({ a: serverA.received.length, b: serverB.received.length }),
    );
    const atA = serverA.received.splice(0);
    const atB = serverB.received.splice(0);
    expect(atA.map((message) => message.user)).toEqual(['faktury@firma-a.example', 'faktury@firma-a.example']);
    expect(atA.map((message) => message.parsed.from?.value[0]?.name)).toEqual(['Firma A s.r.o.', 'Firma A s.r.o.']);
    expect(atA.map((message) => message.parsed.replyTo?.value[0]?.address)).toEqual([
      'odpovedi@firma-a.example',
      'odpovedi@firma-a.example',
    ]);
    expect(atB.map((message) => message.user)).toEqual(['ucetni@kancelar.example', 'ucetni@kancelar.example']);
    const numbers = (ids: number[]) => ids.map((id) => app.services.documents.getDocument(id)?.number ?? '').sort();
    const subjects = (messages: typeof atA) => messages.map((message) => message.parsed.subject ?? '');
    for (const number of numbers([documentIds[0] ?? 0, documentIds[2] ?? 0]))
      expect(subjects(atA).some((subject) => subject.includes(number))).toBe(true);
    for (const number of numbers([documentIds[1] ?? 0, documentIds[3] ?? 0]))
      expect(subjects(atB).some((subject) => subject.includes(number))).toBe(true);
  });
});
