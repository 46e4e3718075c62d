/**
 * One object per hand-off route (ARCHITECTURE: "a route interface — availability, with a reason when
 * unavailable, and hand-off — with one object per route, chosen by a per-platform registry"). The routes
 * share a {@link HandoffContext}: how programs start, and the hand-off folder the mail program reads the
 * files from (it reads them after Kurier's launcher has returned, so they are copies that stay).
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
import { commandLineFits } from './handoff-mail';
import type { ComposedMail } from '../mail/composed-mail';
import { launchDetached, type LaunchOptions, type LaunchOutcome } from './launch';
import type { MapiHelperRunner } from './mapi-runner';
import type { OutlookMode } from './outlook-com';
import type { ProgramProbe } from './program-probe';

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

/** One way of handing a message to a mail program. */
export interface MailRoute {
  readonly route: HandoffRoute;
  /** Whether the route works on this computer now (programs come and go), and why not. */
  availability(): Promise<RouteOption>;
  /** Hands `mail` (its attachments being exported files) to the program. */
  handOff(mail: ComposedMail, choices: HandoffChoices): Promise<HandoffReceipt>;
}

/** What the routes need from the computer. */
export interface HandoffContextOptions {
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

const day = 24 * 60 * 60_000;

/** What every route shares: starting programs and the hand-off folder. */
export class HandoffContext {
  constructor(readonly o: HandoffContextOptions) {}

  /**
   * Copies the attachments into a new subfolder of the hand-off folder (in `downloads` when asked: a
   * Flatpak Thunderbird reads only there) and returns the message pointing at the copies; `unsplittable`
   * names survive xdg-email's command line.
   */
  async stage(
    mail: ComposedMail,
    where: { readonly downloads?: boolean; readonly unsplittable?: boolean } = {},
  ): Promise<{ mail: ComposedMail; subfolder: string; attachmentPath: string | null }> {
    const folder = handoffFolder(
      where.downloads === true && this.o.downloadsDir !== undefined ? this.o.downloadsDir : this.o.documentsDir,
    );
    const now = (this.o.now ?? Date.now)();
    // Awaited: running beside this hand-off it could remove an old script file just found up to date.
    await cleanOldHandoffFiles(folder, this.o.retentionMs ?? 30 * day, now).catch(() => []);
    // Its own subfolder per hand-off: a re-sent document keeps its name (no ` (2).pdf` for the recipient).
    const subfolder = await newHandoffSubfolder(folder, now);
    const attachments = await Promise.all(
      mail.attachments.map(async (attachment) => {
        const name = attachment.fileName ?? path.basename(attachment.path);
        const copy = await copyToHandoffFolder(
          subfolder,
          attachment.path,
          where.unsplittable === true ? unsplittableFileName(name) : name,
        );
        return { ...attachment, path: copy };
      }),
    );
    return { mail: { ...mail, attachments }, subfolder, attachmentPath: attachments[0]?.path ?? null };
  }

  /** Starts `argv` and waits a moment for it to fail; a failure is a `handoff.*` error naming `program`. */
  async run(argv: readonly string[], program: string): Promise<void> {
    // Checked before starting: a too long command line fails with a bare spawn error (E2BIG) otherwise.
    if (!commandLineFits(argv, this.o.platform)) throw new KurierError('handoff.commandTooLong', { program });
    let outcome: LaunchOutcome;
    try {
      outcome = await this.launch(argv, { waitMs: 5_000 });
    } catch (error) {
      throw new KurierError('handoff.launchFailed', { program }, { cause: error });
    }
    if (outcome.kind === 'exited' && outcome.code !== 0) {
      this.o.logger.warn('handoffFailed', { program, code: outcome.code ?? -1 });
      // errAEEventNotPermitted: the user (or a missing entitlement) has not let Kurier control Mail.
      if (program === 'Mail' && /-1743\b/u.test(outcome.stderr)) throw new KurierError('handoff.mailAutomationDenied');
      throw new KurierError('handoff.programFailed', { program, code: outcome.code ?? -1 });
    }
    this.o.logger.info('handedOff', { program });
  }

  /** Starts `argv` detached, in the mail programs' environment. */
  launch(argv: readonly string[], options: LaunchOptions): Promise<LaunchOutcome> {
    return (this.o.launch ?? launchDetached)(argv, { ...options, ...(this.o.launchEnv ? { env: this.o.launchEnv } : {}) });
  }
}
