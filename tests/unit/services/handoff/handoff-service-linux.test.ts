/**
 * What the HandoffService offers and does on Linux before any mail program runs: Thunderbird without
 * a mail account is not offered (its only window would be the account wizard), a message too long for
 * the command line is refused before launch, a Flatpak Thunderbird gets its copy in Downloads, and an
 * unknown default program is told nothing about a file it could split. Launches are captured.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComposedMail } from '../../../../electron/services/mail/composed-mail';
import { HandoffService } from '../../../../electron/services/handoff/handoff-service';
import { nodeProgramProbe, type ProgramProbe } from '../../../../electron/services/handoff/program-probe';
import { createLogger, nullSink } from '../../../../electron/services/logging/logger';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { tempDir } from '../../../support/temp-dir';

const account =
  'user_pref("mail.accountmanager.accounts", "account1");\nuser_pref("mail.account.account1.identities", "id1");\n' +
  'user_pref("mail.identity.id1.useremail", "jana@firma.cz");\n';
const mimeQuery = '/usr/bin/xdg-mime query default x-scheme-handler/mailto';

function withRealFiles(probe: ProgramProbe): ProgramProbe {
  const real = nodeProgramProbe();
  return {
    isExecutableFile: (file) => probe.isExecutableFile(file),
    isDirectory: (dir) => probe.isDirectory(dir),
    query: (argv) => probe.query(argv),
    readText: async (file) => (await probe.readText(file)) ?? real.readText(file),
  };
}

async function setUp(options: { prefs?: string; probe?: ProgramProbe; env?: Record<string, string>; withDownloads?: boolean }) {
  const home = await tempDir('kurier-linux-home-');
  const profile = path.join(home, 'profile');
  await mkdir(profile);
  if (options.prefs !== undefined) await writeFile(path.join(profile, 'prefs.js'), options.prefs);
  const source = path.join(home, 'export.pdf');
  await writeFile(source, '%PDF-1.4\n');
  const launches: (readonly string[])[] = [];
  const service = new HandoffService({
    platform: 'linux',
    env: { HOME: home, PATH: '/usr/bin', XDG_DATA_DIRS: '/usr/share', ...options.env },
    // The fake computer's programs and queries; the profile is real files on disk.
    probe: withRealFiles(options.probe ?? fakeProgramProbe({ files: ['/usr/bin/thunderbird'] })),
    documentsDir: path.join(home, 'Documents'),
    ...(options.withDownloads === true ? { downloadsDir: path.join(home, 'Downloads') } : {}),
    logger: createLogger('test', nullSink),
    thunderbirdProfile: profile,
    launch: (argv) => {
      launches.push(argv);
      return Promise.resolve({ kind: 'exited', code: 0, stderr: '' });
    },
  });
  const mail: ComposedMail = {
    to: ['jana@firma.cz'],
    cc: [],
    bcc: [],
    subject: 'Faktura',
    text: 'Dobrý den',
    attachments: [{ path: source, fileName: "Faktura FV-2026-0007, ABC, spol. s r.o. 'kůň'.pdf" }],
  };
  return { service, launches, mail, home };
}

describe('HandoffService on Linux', () => {
  it('does not offer a Thunderbird that has no mail account yet, and refuses to hand it anything', async () => {
    const { service, launches, mail } = await setUp({ prefs: 'user_pref("mail.accountmanager.accounts", "account2");\n' });
    expect((await service.routes()).find((option) => option.route === 'thunderbird')).toEqual({
      route: 'thunderbird',
      available: false,
      reason: { code: 'handoff.thunderbirdNoAccount', details: {} },
      notes: [],
    });
    await expect(service.handOff('thunderbird', mail)).rejects.toMatchObject({ code: 'handoff.thunderbirdNoAccount' });
    expect(launches).toEqual([]);
  });

  it('hands the body over as a file, not on the command line', async () => {
    const { service, launches, mail } = await setUp({ prefs: account });
    await service.handOff('thunderbird', mail);
    const argument = launches[0]?.at(-1) ?? '';
    expect(argument).not.toContain('body=');
    const file = decodeURIComponent(/message=([^,]+)/u.exec(argument)?.[1] ?? '');
    expect(await readFile(file, 'utf8')).toBe(mail.text);
  });

  it('refuses a command line the system would reject, before launching anything', async () => {
    const { service, launches, mail } = await setUp({ prefs: account });
    const many = Array.from({ length: 9_000 }, (_, i) => `prijemce.cislo.${String(i)}@firma-s-dlouhym-nazvem.cz`);
    await expect(service.handOff('thunderbird', { ...mail, to: many })).rejects.toMatchObject({ code: 'handoff.commandTooLong' });
    expect(launches).toEqual([]);
  });

  it('puts the copy for a Flatpak Thunderbird in Downloads, which the sandbox may read', async () => {
    const flatpak = fakeProgramProbe({ files: ['/usr/bin/flatpak'], dirs: ['/var/lib/flatpak/app/org.mozilla.Thunderbird'] });
    const { service, launches, mail, home } = await setUp({ prefs: account, probe: flatpak, withDownloads: true });
    const receipt = await service.handOff('thunderbird', mail);
    expect(launches[0]?.slice(0, 3)).toEqual(['/usr/bin/flatpak', 'run', 'org.mozilla.Thunderbird']);
    expect(path.relative(path.join(home, 'Downloads', 'Kurier', 'Outbox'), receipt.attachmentPath ?? '')).toMatch(
      /^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\//u,
    );
  });

  it('gives xdg-email (an unknown default program) only a path nothing can split, and says to check the PDF', async () => {
    const probe = fakeProgramProbe({
      files: ['/usr/bin/xdg-mime', '/usr/bin/xdg-email', '/usr/bin/sylpheed'],
      answers: { [mimeQuery]: 'sylpheed.desktop\n' },
      texts: { '/usr/share/applications/sylpheed.desktop': '[Desktop Entry]\nExec=sylpheed %u\n' },
    });
    const { service, launches, mail } = await setUp({ probe });
    expect((await service.routes()).find((option) => option.route === 'mailClient')).toEqual({
      route: 'mailClient',
      available: true,
      notes: ['attachmentUncertain'],
    });
    const receipt = await service.handOff('mailClient', mail);
    expect(receipt.notes).toEqual(['attachmentUncertain']);
    expect(path.basename(receipt.attachmentPath ?? '')).toBe('Faktura FV-2026-0007 ABC spol. s r.o. kůň.pdf');
    const argv = launches[0] ?? [];
    expect(argv[0]).toBe('/usr/bin/xdg-email');
    expect(argv[argv.indexOf('--attach') + 1]).toBe(receipt.attachmentPath);
  });

  it('greys the default mail program out when no mailto handler is set', async () => {
    const { service } = await setUp({ probe: fakeProgramProbe({ files: ['/usr/bin/xdg-mime', '/usr/bin/xdg-email'] }) });
    expect((await service.routes()).find((option) => option.route === 'mailClient')).toEqual({
      route: 'mailClient',
      available: false,
      reason: { code: 'handoff.noMailHandler', details: {} },
      notes: [],
    });
  });
});
