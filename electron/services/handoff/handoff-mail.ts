/**
 * What the hand-off routes (Thunderbird, Outlook, new Outlook, Simple MAPI, xdg-email, Mail.app, mailto)
 * share besides the message itself (mail/composed-mail.ts, whose one check every builder runs first):
 * path styles, attachment names, line ends and command-line limits.
 */
import path from 'node:path';
import type { MailAttachment } from '../mail/composed-mail';

/** How the receiving program reads a path: Windows routes take `C:\…`, the others `/…`. */
export type PathStyle = 'posix' | 'win32';

/** The path style of programs on `platform`. */
export function pathStyleOf(platform: NodeJS.Platform): PathStyle {
  return platform === 'win32' ? 'win32' : 'posix';
}

/** The file name an attachment shows: its own, else the last segment of its path. */
export function attachmentName(attachment: MailAttachment, pathStyle: PathStyle): string {
  if (attachment.fileName !== undefined && attachment.fileName !== '') return attachment.fileName;
  return (pathStyle === 'win32' ? path.win32 : path.posix).basename(attachment.path);
}

/** Every line break as CRLF, as RFC 6068 bodies, Outlook and MAPI expect. */
export function withCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/gu, '\r\n');
}

/**
 * Whether `argv` can be started on `platform`: Windows limits the whole command line to 32 767
 * UTF-16 units (each argument counted with its quotes and a space); Linux limits one argument to
 * 128 KiB and all of them to ARG_MAX (2 MiB by default, shared with the environment); macOS allows
 * 1 MiB in all. The bounds below leave room for the environment.
 */
export function commandLineFits(argv: readonly string[], platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return argv.reduce((sum, arg) => sum + quotedLength(arg) + 1, 0) <= 32_767;
  const bytes = argv.map((arg) => Buffer.byteLength(arg, 'utf8') + 1);
  const total = bytes.reduce((sum, n) => sum + n, 0);
  if (platform === 'darwin') return total < 768 * 1024;
  return bytes.every((n) => n <= 128 * 1024) && total < 1024 * 1024;
}

/** An upper bound of an argument's length once Node (libuv) has quoted it for CreateProcess. */
function quotedLength(arg: string): number {
  if (arg !== '' && !/[\s"]/u.test(arg)) return arg.length;
  return arg.length + 2 + (arg.match(/["\\]/gu)?.length ?? 0);
}
