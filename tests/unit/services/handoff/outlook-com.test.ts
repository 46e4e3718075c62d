/**
 * Classic Outlook cannot run here, so this checks exactly what Kurier hands PowerShell: the argv, the
 * message file, and the fixed script (ASCII, data only from -MessageFile, and parsed by PowerShell's
 * own parser where pwsh exists), plus how the script's exit codes become errors.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  outlookArgv,
  outlookExitCodes,
  outlookFailure,
  outlookMessageJson,
  outlookScriptFileName,
  outlookSendScript,
  writeOutlookScript,
} from '../../../../electron/services/handoff/outlook-com';
import { textAsHtml } from '../../../../electron/services/handoff/text-html';
import { powershellPath } from '../../../../electron/services/handoff/windows-commands';
import { tempDir } from '../../../support/temp-dir';

const mail = {
  to: ['jana@firma.cz', 'petr@firma.cz'],
  cc: ['eva@firma.cz'],
  bcc: ['archiv@dvorak-stavby.cz'],
  subject: 'Faktura FV-2026-0001 – Dvořák & synové; "záloha"',
  text: 'Dobrý den,\nv příloze posíláme fakturu.\n\nS pozdravem\nŁukasz 😀',
  attachments: [
    { path: 'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\Faktura, č. 1.pdf' },
    { path: '\\\\server\\účty\\Dodací list.pdf' },
  ],
};

describe('textAsHtml', () => {
  it('escapes markup and keeps line breaks and indentation', () => {
    expect(textAsHtml('<b>1</b> & "x" \'y\'\r\n  odsazeno   tři\n')).toBe(
      '<div>&lt;b&gt;1&lt;/b&gt; &amp; &quot;x&quot; &#39;y&#39;<br>&nbsp; odsazeno&nbsp;&nbsp; tři<br></div>',
    );
  });
});

describe('outlookMessageJson', () => {
  it('is the message with CRLF line breaks, as one ASCII line with \\u escapes', () => {
    const json = outlookMessageJson(mail, 'display');
    expect(json).toBe(
      '{"version":2,"mode":"display","to":["jana@firma.cz","petr@firma.cz"],"cc":["eva@firma.cz"],"bcc":["archiv@dvorak-stavby.cz"],' +
        '"subject":"Faktura FV-2026-0001 \\u2013 Dvo\\u0159\\u00e1k & synov\\u00e9; \\"z\\u00e1loha\\"",' +
        '"html":"<div>Dobr\\u00fd den,<br>v p\\u0159\\u00edloze pos\\u00edl\\u00e1me fakturu.<br><br>S pozdravem<br>\\u0141ukasz \\ud83d\\ude00</div>",' +
        '"outboxWaitSeconds":120,' +
        '"attachments":["C:\\\\Users\\\\Jana\\\\Documents\\\\Kurier\\\\Outbox\\\\Faktura, \\u010d. 1.pdf","\\\\\\\\server\\\\\\u00fa\\u010dty\\\\Dodac\\u00ed list.pdf"]}',
    );
    expect(JSON.parse(json)).toMatchObject({ subject: mail.subject, attachments: mail.attachments.map((a) => a.path) });
  });

  it('carries the mode', () => {
    expect(JSON.parse(outlookMessageJson(mail, 'send'))).toMatchObject({ mode: 'send' });
  });

  it('refuses attachments that are not absolute Windows paths', () => {
    for (const bad of ['Faktura.pdf', '/home/jana/Faktura.pdf', 'C:Faktura.pdf', '\\Faktura.pdf']) {
      expect(() => outlookMessageJson({ ...mail, attachments: [{ path: bad }] }, 'display'), bad).toThrow(
        expect.objectContaining({ code: 'input.invalid' }),
      );
    }
  });
});

describe('outlookArgv', () => {
  it('runs the script file with the message file as its only parameter, PowerShell by absolute path', () => {
    const ps = powershellPath({ SystemRoot: 'C:\\Windows' });
    expect(
      outlookArgv(
        ps,
        'C:\\Users\\Jana\\AppData\\Roaming\\Kurier\\kurier-outlook-send.ps1',
        'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\zprava 1.json',
      ),
    ).toEqual([
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      'C:\\Users\\Jana\\AppData\\Roaming\\Kurier\\kurier-outlook-send.ps1',
      '-MessageFile',
      'C:\\Users\\Jana\\Documents\\Kurier\\Outbox\\zprava 1.json',
    ]);
  });

  it('refuses a relative message path, which PowerShell could read as a parameter', () => {
    expect(() => outlookArgv('C:\\ps.exe', 'C:\\s.ps1', '-Command')).toThrow(expect.objectContaining({ code: 'input.invalid' }));
  });
});

describe('the PowerShell script', () => {
  it('is ASCII (PowerShell 5.1 reads a BOM-less script in the ANSI code page)', () => {
    expect(outlookSendScript).toMatch(/^[\t\n\x20-\x7e]*$/u);
  });

  it('takes its data only from -MessageFile and never evaluates text', () => {
    const code = outlookSendScript.split('\n').filter((line) => !line.trim().startsWith('#'));
    expect(code.find((line) => line.trim() !== '')).toBe('param([Parameter(Mandatory = $true)][string]$MessageFile)');
    expect(outlookSendScript).not.toMatch(
      /Invoke-Expression|\biex\b|EncodedCommand|Add-Type|\$args|ScriptBlock\]::Create|Start-Process|&\s*\$/iu,
    );
    expect(outlookSendScript).toContain('[System.IO.File]::ReadAllText($MessageFile, [System.Text.Encoding]::UTF8)');
    expect(outlookSendScript).toContain('New-Object -ComObject Outlook.Application');
    expect(outlookSendScript).toContain('$outlook.CreateItem(0)');
    expect(outlookSendScript).toContain('$mail.Display($false)');
  });

  it('shows the item before it touches the body, and puts the text above the signature in HTMLBody', () => {
    const display = outlookSendScript.indexOf('$mail.Display($false)');
    const readBody = outlookSendScript.indexOf('$html = [string]$mail.HTMLBody');
    const send = outlookSendScript.indexOf('$mail.Send()');
    expect(display).toBeGreaterThan(0);
    expect(readBody).toBeGreaterThan(display);
    expect(send).toBeGreaterThan(readBody);
    // Plain Body would replace the signature Outlook inserted on Display.
    expect(outlookSendScript).not.toMatch(/\$mail\.Body\s*=/u);
    expect(outlookSendScript).toContain("[regex]::Match($html, '<body[^>]*>'");
    expect(outlookSendScript).toContain('$mail.HTMLBody = $html.Substring(0, $at) + $ours + $html.Substring($at)');
  });

  it('after Send() keeps Outlook until the message has left the Outbox, or says it is waiting there', () => {
    expect(outlookSendScript).toContain('$outbox = $outlook.Session.GetDefaultFolder(4)');
    expect(outlookSendScript).toMatch(/while \(\$outbox\.Items\.Count -gt \$before -and/u);
    expect(outlookSendScript).toContain("Exit-WithResult 16 'inOutbox'");
    // The reference to Outlook is released only after the wait.
    expect(outlookSendScript.indexOf('ReleaseComObject($outlook)')).toBeGreaterThan(outlookSendScript.indexOf("'inOutbox'"));
  });

  it('uses the exit codes Kurier maps', () => {
    const exits = [...outlookSendScript.matchAll(/Exit-WithResult (\d+) '(\w+)'/gu)].map(([, code, outcome]) => [
      outcome,
      Number(code),
    ]);
    expect(exits.length).toBeGreaterThan(10);
    for (const [outcome, code] of exits)
      expect(outlookExitCodes[outcome as keyof typeof outlookExitCodes], String(outcome)).toBe(code);
  });

  const pwsh = ['pwsh', 'powershell'].find((name) => {
    try {
      execFileSync(name, ['-NoProfile', '-Command', 'exit 0'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

  it.skipIf(pwsh === undefined)('parses without errors in PowerShell’s own parser (skipped where pwsh is missing)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'script.ps1');
    await writeFile(file, outlookSendScript);
    const check =
      '$e = $null; $t = $null; [void][System.Management.Automation.Language.Parser]::ParseFile($env:KURIER_SCRIPT, [ref]$t, [ref]$e); $e.Count';
    const errors = execFileSync(pwsh!, ['-NoProfile', '-NonInteractive', '-Command', check], {
      env: { ...process.env, KURIER_SCRIPT: file },
      encoding: 'utf8',
    });
    expect(errors.trim()).toBe('0');
  });
});

describe('writeOutlookScript', () => {
  it('writes the script once, as UTF-8 without a BOM, and replaces a changed one', async () => {
    const dir = await tempDir();
    const written = await writeOutlookScript(dir);
    expect(written).toBe(path.join(dir, outlookScriptFileName));
    expect(await readFile(written, 'utf8')).toBe(outlookSendScript);
    await writeFile(written, 'Remove-Item C:\\ -Recurse');
    expect(await writeOutlookScript(dir)).toBe(written);
    expect(await readFile(written, 'utf8')).toBe(outlookSendScript);
  });
});

describe('outlookFailure', () => {
  it.each([
    [
      10,
      '{"code":10,"outcome":"notInstalled","hresult":"0x80040154","step":"start"}',
      'handoff.outlookNotInstalled',
      { hresult: '0x80040154', step: 'start' },
    ],
    [
      11,
      '{"code":11,"outcome":"noProfile","hresult":"0x80040111","step":"createItem"}',
      'handoff.outlookNoProfile',
      { hresult: '0x80040111' },
    ],
    [12, '{"outcome":"elevationMismatch","hresult":"0x80080005"}', 'handoff.outlookElevationMismatch', { hresult: '0x80080005' }],
    [13, '{"outcome":"blocked","reason":"languageMode"}', 'handoff.outlookBlocked', { reason: 'languageMode' }],
    [
      14,
      '{"outcome":"attachmentMissing","path":"C:\\\\K\\\\Faktura, \\u010d. 1.pdf"}',
      'handoff.attachmentMissing',
      { path: 'C:\\K\\Faktura, č. 1.pdf' },
    ],
    [15, '{"outcome":"sendDenied","hresult":"0x80004004","step":"send"}', 'handoff.outlookSendDenied', { step: 'send' }],
    [20, '{"outcome":"failed","hresult":"0x80010001","step":"display"}', 'handoff.outlookFailed', { hresult: '0x80010001' }],
    [2, '{"outcome":"badMessage","reason":"version"}', 'internal.unexpected', { reason: 'version' }],
  ])('exit %i becomes its error with the script’s details', (exitCode, line, code, details) => {
    const error = outlookFailure(exitCode, `WARNING: something\r\n${line}\r\n`);
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ exitCode, ...details });
  });

  it('trusts the exit code over a stdout line that says otherwise', () => {
    expect(outlookFailure(12, '{"outcome":"notInstalled"}').code).toBe('handoff.outlookElevationMismatch');
  });

  it('recognises an execution policy set by Group Policy, and anything else as a plain failure', () => {
    const stderr =
      'File C:\\K\\send.ps1 cannot be loaded because running scripts is disabled on this system.\r\n    + FullyQualifiedErrorId : UnauthorizedAccess';
    expect(outlookFailure(1, '', stderr)).toMatchObject({
      code: 'handoff.outlookBlocked',
      details: { reason: 'executionPolicy' },
    });
    expect(outlookFailure(1, 'garbage', 'ParserError')).toMatchObject({
      code: 'handoff.outlookFailed',
      details: { exitCode: 1 },
    });
    expect(outlookFailure(null, '')).toMatchObject({ code: 'handoff.outlookFailed', details: { exitCode: -1 } });
  });
});
