/**
 * The ways an e-mail copy can leave Kurier, as the export dialog offers them: directly over SMTP, or
 * handed to the user's own mail program.
 */
import type { KurierErrorShape } from './errors';

/** Routes that hand the message to a mail program. */
export const handoffRoutes = ['thunderbird', 'mailClient', 'outlook', 'mailto'] as const;
/** One of {@link handoffRoutes}. */
export type HandoffRoute = (typeof handoffRoutes)[number];
/** Every route of the export dialog. */
export const copyRoutes = ['smtp', ...handoffRoutes] as const;
/** One of {@link copyRoutes}. */
export type CopyRoute = (typeof copyRoutes)[number];

/**
 * What a route cannot carry, said honestly: `noAttachments` (mailto: the user attaches the file),
 * `attachmentsLost` (a default mail program that cannot take files from the command line), `bodyShortened` (a mailto link's
 * length limit), `newOutlookDraft` (new Outlook, which Kurier cannot control, opens a draft the user
 * checks and sends there; it cannot send directly), `outlookNotAnswered` (Outlook had not finished
 * after Kurier's wait, e.g. its security prompt is still open), `attachmentUncertain` (xdg-email to a
 * program Kurier does not know: the PDF may or may not arrive), `openedForSending` (Simple MAPI opened
 * the client's compose window: nothing is sent until the user presses Send there), `outlookInOutbox`
 * ("send at once": Outlook took the message but it was still in its Outbox when Kurier stopped waiting).
 */
export type HandoffNote =
  | 'noAttachments'
  | 'attachmentsLost'
  | 'attachmentUncertain'
  | 'bodyShortened'
  | 'newOutlookDraft'
  | 'outlookNotAnswered'
  | 'outlookInOutbox'
  | 'openedForSending';

/** A route and whether it works on this computer; `reason` says why not. */
export interface RouteOption {
  readonly route: CopyRoute;
  readonly available: boolean;
  readonly reason?: KurierErrorShape;
  readonly notes: readonly HandoffNote[];
}
