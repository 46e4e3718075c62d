/**
 * Files the user adds to a copy in the export dialog travel with the document on every route: a real
 * SMTP server receives the PDF and the added files byte for byte, and Thunderbird's compose command
 * lists them all. Main checks each file (a regular file it can read, within the size the account's
 * server accepts) and windows know the files by id only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type ShellAdapter } from '../../../../electron/ipc/handlers';
import { dispatch } from '../../../../electron/ipc/dispatch';
import { ExtraAttachments, pageFileRetentionMs } from '../../../../electron/services/sending/extra-attachments';
import type { ExtraAttachment } from '../../../../shared/contract';
import { createTranslator, describeError } from '../../../../shared/i18n';
import { KurierError, type KurierErrorShape } from '../../../../shared/errors';
import { createAppFixture, keyringAvailable, type AppFixture } from '../../../support/app-fixture';
import { createTestCertificate, type TestCertificate } from '../../../support/certificates';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { startSmtpTestServer, testSmtpAccount, type SmtpTestServer } from '../../../support/smtp-test-server';
import { tempDir } from '../../../support/temp-dir';
import { thunderbirdGetArgs } from '../../../support/thunderbird-get-args';

let certificate: TestCertificate;
let server: SmtpTestServer;
/** A server that takes messages up to 1.5 MB (SMTP SIZE), as a small provider might. */
let small: SmtpTestServer;
beforeAll(async () => {
  certificate = createTestCertificate();
  server = await startSmtpTestServer({ certificate, secure: false });
  small = await startSmtpTestServer({ certificate, secure: false, extra: { size: 1_500_000 } });
});
afterAll(async () => {
  await server.close();
  await small.close();
});

async function configureSmtp(app: AppFixture, port: number): Promise<void> {
  await app.services.prefs.updateGlobal(
    { smtp: testSmtpAccount({ port, trustedCertificate: certificate.cert }) },
    { action: 'set', value: 'správné-heslo' },
  );
}

function firstInvoice(app: AppFixture) {
  const invoice = app.services.documents.listDocuments().find((doc) => doc.kind === 'invoice');
  if (!invoice) throw new Error('no invoice in the demo data');
  return invoice;
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

describe.skipIf(!keyringAvailable)('extra attachments', () => {
  it('reach a real SMTP server with the PDF, each byte for byte: a picked file and one a page handed over', async () => {
    const app = await createAppFixture();
    await configureSmtp(app, server.port);
    const invoice = firstInvoice(app);
    const folder = await tempDir('kurier-user-files-');
    const contract = path.join(folder, 'Smlouva o vedení účetnictví.pdf');
    const contractBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200_000)]);
    await writeFile(contract, contractBytes);
    const sheetBytes = Buffer.from('datum;částka\n2026-11-01;1210,00\n', 'utf8');

    // Electron: main's native picker chooses (here: answers with the file), main checks and hands out an id.
    const electron = createHandlers(app.services, {
      kind: 'electron',
      chooseAttachmentFiles: () => Promise.resolve({ supported: true, paths: [contract] }),
    } as unknown as ShellAdapter);
    const chosen = await dispatch(electron, 'attachments:choose', { documentId: invoice.id, selected: [] }, app.services.logger);
    if (!chosen.ok) throw new Error(JSON.stringify(chosen.error));
    const [picked] = (chosen.value as { added: ExtraAttachment[] }).added;
    if (!picked) throw new Error('nothing added');
    expect(picked).toEqual({
      id: expect.any(String) as unknown,
      name: 'Smlouva o vedení účetnictví.pdf',
      size: contractBytes.length,
    });
    // The web shell: the page uploads the bytes of a file the user picked in the browser, checked the same way.
    const handlers = createHandlers(app.services, { kind: 'web' } as ShellAdapter);
    const begun = await dispatch(
      handlers,
      'uploads:begin',
      { name: '../Výpis/listopad.csv', size: sheetBytes.length },
      app.services.logger,
    );
    if (!begun.ok) throw new Error(JSON.stringify(begun.error));
    const { uploadId } = begun.value as { uploadId: string };
    const part = await dispatch(
      handlers,
      'uploads:part',
      { uploadId, index: 0, base64: sheetBytes.toString('base64') },
      app.services.logger,
    );
    expect(part).toEqual({ ok: true, value: { received: sheetBytes.length } });
    const handed = await dispatch(
      handlers,
      'attachments:addFiles',
      { documentId: invoice.id, selected: [picked.id], files: [{ uploadId }] },
      app.services.logger,
    );
    if (!handed.ok) throw new Error(JSON.stringify(handed.error));
    const [sheet] = handed.value as ExtraAttachment[];
    expect(sheet).toMatchObject({ name: 'listopad.csv', size: sheetBytes.length });

    const outcome = await app.services.sender.run({
      documentId: invoice.id,
      format: 'pdf',
      folder: app.exportDir,
      smtpPassword: null,
      copy: {
        to: 'jana@firma.example',
        subject: 'Faktura se smlouvou',
        body: 'Dobrý den',
        cc: '',
        bcc: '',
        route: 'smtp',
        attachments: [picked.id, sheet?.id ?? ''],
      },
    });
    expect(outcome.mail).toMatchObject({ ok: true, to: 'jana@firma.example' });

    const received = await server.nextMessage();
    const attachments = received.parsed.attachments;
    const pdf = attachments.find((attachment) => attachment.filename === path.basename(outcome.filePath));
    expect(pdf?.content.equals(await readFile(outcome.filePath))).toBe(true);
    const added = attachments.filter((attachment) => attachment !== pdf && !attachment.filename?.endsWith('.isdoc'));
    expect(added.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      ['Smlouva o vedení účetnictví.pdf', 'application/pdf'],
      ['listopad.csv', 'text/csv'],
    ]);
    expect(added[0]?.content.equals(contractBytes)).toBe(true);
    expect(added[1]?.content.equals(sheetBytes)).toBe(true);
  });

  it('refuses, in words, a file over the size the account’s server accepts, a folder, a device and a missing file', async () => {
    const app = await createAppFixture();
    await configureSmtp(app, small.port);
    const invoice = firstInvoice(app);
    const folder = await tempDir('kurier-user-files-');
    const fits = path.join(folder, 'příloha.txt');
    await writeFile(fits, randomBytes(200_000));
    const big = path.join(folder, 'velký sken.pdf');
    await writeFile(big, randomBytes(600_000));

    const [first] = await app.services.attachments.addPaths([fits], [], invoice.id);
    if (!first) throw new Error('nothing added');
    // Alone it would fit; with the file already in the list the message would pass the server's 1.5 MB.
    const tooLarge = await failure(app.services.attachments.addPaths([big], [first.id], invoice.id));
    expect(tooLarge).toEqual({ code: 'attachment.tooLarge', details: { name: 'velký sken.pdf', limitMb: 1 } });
    expect(describeError(createTranslator('cs'), tooLarge).message).toBe(
      'Se souborem velký sken.pdf by byl e-mail větší, než váš e-mailový účet přijme (1 MB).',
    );
    expect(describeError(createTranslator('pl'), tooLarge).message).toBe(
      'Z plikiem velký sken.pdf e-mail byłby większy, niż przyjmuje twoje konto e-mail (1 MB).',
    );
    expect(describeError(createTranslator('en'), tooLarge).message).toBe(
      'With velký sken.pdf the e-mail would be larger than your e-mail account accepts (1 MB).',
    );
    const subfolder = path.join(folder, 'Složka');
    await mkdir(subfolder);
    expect(await failure(app.services.attachments.addPaths([subfolder], [], invoice.id))).toEqual({
      code: 'attachment.notAFile',
      details: { name: 'Složka' },
    });
    expect(await failure(app.services.attachments.addPaths(['/dev/zero'], [], invoice.id))).toMatchObject({
      code: 'attachment.notAFile',
    });
    expect(await failure(app.services.attachments.addPaths([path.join(folder, 'není.pdf')], [], invoice.id))).toEqual({
      code: 'attachment.unreadable',
      details: { name: 'není.pdf' },
    });
    // A window cannot name a file: an id main did not hand out stops the export before anything is written.
    const refused = await failure(
      app.services.sender.run({
        documentId: invoice.id,
        format: 'pdf',
        folder: app.exportDir,
        smtpPassword: null,
        copy: {
          to: 'jana@firma.example',
          subject: 'Faktura',
          body: '',
          cc: '',
          bcc: '',
          route: 'smtp',
          attachments: [randomUUID()],
        },
      }),
    );
    expect(refused.code).toBe('attachment.gone');
    expect(describeError(createTranslator('en'), refused).fix).toBe('Remove it from the list and add it again.');
    expect(small.received).toHaveLength(0);
  });

  it('go to Thunderbird with the PDF in its compose command’s attachment list', async () => {
    const home = await tempDir('kurier-linux-home-');
    const profile = path.join(home, 'profile');
    const launched: (readonly string[])[] = [];
    const app = await createAppFixture({
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
    const invoice = firstInvoice(app);
    const folder = await tempDir('kurier-user-files-');
    const contract = path.join(folder, 'Smlouva.pdf');
    const contractBytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5_000)]);
    await writeFile(contract, contractBytes);
    const [picked] = await app.services.attachments.addPaths([contract], [], invoice.id);

    const outcome = await app.services.sender.run({
      documentId: invoice.id,
      format: 'pdf',
      folder: app.exportDir,
      smtpPassword: null,
      copy: {
        to: 'jana@firma.example',
        subject: 'Faktura',
        body: 'Dobrý den',
        cc: '',
        bcc: '',
        route: 'thunderbird',
        attachments: [picked?.id ?? ''],
      },
    });
    expect(outcome.mail).toMatchObject({ ok: true, handedOff: { route: 'thunderbird' } });
    const argv = launched.at(-1) ?? [];
    expect(argv[0]).toBe('/usr/bin/thunderbird');
    const compose = thunderbirdGetArgs(argv.at(-1) ?? '');
    const files = (compose.attachment ?? '')
      .split(',')
      .map((url) => new URL(url).pathname)
      .map(decodeURIComponent);
    expect(files.map((file) => path.basename(file))).toEqual([
      path.basename(outcome.filePath),
      expect.stringMatching(/\.isdoc$/) as unknown,
      'Smlouva.pdf',
    ]);
    // What Thunderbird attaches are copies of exactly these bytes.
    expect((await readFile(files[0] ?? '')).equals(await readFile(outcome.filePath))).toBe(true);
    expect((await readFile(files[2] ?? '')).equals(contractBytes)).toBe(true);
  });

  it('handed over by a page are kept 30 days for the outbox, then swept away', async () => {
    const dataDir = await tempDir('kurier-data-');
    const folder = path.join(dataDir, 'Attachments');
    const attachments = new ExtraAttachments({ folder, messageLimit: () => Promise.resolve(0) });
    const [old] = await attachments.addBytes([{ name: 'starý výpis.csv', bytes: Buffer.from('a;b\n') }], [], 1);
    const [recent] = await attachments.addBytes([{ name: 'nový výpis.csv', bytes: Buffer.from('c;d\n') }], [], 1);
    if (!old || !recent) throw new Error('nothing added');
    const day = 24 * 60 * 60_000;
    const now = Date.now();
    const [oldPath] = await attachments.resolve([old.id], 1);
    const aged = new Date(now - pageFileRetentionMs - day);
    await utimes(path.dirname(oldPath?.path ?? ''), aged, aged);

    expect(await attachments.sweep(now)).toBe(1);
    expect(await readdir(folder)).toHaveLength(1);
    await expect(attachments.resolve([old.id], 1)).rejects.toMatchObject({ code: 'attachment.unreadable' });
    expect((await attachments.resolve([recent.id], 1)).map((file) => file.name)).toEqual(['nový výpis.csv']);
  });
});
