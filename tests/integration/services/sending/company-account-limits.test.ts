/**
 * Two more places that follow a client company's own SMTP account (issue 15, item 1): the size check of
 * files added to a copy asks the server of the account the document's copy goes through (its company's
 * own, else the office's), and a copy handed to Thunderbird suggests that account's address as sender.
 * Three real SMTP servers on 127.0.0.1 advertising different SIZE limits, the real keychain, real
 * preference files.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { InputOf } from '../../../../shared/contract';
import type { CompanyRecord } from '../../../../shared/domain';
import { KurierError, type KurierErrorShape } from '../../../../shared/errors';
import { companyKey } from '../../../../shared/company-identifiers';
import type { SmtpAccount } from '../../../../shared/prefs';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';
import { thunderbirdGetArgs } from '../../../support/thunderbird-get-args';

let certificate: TestCertificate;
/** Company A's own server: messages up to 1.5 MB. */
let serverA: SmtpTestServer;
/** The office's server: up to 4 MB. */
let office: SmtpTestServer;
/** Company B's own server: up to 8 MB. */
let serverB: SmtpTestServer;

beforeAll(async () => {
  certificate = createTestCertificate();
  const withSize = (size: number) => startSmtpTestServer({ certificate, secure: false, extra: { size } });
  serverA = await withSize(1_500_000);
  office = await withSize(4_000_000);
  serverB = await withSize(8_000_000);
});
afterAll(async () => {
  await Promise.all([serverA, office, serverB].map((server) => server.close()));
});

function account(server: SmtpTestServer, senderAddress: string): SmtpAccount {
  return testSmtpAccount({ port: server.port, trustedCertificate: certificate.cert, senderAddress, username: senderAddress });
}

/** The two demo companies and their keys in the office file; their keychain entries go with the test. */
function companies(app: AppFixture): { a: CompanyRecord; b: CompanyRecord; keyA: string; keyB: string } {
  const [first, second] = app.services.documents.companies.list();
  const a = first && app.services.documents.companies.get(first.id);
  const b = second && app.services.documents.companies.get(second.id);
  if (!a || !b) throw new Error('the demo data has two companies');
  const keyA = companyKey(a);
  const keyB = companyKey(b);
  if (keyA === null || keyB === null) throw new Error('demo company without IČO/NIP');
  onTestFinished(async () => {
    for (const key of [keyA, keyB])
      for (const id of ['smtp:default', 'smtp:rejected', 'smtp:oauth'])
        await app.secrets.delete({ scope: 'company', id: `${key}/${id}` }).catch(() => false);
  });
  return { a, b, keyA, keyB };
}

/** A document of `companyId` whose partner has an address (not a payslip). */
function documentOf(app: AppFixture, companyId: number): number {
  const found = app.services.documents.listDocuments().find((doc) => {
    const loaded = app.services.exporter.load(doc.id);
    return loaded.company.id === companyId && loaded.partner.email !== '' && loaded.document.kind !== 'payslip';
  });
  if (!found) throw new Error(`no document of company ${String(companyId)} with an address`);
  return found.id;
}

/** The error `promise` rejects with, as a window gets it. */
async function failure(promise: Promise<unknown>): Promise<KurierErrorShape> {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof KurierError)) throw new Error(`expected a KurierError, got ${String(error)}`);
  return error.toShape();
}

function copyOf(
  app: AppFixture,
  documentId: number,
  route: 'smtp' | 'thunderbird',
  attachments: string[] = [],
): InputOf<'export:run'> {
  return {
    documentId,
    format: 'pdf',
    folder: app.exportDir,
    smtpPassword: null,
    copy: { to: 'jana@firma.example', subject: 'Faktura', body: 'Dobrý den', cc: '', bcc: '', route, again: true, attachments },
  };
}

async function start(options: Parameters<typeof createAppFixture>[0] = {}) {
  const app = await createAppFixture({ ...options, smtpTimeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 10_000 } });
  const found = companies(app);
  await app.services.prefs.updateGlobal(
    { smtp: account(office, 'ucetni@kancelar.example') },
    { action: 'set', value: 'správné-heslo' },
  );
  return { app, ...found };
}

describe.skipIf(!keyringAvailable)("files added to a company's copy", () => {
  it("fit the SIZE of the company's own server, not the office server's", async () => {
    const { app, a, b, keyA, keyB } = await start();
    const docA = documentOf(app, a.id);
    const docB = documentOf(app, b.id);
    const folder = await tempDir('kurier-user-files-');
    // About 2.4 MB as it travels (Base64 and the room for the PDF): over A's 1.5 MB, within the office's 4 MB.
    const mid = path.join(folder, 'smlouva.pdf');
    await writeFile(mid, randomBytes(1_000_000));
    // About 5.1 MB: over the office's 4 MB, within B's 8 MB.
    const big = path.join(folder, 'sken.pdf');
    await writeFile(big, randomBytes(3_000_000));

    // Both companies on the office default: the office server's SIZE decides.
    const [accepted] = await app.services.attachments.addPaths([mid], [], docA);
    if (!accepted) throw new Error('nothing added');
    expect(await failure(app.services.attachments.addPaths([big], [], docB))).toEqual({
      code: 'attachment.tooLarge',
      details: { name: 'sken.pdf', limitMb: 4 },
    });

    // Each company gets its own account: its own server's SIZE decides, either way.
    await app.services.prefs.updateCompanySmtp(keyA, account(serverA, 'faktury@firma-a.example'), {
      action: 'set',
      value: 'heslo-A',
    });
    await app.services.prefs.updateCompanySmtp(keyB, account(serverB, 'faktury@firma-b.example'), {
      action: 'set',
      value: 'heslo-B',
    });
    expect(await failure(app.services.attachments.addPaths([mid], [], docA))).toEqual({
      code: 'attachment.tooLarge',
      details: { name: 'smlouva.pdf', limitMb: 1 },
    });
    const [fits] = await app.services.attachments.addPaths([big], [], docB);
    expect(fits).toMatchObject({ name: 'sken.pdf', size: 3_000_000 });
    // The file added while A sent through the office is checked again when the copy goes: A's server refuses it.
    const refused = await failure(app.services.sender.run(copyOf(app, docA, 'smtp', [accepted.id])));
    expect(refused).toEqual({ code: 'attachment.tooLarge', details: { name: 'smlouva.pdf', limitMb: 1 } });
    expect(serverA.received).toHaveLength(0);
    expect(office.received).toHaveLength(0);
  });
});

describe.skipIf(!keyringAvailable)("a company's copy handed to Thunderbird", () => {
  it("suggests the company's own account's address as sender; a company without one, the office's", async () => {
    const home = await tempDir('kurier-linux-home-');
    const profile = path.join(home, 'profile');
    const launched: (readonly string[])[] = [];
    const { app, a, b, keyA } = await start({
      handoff: {
        platform: 'linux',
        env: { HOME: home, PATH: '/usr/bin' },
        probe: fakeProgramProbe({
          files: ['/usr/bin/thunderbird'],
          texts: {
            [path.join(profile, 'prefs.js')]:
              'user_pref("mail.accountmanager.accounts", "account1");\nuser_pref("mail.account.account1.identities", "id1");\n' +
              'user_pref("mail.identity.id1.useremail", "ucetni@kancelar.example");\n',
          },
        }),
        thunderbirdProfile: profile,
        launch: (argv) => {
          launched.push(argv);
          return Promise.resolve({ kind: 'exited', code: 0, stderr: '' });
        },
      },
    });
    await app.services.prefs.updateCompanySmtp(keyA, account(serverA, 'faktury@firma-a.example'), {
      action: 'set',
      value: 'heslo-A',
    });

    const composed = async (documentId: number) => {
      const outcome = await app.services.sender.run(copyOf(app, documentId, 'thunderbird'));
      expect(outcome.mail).toMatchObject({ ok: true, handedOff: { route: 'thunderbird' } });
      const argv = launched.at(-1) ?? [];
      expect(argv[0]).toBe('/usr/bin/thunderbird');
      return thunderbirdGetArgs(argv.at(-1) ?? '');
    };
    expect((await composed(documentOf(app, a.id))).from).toBe('faktury@firma-a.example');
    expect((await composed(documentOf(app, b.id))).from).toBe('ucetni@kancelar.example');
  });
});
