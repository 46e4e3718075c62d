/**
 * The Thunderbird hand-off against the real Thunderbird: Kurier's own `composeArgument` and
 * `thunderbirdArgv`, started with `launchDetached` as the app does, and the compose window read back
 * over Marionette. The exit code of `thunderbird -compose` proves nothing (it is 0 even when the running
 * instance drops the message), so every case reads the window back and compares exactly.
 *
 * Needs Linux with thunderbird, Xvfb and dbus-daemon (`.ci/run` installs them); skipped elsewhere.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { launchDetached } from '../../../../electron/services/handoff/launch';
import { nodeProgramProbe } from '../../../../electron/services/handoff/program-probe';
import { composeArgument, thunderbirdArgv } from '../../../../electron/services/handoff/thunderbird-compose';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { tempDir } from '../../../support/temp-dir';
import {
  senderAddress,
  startThunderbird,
  thunderbirdAvailable,
  type ComposeWindow,
  type RunningThunderbird,
} from '../../../support/thunderbird-harness';

const available = thunderbirdAvailable();
if (!available.ok) {
  // eslint-disable-next-line no-console -- say once why a whole tier of hand-off checks did not run
  console.warn(`Skipping the real-Thunderbird hand-off tests: ${available.why}`);
}

/** A small but well-formed PDF, so the attachment is a real document with known bytes. */
const pdfBytes = Buffer.from(
  [
    '%PDF-1.4',
    '%\u00e2\u00e3\u00cf\u00d3',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n'),
  'latin1',
);

/** The body every case sends: CRLF, LF and a lone CR, blank lines, quotes, tags, `&`, diacritics. */
const body =
  'Dobrý den,\r\n' +
  '\r\n' +
  "v příloze posílám fakturu <b>2026/001</b> & \"spol.\" – 'O'Brien's' účet.\n" +
  '  odsazeno: %PATH% $(x) &amp; <i>ne kurzíva</i>\r' +
  'Žluťoučký kůň úpěl ďábelské ódy.\n' +
  '\n' +
  'S pozdravem\n' +
  'Účtárna';

/** The body as an editor holds it: a line break is a line break, whichever bytes it was sent as. */
const bodyWithLf = body.replace(/\r\n|\r/gu, '\n');

describe.skipIf(!available.ok)('handing a message to the real Thunderbird (-compose)', () => {
  let running: RunningThunderbird | undefined;

  beforeAll(async () => {
    running = await startThunderbird();
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  /** Runs `thunderbird -profile <profile> -compose <argument>` like Kurier and reads the one compose window back. */
  async function handOff(argument: string): Promise<ComposeWindow> {
    if (running === undefined) throw new Error('Thunderbird did not start (see beforeAll)');
    const thunderbird = running;
    onTestFinished(() => thunderbird.closeComposeWindows());
    const argv = thunderbirdArgv({ command: thunderbird.program }, argument, thunderbird.profile);
    const outcome = await launchDetached(argv, { env: thunderbird.env, waitMs: 15_000 });
    expect(outcome).toMatchObject({ kind: 'exited', code: 0 });
    const windows = await thunderbird.readComposeWindows();
    expect(windows).toHaveLength(1);
    return windows[0]!;
  }

  /** `files` written into a fresh ordinary folder; returns their paths. */
  async function writeFiles(files: Readonly<Record<string, Buffer | string>>): Promise<string[]> {
    const dir = await tempDir('kurier-tb-files-');
    return Promise.all(
      Object.entries(files).map(async ([name, content]) => {
        const file = path.join(dir, name);
        await writeFile(file, content);
        return file;
      }),
    );
  }

  async function expectedAttachments(files: readonly string[]): Promise<{ name: string; size: number }[]> {
    return Promise.all(files.map(async (file) => ({ name: path.basename(file), size: (await stat(file)).size })));
  }

  it('keeps recipients, a hostile subject and attachment names with commas, quotes and % exactly', async () => {
    const files = await writeFiles({
      'Fak tura, Žluťoučký "kůň".pdf': pdfBytes,
      "O'Brien's report, 100% #1.txt": 'Report for O\'Brien, 100% done.\n"quoted", <tag> & more\n',
    });
    const mail: ComposedMail = {
      from: { name: 'Test Sender', address: senderAddress },
      to: ['jana.novakova@firma.example', "o'brien@firma.example"],
      cc: ['ucetni+faktury@firma.example'],
      bcc: ['archiv@firma.example'],
      subject: 'Faktura 2026/001, "Nováková" & spol.; $(x) %PATH%',
      text: body,
      attachments: files.map((file) => ({ path: file })),
    };

    const window = await handOff(composeArgument(mail, 'linux'));

    expect(window.subject).toBe(mail.subject);
    expect(window.toPills).toEqual(mail.to);
    expect(window.ccPills).toEqual(mail.cc);
    expect(window.bccPills).toEqual(mail.bcc);
    expect(window.from).toBe(senderAddress);
    expect(window.attachments.map(({ name, size }) => ({ name, size }))).toEqual(await expectedAttachments(files));
  });

  it.each([
    "x',attachment='file:///etc/passwd",
    'x,attachment=file:///etc/passwd',
    'x%2Cattachment%3Dfile%3A%2F%2F%2Fetc%2Fpasswd',
  ])('keeps the subject %j a subject and attaches only the intended file', async (subject) => {
    const files = await writeFiles({ "evil',attachment='x.txt": 'the only attachment\n' });
    const mail: ComposedMail = {
      to: ['jana@firma.example'],
      cc: [],
      bcc: [],
      subject,
      text: subject,
      attachments: files.map((file) => ({ path: file })),
    };

    const window = await handOff(composeArgument(mail, 'linux'));

    expect(window.subject).toBe(subject);
    expect(window.toPills).toEqual(['jana@firma.example']);
    expect(window.ccPills).toEqual([]);
    expect(window.attachments.map(({ name, size }) => ({ name, size }))).toEqual(await expectedAttachments(files));
  });

  it('leaves no attachment at all when a hostile subject comes without one', async () => {
    const mail: ComposedMail = {
      to: ['jana@firma.example'],
      cc: [],
      bcc: [],
      subject: "x',attachment='file:///etc/passwd",
      text: '',
      attachments: [],
    };

    const window = await handOff(composeArgument(mail, 'linux'));

    expect(window.subject).toBe(mail.subject);
    expect(window.attachments).toEqual([]);
  });

  const bodyMail: ComposedMail = {
    to: ['jana@firma.example'],
    cc: [],
    bcc: [],
    subject: 'Tělo beze změny',
    text: body,
    attachments: [],
  };

  // In HTML compose (the identity's default) Thunderbird reads `body` as HTML: tags vanish, `&amp;`
  // becomes `&`, leading spaces collapse and a lone CR is no line break. Only plain-text compose
  // (`format=text`) gives the text back; see the reference case below.
  it('delivers the body exactly as written (tags, &, quotes, indentation, diacritics, blank lines)', async () => {
    const window = await handOff(composeArgument(bodyMail, 'linux'));

    expect(window.bodyPlain).toBe(bodyWithLf);
  });

  it('(reference) delivers the body exactly when the argument also says format=text', async () => {
    // Kurier's argument with one more pair, `format=text`, put before the attachment list: what the
    // builder would send if it asked for a plain-text message. Everything else must still arrive.
    const files = await writeFiles({ 'Fak tura, Žluťoučký "kůň".pdf': pdfBytes });
    const mail: ComposedMail = { ...bodyMail, attachments: files.map((file) => ({ path: file })) };
    const argument = composeArgument(mail, 'linux');
    const attachmentPair = argument.indexOf(",attachment='");
    expect(attachmentPair).toBeGreaterThan(0);

    const window = await handOff(`${argument.slice(0, attachmentPair)},format=text${argument.slice(attachmentPair)}`);

    expect(window.isHTML).toBe(false);
    expect(window.bodyPlain).toBe(bodyWithLf);
    expect(window.subject).toBe(mail.subject);
    expect(window.toPills).toEqual(mail.to);
    expect(window.attachments.map(({ name, size }) => ({ name, size }))).toEqual(await expectedAttachments(files));
  });

  it("through Kurier's HandoffService: finds Thunderbird, copies the file to the hand-off folder and opens it there", async () => {
    if (running === undefined) throw new Error('Thunderbird did not start (see beforeAll)');
    const thunderbird = running;
    onTestFinished(() => thunderbird.closeComposeWindows());
    const [file] = await writeFiles({ 'Faktura 2026,001 – Nováková.pdf': pdfBytes });
    const documentsDir = await tempDir('kurier-tb-documents-');
    // The service looks for Thunderbird itself, on the PATH of the environment the app runs in.
    const service = new HandoffService({
      platform: 'linux',
      env: { PATH: path.dirname(thunderbird.program[0] ?? '/usr/bin/thunderbird') },
      probe: nodeProgramProbe(),
      documentsDir,
      logger: createLogger('test', nullSink),
      launchEnv: thunderbird.env,
      thunderbirdProfile: thunderbird.profile,
    });
    const mail: ComposedMail = {
      from: { name: 'Test Sender', address: senderAddress },
      to: ['jana.novakova@firma.example'],
      cc: [],
      bcc: [],
      subject: 'Faktura 2026/001, "Nováková"',
      text: body,
      attachments: [{ path: file!, fileName: 'Faktura 2026,001 – Nováková.pdf' }],
    };

    expect((await service.routes()).find((option) => option.route === 'thunderbird')).toMatchObject({ available: true });
    const receipt = await service.handOff('thunderbird', mail);

    const outbox = path.join(documentsDir, 'Kurier', 'Outbox');
    expect(path.basename(receipt.attachmentPath ?? '')).toBe('Faktura 2026,001 – Nováková.pdf');
    expect(path.dirname(path.dirname(receipt.attachmentPath ?? ''))).toBe(outbox);
    const [window] = await thunderbird.readComposeWindows();
    expect(window?.subject).toBe(mail.subject);
    expect(window?.toPills).toEqual(mail.to);
    expect(window?.bodyPlain).toBe(bodyWithLf);
    expect(window?.attachments.map(({ name, size }) => ({ name, size }))).toEqual([
      { name: 'Faktura 2026,001 – Nováková.pdf', size: pdfBytes.length },
    ]);
    // Thunderbird reads the copy in the visible hand-off folder, not the export folder's file.
    expect(decodeURIComponent(new URL(window?.attachments[0]?.url ?? 'file:///').pathname)).toBe(receipt.attachmentPath);
  });
});
