/**
 * Compose command lines for the Linux mail programs whose command line is documented, each an argv
 * array (no shell) with every value in its own element:
 * - Evolution: `evolution <mailto URI>`; it reads `attach=` from the link (help.gnome.org, "Evolution
 *   command line options"; Breezy's mail_client.py does the same).
 * - KMail: `kmail --subject … --cc … --bcc … --body … --attach <file URL> -- <to>…` (`kmail --help`).
 * - Claws Mail: `claws-mail --compose <mailto URI> --attach <file>…` (claws-mail(1); `--attach` takes
 *   every argument after it, so it comes last).
 * - Geary: `geary <mailto URI>`; it takes no attachments from the command line, so the user attaches
 *   the file (the receipt names it).
 */
import { pathToFileURL } from 'node:url';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';
import type { LinuxMailProgram } from './linux-mail-handler';
import { mailtoUrl } from './mailto';

/** Whether `program`'s compose command carries attachments. */
export function attachesFiles(program: LinuxMailProgram): boolean {
  return program === 'thunderbird' || program === 'evolution' || program === 'kmail' || program === 'claws';
}

/** The mailto link of `mail` at full length (no attachments), RFC 6068 percent-encoded. */
function fullMailto(mail: ComposedMail): string {
  return mailtoUrl({ ...mail, attachments: [] }, Number.MAX_SAFE_INTEGER).url;
}

/** The argv that opens `mail` in Evolution, KMail, Claws Mail or Geary started by `command`. */
export function linuxComposeArgv(
  program: Exclude<LinuxMailProgram, 'thunderbird' | 'other'>,
  command: readonly string[],
  mail: ComposedMail,
): string[] {
  assertSendable(mail, { pathStyle: 'posix' });
  const urls = mail.attachments.map((a) => pathToFileURL(a.path).href);
  switch (program) {
    case 'evolution': {
      const link = fullMailto(mail);
      const attach = urls.map((url) => `attach=${encodeURIComponent(url)}`);
      return [...command, attach.length === 0 ? link : `${link}${link.includes('?') ? '&' : '?'}${attach.join('&')}`];
    }
    case 'kmail':
      return [
        ...command,
        ...(mail.subject !== '' ? ['--subject', mail.subject] : []),
        ...mail.cc.flatMap((address) => ['--cc', address]),
        ...mail.bcc.flatMap((address) => ['--bcc', address]),
        ...(mail.text !== '' ? ['--body', mail.text] : []),
        ...urls.flatMap((url) => ['--attach', url]),
        '--',
        ...mail.to,
      ];
    case 'claws':
      return [
        ...command,
        '--compose',
        fullMailto(mail),
        ...(mail.attachments.length > 0 ? ['--attach', ...mail.attachments.map((a) => a.path)] : []),
      ];
    case 'geary':
      return [...command, fullMailto(mail)];
  }
}
