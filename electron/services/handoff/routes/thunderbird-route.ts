/**
 * Thunderbird, on every system: found where it is installed (a Flatpak or Snap too) and given the message
 * with its compose command line. The Linux default mail client uses the same steps when the desktop's
 * handler is Thunderbird.
 */
import { KurierError } from '../../../../shared/errors';
import type { HandoffRoute, RouteOption } from '../../../../shared/handoff';
import type { ComposedMail } from '../../mail/composed-mail';
import type { HandoffContext, HandoffReceipt, MailRoute } from '../mail-route';
import { thunderbirdHandoffArgv } from '../thunderbird-handoff';
import { findThunderbird, type ThunderbirdLocation } from '../thunderbird-location';
import { thunderbirdHasAccount } from '../thunderbird-profile';

/** The Thunderbird route. */
export class ThunderbirdRoute implements MailRoute {
  readonly route = 'thunderbird';

  constructor(private readonly context: HandoffContext) {}

  async availability(): Promise<RouteOption> {
    return thunderbirdOption(this.context, await this.#find(), this.route);
  }

  async handOff(mail: ComposedMail): Promise<HandoffReceipt> {
    const thunderbird = await this.#find();
    if (thunderbird === null) throw new KurierError('handoff.thunderbirdNotFound');
    return handOffToThunderbird(this.context, thunderbird, mail, this.route);
  }

  #find(): Promise<ThunderbirdLocation | null> {
    const { platform, env, probe } = this.context.o;
    return findThunderbird(platform, env, probe);
  }
}

/** Whether `thunderbird` (null: not installed) can take a message: it needs a mail account. */
export async function thunderbirdOption(
  context: HandoffContext,
  thunderbird: ThunderbirdLocation | null,
  route: HandoffRoute,
): Promise<RouteOption> {
  if (thunderbird === null)
    return { route, available: false, reason: { code: 'handoff.thunderbirdNotFound', details: {} }, notes: [] };
  if (!(await hasAccount(context, thunderbird)))
    return { route, available: false, reason: { code: 'handoff.thunderbirdNoAccount', details: {} }, notes: [] };
  return { route, available: true, notes: [] };
}

/** Opens Thunderbird's compose window with `mail` (its attachments copied where this Thunderbird reads). */
export async function handOffToThunderbird(
  context: HandoffContext,
  thunderbird: ThunderbirdLocation,
  mail: ComposedMail,
  route: HandoffRoute,
): Promise<HandoffReceipt> {
  if (!(await hasAccount(context, thunderbird))) throw new KurierError('handoff.thunderbirdNoAccount');
  const staged = await context.stage(mail, { downloads: thunderbird.packaging === 'flatpak' });
  const { platform, thunderbirdProfile } = context.o;
  await context.run(
    await thunderbirdHandoffArgv(thunderbird, staged.mail, staged.subfolder, platform, thunderbirdProfile),
    'Thunderbird',
  );
  return { route, sent: false, notes: [], attachmentPath: staged.attachmentPath, mailtoUrl: null };
}

function hasAccount(context: HandoffContext, thunderbird: ThunderbirdLocation): Promise<boolean> {
  const { probe, platform, env, thunderbirdProfile } = context.o;
  return thunderbirdHasAccount((file) => probe.readText(file), platform, env, thunderbird, thunderbirdProfile);
}
