/**
 * The last resort: a mailto: link (RFC 6068) for whatever program handles it. It carries no
 * attachments (Thunderbird ignores `attach=` on purpose, Mozilla bug 1613425, and elsewhere it was a
 * way to steal files), so the caller reveals the exported file in the file manager and asks the user
 * to attach it.
 */
import { KurierError } from '../../../shared/errors';
import { pathStyleOf, withCrlf } from './handoff-mail';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';

/**
 * Longest link Kurier produces. Windows hands a URL to its handler through ShellExecute, and several
 * clients cut links near 2 048 characters.
 */
export const maxMailtoLength = 2000;

/** A link, and what it could not carry. */
export interface MailtoLink {
  readonly url: string;
  /** The body was cut to fit {@link maxMailtoLength}. */
  readonly bodyTruncated: boolean;
  /** How many attachments the user must attach by hand (all of them). */
  readonly attachmentsLeftOut: number;
}

/** encodeURIComponent, plus `'`, `!`, `(`, `)` and `*`, which some handlers treat as delimiters. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/['!()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An address with every character but `@` percent-encoded; `,` separates addresses. */
function encodeAddresses(addresses: readonly string[]): string {
  return addresses.map((address) => encode(address).replace(/%40/gu, '@')).join(',');
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `mailto:to1,to2?cc=…&bcc=…&subject=…&body=…` with everything percent-encoded and the body's line
 * breaks as `%0D%0A`. A body that does not fit `maxLength` is cut at a whole character (never inside an
 * emoji or a `%XX`); when even the addresses and subject do not fit, `handoff.mailtoTooLong`. Throws
 * like {@link assertSendable} too.
 */
export function mailtoUrl(mail: ComposedMail, maxLength = maxMailtoLength): MailtoLink {
  // The paths are only counted, but checked like any route's (as this computer's paths).
  assertSendable(mail, { pathStyle: pathStyleOf(process.platform) });
  const fields = [
    ...(mail.cc.length > 0 ? [`cc=${encodeAddresses(mail.cc)}`] : []),
    ...(mail.bcc.length > 0 ? [`bcc=${encodeAddresses(mail.bcc)}`] : []),
    ...(mail.subject !== '' ? [`subject=${encode(mail.subject)}`] : []),
  ];
  const head = `mailto:${encodeAddresses(mail.to)}`;
  const withFields = (extra: readonly string[]): string => {
    const all = [...fields, ...extra];
    return all.length > 0 ? `${head}?${all.join('&')}` : head;
  };
  const attachmentsLeftOut = mail.attachments.length;
  const bare = withFields([]);
  if (bare.length > maxLength) throw new KurierError('handoff.mailtoTooLong', { length: bare.length, maxLength });
  if (mail.text === '') return { url: bare, bodyTruncated: false, attachmentsLeftOut };

  const body = withCrlf(mail.text);
  const full = withFields([`body=${encode(body)}`]);
  if (full.length <= maxLength) return { url: full, bodyTruncated: false, attachmentsLeftOut };

  let budget = maxLength - withFields(['body=']).length;
  let kept = '';
  for (const { segment } of segmenter.segment(body)) {
    const encoded = encode(segment);
    if (encoded.length > budget) break;
    kept += encoded;
    budget -= encoded.length;
  }
  return { url: withFields(kept === '' ? [] : [`body=${kept}`]), bodyTruncated: true, attachmentsLeftOut };
}
