/** reg.exe and PowerShell by absolute path, and reading what reg.exe prints (also on localised Windows). */
import { describe, expect, it } from 'vitest';
import {
  parseRegQuery,
  powershellPath,
  programPathFromRegistry,
  regQueryArgv,
  windowsEnv,
} from '../../../../electron/services/handoff/windows-commands';

describe('windowsEnv', () => {
  it('finds variables whatever their case, and ignores empty ones', () => {
    expect(windowsEnv({ 'PROGRAMFILES(X86)': 'C:\\P86', systemroot: '' }, 'ProgramFiles(x86)')).toBe('C:\\P86');
    expect(windowsEnv({ systemroot: '' }, 'SystemRoot')).toBeUndefined();
  });
});

describe('program paths', () => {
  it('runs PowerShell 5.1 and reg.exe from System32, never through PATH', () => {
    expect(powershellPath({ SystemRoot: 'D:\\WIN' })).toBe('D:\\WIN\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(powershellPath({})).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(regQueryArgv({}, 'HKCU\\Software\\X', null)).toEqual([
      'C:\\Windows\\System32\\reg.exe',
      'query',
      'HKCU\\Software\\X',
      '/ve',
    ]);
    expect(regQueryArgv({}, 'HKCU\\Software\\X', 'Y Z')).toEqual([
      'C:\\Windows\\System32\\reg.exe',
      'query',
      'HKCU\\Software\\X',
      '/v',
      'Y Z',
    ]);
  });
});

describe('parseRegQuery', () => {
  it.each([
    [
      '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n    (Default)    REG_SZ    C:\\Program Files\\X\\x.exe\r\n\r\n',
      { type: 'REG_SZ', data: 'C:\\Program Files\\X\\x.exe' },
    ],
    ['HKEY_LOCAL_MACHINE\\SOFTWARE\\X\n    (Domyślna)    REG_SZ    "C:\\X\\x.exe"\n', { type: 'REG_SZ', data: '"C:\\X\\x.exe"' }],
    ['    UseNewOutlook    REG_DWORD    0x1\r\n', { type: 'REG_DWORD', data: '0x1' }],
    ['    (Default)    REG_SZ\r\n', { type: 'REG_SZ', data: '' }],
  ])('reads %j', (output, value) => {
    expect(parseRegQuery(output)).toEqual(value);
  });

  it('says null for an answer without a value', () => {
    expect(parseRegQuery('')).toBeNull();
    expect(parseRegQuery('ERROR: The system was unable to find the specified registry key or value.\r\n')).toBeNull();
  });
});

describe('programPathFromRegistry', () => {
  it('drops quotes and arguments after them, and expands REG_EXPAND_SZ only', () => {
    expect(programPathFromRegistry({ type: 'REG_SZ', data: '"C:\\X\\x.exe" -mail' }, {})).toBe('C:\\X\\x.exe');
    expect(programPathFromRegistry({ type: 'REG_EXPAND_SZ', data: '%ProgramFiles%\\X\\x.exe' }, { PROGRAMFILES: 'C:\\P' })).toBe(
      'C:\\P\\X\\x.exe',
    );
    expect(programPathFromRegistry({ type: 'REG_EXPAND_SZ', data: '%Nope%\\x.exe' }, {})).toBe('%Nope%\\x.exe');
    expect(programPathFromRegistry({ type: 'REG_SZ', data: '%ProgramFiles%\\x.exe' }, { ProgramFiles: 'C:\\P' })).toBe(
      '%ProgramFiles%\\x.exe',
    );
  });
});
