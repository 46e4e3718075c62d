/**
 * The one shape every route sends or hands off. Built by main from templates and the export dialog;
 * checked once more here, because main is the authority on what reaches a header.
 */
import { randomUUID } from 'node:crypto';
import { KurierError } from '../../../shared/errors';
import { hasLineBreak, isValidEmailAddress } from '../../../shared/mail-address';

/** A named address. */
export interface Mailbox {
  readonly name: string;
  readonly address: string;
}

/** A file attached to a message. The file name keeps its diacritics. */
export interface MailAttachment {
  readonly path: string;
  readonly fileName: string;
  readonly contentType: string;
}

/** A complete message, ready for any route. */
export interface ComposedMail {
  readonly from: Mailbox;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly MailAttachment[];
  /** Stable `<id@domain>`: a retried message keeps its identity, so duplicates can be recognised. */
  readonly messageId: string;
}

/** A new Message-ID on the sender's domain. */
export function newMessageId(senderAddress: string): string {
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1) || 'kurier.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/**
 * Throws `mail.invalidAddress` or `mail.headerInjection` for anything that must not reach a header.
 * Bodies may contain line breaks; everything that becomes a header may not.
 */
export function assertSendable(mail: ComposedMail): void {
  const addresses = [mail.from.address, ...mail.to, ...mail.cc, ...mail.bcc, ...(mail.replyTo ? [mail.replyTo] : [])];
  for (const address of addresses) {
    if (!isValidEmailAddress(address)) throw new KurierError('mail.invalidAddress', { address });
  }
  if (mail.to.length === 0) throw new KurierError('mail.invalidAddress', { address: '' });
  const headerTexts = [mail.from.name, mail.subject, mail.messageId, ...mail.attachments.map((a) => a.fileName)];
  if (headerTexts.some(hasLineBreak)) throw new KurierError('mail.headerInjection');
}
