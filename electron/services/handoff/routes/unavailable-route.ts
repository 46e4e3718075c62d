/** A route this system does not have (the default mail client where Kurier knows no way to it). */
import { KurierError } from '../../../../shared/errors';
import type { HandoffRoute } from '../../../../shared/handoff';
import type { MailRoute } from '../mail-route';

/** `route`, offered as unavailable with `handoff.notOnThisSystem`. */
export function unavailableRoute(route: HandoffRoute, platform: NodeJS.Platform): MailRoute {
  return {
    route,
    availability: () =>
      Promise.resolve({ route, available: false, reason: { code: 'handoff.notOnThisSystem', details: { platform } }, notes: [] }),
    handOff: () => Promise.reject(new KurierError('handoff.notOnThisSystem', { platform })),
  };
}
