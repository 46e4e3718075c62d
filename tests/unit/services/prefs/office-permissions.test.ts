/**
 * The pure parts of the office-file permission check. Windows cannot run here, so the icacls argv and
 * the parsing of icacls' output are tested with the exact argv and with outputs as Windows prints
 * them (English, Czech and Polish names); the calls themselves run only on Windows.
 */
import { describe, expect, it } from 'vitest';
import { officeFolderAclArgv, parseIcaclsWriters, posixWarnings } from '../../../../electron/services/prefs/office-permissions';

describe('the Windows office folder ACL', () => {
  it('is set by icacls under %SystemRoot% with well-known SIDs: administrators and SYSTEM write, users read', () => {
    expect(officeFolderAclArgv('C:\\Windows', 'C:\\ProgramData\\Kurier')).toEqual([
      'C:\\Windows\\System32\\icacls.exe',
      'C:\\ProgramData\\Kurier',
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-32-544:(OI)(CI)F',
      '/grant:r',
      '*S-1-5-18:(OI)(CI)F',
      '/grant:r',
      '*S-1-5-32-545:(OI)(CI)RX',
    ]);
  });

  it('keeps a folder name with spaces as one argument (no shell ever splits it)', () => {
    const argv = officeFolderAclArgv('D:\\WINDOWS', 'D:\\Data kanceláře\\Kurier & spol');
    expect(argv[0]).toBe('D:\\WINDOWS\\System32\\icacls.exe');
    expect(argv[1]).toBe('D:\\Data kanceláře\\Kurier & spol');
  });
});

describe('who icacls says may write', () => {
  const folder = 'C:\\ProgramData\\Kurier';

  it('finds ordinary users and the creating user in a folder that inherited %ProgramData%’s ACL', () => {
    const stdout = [
      `${folder} NT AUTHORITY\\SYSTEM:(I)(OI)(CI)(F)`,
      '                      BUILTIN\\Administrators:(I)(OI)(CI)(F)',
      '                      KANCELAR-3\\jana:(I)(OI)(CI)(F)',
      '                      CREATOR OWNER:(I)(OI)(CI)(IO)(F)',
      '                      BUILTIN\\Users:(I)(OI)(CI)(RX)',
      '                      BUILTIN\\Users:(I)(CI)(WD,AD,WEA,WA)',
      '',
      'Successfully processed 1 files; Failed processing 0 files',
    ].join('\r\n');
    expect(parseIcaclsWriters(stdout, folder)).toEqual(['KANCELAR-3\\jana', 'BUILTIN\\Users']);
  });

  it('finds nobody in a folder locked as Kurier locks it', () => {
    const stdout = [
      `${folder} BUILTIN\\Administrators:(OI)(CI)(F)`,
      '                      NT AUTHORITY\\SYSTEM:(OI)(CI)(F)',
      '                      BUILTIN\\Users:(OI)(CI)(RX)',
      '',
      'Successfully processed 1 files; Failed processing 0 files',
    ].join('\r\n');
    expect(parseIcaclsWriters(stdout, folder)).toEqual([]);
  });

  it('reads Czech and Polish names, and skips deny entries', () => {
    const file = `${folder}\\global-preferences.json`;
    const czech = [
      `${file} BUILTIN\\Administrátoři:(I)(F)`,
      '    NT AUTHORITY\\SYSTEM:(I)(F)',
      '    BUILTIN\\Uživatelé:(I)(M)',
      '    Everyone:(DENY)(W)',
    ].join('\r\n');
    expect(parseIcaclsWriters(czech, file)).toEqual(['BUILTIN\\Uživatelé']);
    const polish = [`${file} ZARZĄDZANIE NT\\SYSTEM:(I)(F)`, '    BUILTIN\\Administratorzy:(I)(F)', '    Wszyscy:(I)(M)'].join(
      '\r\n',
    );
    expect(parseIcaclsWriters(polish, file)).toEqual(['Wszyscy']);
  });
});

describe('POSIX write bits', () => {
  it('warns about other-write always and group-write unless the group is root’s', () => {
    expect(posixWarnings({ path: '/etc/xdg/kurier', kind: 'folder', mode: 0o40755, gid: 0 })).toEqual([]);
    expect(posixWarnings({ path: '/etc/xdg/kurier', kind: 'folder', mode: 0o40775, gid: 0 })).toEqual([]);
    expect(posixWarnings({ path: '/mnt/kancelar/global-preferences.json', kind: 'file', mode: 0o100664, gid: 1000 })).toEqual([
      { path: '/mnt/kancelar/global-preferences.json', kind: 'file', writableBy: 'group', principal: '1000' },
    ]);
    expect(posixWarnings({ path: '/srv/k', kind: 'folder', mode: 0o41777, gid: 0 }).map((warning) => warning.writableBy)).toEqual(
      ['others'],
    );
  });
});
