/**
 * The one way Kurier opens a message in Thunderbird, whether the user chose Thunderbird or it is the
 * default mail program: the body goes into a file next to the attachments (`message=`), so neither its
 * length nor the process list matter, and the whole command line is checked against the system's
 * limit before anything starts.
 */
import { KurierError } from '../../../shared/errors';
import { writeNewFile } from '../files/new-file';
import { commandLineFits } from './handoff-mail';
import type { ComposedMail } from '../mail/composed-mail';
import { composeArgument, thunderbirdArgv, type ThunderbirdProgram } from './thunderbird-compose';

/**
 * Writes the body to `<subfolder>/message.txt` (readable only by the user) and returns the argv that
 * opens the compose window. Throws `handoff.commandTooLong` when even so the command line is too long
 * (thousands of recipients), and what writeNewFile and composeArgument throw.
 */
export async function thunderbirdHandoffArgv(
  program: ThunderbirdProgram,
  mail: ComposedMail,
  subfolder: string,
  platform: NodeJS.Platform,
  profile?: string,
): Promise<string[]> {
  const bodyFile = mail.text === '' ? undefined : await writeNewFile(subfolder, 'message.txt', mail.text, { mode: 0o600 });
  const argv = thunderbirdArgv(program, composeArgument(mail, platform, bodyFile), profile);
  if (!commandLineFits(argv, platform)) throw new KurierError('handoff.commandTooLong', { program: 'Thunderbird' });
  return argv;
}
