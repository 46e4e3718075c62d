/**
 * The outbox's messages, composed straight into one Buffer.
 *
 * nodemailer's MailComposer builds every message as a tree of streams (one per part, a pipeline of
 * transforms behind each), which at bulk rates cost more CPU than the sending itself (issue 4's
 * profile: its streams, their teardown and the per-byte line-ending transforms). The outbox sends one
 * shape of message only — a text and an HTML part, then its attachments (a PDF, the e-invoice beside
 * it, a batch's CSV) — so it is composed here in
 * one go, with nodemailer's own encoders for everything that has rules: RFC 2047 encoded words, RFC 2231
 * parameters, quoted-printable, header folding, IDN domains. The structure and the header encodings are
 * the ones MailComposer produced (multipart/mixed around multipart/alternative; the file name both as
 * `filename*` and as an encoded `name`); the attachment is always base64, so a CSV's bytes arrive as
 * they were written.
 *
 * The result is 7-bit (unless an address itself is not ASCII), has CRLF line ends throughout and ends
 * with CRLF. SMTP's transparency (a dot at
 * the start of a line) is the session's business, not this file's.
 */
import { randomBytes } from 'node:crypto';
import {
  buildHeaderValue,
  encodeWord,
  encodeWords,
  foldLines,
  hasLongerLines,
  isPlainText,
  quoteString,
} from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { normalizeDomain } from 'nodemailer/lib/shared';
import { encodedWords, hasUnfoldableWord } from '../mail/header-text';

/** A named address; an empty name gives the bare address. */
export interface MimeMailbox {
  readonly name: string;
  readonly address: string;
}

/** One attachment, its bytes already read. */
export interface MimeAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** Everything one message carries. Bcc is envelope only and never reaches a header. */
export interface MimeMessage {
  readonly from: MimeMailbox;
  readonly to: MimeMailbox;
  readonly cc: readonly string[];
  readonly replyTo: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly date: Date;
  /** In order: the document's PDF first, then what goes beside it (its ISDOC or KSeF XML). */
  readonly attachments: readonly MimeAttachment[];
}

const CRLF = '\r\n';
// A dot-atom local part or a quoted string go out as they are (as in nodemailer's address normalising).
const dotAtom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const quotedLocal = /^"(?:[^"\\\r\n]|\\.)*"$/;
// eslint-disable-next-line no-control-regex -- what must not reach an address: control characters and brackets
const addressNoise = /[\x00-\x1F\x7F<>]+/g;
const asciiDomain = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const plainAddress = /^[^\s"(),:;<>@[\\\]]+@[^\s"(),:;<>@[\\\]]+$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlChars = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex -- as above, line breaks and tabs included
const anyControlChar = /[\x00-\x1f\x7f]/;

/**
 * Multipart boundaries: random per process, a counter per message. They only have to differ from
 * every line of the content; base64 and quoted-printable never produce `--_Kurier-` followed by 16
 * random hex digits, and a text part would have to guess them.
 */
const boundaryBase = `--_Kurier-${randomBytes(8).toString('hex')}-`;
let boundaryCount = 0;

/** The message as bytes: CRLF line ends, 7-bit, ending with CRLF. */
export function composeMime(message: MimeMessage): Buffer {
  const id = (boundaryCount = (boundaryCount + 1) % Number.MAX_SAFE_INTEGER).toString(36);
  const alternative = `${boundaryBase}${id}-Part_2`;
  const body = multipart(alternative, [textPart('text/plain', message.text), textPart('text/html', message.html)]);
  const head = headerBlock(message);
  const [first, ...rest] = message.attachments;
  if (!first) {
    return Buffer.from(
      `${head}${header('Content-Type', `multipart/alternative; boundary="${alternative}"`)}${CRLF}${body}`,
      'utf8',
    );
  }
  const mixed = `${boundaryBase}${id}-Part_1`;
  const before =
    `${head}${header('Content-Type', `multipart/mixed; boundary="${mixed}"`)}${CRLF}` +
    `--${mixed}${CRLF}${header('Content-Type', `multipart/alternative; boundary="${alternative}"`)}${CRLF}${body}` +
    `${CRLF}--${mixed}${CRLF}${attachmentHeaders(first)}${CRLF}`;
  const after = `${CRLF}--${mixed}--${CRLF}`;
  if (rest.length === 0) return withBase64Between(before, first.content, after);
  // Further attachments (rare, and small: an e-invoice beside its PDF) are joined part by part.
  const parts: Buffer[] = [withBase64Between(before, first.content, '')];
  for (const attachment of rest) {
    parts.push(withBase64Between(`${CRLF}--${mixed}${CRLF}${attachmentHeaders(attachment)}${CRLF}`, attachment.content, ''));
  }
  parts.push(Buffer.from(after, 'utf8'));
  return Buffer.concat(parts);
}

/** The root's headers, Content-Type left out (it comes last). */
function headerBlock(message: MimeMessage): string {
  return (
    header('From', mailbox(message.from)) +
    header('To', mailbox(message.to)) +
    (message.cc.length > 0 ? header('Cc', message.cc.map((address) => mailbox({ name: '', address })).join(', ')) : '') +
    (message.replyTo !== '' ? header('Reply-To', mailbox({ name: '', address: message.replyTo })) : '') +
    header('Subject', unstructured(message.subject)) +
    header('Message-ID', messageIdValue(message.messageId)) +
    header('Date', message.date.toUTCString().replace(/GMT/, '+0000')) +
    header('MIME-Version', '1.0')
  );
}

/** One header line, folded at 76 characters, with its CRLF. */
function header(key: string, value: string): string {
  return foldLines(`${key}: ${value}`, 76) + CRLF;
}

/** `multipart/*` content: each part after its delimiter, then the closing delimiter. */
function multipart(boundary: string, parts: readonly string[]): string {
  return `--${boundary}${CRLF}${parts.join(`${CRLF}--${boundary}${CRLF}`)}${CRLF}--${boundary}--${CRLF}`;
}

/** A text part (headers and content) in the transfer encoding MailComposer would pick for it. */
function textPart(type: 'text/plain' | 'text/html', text: string): string {
  const content = text.replace(/\r\n|\r|\n/g, CRLF);
  let encoding: '7bit' | 'quoted-printable' | 'base64';
  let encoded: string;
  if (isPlainText(content) && !hasLongerLines(content, 76)) {
    encoding = '7bit';
    encoded = content;
  } else if (textEncoding(content) === 'Q') {
    encoding = 'quoted-printable';
    encoded = qpWrap(qpEncode(content), 76);
  } else {
    encoding = 'base64';
    encoded = wrappedBase64(Buffer.from(content, 'utf8')).toString('latin1');
  }
  return `${header('Content-Type', `${type}; charset=utf-8`)}${header('Content-Transfer-Encoding', encoding)}${CRLF}${encoded}`;
}

/** The attachment's part headers: `name` encoded per RFC 2047 (Outlook), `filename*` per RFC 2231 (the rest). */
function attachmentHeaders(attachment: MimeAttachment): string {
  const fileName = attachment.fileName;
  let name =
    anyControlChar.test(fileName) || hasUnfoldableWord(fileName)
      ? encodedWords(fileName, textEncoding(fileName))
      : encodeWords(fileName, textEncoding(fileName), 52, true);
  if (name !== fileName || /[\s'"\\;:/=(),<>@[\]?]|^-/.test(name)) name = JSON.stringify(name);
  return (
    header('Content-Type', `${buildHeaderValue({ value: attachment.contentType, params: {} })}; name=${name}`) +
    header('Content-Transfer-Encoding', 'base64') +
    header('Content-Disposition', buildHeaderValue({ value: 'attachment', params: { filename: fileName } }))
  );
}

/**
 * An unstructured header value (the subject): one line, encoded words where needed (non-ASCII, control
 * characters, or a word too long to fold: see header-text.ts), control characters never raw.
 */
function unstructured(text: string): string {
  const value = text.replace(/\r?\n|\r/g, ' ');
  return controlChars.test(value) || hasUnfoldableWord(value)
    ? encodedWords(value, textEncoding(value))
    : encodeWords(value, textEncoding(value), 52, true);
}

/** `<id>`, with nothing in it that could end the header. */
function messageIdValue(value: string): string {
  const clean = value.replace(/\r?\n|\r/g, ' ').replace(new RegExp(controlChars.source, 'g'), '');
  return `${clean.startsWith('<') ? '' : '<'}${clean}${clean.endsWith('>') ? '' : '>'}`;
}

/** A mailbox for an address header: the name quoted or encoded as needed, the domain in ASCII. */
function mailbox(box: MimeMailbox): string {
  const address = normalizeAddress(box.address);
  if (box.name === '') return plainAddress.test(address) ? address : `<${address}>`;
  return `${addressName(box.name)} <${address}>`;
}

function addressName(name: string): string {
  if (hasUnfoldableWord(name)) return encodedWords(name, textEncoding(name));
  if (/^[\w ]*$/.test(name)) return name;
  return /^[\x20-\x7e]*$/.test(name) ? quoteString(name) : encodeWord(name, textEncoding(name), 52);
}

/**
 * An address as it goes into a header and the envelope: no control characters or angle brackets, an
 * internationalised domain in its ASCII (punycode) form, an odd local part quoted — as nodemailer does.
 */
export function normalizeAddress(value: string): string {
  const address = value.replace(addressNoise, ' ').trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const user = address.slice(0, at);
  let domain = address.slice(at + 1);
  if (asciiDomain.test(domain)) {
    // What normalizeDomain makes of an ASCII host name, without the URL parser's cost per message.
    domain = domain.toLowerCase();
  } else {
    try {
      domain = normalizeDomain(domain, /[\x80-\uFFFF]/.test(user));
    } catch {
      // Kept as given: the server decides about a domain that is no domain.
    }
  }
  return `${dotAtom.test(user) || quotedLocal.test(user) ? user : quoteString(user)}@${domain}`;
}

/** Q when a value is mostly Latin letters, else B (MailComposer's choice, for words and bodies alike). */
function textEncoding(value: string): 'Q' | 'B' {
  let nonLatin = 0;
  let latin = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) nonLatin++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return nonLatin < latin ? 'Q' : 'B';
}

/**
 * `before`, `content` in base64 with lines of 76 characters, and `after`, in one Buffer allocated
 * once. Node encodes the whole content natively; the lines are then moved into place front to back.
 */
function withBase64Between(before: string, content: Buffer, after: string): Buffer {
  // Headers are ASCII unless an address itself is not (SMTPUTF8): written as UTF-8, never cut to Latin-1.
  const beforeLength = Buffer.byteLength(before, 'utf8');
  const encodedLength = 4 * Math.ceil(content.length / 3);
  const lines = Math.ceil(encodedLength / 76);
  const bodyLength = encodedLength + 2 * Math.max(0, lines - 1);
  const out = Buffer.allocUnsafe(beforeLength + bodyLength + Buffer.byteLength(after, 'utf8'));
  out.write(before, 0, 'utf8');
  const start = beforeLength + bodyLength - encodedLength;
  out.write(content.toString('base64'), start, 'latin1');
  breakLines(out, beforeLength, start, start + encodedLength);
  out.write(after, beforeLength + bodyLength, 'utf8');
  return out;
}

/** Base64 of `content` in lines of 76 characters joined by CRLF (no CRLF after the last). */
function wrappedBase64(content: Buffer): Buffer {
  return withBase64Between('', content, '');
}

/**
 * Moves the unbroken base64 text at [from, end) of `out` to `to` (≤ from), with CRLF after every 76
 * characters but the last line's. The gap between `to` and `from` is exactly the room the line breaks
 * need, so each move stays ahead of the text not moved yet.
 */
function breakLines(out: Buffer, to: number, from: number, end: number): void {
  let write = to;
  for (let read = from; read < end; read += 76) {
    const lineEnd = Math.min(read + 76, end);
    out.copyWithin(write, read, lineEnd);
    write += lineEnd - read;
    if (lineEnd < end) {
      out[write++] = 0x0d;
      out[write++] = 0x0a;
    }
  }
}
