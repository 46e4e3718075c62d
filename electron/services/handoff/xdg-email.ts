/**
 * The default mail client on Linux through `xdg-email` (xdg-utils). Every value is its own argv element;
 * xdg-email percent-encodes each into a mailto URI. It attaches files only when it resolves the
 * handler's program to one named thunderbird or icedove and calls its `-compose` itself; for any other
 * client the attachments are dropped (the mailto `attach=` parameter is gone since CVE-2020-27748), and
 * on XFCE, with $MAILER set or inside Flatpak `--attach` fails with exit code 3. Kurier uses it only for
 * programs it does not know (see linux-mail-route.ts).
 *
 * When xdg-email (1.1.3) does call Thunderbird itself, it decodes the attachment path and wraps it in
 * `attachment='…'` unescaped: a comma splits the path and `',bcc=…` in a file name adds a Bcc. So an
 * attachment path must be {@link isUnsplittablePath}; the hand-off copies files under such a name.
 * https://manpages.opensuse.org/Tumbleweed/xdg-utils/xdg-email.1.en.html
 */
import { KurierError } from '../../../shared/errors';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';

/**
 * The complete argv (xdg-email first). Recipients come last as plain addresses; subject and body are
 * left out when empty, because xdg-email rejects an empty option value. A `to` address starting with
 * `-` (valid, but read by xdg-email as an unknown option) is refused with `mail.invalidAddress`, an
 * attachment path that is not {@link isUnsplittablePath} with `input.invalid`.
 */
export function xdgEmailArgv(mail: ComposedMail, xdgEmail = '/usr/bin/xdg-email'): string[] {
  assertSendable(mail, { pathStyle: 'posix' });
  const dashed = mail.to.find((address) => address.startsWith('-'));
  if (dashed !== undefined) throw new KurierError('mail.invalidAddress', { address: dashed });
  const splittable = mail.attachments.find((a) => !isUnsplittablePath(a.path));
  if (splittable !== undefined) throw new KurierError('input.invalid', { field: 'attachment', path: splittable.path });
  return [
    xdgEmail,
    '--utf8',
    ...mail.cc.flatMap((address) => ['--cc', address]),
    ...mail.bcc.flatMap((address) => ['--bcc', address]),
    ...(mail.subject !== '' ? ['--subject', mail.subject] : []),
    ...(mail.text !== '' ? ['--body', mail.text] : []),
    ...mail.attachments.flatMap((a) => ['--attach', a.path]),
    ...mail.to,
  ];
}

/**
 * True when no program splitting a list, ending a quoted value or reading a backslash escape can cut
 * `filePath` short: none of `, ; ' " \` \\ % & = ? # $` and no line break.
 */
export function isUnsplittablePath(filePath: string): boolean {
  return !/[,;'"`\\%&=?#$\r\n]/u.test(filePath);
}
