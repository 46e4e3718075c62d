/**
 * The closed set of errors that cross the IPC boundary. Main never sends a raw exception string: it
 * sends a code and plain details, and the renderer turns the code into a translated sentence with a fix
 * (`errors.<code>.message` and `errors.<code>.fix` in the catalogs).
 */

/** Every error code Kurier can report to the user. */
export const errorCodes = [
  'input.invalid',
  'document.notFound',
  'mail.invalidAddress',
  'mail.headerInjection',
  'smtp.notConfigured',
  'smtp.passwordMissing',
  'smtp.hostNotFound',
  'smtp.connectionRefused',
  'smtp.timeout',
  'smtp.tlsModeMismatch',
  'smtp.certificateUntrusted',
  'smtp.tlsFailed',
  'smtp.starttlsUnavailable',
  'smtp.certificateNameMismatch',
  'smtp.authRejected',
  'smtp.noAuthMechanism',
  'smtp.authRefused',
  'smtp.passwordRejected',
  'smtp.testCooldown',
  'smtp.passwordWithheld',
  'smtp.passwordUnbound',
  'smtp.plainTextUnconfirmed',
  'smtp.senderRejected',
  'smtp.recipientRejected',
  'smtp.messageTooLarge',
  'attachment.tooLarge',
  'attachment.notAFile',
  'attachment.unreadable',
  'attachment.gone',
  'attachment.pageLimit',
  'upload.tooMuch',
  'smtp.temporarilyRejected',
  'smtp.quotaExceeded',
  'smtp.rateLimited',
  'smtp.policyRejected',
  'smtp.mailboxFull',
  'smtp.tooManyRecipients',
  'smtp.basicAuthRetired',
  'smtp.rejected',
  'smtp.connectionLost',
  'smtp.authDisabled',
  'oauth.notRegistered',
  'oauth.notSignedIn',
  'oauth.signInAgain',
  'oauth.consentDenied',
  'oauth.clientRejected',
  'oauth.stateMismatch',
  'oauth.network',
  'oauth.timeout',
  'oauth.cancelled',
  'oauth.failed',
  'oauth.tokenWithheld',
  'oauth.signInChanged',
  'external.notAllowed',
  'handoff.noMailClient',
  'handoff.notOnThisSystem',
  'handoff.launchFailed',
  'handoff.programFailed',
  'export.folderNotFound',
  'export.folderNotWritable',
  'export.diskFull',
  'export.renderFailed',
  'export.rendererUnavailable',
  'export.alreadySent',
  'company.logoNotImage',
  'company.logoTooLarge',
  'secrets.unavailable',
  'prefs.notWritable',
  'prefs.companyWithoutKey',
  'prefs.globalNotWritable',
  'prefs.notAnswering',
  'prefs.officeChangeUnconfirmed',
  'prefs.officeNotRead',
  'payslip.passwordMissing',
  'payslip.passwordInMail',
  'payslip.notEmployee',
  'payslip.nothingToHandOver',
  'payslip.passwordTooShort',
  'payslip.passwordGuessable',
  'payslip.passwordPersonal',
  'outbox.nothingToSend',
  'outbox.alreadySent',
  'outbox.interrupted',
  'outbox.quota',
  'outbox.dailyCap',
  'outbox.pausedByUser',
  'outbox.cancelled',
  'outbox.stillQueued',
  'handoff.thunderbirdNotFound',
  'handoff.outlookNotInstalled',
  'handoff.outlookNoProfile',
  'handoff.outlookElevationMismatch',
  'handoff.outlookBlocked',
  'handoff.outlookSendDenied',
  'handoff.outlookFailed',
  'handoff.attachmentMissing',
  'handoff.mapiUnavailable',
  'handoff.mapiLogonFailed',
  'handoff.mapiRecipientRejected',
  'handoff.mapiFailed',
  'handoff.closedWithoutSending',
  'handoff.mailtoTooLong',
  'handoff.thunderbirdNoAccount',
  'handoff.noMailHandler',
  'handoff.commandTooLong',
  'handoff.mailAutomationDenied',
  'import.sourceGone',
  'import.payrollRuleUnconfirmed',
  'import.payrollNoPeriod',
  'database.unreachable',
  'database.certificateUntrusted',
  'database.tlsUnavailable',
  'database.passwordRejected',
  'database.passwordMissing',
  'database.missing',
  'database.newerSchema',
  'database.failed',
  'database.notChosen',
  'internal.unexpected',
] as const;

/** One of {@link errorCodes}. */
export type ErrorCode = (typeof errorCodes)[number];

/**
 * Plain, serialisable facts that help the user fix the problem: the host and port that failed, the
 * server's answer, the mode that would have worked. Never a secret.
 */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

/** An error as it crosses the boundary. */
export interface KurierErrorShape {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
}

/** The result of every IPC call: nothing is thrown across the boundary. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KurierErrorShape };

/**
 * Thrown inside main by services; the one IPC wrapper turns it into `{ ok: false, error }`. Anything
 * else thrown becomes `internal.unexpected` and is logged, never shown.
 */
export class KurierError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, options);
    this.name = 'KurierError';
    this.code = code;
    this.details = details;
  }

  /** The serialisable shape sent to the renderer. */
  toShape(): KurierErrorShape {
    return { code: this.code, details: this.details };
  }
}

/** True when `value` is one of the known error codes (used when parsing data from the wire). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
