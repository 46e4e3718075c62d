/**
 * How main tells the command line (`Kurier --cli -- ARGS`, from the launchers in build/cli) from an
 * ordinary start, in both argv layouts: the packaged binary's and Electron's from the checkout.
 */
import { describe, expect, it } from 'vitest';
import { appInvocation } from '../../electron/cli/invocation';

const hostile = [
  'file with spaces.isdoc',
  'it\'s "quoted".isdoc',
  '$(touch pwned)',
  '`id`',
  'line\nbreak',
  '',
  '--cli',
  '--',
  '--no-sandbox',
  '--inspect=9229',
  '; rm -rf ~',
  'C:\\Účetnictví\\faktury\\FV 1.isdoc',
  '*',
];

describe('appInvocation', () => {
  it('finds the command line in the packaged layout (binary, then its arguments)', () => {
    expect(appInvocation(['/opt/Kurier/kurier', '--cli', '--', 'documents', '--json'], true)).toEqual({
      kind: 'cli',
      args: ['documents', '--json'],
    });
    expect(appInvocation(['/opt/Kurier/kurier', '--cli', '--'], true)).toEqual({ kind: 'cli', args: [] });
    // The AppImage's AppRun puts --no-sandbox first where user namespaces are missing.
    expect(appInvocation(['/tmp/.mount_Kurier/kurier', '--no-sandbox', '--cli', '--', 'documents'], true)).toEqual({
      kind: 'cli',
      args: ['documents'],
    });
    // The launcher on Linux: no display needed.
    expect(
      appInvocation(['/opt/Kurier/kurier', '--ozone-platform=headless', '--disable-gpu', '--cli', '--', 'documents'], true),
    ).toEqual({
      kind: 'cli',
      args: ['documents'],
    });
    // Typed by hand, without the `--`.
    expect(appInvocation(['Kurier.exe', '--cli', 'documents'], true)).toEqual({ kind: 'cli', args: ['documents'] });
  });

  it('finds it from the checkout, where Electron puts the app folder second', () => {
    expect(appInvocation(['/x/electron', '.', '--cli', '--', 'import', 'a.isdoc'], false)).toEqual({
      kind: 'cli',
      args: ['import', 'a.isdoc'],
    });
    expect(appInvocation(['/x/electron', '--no-sandbox', '/repo', '--enable-logging', '--cli', '--'], false)).toEqual({
      kind: 'cli',
      args: [],
    });
    // The same argv read with the other layout is an ordinary start, not a command with `.` in it.
    expect(appInvocation(['/x/electron', '.', '--cli', '--', 'documents'], true)).toEqual({ kind: 'app' });
    expect(appInvocation(['/opt/Kurier/kurier', '--cli', '--', 'documents'], false)).toEqual({ kind: 'app' });
  });

  it('hands every argument after the `--` over exactly as given', () => {
    expect(appInvocation(['Kurier', '--cli', '--', 'import', ...hostile], true)).toEqual({
      kind: 'cli',
      args: ['import', ...hostile],
    });
    expect(appInvocation(['electron', '/repo', '--cli', '--', ...hostile], false)).toEqual({ kind: 'cli', args: hostile });
  });

  it('is an ordinary start unless --cli comes first (after Chromium switches)', () => {
    for (const argv of [
      ['Kurier'],
      ['Kurier', '/home/jana/--cli'],
      ['Kurier', 'faktura.isdoc', '--cli', '--', 'documents'],
      ['Kurier', '--no-sandbox', 'faktura.isdoc', '--cli', '--', 'documents'],
      ['Kurier', '--', '--cli', 'documents'],
      ['Kurier', '--CLI', '--', 'documents'],
      ['Kurier', '--cli=1', 'documents'],
      ['Kurier', '-psn_0_12345'],
    ]) {
      expect(appInvocation(argv, true), argv.join(' ')).toEqual({ kind: 'app' });
    }
    expect(appInvocation(['electron', '--cli', '--', 'documents'], false)).toEqual({ kind: 'app' });
  });
});
