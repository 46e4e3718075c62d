/**
 * Wraps a mail route so a password the server rejected is never tried again until the user enters a
 * new one. Providers lock accounts after repeated failed logins (Microsoft 365, Gmail and Seznam all
 * do); every SMTP send Kurier makes goes through this guard, whatever started it.
 */
import { KurierError } from '../../../shared/errors';
import type { ComposedMail } from './composed-mail';
import type { MailRoute, RouteAvailability, RouteReceipt } from './mail-route';

/** Where the "password rejected" mark is kept. */
export interface LoginGuardState {
  isPasswordRejected(): boolean;
  markPasswordRejected(response: string): void;
}

/** A route that refuses to log in with a password already rejected, and remembers a new rejection. */
export class LoginGuardedRoute implements MailRoute {
  readonly id: MailRoute['id'];
  readonly #route: MailRoute;
  readonly #state: LoginGuardState;

  constructor(route: MailRoute, state: LoginGuardState) {
    this.id = route.id;
    this.#route = route;
    this.#state = state;
  }

  async availability(): Promise<RouteAvailability> {
    if (this.#state.isPasswordRejected()) return { available: false, reason: 'smtp.passwordRejected' };
    return this.#route.availability();
  }

  async send(mail: ComposedMail): Promise<RouteReceipt> {
    if (this.#state.isPasswordRejected()) throw new KurierError('smtp.passwordRejected');
    try {
      return await this.#route.send(mail);
    } catch (error) {
      if (error instanceof KurierError && error.code === 'smtp.authRejected') {
        this.#state.markPasswordRejected(String(error.details.response ?? ''));
      }
      throw error;
    }
  }
}
