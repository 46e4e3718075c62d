/**
 * Hands a message to the user's own mail program: Thunderbird (every platform), the default mail client
 * (on Linux the desktop's mailto handler, driven with its own compose command when it is Thunderbird,
 * Evolution, KMail, Claws Mail or Geary, else xdg-email; Mail on macOS; Simple MAPI on Windows), classic
 * Outlook through COM on Windows, or a mailto link as the last resort. Each route says whether it works
 * on this computer and, when not, why (Thunderbird without a mail account, no mailto handler); whatever
 * a route cannot carry is a note the dialog shows before the hand-off. The exported file is first copied
 * into a new subfolder of the visible hand-off folder (Documents/Kurier/Outbox/<date>-<id>/, Downloads
 * for a Flatpak Thunderbird), because the mail program reads it after Kurier's launcher has returned.
 */
import path from 'node:path';
import { KurierError } from '../../../shared/errors';
import type { HandoffNote, HandoffRoute, RouteOption } from '../../../shared/handoff';
import type { Logger } from '../logging/logger';
import {
  cleanOldHandoffFiles,
  copyToHandoffFolder,
  handoffFolder,
  newHandoffSubfolder,
  unsplittableFileName,
} from './handoff-folder';
import { commandLineFits, pathStyleOf, type HandoffMail } from './handoff-mail';
import { linuxComposeArgv } from './linux-compose';
import { linuxMailNotes, linuxMailPlan, type LinuxMailPlan } from './linux-mail-route';
import { launchDetached, type LaunchOptions, type LaunchOutcome } from './launch';
import { mailtoUrl } from './mailto';
import { mapiFlags, mapiHelperOutcome, mapiPlan } from './mapi';
import type { MapiHelperRunner } from './mapi-runner';
import { osascriptArgv, writeMacMailScript } from './macos-mail';
import type { OutlookMode } from './outlook-com';
import type { ProgramProbe } from './program-probe';
import { thunderbirdHandoffArgv } from './thunderbird-handoff';
import { findThunderbird, type ThunderbirdLocation } from './thunderbird-location';
import { thunderbirdHasAccount } from './thunderbird-profile';
import { handOffToOutlook, outlookOption, windowsMailClient } from './windows-routes';
import { isUnsplittablePath, xdgEmailArgv } from './xdg-email';

/** What the service needs from the computer. */
export interface HandoffServiceOptions {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly probe: ProgramProbe;
  /** The user's documents folder; hand-off copies go to `<documents>/Kurier/Outbox/<date>-<id>/`. */
  readonly documentsDir: string;
  /**
   * The user's downloads folder: a Flatpak Thunderbird may read it but not the documents folder, so its
   * hand-off copies go to `<downloads>/Kurier/Outbox` instead.
   */
  readonly downloadsDir?: string;
  readonly logger: Logger;
  readonly launch?: (argv: readonly string[], options: LaunchOptions) => Promise<LaunchOutcome>;
  /** Environment and profile for the mail programs (tests run a private Thunderbird). */
  readonly launchEnv?: NodeJS.ProcessEnv;
  readonly thunderbirdProfile?: string;
  /**
   * Windows' default mail client: runs the Simple MAPI helper process (a utility process under
   * Electron). Without one, the route is not offered on Windows.
   */
  readonly mapiRunner?: MapiHelperRunner;
  /** How long hand-off copies are kept (30 days by default). */
  readonly retentionMs?: number;
  readonly now?: () => number;
}

/** How a hand-off goes, from the sending preferences. */
export interface HandoffChoices {
  /** Classic Outlook: show the message for review (the default) or send it at once. */
  readonly outlookMode?: OutlookMode;
}

/** What a hand-off did, for the dialog. */
export interface HandoffReceipt {
  readonly route: HandoffRoute;
  /** The program sent the message itself (classic Outlook told to send at once); else the user sends it. */
  readonly sent: boolean;
  readonly notes: readonly HandoffNote[];
  /** The attachment as the mail program got it (in the hand-off folder). */
  readonly attachmentPath: string | null;
  /** For mailto: the link the window opens with the system's handler. */
  readonly mailtoUrl: string | null;
}

const day = 24 * 60 * 60_000;

/** The hand-off routes. */
export class HandoffService {
  readonly #o: HandoffServiceOptions;

  constructor(options: HandoffServiceOptions) {
    this.#o = options;
  }

  /** Every hand-off route with whether it works here; computed fresh (programs come and go). */
  async routes(): Promise<RouteOption[]> {
    const { platform } = this.#o;
    const options: RouteOption[] = [await this.#thunderbirdOption(await this.#thunderbird())];
    if (platform === 'linux') {
      const plan = await linuxMailPlan(this.#o.probe, this.#o.env);
      if (plan.kind === 'none') options.push({ route: 'mailClient', available: false, reason: plan.reason, notes: [] });
      else if (plan.kind === 'thunderbird')
        options.push({ ...(await this.#thunderbirdOption(plan.thunderbird)), route: 'mailClient' });
      else options.push({ route: 'mailClient', available: true, notes: linuxMailNotes(plan) });
    } else if (platform === 'darwin') {
      options.push({ route: 'mailClient', available: true, notes: [] });
    } else if (platform === 'win32' && this.#o.mapiRunner !== undefined) {
      options.push(
        (await windowsMailClient(this.#o.env, this.#o.probe)) !== null
          ? { route: 'mailClient', available: true, notes: [] }
          : {
              route: 'mailClient',
              available: false,
              reason: { code: 'handoff.noMailClient', details: { program: 'Simple MAPI' } },
              notes: [],
            },
      );
    } else {
      options.push({
        route: 'mailClient',
        available: false,
        reason: { code: 'handoff.notOnThisSystem', details: { platform } },
        notes: [],
      });
    }
    options.push(await outlookOption(platform, this.#o.env, this.#o.probe));
    options.push({ route: 'mailto', available: true, notes: ['noAttachments'] });
    return options;
  }

  /** Hands `mail` (its attachments being exported files) to `route`. */
  async handOff(route: HandoffRoute, mail: HandoffMail, choices: HandoffChoices = {}): Promise<HandoffReceipt> {
    if (route === 'mailto') {
      const link = mailtoUrl(mail);
      return {
        route,
        sent: false,
        notes: ['noAttachments', ...(link.bodyTruncated ? (['bodyShortened'] as const) : [])],
        attachmentPath: mail.attachments[0]?.path ?? null,
        mailtoUrl: link.url,
      };
    }
    // Decided before anything is copied: which program, and so which folder it can read and which names.
    const linux = route === 'mailClient' && this.#o.platform === 'linux' ? await linuxMailPlan(this.#o.probe, this.#o.env) : null;
    if (linux?.kind === 'none') throw new KurierError(linux.reason.code, linux.reason.details);
    const thunderbird =
      route === 'thunderbird' ? await this.#thunderbird() : linux?.kind === 'thunderbird' ? linux.thunderbird : null;
    if (route === 'thunderbird' && thunderbird === null) throw new KurierError('handoff.thunderbirdNotFound');
    if (thunderbird !== null && !(await this.#hasAccount(thunderbird))) throw new KurierError('handoff.thunderbirdNoAccount');
    const folder = handoffFolder(
      thunderbird?.packaging === 'flatpak' && this.#o.downloadsDir !== undefined ? this.#o.downloadsDir : this.#o.documentsDir,
    );
    const now = (this.#o.now ?? Date.now)();
    // Awaited: running beside this hand-off it could remove an old script file just found up to date.
    await cleanOldHandoffFiles(folder, this.#o.retentionMs ?? 30 * day, now).catch(() => []);
    // Its own subfolder per hand-off: a re-sent document keeps its name (no ` (2).pdf` for the recipient).
    const subfolder = await newHandoffSubfolder(folder, now);
    const viaXdgEmail = linux?.kind === 'xdgEmail';
    const attachments = await Promise.all(
      mail.attachments.map(async (attachment) => {
        const name = attachment.fileName ?? path.basename(attachment.path);
        const copy = await copyToHandoffFolder(subfolder, attachment.path, viaXdgEmail ? unsplittableFileName(name) : name);
        return { ...attachment, path: copy };
      }),
    );
    const copy: HandoffMail = { ...mail, attachments };
    const attachmentPath = attachments[0]?.path ?? null;
    if (thunderbird !== null) {
      await this.#run(
        await thunderbirdHandoffArgv(thunderbird, copy, subfolder, this.#o.platform, this.#o.thunderbirdProfile),
        'Thunderbird',
      );
      return { route, sent: false, notes: [], attachmentPath, mailtoUrl: null };
    }
    if (linux !== null) return this.#linuxMailClient(linux, copy, attachmentPath);
    return route === 'outlook'
      ? handOffToOutlook(
          {
            platform: this.#o.platform,
            env: this.#o.env,
            probe: this.#o.probe,
            launch: (argv, options) => this.#launch(argv, options),
            run: (argv, program) => this.#run(argv, program),
          },
          copy,
          subfolder,
          attachmentPath,
          choices.outlookMode ?? 'display',
        )
      : this.#mailClient(copy, attachmentPath);
  }

  async #linuxMailClient(plan: LinuxMailPlan, mail: HandoffMail, attachmentPath: string | null): Promise<HandoffReceipt> {
    const notes = linuxMailNotes(plan);
    if (plan.kind === 'compose') {
      await this.#run(linuxComposeArgv(plan.program, plan.command, mail), plan.program);
    } else if (plan.kind === 'xdgEmail') {
      // Only a path nothing can split goes to xdg-email; otherwise (or where it cannot attach) the user attaches it.
      const attach = plan.attach && mail.attachments.every((a) => isUnsplittablePath(a.path));
      await this.#run(xdgEmailArgv(attach ? mail : { ...mail, attachments: [] }, plan.xdgEmail), 'xdg-email');
      return { route: 'mailClient', sent: false, notes: attach ? notes : ['attachmentsLost'], attachmentPath, mailtoUrl: null };
    }
    return { route: 'mailClient', sent: false, notes, attachmentPath, mailtoUrl: null };
  }

  async #mailClient(mail: HandoffMail, attachmentPath: string | null): Promise<HandoffReceipt> {
    if (this.#o.platform === 'darwin') {
      const script = await writeMacMailScript(handoffFolder(this.#o.documentsDir));
      await this.#run(osascriptArgv(script, mail), 'Mail');
      return { route: 'mailClient', sent: false, notes: [], attachmentPath, mailtoUrl: null };
    }
    if (this.#o.platform === 'win32' && this.#o.mapiRunner !== undefined) {
      if ((await windowsMailClient(this.#o.env, this.#o.probe)) === null)
        throw new KurierError('handoff.noMailClient', { program: 'Simple MAPI' });
      // The plan is checked (and refused) before any process starts. The helper answers only once the
      // user has closed the client's compose window: success means the client took the message.
      const plan = mapiPlan(mail, { pathStyle: pathStyleOf(process.platform) });
      const run = await this.#o.mapiRunner(JSON.stringify(plan));
      if (mapiHelperOutcome(run.exitCode, run.stdout) === 'cancelled') throw new KurierError('handoff.closedWithoutSending');
      this.#o.logger.info('handedOff', { program: 'Simple MAPI' });
      // With MAPI_DIALOG, success means only that the client took the message into its compose window:
      // Thunderbird answers as soon as the window opens. Only a call without a dialog sends by itself.
      const sent = (plan.flags & mapiFlags.MAPI_DIALOG) === 0;
      return { route: 'mailClient', sent, notes: sent ? [] : ['openedForSending'], attachmentPath, mailtoUrl: null };
    }
    throw new KurierError('handoff.notOnThisSystem', { platform: this.#o.platform });
  }

  async #thunderbirdOption(thunderbird: ThunderbirdLocation | null): Promise<RouteOption> {
    if (thunderbird === null)
      return { route: 'thunderbird', available: false, reason: { code: 'handoff.thunderbirdNotFound', details: {} }, notes: [] };
    if (!(await this.#hasAccount(thunderbird)))
      return { route: 'thunderbird', available: false, reason: { code: 'handoff.thunderbirdNoAccount', details: {} }, notes: [] };
    return { route: 'thunderbird', available: true, notes: [] };
  }

  #hasAccount(thunderbird: ThunderbirdLocation): Promise<boolean> {
    return thunderbirdHasAccount(
      (file) => this.#o.probe.readText(file),
      this.#o.platform,
      this.#o.env,
      thunderbird,
      this.#o.thunderbirdProfile,
    );
  }

  async #run(argv: readonly string[], program: string): Promise<void> {
    // Checked before starting: a too long command line fails with a bare spawn error (E2BIG) otherwise.
    if (!commandLineFits(argv, this.#o.platform)) throw new KurierError('handoff.commandTooLong', { program });
    let outcome: LaunchOutcome;
    try {
      outcome = await this.#launch(argv, { waitMs: 5_000 });
    } catch (error) {
      throw new KurierError('handoff.launchFailed', { program }, { cause: error });
    }
    if (outcome.kind === 'exited' && outcome.code !== 0) {
      this.#o.logger.warn('handoffFailed', { program, code: outcome.code ?? -1 });
      // errAEEventNotPermitted: the user (or a missing entitlement) has not let Kurier control Mail.
      if (program === 'Mail' && /-1743\b/u.test(outcome.stderr)) throw new KurierError('handoff.mailAutomationDenied');
      throw new KurierError('handoff.programFailed', { program, code: outcome.code ?? -1 });
    }
    this.#o.logger.info('handedOff', { program });
  }

  #launch(argv: readonly string[], options: LaunchOptions): Promise<LaunchOutcome> {
    return (this.#o.launch ?? launchDetached)(argv, { ...options, ...(this.#o.launchEnv ? { env: this.#o.launchEnv } : {}) });
  }

  #thunderbird(): Promise<ThunderbirdLocation | null> {
    return findThunderbird(this.#o.platform, this.#o.env, this.#o.probe);
  }
}
