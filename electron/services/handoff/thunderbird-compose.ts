/**
 * Thunderbird's compose window from the command line: `thunderbird -compose "<argument>"`, where the
 * argument is a list of `key=value` pairs. How Thunderbird reads it (GetArgs() in comm-central's
 * mail/components/compose/content/MsgComposeCommands.js) decides the encoding:
 *
 * - pairs are split at every `,` that is not inside a quoted value; a quote opens only right after `=`
 *   and closes only when followed by `,` or the end, and there is no escape character;
 * - a value wrapped in `'…'` is taken verbatim, any other value goes through decodeURIComponent;
 * - the first occurrence of a key wins;
 * - `attachment` is then split at every `,` and each piece resolved as a URI.
 *
 * So text fields are percent-encoded and never quoted: they contain no `,`, `'` or `"` at all and cannot
 * end early or add a pair (a subject `x,attachment='file:///…/id_rsa'` stays a subject). Attachments are
 * one single-quoted list of file:/// URLs with `,` and `'` percent-encoded inside each URL, which the
 * file-URL parser decodes (Mozilla bug 900117; nautilus-sendto and caja-sendto do the same). Unquoted,
 * decodeURIComponent would turn `%2C` back into a comma before the split. `to` comes first, because old
 * Thunderbird versions open an empty window when the argument starts with a key they do not know.
 */
import { pathToFileURL } from 'node:url';
import { pathStyleOf } from './handoff-mail';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';

/** encodeURIComponent, plus `'`, `!`, `(`, `)` and `*`, which it leaves as they are. */
function encodeText(text: string): string {
  return encodeURIComponent(text).replace(/['!()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A file:/// URL that can stand in a single-quoted, comma-separated list. */
function attachmentUrl(filePath: string, windows: boolean): string {
  // pathToFileURL encodes `"`, `%`, spaces and non-ASCII, but leaves `,` and `'` as they are.
  return pathToFileURL(filePath, { windows }).href.replace(/,/gu, '%2C').replace(/'/gu, '%27').replace(/"/gu, '%22');
}

/**
 * The argument for `-compose`. Attachment paths are read as paths of `platform` (Windows paths give
 * `file:///C:/…` URLs). With `bodyFile` (an absolute path of a `.txt` file holding `mail.text`) the
 * body travels as `message=<file>` instead of `body=`. Throws like {@link assertSendable}.
 */
export function composeArgument(mail: ComposedMail, platform: NodeJS.Platform = process.platform, bodyFile?: string): string {
  assertSendable(mail, { pathStyle: pathStyleOf(platform) });
  const pairs = [`to=${encodeText(mail.to.join(','))}`];
  if (mail.cc.length > 0) pairs.push(`cc=${encodeText(mail.cc.join(','))}`);
  if (mail.bcc.length > 0) pairs.push(`bcc=${encodeText(mail.bcc.join(','))}`);
  if (mail.from) pairs.push(`from=${encodeText(mail.from.address)}`);
  pairs.push(`subject=${encodeText(mail.subject)}`);
  // `message=` names a UTF-8 file Thunderbird reads as the body (plain text for a .txt with format=text):
  // no command-line limit, and the text stays out of the process list while Thunderbird runs.
  if (bodyFile !== undefined) pairs.push(`message=${encodeText(bodyFile)}`);
  else if (mail.text !== '') pairs.push(`body=${encodeText(mail.text)}`);
  // Plain-text compose: in HTML compose Thunderbird parses the body as HTML (tags vanish, `&amp;` becomes
  // `&`, leading spaces collapse); the real-Thunderbird test shows the text arrives exactly only so.
  pairs.push('format=text');
  if (mail.attachments.length > 0) {
    const urls = mail.attachments.map((a) => attachmentUrl(a.path, platform === 'win32'));
    pairs.push(`attachment='${urls.join(',')}'`);
  }
  return pairs.join(',');
}

/**
 * How to start Thunderbird: the program and the arguments that always come before ours, e.g.
 * `['/usr/bin/thunderbird']` or `['/usr/bin/flatpak', 'run', 'org.mozilla.Thunderbird']`.
 */
export interface ThunderbirdProgram {
  readonly command: readonly string[];
}

/**
 * The complete argv (program first) that opens a compose window. The compose string is one element:
 * Thunderbird joins later non-option elements with spaces (bug 231032), so splitting it only works by
 * accident. `profile` (an absolute profile folder) is for tests that run a private Thunderbird.
 */
export function thunderbirdArgv(program: ThunderbirdProgram, composeArg: string, profile?: string): string[] {
  return [...program.command, ...(profile !== undefined ? ['-profile', profile] : []), '-compose', composeArg];
}
