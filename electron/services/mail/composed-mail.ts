/**
 * The one shape of an outgoing e-mail, whatever the route — the SMTP copy (queued in the outbox), the
 * hand-off to a mail program, a mailto link — and the one check every route runs before anything is
 * built: a value that reaches a header, a command line or a script must not be able to leave its field
 * there. Main builds messages from templates and the export dialog, and is the authority on what goes out.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import { hasLineBreak, isValidEmailAddress } from '../../../shared/mail-address';

/** A named address. */
export interface Mailbox {
  readonly name: string;
  readonly address: string;
}

/** A file attached to a message. The file name keeps its diacritics. */
export interface MailAttachment {
  /** Absolute path of the file (for a hand-off, normally a copy in the hand-off folder). */
  readonly path: string;
  /** The name the recipient sees; the path's last segment when absent. */
  readonly fileName?: string;
  readonly contentType?: string;
}

/** A complete message, ready for any route. */
export interface ComposedMail {
  /** The sender. SMTP always has one; a mail program without it sends from its own default account. */
  readonly from?: Mailbox;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo?: string;
  readonly subject: string;
  /** Plain text; line breaks allowed. */
  readonly text: string;
  readonly attachments: readonly MailAttachment[];
  /** Stable `<id@domain>`: a retried message keeps its identity, so duplicates can be recognised. */
  readonly messageId?: string;
}

/** A new Message-ID on the sender's domain. */
export function newMessageId(senderAddress: string): string {
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1) || 'kurier.invalid';
  return `<${randomUUID()}@${domain}>`;
}

// A lone UTF-16 surrogate cannot be encoded as UTF-8 or percent-encoded (encodeURIComponent throws).
const loneSurrogate = /\p{Cs}/u;

/** How {@link assertSendable} checks. */
export interface SendableOptions {
  /** Attachment paths must be absolute in this style (`win32` for Windows programs); unset: not checked. */
  readonly pathStyle?: 'posix' | 'win32';
  /** At least one recipient (SMTP needs one; a mailto link may leave it to the user). */
  readonly recipientRequired?: boolean;
}

/**
 * Throws unless every value can travel safely: `mail.headerInjection` for a line break in an address,
 * the subject, the sender's name, the Message-ID or an attachment's name, type or path;
 * `mail.invalidAddress` for an address that is not one plain address (or no recipient where one is
 * required); `input.invalid` for a NUL character or a broken surrogate anywhere (neither survives an argv
 * or UTF-8) and for an attachment path that is not absolute in `pathStyle` (a relative one would resolve
 * against the mail program's working directory).
 */
export function assertSendable(mail: ComposedMail, options: SendableOptions = {}): void {
  const addresses = [...(mail.from ? [mail.from.address] : []), ...mail.to, ...mail.cc, ...mail.bcc];
  if (mail.replyTo) addresses.push(mail.replyTo);
  for (const address of addresses) {
    if (hasLineBreak(address)) throw new KurierError('mail.headerInjection', { field: 'address' });
    if (!isValidEmailAddress(address)) throw new KurierError('mail.invalidAddress', { address });
  }
  if (options.recipientRequired === true && mail.to.length === 0) throw new KurierError('mail.invalidAddress', { address: '' });
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
  const { pathStyle } = options;
  if (pathStyle === undefined) return;
  for (const attachment of mail.attachments) {
    if (!isAbsolutePath(attachment.path, pathStyle))
      throw new KurierError('input.invalid', { field: 'attachment', path: attachment.path });
  }
}

/**
 * True for `/home/…` (posix) or `C:\…` and `\\server\share\…` (win32). `C:file.pdf` and `\file.pdf`
 * count as absolute for path.win32, yet resolve against a drive's working directory, so they do not here.
 */
export function isAbsolutePath(candidate: string, pathStyle: 'posix' | 'win32'): boolean {
  if (pathStyle === 'posix') return path.posix.isAbsolute(candidate);
  return /^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+\\[^\\/]+)/u.test(candidate);
}
