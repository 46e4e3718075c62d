/**
 * The Windows-only parts of the hand-off: whether Outlook (classic or new) is there, handing a message
 * to it, and which mail client Simple MAPI would reach. Classic Outlook gets the message through COM (a
 * fixed script reading a data file); new Outlook, which has no COM, a `.eml` draft it opens as an
 * editable message — it cannot send directly, so the receipt says the user sends it there.
 */
import { KurierError } from '../../../shared/errors';
import type { RouteOption } from '../../../shared/handoff';
import { writeNewFile } from '../files/new-file';
import { pathStyleOf } from './handoff-mail';
import type { ComposedMail } from '../mail/composed-mail';
import type { HandoffReceipt } from './mail-route';
import type { LaunchOptions, LaunchOutcome } from './launch';
import { collectOutlookFacts, emlDraft, newOutlookArgv, outlookKind } from './new-outlook';
import {
  outlookArgv,
  outlookExitCodes,
  outlookFailure,
  outlookMessageJson,
  writeOutlookScript,
  type OutlookMode,
} from './outlook-com';
import type { ProgramProbe } from './program-probe';
import { parseRegQuery, powershellPath, regQueryArgv, type Environment } from './windows-commands';

/** What the Outlook hand-off needs from the service. */
export interface OutlookHandoffContext {
  readonly platform: NodeJS.Platform;
  readonly env: Environment;
  readonly probe: ProgramProbe;
  readonly launch: (argv: readonly string[], options: LaunchOptions) => Promise<LaunchOutcome>;
  /** Starts a program and checks its early exit (the service's own launcher). */
  readonly run: (argv: readonly string[], program: string) => Promise<void>;
}

/** The Outlook route as the dialog offers it. */
export async function outlookOption(platform: NodeJS.Platform, env: Environment, probe: ProgramProbe): Promise<RouteOption> {
  if (platform !== 'win32') {
    return { route: 'outlook', available: false, reason: { code: 'handoff.notOnThisSystem', details: { platform } }, notes: [] };
  }
  switch (outlookKind(await collectOutlookFacts(env, probe))) {
    case 'classic':
      return { route: 'outlook', available: true, notes: [] };
    case 'new':
      return { route: 'outlook', available: true, notes: ['newOutlookDraft'] };
    case 'none':
      return { route: 'outlook', available: false, reason: { code: 'handoff.outlookNotInstalled', details: {} }, notes: [] };
  }
}

/** Hands `mail` (attachments already in `folder`) to Outlook. */
export async function handOffToOutlook(
  context: OutlookHandoffContext,
  mail: ComposedMail,
  folder: string,
  attachmentPath: string | null,
  mode: OutlookMode,
): Promise<HandoffReceipt> {
  if (context.platform !== 'win32') throw new KurierError('handoff.notOnThisSystem', { platform: context.platform });
  const facts = await collectOutlookFacts(context.env, context.probe);
  const kind = outlookKind(facts);
  if (kind === 'none') throw new KurierError('handoff.outlookNotInstalled');
  if (kind === 'new' && facts.newProgram !== null) {
    // Read from this computer's disk, so its own path style (the default).
    const eml = await writeNewFile(folder, 'kurier-draft.eml', await emlDraft(mail), { mode: 0o600 });
    await context.run(newOutlookArgv(facts.newProgram, eml), 'Outlook');
    return { route: 'outlook', sent: false, notes: ['newOutlookDraft'], attachmentPath, mailtoUrl: null };
  }
  // Files written here have this computer's paths (Windows; only a test elsewhere differs).
  const pathStyle = pathStyleOf(process.platform);
  const script = await writeOutlookScript(folder);
  // The message travels as a data file; the script text never contains it.
  const json = await writeNewFile(
    folder,
    'kurier-outlook-message.json',
    Buffer.from(outlookMessageJson(mail, mode, pathStyle), 'utf8'),
    {
      mode: 0o600,
    },
  );
  let outcome: LaunchOutcome;
  try {
    // Sending may wait on Outlook's security prompt and the Outbox: give the user time.
    outcome = await context.launch(outlookArgv(powershellPath(context.env), script, json, pathStyle), {
      waitMs: mode === 'send' ? 10 * 60_000 : 2 * 60_000,
    });
  } catch (error) {
    throw new KurierError('handoff.launchFailed', { program: 'PowerShell' }, { cause: error });
  }
  // Sent, but still in the Outbox when the script's wait ended: Outlook sends it when it next connects.
  if (outcome.kind === 'exited' && outcome.code === outlookExitCodes.inOutbox) {
    return { route: 'outlook', sent: false, notes: ['outlookInOutbox'], attachmentPath, mailtoUrl: null };
  }
  if (outcome.kind === 'exited' && outcome.code !== 0) throw outlookFailure(outcome.code, '', outcome.stderr);
  // A script still running after the wait has not said what Outlook did: the dialog says to look.
  if (outcome.kind === 'running')
    return { route: 'outlook', sent: false, notes: ['outlookNotAnswered'], attachmentPath, mailtoUrl: null };
  return { route: 'outlook', sent: mode === 'send', notes: [], attachmentPath, mailtoUrl: null };
}

/**
 * The mail client registered for Simple MAPI (`Software\Clients\Mail`'s default value, the user's
 * choice first), or null when none is: then MAPISendMailW could only fail.
 */
export async function windowsMailClient(env: Environment, probe: ProgramProbe): Promise<string | null> {
  for (const hive of ['HKCU', 'HKLM']) {
    const out = await probe.query(regQueryArgv(env, `${hive}\\Software\\Clients\\Mail`, null));
    const name = out === null ? '' : (parseRegQuery(out)?.data.trim() ?? '');
    if (name !== '') return name;
  }
  return null;
}
