/**
 * The default mail client on Windows through Simple MAPI, called by a helper process (a utility process
 * under Electron). The plan is checked (and refused) before any process starts.
 */
import { KurierError } from '../../../../shared/errors';
import type { RouteOption } from '../../../../shared/handoff';
import { pathStyleOf } from '../handoff-mail';
import type { ComposedMail } from '../../mail/composed-mail';
import type { HandoffContext, HandoffReceipt, MailRoute } from '../mail-route';
import { mapiFlags, mapiHelperOutcome, mapiPlan } from '../mapi';
import type { MapiHelperRunner } from '../mapi-runner';
import { windowsMailClient } from '../windows-routes';

/** The Simple MAPI route. */
export class MapiRoute implements MailRoute {
  readonly route = 'mailClient';

  constructor(
    private readonly context: HandoffContext,
    private readonly runner: MapiHelperRunner,
  ) {}

  async availability(): Promise<RouteOption> {
    return (await windowsMailClient(this.context.o.env, this.context.o.probe)) !== null
      ? { route: this.route, available: true, notes: [] }
      : {
          route: this.route,
          available: false,
          reason: { code: 'handoff.noMailClient', details: { program: 'Simple MAPI' } },
          notes: [],
        };
  }

  async handOff(mail: ComposedMail): Promise<HandoffReceipt> {
    const staged = await this.context.stage(mail);
    if ((await windowsMailClient(this.context.o.env, this.context.o.probe)) === null)
      throw new KurierError('handoff.noMailClient', { program: 'Simple MAPI' });
    // The helper answers only once the user has closed the client's compose window: success means the
    // client took the message.
    const plan = mapiPlan(staged.mail, { pathStyle: pathStyleOf(process.platform) });
    const run = await this.runner(JSON.stringify(plan));
    if (mapiHelperOutcome(run.exitCode, run.stdout) === 'cancelled') throw new KurierError('handoff.closedWithoutSending');
    this.context.o.logger.info('handedOff', { program: 'Simple MAPI' });
    // With MAPI_DIALOG, success means only that the client took the message into its compose window:
    // Thunderbird answers as soon as the window opens. Only a call without a dialog sends by itself.
    const sent = (plan.flags & mapiFlags.MAPI_DIALOG) === 0;
    return {
      route: this.route,
      sent,
      notes: sent ? [] : ['openedForSending'],
      attachmentPath: staged.attachmentPath,
      mailtoUrl: null,
    };
  }
}
