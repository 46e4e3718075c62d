/**
 * The default mail client on Linux through `xdg-email` (xdg-utils). Every value is its own argv element;
 * xdg-email percent-encodes each into a mailto URI. It attaches files only when it resolves the
 * handler's program to one named thunderbird or icedove and calls its `-compose` itself; for any other
 * client the attachments are dropped (the mailto `attach=` parameter is gone since CVE-2020-27748), and
 * on XFCE, with $MAILER set or inside Flatpak `--attach` fails with exit code 3.
 * https://manpages.opensuse.org/Tumbleweed/xdg-utils/xdg-email.1.en.html
 */
import { KurierError } from '../../../shared/errors';
import { assertHandoffMail, type HandoffMail } from './handoff-mail';
import type { ThunderbirdPackaging } from './thunderbird-location';

/**
 * The complete argv (xdg-email first). Recipients come last as plain addresses; subject and body are
 * left out when empty, because xdg-email rejects an empty option value. A `to` address starting with
 * `-` (valid, but read by xdg-email as an unknown option) is refused with `mail.invalidAddress`.
 */
export function xdgEmailArgv(mail: HandoffMail, xdgEmail = '/usr/bin/xdg-email'): string[] {
  assertHandoffMail(mail, 'posix');
  const dashed = mail.to.find((address) => address.startsWith('-'));
  if (dashed !== undefined) throw new KurierError('mail.invalidAddress', { address: dashed });
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

/** The argv that asks which desktop entry handles mailto: links. */
export function mailHandlerQueryArgv(xdgMime = '/usr/bin/xdg-mime'): string[] {
  return [xdgMime, 'query', 'default', 'x-scheme-handler/mailto'];
}

/** The mailto handler and what xdg-email can hand it. */
export interface LinuxMailHandler {
  /** e.g. `thunderbird.desktop`; null when none is set. */
  readonly desktopFile: string | null;
  /** How the handler is packaged when it is Thunderbird; null for any other client. */
  readonly thunderbird: ThunderbirdPackaging | null;
  /**
   * Whether xdg-email would attach files. Only for a native Thunderbird: xdg-email looks at the first
   * word of the desktop entry's Exec line, which is `env` for the snap and `flatpak` for the flatpak, so
   * those lose their attachments too. Kurier hands any Thunderbird its `-compose` itself instead.
   */
  readonly attachmentsSupported: boolean;
}

/** Reads the output of {@link mailHandlerQueryArgv}. */
export function mailHandlerOnLinux(queryOutput: string): LinuxMailHandler {
  const desktopFile = queryOutput.trim().split(/\s+/u)[0] ?? '';
  if (!desktopFile.endsWith('.desktop')) return { desktopFile: null, thunderbird: null, attachmentsSupported: false };
  const thunderbird = thunderbirdPackaging(desktopFile);
  return { desktopFile, thunderbird, attachmentsSupported: thunderbird === 'native' };
}

function thunderbirdPackaging(desktopFile: string): ThunderbirdPackaging | null {
  if (/^(?:org\.mozilla\.thunderbird|net\.thunderbird\.thunderbird)\.desktop$/iu.test(desktopFile)) return 'flatpak';
  // Snap desktop entries are named <snap>_<app>.desktop.
  if (/^thunderbird_[^/]*\.desktop$/iu.test(desktopFile)) return 'snap';
  return /thunderbird|icedove/iu.test(desktopFile) ? 'native' : null;
}
