/**
 * "The default mail program" on Linux against the real Thunderbird and the real xdg-mime: Thunderbird
 * is the desktop's mailto handler (a desktop entry and mimeapps.list in the test's own XDG folders),
 * Kurier resolves it and hands the message over with its own exact route. The compose window is read
 * back over Marionette: the attachment names a Czech company with a comma and quotes, a partner name
 * that tried to add a Bcc through xdg-email, a 60 000-character body, and a re-sent document.
 *
 * Needs Linux with thunderbird, xdg-utils, Xvfb and dbus-daemon; skipped elsewhere.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { nodeProgramProbe } from '../../../../electron/services/handoff/program-probe';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { startThunderbird, thunderbirdAvailable, type RunningThunderbird } from '../../../support/thunderbird-harness';

const available = thunderbirdAvailable();
const czechName = "Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf";
const evilName = "Faktura FV-2026-0008 Evil s.r.o.',bcc=attacker@evil.example,x.pdf";
const pdf = Buffer.from(
  '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

describe.skipIf(!available.ok)('the Linux default mail program is the real Thunderbird', () => {
  let running: RunningThunderbird | undefined;
  let service: HandoffService;
  let documentsDir: string;
  let exportDir: string;

  beforeAll(async () => {
    running = await startThunderbird();
    const env = running.env;
    const home = env.HOME ?? '/nonexistent';
    // The desktop's answer to "which program handles mailto:" — what xdg-mime reads on any desktop.
    const dataHome = path.join(home, '.local', 'share');
    await mkdir(path.join(dataHome, 'applications'), { recursive: true });
    await writeFile(
      path.join(dataHome, 'applications', 'thunderbird.desktop'),
      `[Desktop Entry]\nType=Application\nName=Thunderbird\nExec=${running.program[0] ?? 'thunderbird'} %u\nMimeType=x-scheme-handler/mailto;\n`,
    );
    await mkdir(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), { recursive: true });
    await writeFile(
      path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'mimeapps.list'),
      '[Default Applications]\nx-scheme-handler/mailto=thunderbird.desktop\n',
    );
    const kurierEnv = { ...env, XDG_DATA_HOME: dataHome, XDG_DATA_DIRS: path.join(home, 'no-system-entries') };
    // Inside the harness's home, which stop() removes.
    documentsDir = path.join(home, 'Documents');
    exportDir = path.join(home, 'export');
    await mkdir(exportDir, { recursive: true });
    service = new HandoffService({
      platform: 'linux',
      env: kurierEnv,
      probe: nodeProgramProbe({ env: kurierEnv }),
      documentsDir,
      logger: createLogger('test', nullSink),
      launchEnv: env,
      thunderbirdProfile: running.profile,
    });
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  async function exported(name: string): Promise<string> {
    const file = path.join(exportDir, name);
    await writeFile(file, pdf);
    return file;
  }

  function mailWith(attachments: ComposedMail['attachments'], text = 'Dobrý den,\n\n  v příloze fakturu.\n'): ComposedMail {
    return {
      to: ['jana@firma.example'],
      cc: [],
      bcc: [],
      subject: "Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'",
      text,
      attachments,
    };
  }

  it('offers the default mail program and hands the PDF over intact, with no Bcc from the file name', async () => {
    const thunderbird = running!;
    onTestFinished(() => thunderbird.closeComposeWindows());
    expect((await service.routes()).find((option) => option.route === 'mailClient')).toEqual({
      route: 'mailClient',
      available: true,
      notes: [],
    });
    const files = [await exported(czechName), await exported(evilName)];

    const receipt = await service.handOff(
      'mailClient',
      mailWith(files.map((file) => ({ path: file, fileName: path.basename(file) }))),
    );

    const [window] = await thunderbird.readComposeWindows();
    expect(window?.attachments.map(({ name, size }) => ({ name, size }))).toEqual([
      { name: czechName, size: pdf.length },
      { name: evilName, size: pdf.length },
    ]);
    expect(window?.bccPills).toEqual([]);
    expect(window?.ccPills).toEqual([]);
    expect(window?.toPills).toEqual(['jana@firma.example']);
    expect(window?.subject).toBe("Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'");
    expect(window?.bodyPlain).toBe('Dobrý den,\n\n  v příloze fakturu.\n');
    expect(receipt).toMatchObject({ route: 'mailClient', sent: false, notes: [] });
  });

  it('delivers a 60 000-character body intact, and keeps it off the command line', async () => {
    const thunderbird = running!;
    onTestFinished(() => thunderbird.closeComposeWindows());
    const line = 'Řádek s diakritikou, "uvozovkami", <značkami> & odsazením:   %PATH% $(x)\n';
    const body = line.repeat(Math.ceil(60_000 / line.length)).slice(0, 60_000);
    expect(body).toHaveLength(60_000);

    await service.handOff('thunderbird', mailWith([{ path: await exported(czechName), fileName: czechName }], body));

    const [window] = await thunderbird.readComposeWindows();
    expect(window?.bodyPlain).toBe(body);
    expect(window?.attachments.map((a) => a.name)).toEqual([czechName]);
  });

  it('keeps the real file name when the same document is sent again', async () => {
    const thunderbird = running!;
    onTestFinished(() => thunderbird.closeComposeWindows());
    const file = await exported(czechName);
    const first = await service.handOff('thunderbird', mailWith([{ path: file, fileName: czechName }]));
    await thunderbird.readComposeWindows();
    const second = await service.handOff('thunderbird', mailWith([{ path: file, fileName: czechName }]));

    const windows = await thunderbird.readComposeWindows({ count: 2 });
    expect(windows.flatMap((window) => window.attachments.map((a) => a.name))).toEqual([czechName, czechName]);
    expect(path.basename(second.attachmentPath ?? '')).toBe(czechName);
    expect(path.dirname(second.attachmentPath ?? '')).not.toBe(path.dirname(first.attachmentPath ?? ''));
    expect((await stat(second.attachmentPath ?? '')).size).toBe(pdf.length);
  });
});
