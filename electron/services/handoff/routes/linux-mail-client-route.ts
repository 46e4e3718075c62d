/**
 * The default mail client on Linux: the desktop's mailto handler, driven with its own compose command
 * when it is Thunderbird, Evolution, KMail, Claws Mail or Geary, else through xdg-email.
 */
import { KurierError } from '../../../../shared/errors';
import type { RouteOption } from '../../../../shared/handoff';
import type { ComposedMail } from '../../mail/composed-mail';
import { linuxComposeArgv } from '../linux-compose';
import { linuxMailNotes, linuxMailPlan } from '../linux-mail-route';
import type { HandoffContext, HandoffReceipt, MailRoute } from '../mail-route';
import { isUnsplittablePath, xdgEmailArgv } from '../xdg-email';
import { handOffToThunderbird, thunderbirdOption } from './thunderbird-route';

/** The Linux default mail client route. */
export class LinuxMailClientRoute implements MailRoute {
  readonly route = 'mailClient';

  constructor(private readonly context: HandoffContext) {}

  async availability(): Promise<RouteOption> {
    const plan = await linuxMailPlan(this.context.o.probe, this.context.o.env);
    if (plan.kind === 'none') return { route: this.route, available: false, reason: plan.reason, notes: [] };
    if (plan.kind === 'thunderbird') return thunderbirdOption(this.context, plan.thunderbird, this.route);
    return { route: this.route, available: true, notes: linuxMailNotes(plan) };
  }

  async handOff(mail: ComposedMail): Promise<HandoffReceipt> {
    // Decided before anything is copied: which program, and so which folder it can read and which names.
    const plan = await linuxMailPlan(this.context.o.probe, this.context.o.env);
    if (plan.kind === 'none') throw new KurierError(plan.reason.code, plan.reason.details);
    if (plan.kind === 'thunderbird') return handOffToThunderbird(this.context, plan.thunderbird, mail, this.route);
    const staged = await this.context.stage(mail, { unsplittable: plan.kind === 'xdgEmail' });
    const notes = linuxMailNotes(plan);
    const receipt = { route: this.route, sent: false, attachmentPath: staged.attachmentPath, mailtoUrl: null } as const;
    if (plan.kind === 'compose') {
      await this.context.run(linuxComposeArgv(plan.program, plan.command, staged.mail), plan.program);
      return { ...receipt, notes };
    }
    // Only a path nothing can split goes to xdg-email; otherwise (or where it cannot attach) the user attaches it.
    const attach = plan.attach && staged.mail.attachments.every((a) => isUnsplittablePath(a.path));
    await this.context.run(xdgEmailArgv(attach ? staged.mail : { ...staged.mail, attachments: [] }, plan.xdgEmail), 'xdg-email');
    return { ...receipt, notes: attach ? notes : ['attachmentsLost'] };
  }
}
