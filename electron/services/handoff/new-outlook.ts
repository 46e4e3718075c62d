/**
 * New Outlook for Windows (olk.exe) has no COM and no usable Simple MAPI. Kurier tells it apart from
 * classic Outlook and hands it a MIME draft instead: a `.eml` with `X-Unsent: 1`, which Outlook opens
 * as an editable message (NAPS2 does the same, cyanfish/naps2#573).
 */
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { KurierError } from '../../../shared/errors';
import { newMessageId } from '../mail/composed-mail';
import { foldableSubject } from '../mail/header-text';
import { attachmentName, pathStyleOf, type PathStyle } from './handoff-mail';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';
import type { ProgramProbe } from './program-probe';
import { parseRegQuery, programPathFromRegistry, regQueryArgv, windowsEnv, type Environment } from './windows-commands';
import { appxQueryArgv, parsePackageFamilies, storeNewOutlook } from './windows-store';

/** Which Outlook gets the message: COM for classic, a `.eml` draft for new, none when neither is there. */
export type OutlookKind = 'classic' | 'new' | 'none';

/** What decides {@link outlookKind}. */
export interface OutlookFacts {
  /** The user's "New Outlook" switch (`UseNewOutlook` = 1); null when the value is absent. */
  readonly useNewOutlook: boolean | null;
  /** Classic Outlook's program, from App Paths `OUTLOOK.EXE`; null when not installed. */
  readonly classicProgram: string | null;
  /** New Outlook's program (App Paths `olk.exe`, or its execution alias); null when not installed. */
  readonly newProgram: string | null;
}

/**
 * Classic when it is installed and the user has not switched to new Outlook (then COM starts the
 * Outlook they use); new when new Outlook is installed; classic again when the switch is on but new
 * Outlook cannot be found (COM still starts classic Outlook then); else none.
 */
export function outlookKind(facts: OutlookFacts): OutlookKind {
  if (facts.classicProgram !== null && facts.useNewOutlook !== true) return 'classic';
  if (facts.newProgram !== null) return 'new';
  return facts.classicProgram !== null ? 'classic' : 'none';
}

const appPaths = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths';

/** The reg.exe argv (and the alias path) that collect {@link OutlookFacts}. */
export function outlookFactQueries(env: Environment): {
  readonly useNewOutlook: readonly string[];
  readonly classicAppPaths: readonly (readonly string[])[];
  readonly newAppPaths: readonly (readonly string[])[];
  /** New Outlook's execution alias, present for the user who installed it. */
  readonly newAlias: string | null;
} {
  const localAppData = windowsEnv(env, 'LOCALAPPDATA');
  return {
    useNewOutlook: regQueryArgv(env, 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Preferences', 'UseNewOutlook'),
    classicAppPaths: ['HKLM', 'HKCU'].map((hive) => regQueryArgv(env, `${hive}\\${appPaths}\\OUTLOOK.EXE`, null)),
    newAppPaths: ['HKCU', 'HKLM'].map((hive) => regQueryArgv(env, `${hive}\\${appPaths}\\olk.exe`, null)),
    newAlias: localAppData !== undefined ? path.win32.join(localAppData, 'Microsoft', 'WindowsApps', 'olk.exe') : null,
  };
}

/** Runs the queries of {@link outlookFactQueries} through `probe`. */
export async function collectOutlookFacts(env: Environment, probe: ProgramProbe): Promise<OutlookFacts> {
  const queries = outlookFactQueries(env);
  const switchValue = await probe.query(queries.useNewOutlook).then((out) => (out === null ? null : parseRegQuery(out)));
  const firstProgram = async (argvs: readonly (readonly string[])[]): Promise<string | null> => {
    for (const argv of argvs) {
      const out = await probe.query(argv);
      const value = out === null ? null : parseRegQuery(out);
      if (value === null) continue;
      const program = programPathFromRegistry(value, env);
      if (await probe.isExecutableFile(program)) return program;
    }
    return null;
  };
  // The alias is a reparse point fs.stat cannot read: the package is asked for instead (windows-store.ts).
  const installed = parsePackageFamilies((await probe.query(appxQueryArgv(env, storeNewOutlook))) ?? '').length > 0;
  const newFromAlias = queries.newAlias !== null && installed ? queries.newAlias : null;
  return {
    useNewOutlook: switchValue === null ? null : /^(?:0x)?0*1$/iu.test(switchValue.data),
    classicProgram: await firstProgram(queries.classicAppPaths),
    newProgram: (await firstProgram(queries.newAppPaths)) ?? newFromAlias,
  };
}

/** The argv that opens a draft in new Outlook. */
export function newOutlookArgv(olkProgram: string, emlPath: string): string[] {
  return [olkProgram, emlPath];
}

/**
 * The message as a MIME draft: `X-Unsent: 1`, To/Cc/Bcc (Bcc kept, as a draft needs it), the subject,
 * the text and every attachment embedded (names in RFC 2231, so diacritics and commas survive). From is
 * written only when given, so the client otherwise picks its own account. The Message-ID is the mail's
 * own, or one on the sender's domain, never on this computer's host name. Throws like
 * {@link assertSendable}; attachments are read from disk, so their paths are this computer's.
 */
export async function emlDraft(mail: ComposedMail, pathStyle: PathStyle = pathStyleOf(process.platform)): Promise<Buffer> {
  assertSendable(mail, { pathStyle });
  const composer = new MailComposer({
    ...(mail.from ? { from: { name: mail.from.name, address: mail.from.address } } : {}),
    to: [...mail.to],
    cc: [...mail.cc],
    bcc: [...mail.bcc],
    // nodemailer folds only at spaces: an unbroken subject goes as encoded words (header-text.ts).
    subject: foldableSubject(mail.subject),
    text: mail.text,
    messageId: mail.messageId ?? newMessageId(mail.from?.address ?? ''),
    headers: { 'X-Unsent': '1' },
    attachments: mail.attachments.map((a) => ({
      path: a.path,
      filename: attachmentName(a, pathStyle),
      ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
    })),
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  try {
    return await node.build();
  } catch (error) {
    const { code, path: missing } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new KurierError('handoff.attachmentMissing', { path: missing ?? '', reason: code }, { cause: error });
    }
    throw error;
  }
}
