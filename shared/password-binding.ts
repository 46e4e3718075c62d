/**
 * How a withheld password is explained: one error per reason, with both destinations written out, the
 * same in main (sending, the connection test) and in the windows (the export dialog, preferences).
 */
import type { KurierErrorShape } from './errors';
import type { PasswordWithheld } from './prefs';

/** The error that says why a saved password was not sent. */
export function withheldErrorShape(withheld: PasswordWithheld): KurierErrorShape {
  switch (withheld.reason) {
    case 'changed':
      return {
        code: 'smtp.passwordWithheld',
        details: { changes: withheld.changes.join(','), savedFor: withheld.savedFor, now: withheld.now },
      };
    case 'unbound':
      return { code: 'smtp.passwordUnbound', details: { now: withheld.now } };
    case 'plainText':
      return { code: 'smtp.plainTextUnconfirmed', details: { now: withheld.now } };
    default:
      return unreachable(withheld);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected withheld reason ${JSON.stringify(value)}`);
}
