/**
 * A way to get a ComposedMail out of Kurier: SMTP now; Outlook, the default mail client, Thunderbird
 * and mailto plug in here later. Each says whether it works on this computer, and why not.
 */
import type { ErrorCode } from '../../../shared/errors';
import type { ComposedMail } from './composed-mail';

/** The routes Kurier knows. */
export type RouteId = 'smtp' | 'outlook' | 'mailClient' | 'thunderbird' | 'mailto';

/** Whether a route can be used now. */
export type RouteAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: ErrorCode };

/** What a route reports after sending or handing off. */
export interface RouteReceipt {
  readonly messageId: string;
  /** Addresses the server accepted (for hand-off routes: the addresses handed over). */
  readonly accepted: readonly string[];
  /** The server's final answer, for the send history. */
  readonly response: string;
}

/** A mail route. Implementations throw KurierError with a code the user can act on. */
export interface MailRoute {
  readonly id: RouteId;
  availability(): Promise<RouteAvailability>;
  send(mail: ComposedMail): Promise<RouteReceipt>;
}
