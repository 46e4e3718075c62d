/**
 * The Outlook route of the HandoffService as Windows would see it. Outlook cannot run on Linux, so the
 * registry answers come from a fake probe (as reg.exe prints them) and the launch is captured instead
 * of run: what is checked is exactly what Windows would be handed — the argv, the JSON data file the
 * shipped PowerShell script reads (display or send), and the `.eml` draft new Outlook opens, parsed
 * back with a MIME parser.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import type { LaunchOptions, LaunchOutcome } from '../../../../electron/services/handoff/launch';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { KurierError } from '../../../../shared/errors';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { tempDir } from '../../../support/temp-dir';

const classic = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE';
const olk = 'C:\\Users\\Jana\\AppData\\Local\\Microsoft\\WindowsApps\\olk.exe';
const env = { SystemRoot: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\Jana\\AppData\\Local' };
const reg = 'C:\\Windows\\System32\\reg.exe';
const switchKey = `${reg} query HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Preferences /v UseNewOutlook`;
const classicKey = `${reg} query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\OUTLOOK.EXE /ve`;

type Computer = 'classic' | 'switchedToNew' | 'nothing';

const computers: Record<Computer, Parameters<typeof fakeProgramProbe>[0]> = {
  classic: { files: [classic], answers: { [classicKey]: `    (Default)    REG_SZ    "${classic}"\r\n` } },
  switchedToNew: {
    // New Outlook is found by its package; its execution alias (olk) is not a file fs.stat can read.
    files: [classic],
    answers: {
      [`C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoLogo -NoProfile -NonInteractive -Command Get-AppxPackage -Name 'Microsoft.OutlookForWindows' | ForEach-Object { $_.PackageFamilyName }`]:
        'Microsoft.OutlookForWindows_8wekyb3d8bbwe\r\n',
      [classicKey]: `    (Default)    REG_SZ    ${classic}\r\n`,
      [switchKey]: '    UseNewOutlook    REG_DWORD    0x1\r\n',
    },
  },
  nothing: {},
};

async function setUp(computer: Computer, exitCode: number | 'running' | 'cannotStart' = 0) {
  const documentsDir = await tempDir('kurier-handoff-docs-');
  const launches: { argv: readonly string[]; options: LaunchOptions }[] = [];
  const service = new HandoffService({
    platform: 'win32',
    env,
    probe: fakeProgramProbe(computers[computer]),
    documentsDir,
    logger: createLogger('test', nullSink),
    launch: (argv, options): Promise<LaunchOutcome> => {
      launches.push({ argv, options });
      if (exitCode === 'cannotStart') return Promise.reject(Object.assign(new Error('spawn EACCES'), { code: 'EACCES' }));
      return Promise.resolve(exitCode === 'running' ? { kind: 'running' } : { kind: 'exited', code: exitCode, stderr: '' });
    },
  });
  const exported = path.join(await tempDir('kurier-handoff-export-'), 'Faktura 2026,001 – Dvořák.pdf');
  await writeFile(exported, '%PDF-1.7\n%âãÏÓ\n%%EOF\n');
  const mail: ComposedMail = {
    to: ['jana.dvorakova@firma.example'],
    cc: ['ucetni@firma.example'],
    bcc: [],
    subject: 'Faktura 2026/001 – "Dvořák" & spol.',
    text: 'Dobrý den,\n\nv příloze posílám fakturu.',
    attachments: [{ path: exported, fileName: 'Faktura 2026,001 – Dvořák.pdf', contentType: 'application/pdf' }],
  };
  return { service, launches, mail, outbox: path.join(documentsDir, 'Kurier', 'Outbox') };
}

describe('HandoffService, Outlook on Windows', () => {
  it('offers classic Outlook and hands it a JSON data file for review by default, or to send at once', async () => {
    const { service, launches, mail, outbox } = await setUp('classic');
    expect((await service.routes()).find((option) => option.route === 'outlook')).toEqual({
      route: 'outlook',
      available: true,
      notes: [],
    });

    const review = await service.handOff('outlook', mail);
    const sent = await service.handOff('outlook', mail, { outlookMode: 'send' });

    expect(review).toMatchObject({ sent: false, notes: [] });
    // The script ran to its end with Send(): Outlook sent it, the dialog says so instead of "check it".
    expect(sent).toMatchObject({ sent: true, notes: [] });
    // Each hand-off gets its own copy in its own subfolder of the hand-off folder (an earlier one may still be open).
    expect(path.dirname(path.dirname(review.attachmentPath ?? ''))).toBe(outbox);
    expect(path.basename(sent.attachmentPath ?? '')).toBe(path.basename(review.attachmentPath ?? ''));
    expect(sent.attachmentPath).not.toBe(review.attachmentPath);
    const modes = await Promise.all(
      launches.map(async ({ argv }, index) => {
        expect(argv[0]).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
        // The last argument is the data file; the script never holds the message.
        const data = JSON.parse(await readFile(argv.at(-1) ?? '', 'utf8')) as {
          mode: string;
          subject: string;
          to: string[];
          attachments: string[];
        };
        expect(data.subject).toBe(mail.subject);
        expect(data.to).toEqual(mail.to);
        expect(data.attachments).toEqual([[review, sent][index]?.attachmentPath]);
        expect(argv.join(' ')).not.toContain(mail.subject);
        return data.mode;
      }),
    );
    expect(modes).toEqual(['display', 'send']);
  });

  it('hands the new Outlook an unsent .eml draft with the attachment, and says the user sends it there', async () => {
    const { service, launches, mail, outbox } = await setUp('switchedToNew');
    expect((await service.routes()).find((option) => option.route === 'outlook')).toEqual({
      route: 'outlook',
      available: true,
      notes: ['newOutlookDraft'],
    });

    // "Send at once" cannot be honoured by the new Outlook: it still opens the draft, and says so.
    const receipt = await service.handOff('outlook', mail, { outlookMode: 'send' });

    expect(receipt).toMatchObject({ sent: false, notes: ['newOutlookDraft'] });
    expect(launches).toHaveLength(1);
    const [program, draftPath, ...rest] = launches[0]?.argv ?? [];
    expect(program).toBe(olk);
    expect(rest).toEqual([]);
    expect(path.dirname(path.dirname(draftPath ?? ''))).toBe(outbox);
    expect(draftPath).toMatch(/\.eml$/u);
    const raw = await readFile(draftPath ?? '');
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('x-unsent')).toBe('1');
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.text?.trim()).toBe(mail.text);
    expect([parsed.to].flat().flatMap((to) => to?.value.map((a) => a.address))).toEqual(mail.to);
    expect([parsed.cc].flat().flatMap((cc) => cc?.value.map((a) => a.address))).toEqual(mail.cc);
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString('latin1')])).toEqual([
      ['Faktura 2026,001 – Dvořák.pdf', (await readFile(mail.attachments[0]?.path ?? '')).toString('latin1')],
    ]);
    // No PowerShell, no COM: the draft is the whole hand-off.
    expect(
      (await readdir(outbox, { recursive: true })).filter((name) => name.endsWith('.json') || name.endsWith('.ps1')),
    ).toEqual([]);
  });

  it('greys Outlook out with a reason when neither Outlook is installed, and refuses the hand-off clearly', async () => {
    const { service, launches, mail } = await setUp('nothing');
    expect((await service.routes()).find((option) => option.route === 'outlook')).toEqual({
      route: 'outlook',
      available: false,
      reason: { code: 'handoff.outlookNotInstalled', details: {} },
      notes: [],
    });
    const error: unknown = await service.handOff('outlook', mail).catch((e: unknown) => e);
    expect(error instanceof KurierError && error.code).toBe('handoff.outlookNotInstalled');
    expect(launches).toEqual([]);
  });

  it('says the message waits in the Outbox when Outlook had not sent it by the end of the wait', async () => {
    const { service, mail } = await setUp('classic', 16);
    expect(await service.handOff('outlook', mail, { outlookMode: 'send' })).toMatchObject({
      sent: false,
      notes: ['outlookInOutbox'],
    });
  });

  it("turns the script's exit code for a refused security prompt into its own message", async () => {
    const { service, mail } = await setUp('classic', 15);
    const error: unknown = await service.handOff('outlook', mail, { outlookMode: 'send' }).catch((e: unknown) => e);
    expect(error instanceof KurierError && error.code).toBe('handoff.outlookSendDenied');
  });

  it('does not claim Outlook sent it while the script is still waiting on Outlook (its security prompt, say)', async () => {
    const { service, launches, mail } = await setUp('classic', 'running');
    const receipt = await service.handOff('outlook', mail, { outlookMode: 'send' });
    expect(receipt).toMatchObject({ sent: false, notes: ['outlookNotAnswered'] });
    // Sending waits longer than review does, so the user has time to answer Outlook's prompt.
    expect(launches[0]?.options.waitMs).toBe(10 * 60_000);
  });

  it('reports a PowerShell that cannot start as a hand-off failure, not a crash of the export', async () => {
    const { service, mail } = await setUp('classic', 'cannotStart');
    const error: unknown = await service.handOff('outlook', mail).catch((e: unknown) => e);
    expect(error instanceof KurierError && [error.code, error.details]).toEqual([
      'handoff.launchFailed',
      { program: 'PowerShell' },
    ]);
  });
});
