/**
 * Classic Outlook through COM, driven by a fixed PowerShell script that ships with Kurier. The message
 * travels in a JSON file whose path is the script's only argument: no value is ever part of a script
 * text or a command string, so no subject, address or file name can run as code.
 *
 * The script shows the item first (Display), because Outlook inserts the user's default signature only
 * into a displayed item, and then puts the text above that signature in HTMLBody; setting Body before
 * Display, as it once did, replaced the signature. Reading HTMLBody and Send() (the "send directly"
 * preference) are guarded: unless Windows reports an up-to-date antivirus or policy trusts the caller,
 * Outlook asks the user first. After Send() the script keeps its reference to Outlook until the item has
 * left the Outbox (an Outlook started through COM quits with it there otherwise), or says it is waiting.
 * https://learn.microsoft.com/en-us/office/vba/outlook/How-to/Security/protected-properties-and-methods
 */
import { KurierError, type ErrorCode } from '../../../shared/errors';
import { withCrlf, type PathStyle } from './handoff-mail';
import { assertSendable, isAbsolutePath, type ComposedMail } from '../mail/composed-mail';
import { textAsHtml } from './text-html';
import { ensureScriptFile } from './script-file';

/** Review in Outlook's window (the default), or send at once (a preference; Outlook may ask first). */
export type OutlookMode = 'display' | 'send';

/** The script's exit codes; the last stdout line repeats the outcome as JSON. */
export const outlookExitCodes = {
  handedOff: 0,
  badMessage: 2,
  notInstalled: 10,
  noProfile: 11,
  elevationMismatch: 12,
  blocked: 13,
  attachmentMissing: 14,
  sendDenied: 15,
  inOutbox: 16,
  failed: 20,
} as const;

/** How long "send at once" keeps Outlook until the message has left the Outbox. */
export const outlookOutboxWaitSeconds = 120;

/** The name the script is written under. */
export const outlookScriptFileName = 'kurier-outlook-send.ps1';

/**
 * The script. ASCII only: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
 * HRESULTs are compared as text (`0x80040154`) so no signed-integer arithmetic can go wrong.
 */
export const outlookSendScript = String.raw`# Kurier: hands one message to classic Outlook through COM.
# The message is read from the JSON file named by -MessageFile; no message data is ever part of this
# script. Exit codes (the last stdout line says the same as JSON): 0 handed over, 2 message file
# unreadable, 10 classic Outlook not installed or not registered for COM, 11 no Outlook profile,
# 12 Outlook runs with other rights (as administrator) than this script, 13 blocked by policy,
# 14 attachment missing or unreadable, 15 the user refused Outlook's prompt to send, 16 sent but still
# in the Outbox when the wait ended, 20 other failure.
param([Parameter(Mandatory = $true)][string]$MessageFile)

$ErrorActionPreference = 'Stop'

function Exit-WithResult([int]$Code, [string]$Outcome, [hashtable]$Details) {
  $result = @{ code = $Code; outcome = $Outcome }
  if ($null -ne $Details) { foreach ($key in $Details.Keys) { $result[$key] = $Details[$key] } }
  $json = ConvertTo-Json -InputObject $result -Compress
  try {
    # Non-ASCII as \uXXXX, so the console code page cannot garble the line.
    $json = [regex]::Replace($json, '[^\x20-\x7E]', { param($m) '\' + ('u{0:x4}' -f [int][char]$m.Value) })
  } catch { }
  Write-Output $json
  exit $Code
}

function Format-HResult([int]$Value) { '0x{0:X8}' -f $Value }

# The HRESULT of a failed COM call: from the COMException inside PowerShell's wrappers, else from the
# message (New-Object -ComObject reports "... failed due to the following error: 80040154 ..."), else
# from the innermost exception.
function Get-HResult($Record) {
  $exception = $Record.Exception
  $innermost = $exception
  while ($null -ne $exception) {
    if ($exception -is [System.Runtime.InteropServices.COMException]) { return Format-HResult $exception.HResult }
    $innermost = $exception
    $exception = $exception.InnerException
  }
  $match = [regex]::Match([string]$Record.Exception.Message, '\b(8[0-9A-Fa-f]{7})\b')
  if ($match.Success) { return '0x' + $match.Groups[1].Value.ToUpperInvariant() }
  return Format-HResult $innermost.HResult
}

function Exit-WithComFailure($Record, [string]$Step) {
  $hresult = Get-HResult $Record
  $details = @{ hresult = $hresult; step = $Step }
  switch ($hresult) {
    '0x80040154' { Exit-WithResult 10 'notInstalled' $details }      # REGDB_E_CLASSNOTREG
    '0x800401F3' { Exit-WithResult 10 'notInstalled' $details }      # CO_E_CLASSSTRING
    '0x80080005' { Exit-WithResult 12 'elevationMismatch' $details } # CO_E_SERVER_EXEC_FAILURE
    '0x80040111' { Exit-WithResult 11 'noProfile' $details }         # MAPI_E_LOGON_FAILED
    '0x8004010F' { Exit-WithResult 11 'noProfile' $details }         # MAPI_E_NOT_FOUND
  }
  if ($Step -eq 'send' -and ($hresult -eq '0x80004004' -or $hresult -eq '0x80070005')) {
    Exit-WithResult 15 'sendDenied' $details                          # E_ABORT, E_ACCESSDENIED
  }
  if ($hresult -eq '0x80070005') { Exit-WithResult 13 'blocked' $details }
  Exit-WithResult 20 'failed' $details
}

# AppLocker or WDAC can force Constrained Language Mode, which forbids COM.
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
  Exit-WithResult 13 'blocked' @{ reason = 'languageMode' }
}

try {
  $text = [System.IO.File]::ReadAllText($MessageFile, [System.Text.Encoding]::UTF8)
  $message = ConvertFrom-Json -InputObject $text
} catch {
  Exit-WithResult 2 'badMessage' @{ reason = 'unreadable' }
}
if ($message.version -ne 2 -or @('display', 'send') -notcontains $message.mode) {
  Exit-WithResult 2 'badMessage' @{ reason = 'version' }
}
$to = @($message.to | Where-Object { $null -ne $_ })
$cc = @($message.cc | Where-Object { $null -ne $_ })
$bcc = @($message.bcc | Where-Object { $null -ne $_ })
$attachments = @($message.attachments | Where-Object { $null -ne $_ })

foreach ($path in $attachments) {
  if (-not (Test-Path -LiteralPath ([string]$path) -PathType Leaf)) {
    Exit-WithResult 14 'attachmentMissing' @{ path = [string]$path }
  }
}

if ($null -eq [type]::GetTypeFromProgID('Outlook.Application')) {
  Exit-WithResult 10 'notInstalled' @{ reason = 'progId' }
}

try {
  $outlook = New-Object -ComObject Outlook.Application
} catch {
  Exit-WithComFailure $_ 'start'
}

try {
  $mail = $outlook.CreateItem(0)
} catch {
  Exit-WithComFailure $_ 'createItem'
}

try {
  $mail.To = ($to -join ';')
  $mail.CC = ($cc -join ';')
  $mail.BCC = ($bcc -join ';')
  $mail.Subject = [string]$message.subject
} catch {
  Exit-WithComFailure $_ 'fields'
}

foreach ($path in $attachments) {
  try {
    [void]$mail.Attachments.Add([string]$path)
  } catch {
    Exit-WithResult 14 'attachmentMissing' @{ path = [string]$path; hresult = (Get-HResult $_) }
  }
}

# Display first: only a displayed item gets the user's default signature.
try {
  $mail.Display($false)
} catch {
  Exit-WithComFailure $_ 'display'
}

# Our text goes right after <body ...>, above the signature Outlook has just put in.
try {
  $html = [string]$mail.HTMLBody
  $ours = [string]$message.html
  $bodyTag = [regex]::Match($html, '<body[^>]*>', [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)
  if ($bodyTag.Success) {
    $at = $bodyTag.Index + $bodyTag.Length
    $mail.HTMLBody = $html.Substring(0, $at) + $ours + $html.Substring($at)
  } else {
    $mail.HTMLBody = $ours + $html
  }
} catch {
  Exit-WithComFailure $_ 'body'
}

if ($message.mode -eq 'send') {
  try {
    $outbox = $outlook.Session.GetDefaultFolder(4)
    $before = $outbox.Items.Count
    $mail.Send()
  } catch {
    Exit-WithComFailure $_ 'send'
  }
  # Holding $outlook keeps an Outlook started through COM running until the message has left.
  $deadline = [DateTime]::UtcNow.AddSeconds([int]$message.outboxWaitSeconds)
  while ($outbox.Items.Count -gt $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
  if ($outbox.Items.Count -gt $before) {
    Exit-WithResult 16 'inOutbox' @{ waitedSeconds = [int]$message.outboxWaitSeconds }
  }
}

[void][System.Runtime.InteropServices.Marshal]::ReleaseComObject($mail)
[void][System.Runtime.InteropServices.Marshal]::ReleaseComObject($outlook)
Exit-WithResult 0 'handedOff' @{ mode = [string]$message.mode }
`;

/** Writes {@link outlookSendScript} into `folder` (once) and returns its path. */
export function writeOutlookScript(folder: string): Promise<string> {
  return ensureScriptFile(folder, outlookScriptFileName, outlookSendScript);
}

/** What the script reads from the message file. */
export interface OutlookMessage extends Pick<ComposedMail, 'to' | 'cc' | 'bcc' | 'subject'> {
  readonly version: 2;
  readonly mode: OutlookMode;
  /** The text as HTML (escaped; line breaks and runs of spaces kept), put above the signature. */
  readonly html: string;
  /** "Send at once": how long the script waits for the message to leave the Outbox. */
  readonly outboxWaitSeconds: number;
  /** Absolute Windows paths. */
  readonly attachments: readonly string[];
}

/**
 * The message as the script reads it. Throws like {@link assertSendable}: the attachment paths are
 * Windows paths (`pathStyle` is this computer's, which only a test on another system changes).
 */
export function outlookMessage(mail: ComposedMail, mode: OutlookMode, pathStyle: PathStyle = 'win32'): OutlookMessage {
  assertSendable(mail, { pathStyle });
  return {
    version: 2,
    mode,
    to: [...mail.to],
    cc: [...mail.cc],
    bcc: [...mail.bcc],
    subject: mail.subject,
    html: textAsHtml(withCrlf(mail.text)),
    outboxWaitSeconds: outlookOutboxWaitSeconds,
    attachments: mail.attachments.map((a) => a.path),
  };
}

/**
 * The message file's content. Everything beyond ASCII is written as a `\uXXXX` escape, so the file is
 * the same bytes in UTF-8 (without a BOM), ANSI or any code page PowerShell might read it in.
 */
export function outlookMessageJson(mail: ComposedMail, mode: OutlookMode, pathStyle: PathStyle = 'win32'): string {
  // Per UTF-16 unit: an emoji becomes its two surrogate escapes, as JSON spells it.
  const escape = (c: string): string =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(outlookMessage(mail, mode, pathStyle)).replace(/[^\x20-\x7e]/gu, escape);
}

/**
 * The complete argv (PowerShell first) that runs the script on the message file. Both paths must be
 * absolute: PowerShell would read a `-MessageFile` value starting with `-` as a parameter name.
 */
export function outlookArgv(
  powershellExe: string,
  scriptPath: string,
  jsonPath: string,
  pathStyle: PathStyle = 'win32',
): string[] {
  for (const file of [powershellExe, scriptPath, jsonPath]) {
    if (!isAbsolutePath(file, file === powershellExe ? 'win32' : pathStyle))
      throw new KurierError('input.invalid', { field: 'path', path: file });
  }
  return [
    powershellExe,
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-File',
    scriptPath,
    '-MessageFile',
    jsonPath,
  ];
}

const errorForExitCode: Readonly<Partial<Record<number, ErrorCode>>> = {
  [outlookExitCodes.badMessage]: 'internal.unexpected',
  [outlookExitCodes.notInstalled]: 'handoff.outlookNotInstalled',
  [outlookExitCodes.noProfile]: 'handoff.outlookNoProfile',
  [outlookExitCodes.elevationMismatch]: 'handoff.outlookElevationMismatch',
  [outlookExitCodes.blocked]: 'handoff.outlookBlocked',
  [outlookExitCodes.attachmentMissing]: 'handoff.attachmentMissing',
  [outlookExitCodes.sendDenied]: 'handoff.outlookSendDenied',
  [outlookExitCodes.failed]: 'handoff.outlookFailed',
};

/** The last stdout line that is a JSON object with an `outcome`, if any. */
function scriptResult(stdout: string): Record<string, unknown> | null {
  const lines = stdout
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n/u)
    .reverse();
  for (const line of lines) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && 'outcome' in parsed) return parsed;
    } catch {
      // Not our line; keep looking.
    }
  }
  return null;
}

/**
 * The error for a run of the script that did not exit 0. The exit code decides (so a garbled stdout
 * cannot change the verdict); the JSON line adds the HRESULT, the step and an attachment's path. Exit
 * code 1 with a PSSecurityException on stderr means an execution policy set by Group Policy stopped the
 * script before it ran (`-ExecutionPolicy Bypass` does not override those).
 */
export function outlookFailure(exitCode: number | null, stdout: string, stderr = ''): KurierError {
  const result = scriptResult(stdout);
  const details: Record<string, string | number> = { exitCode: exitCode ?? -1 };
  for (const key of ['hresult', 'step', 'path', 'reason'] as const) {
    const value = result?.[key];
    if (typeof value === 'string') details[key] = value;
  }
  const code = exitCode === null ? undefined : errorForExitCode[exitCode];
  if (code !== undefined) return new KurierError(code, details);
  if (exitCode === 1 && /PSSecurityException|UnauthorizedAccess/u.test(stderr)) {
    return new KurierError('handoff.outlookBlocked', { ...details, reason: 'executionPolicy' });
  }
  return new KurierError('handoff.outlookFailed', details);
}
