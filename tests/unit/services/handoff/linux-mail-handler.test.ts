/**
 * The Linux default mail program: the desktop entry's Exec line read as the specification says, the
 * program recognised behind env, snap and flatpak wrappers, the documented compose command lines, and
 * an unconfigured Thunderbird profile found from profiles.ini / installs.ini on a real file system.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxComposeArgv } from '../../../../electron/services/handoff/linux-compose';
import { classifyExec, desktopExec, resolveLinuxMailHandler } from '../../../../electron/services/handoff/linux-mail-handler';
import { linuxMailNotes, linuxMailPlan } from '../../../../electron/services/handoff/linux-mail-route';
import { nodeProgramProbe } from '../../../../electron/services/handoff/program-probe';
import { thunderbirdHasAccount } from '../../../../electron/services/handoff/thunderbird-profile';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { tempDir } from '../../../support/temp-dir';

const mimeQuery = '/usr/bin/xdg-mime query default x-scheme-handler/mailto';

describe('desktopExec and classifyExec', () => {
  it.each([
    ['Exec=thunderbird %u', ['thunderbird'], 'thunderbird', 'native'],
    ['Exec=/usr/bin/thunderbird-esr -compose %u', ['/usr/bin/thunderbird-esr', '-compose'], 'thunderbird', 'native'],
    [
      'Exec=env BAMF_DESKTOP_FILE_HINT=/var/lib/snapd/desktop/applications/thunderbird_thunderbird.desktop /snap/bin/thunderbird %u',
      null,
      'thunderbird',
      'snap',
    ],
    [
      'Exec=/usr/bin/flatpak run --branch=stable --arch=x86_64 --command=thunderbird --file-forwarding org.mozilla.Thunderbird @@u %u @@',
      null,
      'thunderbird',
      'flatpak',
    ],
    ['Exec="/opt/My Mail/evolution" %U', ['/opt/My Mail/evolution'], 'evolution', 'native'],
    ['Exec=kmail --composer %u', null, 'kmail', 'native'],
    ['Exec=claws-mail --compose %u', null, 'claws', 'native'],
    ['Exec=geary %U', null, 'geary', 'native'],
    ['Exec=exo-open --launch MailReader %u', null, 'other', 'native'],
  ] as const)('%j', (line, argv, program, packaging) => {
    const exec = desktopExec(`[Desktop Entry]\nName=X\n${line}\n\n[Desktop Action compose]\nExec=other %u\n`);
    if (argv !== null) expect(exec).toEqual(argv);
    expect(classifyExec(exec ?? [])).toMatchObject({ program, packaging });
  });

  it('reads the Exec of the [Desktop Entry] group only', () => {
    expect(desktopExec('[Desktop Action new]\nExec=evil\n[Desktop Entry]\nExec=geary\n')).toEqual(['geary']);
    expect(desktopExec('[Desktop Entry]\nName=no exec\n')).toBeNull();
  });
});

describe('resolveLinuxMailHandler and the route it gives', () => {
  const env = { HOME: '/home/jana', PATH: '/usr/bin', XDG_DATA_DIRS: '/usr/share' };

  it('finds the handler entry in the XDG data folders and resolves its program on PATH', async () => {
    const probe = fakeProgramProbe({
      files: ['/usr/bin/xdg-mime', '/usr/bin/thunderbird'],
      answers: { [mimeQuery]: 'thunderbird.desktop\n' },
      texts: { '/usr/share/applications/thunderbird.desktop': '[Desktop Entry]\nExec=thunderbird %u\n' },
    });
    expect(await resolveLinuxMailHandler(probe, env, '/usr/bin/xdg-mime')).toEqual({
      desktopFile: 'thunderbird.desktop',
      program: 'thunderbird',
      command: ['/usr/bin/thunderbird'],
      packaging: 'native',
      viaExoOpen: false,
    });
  });

  it('greys the route out with a reason when no handler is set', async () => {
    const plan = await linuxMailPlan(fakeProgramProbe({ files: ['/usr/bin/xdg-mime', '/usr/bin/xdg-email'] }), env);
    expect(plan).toEqual({ kind: 'none', reason: { code: 'handoff.noMailHandler', details: {} } });
  });

  it('says before handing off that exo-open cannot attach, and that an unknown program may not', async () => {
    const exo = fakeProgramProbe({
      files: ['/usr/bin/xdg-mime', '/usr/bin/xdg-email', '/usr/bin/exo-open'],
      answers: { [mimeQuery]: 'xfce4-mail-reader.desktop' },
      texts: { '/usr/share/applications/xfce4-mail-reader.desktop': '[Desktop Entry]\nExec=exo-open --launch MailReader %u\n' },
    });
    const exoPlan = await linuxMailPlan(exo, env);
    expect(exoPlan).toEqual({ kind: 'xdgEmail', xdgEmail: '/usr/bin/xdg-email', attach: false });
    expect(linuxMailNotes(exoPlan)).toEqual(['attachmentsLost']);

    const unknown = fakeProgramProbe({
      files: ['/usr/bin/xdg-mime', '/usr/bin/xdg-email', '/usr/bin/sylpheed'],
      answers: { [mimeQuery]: 'sylpheed.desktop' },
      texts: { '/usr/share/applications/sylpheed.desktop': '[Desktop Entry]\nExec=sylpheed --compose %u\n' },
    });
    expect(linuxMailNotes(await linuxMailPlan(unknown, env))).toEqual(['attachmentUncertain']);
    expect(linuxMailNotes(await linuxMailPlan(unknown, { ...env, XDG_CURRENT_DESKTOP: 'XFCE' }))).toEqual(['attachmentsLost']);
  });
});

describe('linuxComposeArgv', () => {
  const mail = {
    to: ['jana@firma.cz'],
    cc: ['eva@firma.cz'],
    bcc: [],
    subject: "Faktura, 'ABC' & spol.",
    text: 'Dobrý den,\n  s pozdravem',
    attachments: [{ path: "/home/jana/Documents/Kurier/Outbox/2026-03-01-0a1b2c3d/Faktura, 'kůň'.pdf" }],
  };
  const url = "file:///home/jana/Documents/Kurier/Outbox/2026-03-01-0a1b2c3d/Faktura,%20'k%C5%AF%C5%88'.pdf";

  it('Evolution: one mailto link with the file as attach=', () => {
    const [program, link] = linuxComposeArgv('evolution', ['/usr/bin/evolution'], mail);
    expect(program).toBe('/usr/bin/evolution');
    const parsed = new URL(link ?? '');
    expect(decodeURIComponent(parsed.pathname)).toBe('jana@firma.cz');
    expect(parsed.searchParams.get('subject')).toBe(mail.subject);
    expect(parsed.searchParams.get('body')).toBe('Dobrý den,\r\n  s pozdravem');
    expect(parsed.searchParams.getAll('attach')).toEqual([url]);
    expect([...parsed.searchParams.keys()].sort()).toEqual(['attach', 'body', 'cc', 'subject']);
  });

  it('KMail: every value its own element, recipients after --', () => {
    expect(linuxComposeArgv('kmail', ['/usr/bin/kmail'], mail)).toEqual([
      '/usr/bin/kmail',
      '--subject',
      mail.subject,
      '--cc',
      'eva@firma.cz',
      '--body',
      mail.text,
      '--attach',
      url,
      '--',
      'jana@firma.cz',
    ]);
  });

  it('Claws Mail: the link, then --attach with the paths last', () => {
    const argv = linuxComposeArgv('claws', ['/usr/bin/claws-mail'], mail);
    expect(argv.slice(0, 2)).toEqual(['/usr/bin/claws-mail', '--compose']);
    expect(argv.slice(3)).toEqual(['--attach', mail.attachments[0]!.path]);
  });
});

describe('thunderbirdHasAccount on real profile folders', () => {
  async function profileWith(prefs: string, installs = true): Promise<Record<string, string>> {
    const home = await tempDir();
    const dataDir = path.join(home, '.thunderbird');
    await mkdir(path.join(dataDir, 'abcd.default-esr'), { recursive: true });
    await mkdir(path.join(dataDir, 'old.default'), { recursive: true });
    await writeFile(
      path.join(dataDir, 'profiles.ini'),
      '[Profile1]\nName=default\nIsRelative=1\nPath=old.default\nDefault=1\n\n[Profile0]\nName=default-esr\nIsRelative=1\nPath=abcd.default-esr\n\n[General]\nStartWithLastProfile=1\nVersion=2\n',
    );
    if (installs) await writeFile(path.join(dataDir, 'installs.ini'), '[6F193CCC56814779]\nDefault=abcd.default-esr\nLocked=1\n');
    await writeFile(path.join(dataDir, installs ? 'abcd.default-esr' : 'old.default', 'prefs.js'), prefs);
    return { HOME: home };
  }
  const account =
    'user_pref("mail.accountmanager.accounts", "account1,account2");\nuser_pref("mail.account.account1.identities", "id1");\n' +
    'user_pref("mail.account.account1.server", "server1");\nuser_pref("mail.identity.id1.useremail", "jana@firma.cz");\n';
  const localFoldersOnly =
    'user_pref("mail.accountmanager.accounts", "account2");\nuser_pref("mail.account.account2.server", "server2");\n';
  const read = (file: string): Promise<string | null> => nodeProgramProbe().readText(file);

  it('finds the account in the profile installs.ini names', async () => {
    expect(await thunderbirdHasAccount(read, 'linux', await profileWith(account), { packaging: 'native' })).toBe(true);
  });

  it('detects a profile with only Local Folders as unconfigured', async () => {
    expect(await thunderbirdHasAccount(read, 'linux', await profileWith(localFoldersOnly), { packaging: 'native' })).toBe(false);
  });

  it('uses the Default=1 profile without installs.ini, and a never-started Thunderbird has no account', async () => {
    expect(await thunderbirdHasAccount(read, 'linux', await profileWith(account, false), { packaging: 'native' })).toBe(true);
    expect(await thunderbirdHasAccount(read, 'linux', { HOME: await tempDir() }, { packaging: 'native' })).toBe(false);
  });
});
