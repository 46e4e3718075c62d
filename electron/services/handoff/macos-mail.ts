/**
 * Mail.app on macOS through a fixed AppleScript run by osascript. Every value arrives as an argument of
 * `on run argv`; the script text never changes, so no subject or file name can become AppleScript
 * (Breezy's MailApp pastes the address into the script: the anti-example).
 *
 * Automating Mail needs the user's consent, `NSAppleEventsUsageDescription` in Info.plist and, under the
 * hardened runtime, the `com.apple.security.automation.apple-events` entitlement; without them macOS
 * answers -1743, which only shows when osascript's stderr is read.
 */
import { KurierError } from '../../../shared/errors';
import { assertSendable, isAbsolutePath, type ComposedMail } from '../mail/composed-mail';
import { ensureScriptFile } from './script-file';

/** The name the script is written under. */
export const macMailScriptFileName = 'kurier-mail-compose.applescript';

/**
 * The script. argv: subject, body, then pairs of kind (`to`, `cc`, `bcc`, `attachment`) and value.
 * Attachments go in after a short delay: Mail drops files added before its window is ready.
 */
export const macMailScript = `-- Kurier: opens a new message in Mail. Every value arrives in argv; none is part of this text.
-- argv: subject, body, then pairs of kind ("to", "cc", "bcc", "attachment") and value.
on run argv
	set theSubject to item 1 of argv
	set theBody to item 2 of argv
	set theFiles to {}
	repeat with i from 3 to (count of argv) - 1 by 2
		if item i of argv is "attachment" then set end of theFiles to (POSIX file (item (i + 1) of argv))
	end repeat
	tell application "Mail"
		set theMessage to make new outgoing message with properties {subject:theSubject, content:theBody, visible:true}
		tell theMessage
			repeat with i from 3 to (count of argv) - 1 by 2
				set theKind to item i of argv
				set theValue to item (i + 1) of argv
				if theKind is "to" then
					make new to recipient at end of to recipients with properties {address:theValue}
				else if theKind is "cc" then
					make new cc recipient at end of cc recipients with properties {address:theValue}
				else if theKind is "bcc" then
					make new bcc recipient at end of bcc recipients with properties {address:theValue}
				end if
			end repeat
		end tell
		if (count of theFiles) > 0 then delay 1
		repeat with theFile in theFiles
			tell content of theMessage to make new attachment with properties {file name:(contents of theFile)} at after last paragraph
		end repeat
		activate
	end tell
end run
`;

/** Writes {@link macMailScript} into `folder` (once) and returns its path. */
export function writeMacMailScript(folder: string): Promise<string> {
  return ensureScriptFile(folder, macMailScriptFileName, macMailScript);
}

/**
 * The complete argv (osascript first). osascript passes everything after the script file to
 * `on run argv` unread, so values starting with `-` stay values. Throws like {@link assertSendable}, and
 * `input.invalid` for a script path that is not absolute.
 */
export function osascriptArgv(scriptPath: string, mail: ComposedMail, osascript = '/usr/bin/osascript'): string[] {
  assertSendable(mail, { pathStyle: 'posix' });
  // A relative path starting with `-` would be read as an option.
  if (!isAbsolutePath(scriptPath, 'posix')) throw new KurierError('input.invalid', { field: 'path', path: scriptPath });
  return [
    osascript,
    scriptPath,
    mail.subject,
    mail.text,
    ...mail.to.flatMap((address) => ['to', address]),
    ...mail.cc.flatMap((address) => ['cc', address]),
    ...mail.bcc.flatMap((address) => ['bcc', address]),
    ...mail.attachments.flatMap((a) => ['attachment', a.path]),
  ];
}
