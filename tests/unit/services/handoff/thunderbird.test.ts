/**
 * Thunderbird's -compose argument for a realistic message, the argv around it, and where Kurier looks
 * for Thunderbird on each platform (a fake probe stands in for the disk and the registry).
 */
import { describe, expect, it } from 'vitest';
import { composeArgument, thunderbirdArgv } from '../../../../electron/services/handoff/thunderbird-compose';
import { findThunderbird, thunderbirdCandidates } from '../../../../electron/services/handoff/thunderbird-location';
import { fakeProgramProbe } from '../../../support/fake-program-probe';
import { thunderbirdGetArgs } from '../../../support/thunderbird-get-args';

const invoice = {
  from: { name: 'Účtárna Dvořák', address: 'uctarna@dvorak-stavby.cz' },
  to: ['jana@firma.cz', "o'brien@firma.cz"],
  cc: ['eva@firma.cz'],
  bcc: [],
  subject: 'Faktura FV-2026-0001, splatná 17. 11.',
  text: 'Dobrý den,\nv příloze posíláme fakturu.\n',
  attachments: [
    { path: "/home/jana/Documents/Kurier/Outbox/Faktura, č. 1 'O'Brien' ř.pdf" },
    { path: '/home/jana/Documents/Kurier/Outbox/Dodací list.pdf' },
  ],
};

describe('composeArgument', () => {
  it('percent-encodes every text field unquoted, to first, and quotes one list of file URLs', () => {
    expect(composeArgument(invoice, 'linux')).toBe(
      [
        'to=jana%40firma.cz%2Co%27brien%40firma.cz',
        'cc=eva%40firma.cz',
        'from=uctarna%40dvorak-stavby.cz',
        'subject=Faktura%20FV-2026-0001%2C%20splatn%C3%A1%2017.%2011.',
        'body=Dobr%C3%BD%20den%2C%0Av%20p%C5%99%C3%ADloze%20pos%C3%ADl%C3%A1me%20fakturu.%0A',
        'format=text',
        "attachment='file:///home/jana/Documents/Kurier/Outbox/Faktura%2C%20%C4%8D.%201%20%27O%27Brien%27%20%C5%99.pdf,file:///home/jana/Documents/Kurier/Outbox/Dodac%C3%AD%20list.pdf'",
      ].join(','),
    );
  });

  it('gives Thunderbird the same values back', () => {
    const args = thunderbirdGetArgs(composeArgument(invoice, 'linux'));
    expect(args).toEqual({
      to: "jana@firma.cz,o'brien@firma.cz",
      cc: 'eva@firma.cz',
      from: 'uctarna@dvorak-stavby.cz',
      subject: invoice.subject,
      body: invoice.text,
      format: 'text',
      attachment: invoice.attachments
        .map((a) => new URL(`file://${a.path}`).href.replace(/,/gu, '%2C').replace(/'/gu, '%27'))
        .join(','),
    });
  });

  it('writes Windows paths as file:///C:/ URLs, UNC paths as file://server/', () => {
    const argument = composeArgument(
      {
        ...invoice,
        attachments: [
          { path: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura, č. 1.pdf' },
          { path: '\\\\server\\účty\\a b.pdf' },
        ],
      },
      'win32',
    );
    expect(argument).toContain(
      "attachment='file:///C:/Users/Jana/Documents/Kurier/Outbox/Faktura%2C%20%C4%8D.%201.pdf,file://server/%C3%BA%C4%8Dty/a%20b.pdf'",
    );
  });

  it('leaves out empty cc, bcc, body and attachments', () => {
    expect(composeArgument({ to: ['jana@firma.cz'], cc: [], bcc: [], subject: '', text: '', attachments: [] }, 'linux')).toBe(
      'to=jana%40firma.cz,subject=,format=text',
    );
  });

  it('refuses relative attachment paths, which Thunderbird would resolve against its own folder', () => {
    expect(() => composeArgument({ ...invoice, attachments: [{ path: 'Faktura.pdf' }] }, 'linux')).toThrow(
      expect.objectContaining({ code: 'input.invalid' }),
    );
  });
});

describe('thunderbirdArgv', () => {
  it('puts -compose and its one argument after the program, and a test profile before them', () => {
    expect(thunderbirdArgv({ command: ['/usr/bin/thunderbird'] }, 'to=a%40b.cz')).toEqual([
      '/usr/bin/thunderbird',
      '-compose',
      'to=a%40b.cz',
    ]);
    expect(thunderbirdArgv({ command: ['/usr/bin/thunderbird'] }, 'to=a%40b.cz', '/tmp/tb profile')).toEqual([
      '/usr/bin/thunderbird',
      '-profile',
      '/tmp/tb profile',
      '-compose',
      'to=a%40b.cz',
    ]);
  });
});

const windowsEnv = {
  SYSTEMROOT: 'C:\\WINDOWS',
  ProgramFiles: 'C:\\Program Files',
  'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
  LocalAppData: 'C:\\Users\\Jana\\AppData\\Local',
};
const appPathsQuery =
  'C:\\WINDOWS\\System32\\reg.exe query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\thunderbird.exe /ve';

describe('thunderbirdCandidates', () => {
  it('on Windows asks App Paths (HKLM, HKCU) with reg.exe by absolute path, then the install folders', () => {
    expect(thunderbirdCandidates('win32', windowsEnv)).toEqual([
      {
        kind: 'registry',
        argv: [
          'C:\\WINDOWS\\System32\\reg.exe',
          'query',
          'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\thunderbird.exe',
          '/ve',
        ],
      },
      {
        kind: 'registry',
        argv: [
          'C:\\WINDOWS\\System32\\reg.exe',
          'query',
          'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\thunderbird.exe',
          '/ve',
        ],
      },
      { kind: 'file', path: 'C:\\Program Files\\Mozilla Thunderbird\\thunderbird.exe', packaging: 'native' },
      { kind: 'file', path: 'C:\\Program Files (x86)\\Mozilla Thunderbird\\thunderbird.exe', packaging: 'native' },
      { kind: 'file', path: 'C:\\Users\\Jana\\AppData\\Local\\Mozilla Thunderbird\\thunderbird.exe', packaging: 'native' },
      {
        kind: 'appx',
        argv: [
          'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          '-NoLogo',
          '-NoProfile',
          '-NonInteractive',
          '-Command',
          "Get-AppxPackage -Name 'MozillaThunderbird*' | ForEach-Object { $_.PackageFamilyName }",
        ],
        alias: 'C:\\Users\\Jana\\AppData\\Local\\Microsoft\\WindowsApps\\thunderbird.exe',
      },
    ]);
  });

  it('on Linux tries absolute PATH entries, snap, the library folder, then flatpak', () => {
    const candidates = thunderbirdCandidates('linux', { PATH: '/usr/local/bin::.:bin:/usr/bin', HOME: '/home/jana' });
    expect(candidates).toEqual([
      { kind: 'file', path: '/usr/local/bin/thunderbird', packaging: 'native' },
      { kind: 'file', path: '/usr/bin/thunderbird', packaging: 'native' },
      { kind: 'file', path: '/usr/local/bin/thunderbird-esr', packaging: 'native' },
      { kind: 'file', path: '/usr/bin/thunderbird-esr', packaging: 'native' },
      { kind: 'file', path: '/snap/bin/thunderbird', packaging: 'snap' },
      { kind: 'file', path: '/usr/lib/thunderbird/thunderbird', packaging: 'native' },
      {
        kind: 'flatpak',
        appDirs: ['/home/jana/.local/share/flatpak/app/org.mozilla.Thunderbird', '/var/lib/flatpak/app/org.mozilla.Thunderbird'],
        flatpakPrograms: ['/usr/local/bin/flatpak', '/usr/bin/flatpak'],
      },
    ]);
  });

  it('on macOS looks inside the app bundle in /Applications and ~/Applications', () => {
    expect(thunderbirdCandidates('darwin', { HOME: '/Users/jana' }).map((c) => (c.kind === 'file' ? c.path : c.kind))).toEqual([
      '/Applications/Thunderbird.app/Contents/MacOS/thunderbird',
      '/Users/jana/Applications/Thunderbird.app/Contents/MacOS/thunderbird',
    ]);
  });
});

describe('findThunderbird', () => {
  it('takes the App Paths value on Windows, even on a localised Windows, once the file exists', async () => {
    const probe = fakeProgramProbe({
      files: ['D:\\Apps\\Thunderbird\\thunderbird.exe'],
      answers: {
        [appPathsQuery]:
          '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\...\\thunderbird.exe\r\n    (Výchozí)    REG_SZ    "D:\\Apps\\Thunderbird\\thunderbird.exe"\r\n\r\n',
      },
    });
    expect(await findThunderbird('win32', windowsEnv, probe)).toEqual({
      command: ['D:\\Apps\\Thunderbird\\thunderbird.exe'],
      packaging: 'native',
    });
  });

  it('falls back to Program Files when App Paths points at a file that is gone', async () => {
    const probe = fakeProgramProbe({
      files: ['C:\\Program Files (x86)\\Mozilla Thunderbird\\thunderbird.exe'],
      answers: { [appPathsQuery]: '    (Default)    REG_SZ    C:\\Old\\thunderbird.exe\r\n' },
    });
    expect(await findThunderbird('win32', windowsEnv, probe)).toEqual({
      command: ['C:\\Program Files (x86)\\Mozilla Thunderbird\\thunderbird.exe'],
      packaging: 'native',
    });
  });

  it('expands REG_EXPAND_SZ values', async () => {
    const probe = fakeProgramProbe({
      files: ['C:\\Program Files\\Mozilla Thunderbird\\thunderbird.exe'],
      answers: { [appPathsQuery]: '    (Default)    REG_EXPAND_SZ    %ProgramFiles%\\Mozilla Thunderbird\\thunderbird.exe\r\n' },
    });
    expect(await findThunderbird('win32', windowsEnv, probe)).toEqual({
      command: ['C:\\Program Files\\Mozilla Thunderbird\\thunderbird.exe'],
      packaging: 'native',
    });
    expect(probe.asked[0]).toBe(appPathsQuery);
  });

  it('finds the snap, and the flatpak through the flatpak program', async () => {
    const env = { PATH: '/usr/bin', HOME: '/home/jana' };
    expect(await findThunderbird('linux', env, fakeProgramProbe({ files: ['/snap/bin/thunderbird'] }))).toEqual({
      command: ['/snap/bin/thunderbird'],
      packaging: 'snap',
    });
    const flatpak = fakeProgramProbe({ files: ['/usr/bin/flatpak'], dirs: ['/var/lib/flatpak/app/org.mozilla.Thunderbird'] });
    expect(await findThunderbird('linux', env, flatpak)).toEqual({
      command: ['/usr/bin/flatpak', 'run', 'org.mozilla.Thunderbird'],
      packaging: 'flatpak',
    });
  });

  it('finds the Microsoft Store Thunderbird by its package and starts its execution alias unseen', async () => {
    // The alias is not among the files the probe can see: fs.stat cannot read an execution alias.
    const appxQuery = `C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoLogo -NoProfile -NonInteractive -Command Get-AppxPackage -Name 'MozillaThunderbird*' | ForEach-Object { $_.PackageFamilyName }`;
    const probe = fakeProgramProbe({ answers: { [appxQuery]: 'MozillaThunderbird.MZLA_h5892qc0xkpca\r\n' } });
    expect(await findThunderbird('win32', windowsEnv, probe)).toEqual({
      command: ['C:\\Users\\Jana\\AppData\\Local\\Microsoft\\WindowsApps\\thunderbird.exe'],
      packaging: 'store',
      packageFamily: 'MozillaThunderbird.MZLA_h5892qc0xkpca',
    });
  });

  it('says null when there is no Thunderbird', async () => {
    expect(await findThunderbird('linux', { PATH: '/usr/bin' }, fakeProgramProbe({ files: ['/usr/bin/flatpak'] }))).toBeNull();
    expect(await findThunderbird('win32', windowsEnv, fakeProgramProbe({}))).toBeNull();
    expect(await findThunderbird('darwin', {}, fakeProgramProbe({}))).toBeNull();
  });
});
