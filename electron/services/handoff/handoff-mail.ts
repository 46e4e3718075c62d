/**
 * What the hand-off routes (Thunderbird, Outlook, new Outlook, Simple MAPI, xdg-email, Mail.app,
 * mailto) take, and the one check every builder runs before it builds anything: a value that reaches a
 * command line, a script or a header must not be able to leave its field there.
 */
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import { hasLineBreak, isValidEmailAddress } from '../../../shared/mail-address';

/** A file handed over with the message. */
export interface HandoffAttachment {
  /** Absolute path of the file, normally a copy in the hand-off folder. */
  readonly path: string;
  /** The name the recipient sees; the path's last segment when absent. */
  readonly fileName?: string;
  readonly contentType?: string;
}

/**
 * A message to hand to a mail client. A {@link ComposedMail} fits as it is; only the fields the mail
 * clients can take are read.
 *
 * @see ../mail/composed-mail.ts
 */
export interface HandoffMail {
  /** The sender; clients that can choose an account by address use it, the others ignore it. */
  readonly from?: { readonly name: string; readonly address: string };
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly subject: string;
  /** Plain text; line breaks allowed. */
  readonly text: string;
  readonly attachments: readonly HandoffAttachment[];
  /** Used as the draft's Message-ID where a route writes MIME itself. */
  readonly messageId?: string;
}

/** How the receiving program reads a path: Windows routes take `C:\…`, the others `/…`. */
export type PathStyle = 'posix' | 'win32';

/** The path style of programs on `platform`. */
export function pathStyleOf(platform: NodeJS.Platform): PathStyle {
  return platform === 'win32' ? 'win32' : 'posix';
}

// A lone UTF-16 surrogate cannot be encoded as UTF-8 or percent-encoded (encodeURIComponent throws).
const loneSurrogate = /\p{Cs}/u;

/**
 * Throws unless every value can travel safely: `mail.headerInjection` for a line break in an address,
 * the subject, the sender's name or an attachment's name or path; `mail.invalidAddress` for an address
 * that is not one plain address; `input.invalid` for a NUL character or a broken surrogate anywhere
 * (neither survives an argv or UTF-8) and for an attachment path that is not absolute in `pathStyle`
 * (a relative one would resolve against the mail client's working directory).
 */
export function assertHandoffMail(mail: HandoffMail, pathStyle: PathStyle): void {
  const addresses = [...(mail.from ? [mail.from.address] : []), ...mail.to, ...mail.cc, ...mail.bcc];
  for (const address of addresses) {
    if (hasLineBreak(address)) throw new KurierError('mail.headerInjection', { field: 'address' });
    if (!isValidEmailAddress(address)) throw new KurierError('mail.invalidAddress', { address });
  }
  const headerTexts: [string, string][] = [
    ['subject', mail.subject],
    ['from', mail.from?.name ?? ''],
    ['messageId', mail.messageId ?? ''],
    ...mail.attachments.flatMap((a): [string, string][] => [
      ['attachment', a.path],
      ['attachment', a.fileName ?? ''],
      ['attachment', a.contentType ?? ''],
    ]),
  ];
  for (const [field, text] of headerTexts) {
    if (hasLineBreak(text)) throw new KurierError('mail.headerInjection', { field });
  }
  for (const [field, text] of [...headerTexts, ['text', mail.text] as [string, string]]) {
    if (text.includes('\0') || loneSurrogate.test(text)) throw new KurierError('input.invalid', { field });
  }
  for (const attachment of mail.attachments) {
    if (!isAbsolutePath(attachment.path, pathStyle))
      throw new KurierError('input.invalid', { field: 'attachment', path: attachment.path });
  }
}

/**
 * True for `/home/…` (posix) or `C:\…` and `\\server\share\…` (win32). `C:file.pdf` and `\file.pdf`
 * count as absolute for path.win32, yet resolve against a drive's working directory, so they do not here.
 */
export function isAbsolutePath(candidate: string, pathStyle: PathStyle): boolean {
  if (pathStyle === 'posix') return path.posix.isAbsolute(candidate);
  return /^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+\\[^\\/]+)/u.test(candidate);
}

/** The file name an attachment shows: its own, else the last segment of its path. */
export function attachmentName(attachment: HandoffAttachment, pathStyle: PathStyle): string {
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
