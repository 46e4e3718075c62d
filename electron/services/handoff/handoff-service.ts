/**
 * Hands a message to the user's own mail program: Thunderbird (every platform), the default mail client
 * (on Linux the desktop's mailto handler, driven with its own compose command when it is Thunderbird,
 * Evolution, KMail, Claws Mail or Geary, else xdg-email; Mail on macOS; Simple MAPI on Windows), classic
 * Outlook through COM or new Outlook's draft on Windows, or a mailto link as the last resort — one
 * {@link MailRoute} object each, chosen for the platform by route-registry.ts. Each route says whether it
 * works on this computer and, when not, why (Thunderbird without a mail account, no mailto handler);
 * whatever a route cannot carry is a note the dialog shows before the hand-off. The exported file is first
 * copied into a new subfolder of the visible hand-off folder (Documents/Kurier/Outbox/<date>-<id>/,
 * Downloads for a Flatpak Thunderbird), because the mail program reads it after Kurier's launcher has returned.
 */
import { KurierError } from '../../../shared/errors';
import type { CopyRoute, HandoffRoute, RouteOption } from '../../../shared/handoff';
import type { ComposedMail } from '../mail/composed-mail';
import {
  HandoffContext,
  type HandoffChoices,
  type HandoffContextOptions,
  type HandoffReceipt,
  type MailRoute,
} from './mail-route';
import { fallbackRoute, mailRoutesFor } from './route-registry';

/** What the service needs from the computer. */
export type HandoffServiceOptions = HandoffContextOptions;

/** The hand-off routes of this computer. */
export class HandoffService {
  readonly #routes: readonly MailRoute[];

  constructor(options: HandoffServiceOptions) {
    this.#routes = mailRoutesFor(new HandoffContext(options));
  }

  /** Every hand-off route with whether it works here; computed fresh (programs come and go). */
  async routes(): Promise<RouteOption[]> {
    return Promise.all(this.#routes.map((route) => route.availability()));
  }

  /** Hands `mail` (its attachments being exported files) to `route`. */
  async handOff(route: HandoffRoute, mail: ComposedMail, choices: HandoffChoices = {}): Promise<HandoffReceipt> {
    const chosen = this.#routes.find((candidate) => candidate.route === route);
    if (!chosen) throw new KurierError('handoff.notOnThisSystem', { platform: process.platform });
    return chosen.handOff(mail, choices);
  }

  /** The route a copy SMTP did not deliver goes to instead (`preferred` first when it works here); null: none. */
  async fallback(preferred: CopyRoute): Promise<HandoffRoute | null> {
    return fallbackRoute(preferred, await this.routes());
  }
}
