/**
 * The default mail client on Windows through Simple MAPI: `MAPISendMailW` in the system's MAPI32.dll
 * stub, which loads the DLL of whichever client is registered as the default (classic Outlook,
 * Thunderbird, eM Client, …) and opens its compose window.
 *
 * The call runs in a helper process (mapi-helper.ts, started by mapi-runner.ts): a provider DLL of the
 * other bitness (32-bit Office under 64-bit Kurier) fails or crashes the process that loads it, and a
 * modal MAPI_DIALOG call blocks until the window closes. This file is the plain-data side: the
 * structures' layout, what goes in them, and what the helper's answer means.
 * https://learn.microsoft.com/en-us/windows/win32/api/mapi/nc-mapi-mapisendmailw
 */
import { z } from 'zod';
import { KurierError, type ErrorCode } from '../../../shared/errors';
import { attachmentName, withCrlf, type PathStyle } from './handoff-mail';
import { assertSendable, type ComposedMail } from '../mail/composed-mail';

/** `lhSession` flags (mapi.h). */
export const mapiFlags = {
  MAPI_LOGON_UI: 0x1,
  MAPI_NEW_SESSION: 0x2,
  MAPI_DIALOG: 0x8,
  /** `0x4 | MAPI_DIALOG` in mapi.h: the call returns once the window is open (Windows 8+, client-dependent). */
  MAPI_DIALOG_MODELESS: 0x4 | 0x8,
} as const;

/** `ulRecipClass` values. */
export const mapiRecipientClass = { MAPI_ORIG: 0, MAPI_TO: 1, MAPI_CC: 2, MAPI_BCC: 3 } as const;

/** `nPosition` meaning "do not place the attachment in the body text". */
export const mapiNoPosition = 0xffff_ffff as const;

/** MAPISendMailW's return codes (mapi.h). */
export const mapiReturnCodes = {
  SUCCESS_SUCCESS: 0,
  MAPI_E_USER_ABORT: 1,
  MAPI_E_FAILURE: 2,
  MAPI_E_LOGIN_FAILURE: 3,
  MAPI_E_DISK_FULL: 4,
  MAPI_E_INSUFFICIENT_MEMORY: 5,
  MAPI_E_ACCESS_DENIED: 6,
  MAPI_E_TOO_MANY_SESSIONS: 8,
  MAPI_E_TOO_MANY_FILES: 9,
  MAPI_E_TOO_MANY_RECIPIENTS: 10,
  MAPI_E_ATTACHMENT_NOT_FOUND: 11,
  MAPI_E_ATTACHMENT_OPEN_FAILURE: 12,
  MAPI_E_ATTACHMENT_WRITE_FAILURE: 13,
  MAPI_E_UNKNOWN_RECIPIENT: 14,
  MAPI_E_BAD_RECIPTYPE: 15,
  MAPI_E_NO_MESSAGES: 16,
  MAPI_E_INVALID_MESSAGE: 17,
  MAPI_E_TEXT_TOO_LARGE: 18,
  MAPI_E_INVALID_SESSION: 19,
  MAPI_E_TYPE_NOT_SUPPORTED: 20,
  MAPI_E_AMBIGUOUS_RECIPIENT: 21,
  MAPI_E_MESSAGE_IN_USE: 22,
  MAPI_E_NETWORK_FAILURE: 23,
  MAPI_E_INVALID_EDITFIELDS: 24,
  MAPI_E_INVALID_RECIPS: 25,
  MAPI_E_NOT_SUPPORTED: 26,
  MAPI_E_UNICODE_NOT_SUPPORTED: 27,
  MAPI_E_ATTACHMENT_TOO_LARGE: 28,
} as const;

/**
 * The three structures, member by member in declaration order, as C types for koffi. Windows' ULONG is
 * 32 bits even on x64, hence `uint32` (koffi's `ulong` is 64-bit on Linux). With natural alignment
 * MapiMessageW is 96 bytes on x64 and 48 on x86; the other two are 40 bytes each on x64 and 24 on x86.
 */
export const mapiStructLayouts = {
  MapiRecipDescW: [
    ['ulReserved', 'uint32'],
    ['ulRecipClass', 'uint32'],
    ['lpszName', 'str16'],
    ['lpszAddress', 'str16'],
    ['ulEIDSize', 'uint32'],
    ['lpEntryID', 'void *'],
  ],
  MapiFileDescW: [
    ['ulReserved', 'uint32'],
    ['flFlags', 'uint32'],
    ['nPosition', 'uint32'],
    ['lpszPathName', 'str16'],
    ['lpszFileName', 'str16'],
    ['lpFileType', 'void *'],
  ],
  MapiMessageW: [
    ['ulReserved', 'uint32'],
    ['lpszSubject', 'str16'],
    ['lpszNoteText', 'str16'],
    ['lpszMessageType', 'str16'],
    ['lpszDateReceived', 'str16'],
    ['lpszConversationID', 'str16'],
    ['flFlags', 'uint32'],
    ['lpOriginator', 'MapiRecipDescW *'],
    ['nRecipCount', 'uint32'],
    ['lpRecips', 'MapiRecipDescW *'],
    ['nFileCount', 'uint32'],
    ['lpFiles', 'MapiFileDescW *'],
  ],
} as const;

const uint32 = z.number().int().min(0).max(0xffff_ffff);
const wideString = z.string().refine((s) => !s.includes('\0'), 'NUL in a string');

const recipientSchema = z.strictObject({
  ulReserved: z.literal(0),
  ulRecipClass: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  lpszName: wideString,
  lpszAddress: wideString,
  ulEIDSize: z.literal(0),
  lpEntryID: z.null(),
});

const fileSchema = z.strictObject({
  ulReserved: z.literal(0),
  flFlags: z.literal(0),
  nPosition: z.literal(mapiNoPosition),
  lpszPathName: wideString,
  lpszFileName: wideString,
  lpFileType: z.null(),
});

/**
 * What the helper accepts on stdin. The counts must equal the arrays' lengths: the DLL reads
 * `nRecipCount` structures from `lpRecips` whatever the array holds.
 */
export const mapiPlanSchema = z.strictObject({
  flags: uint32,
  message: z
    .strictObject({
      ulReserved: z.literal(0),
      lpszSubject: wideString,
      lpszNoteText: wideString,
      lpszMessageType: z.null(),
      lpszDateReceived: z.null(),
      lpszConversationID: z.null(),
      flFlags: z.literal(0),
      lpOriginator: z.null(),
      nRecipCount: uint32,
      lpRecips: z.array(recipientSchema).max(2000),
      nFileCount: uint32,
      lpFiles: z.array(fileSchema).max(100),
    })
    .refine((m) => m.nRecipCount === m.lpRecips.length && m.nFileCount === m.lpFiles.length, 'count differs from array length'),
});

/** Exactly what the helper puts into the structures (member names as in mapi.h). */
export type MapiPlan = z.infer<typeof mapiPlanSchema>;

/** The plan in the helper's input, or null when it is not JSON or not a valid plan. */
export function parseMapiPlan(text: string): MapiPlan | null {
  const parsed = mapiPlanSchema.safeParse(safeJson(text));
  return parsed.success ? parsed.data : null;
}

/**
 * The structures' contents for `mail`: recipients as `SMTP:address` (LibreOffice and NAPS2 do the same;
 * some clients do not resolve a bare address), the name set to the address, CRLF line breaks, and every
 * attachment with its display name (never NULL: Outlook 2013 misbehaves with NULL in modeless calls)
 * and no position in the body. Flags: MAPI_LOGON_UI with MAPI_DIALOG, or MAPI_DIALOG_MODELESS.
 * Throws like {@link assertSendable}: Windows paths (`pathStyle` is this computer's, which only a
 * test on another system changes).
 */
export function mapiPlan(
  mail: ComposedMail,
  options: { readonly modeless?: boolean; readonly pathStyle?: PathStyle } = {},
): MapiPlan {
  const pathStyle = options.pathStyle ?? 'win32';
  assertSendable(mail, { pathStyle });
  const recipients = [
    ...mail.to.map((address) => [mapiRecipientClass.MAPI_TO, address] as const),
    ...mail.cc.map((address) => [mapiRecipientClass.MAPI_CC, address] as const),
    ...mail.bcc.map((address) => [mapiRecipientClass.MAPI_BCC, address] as const),
  ];
  const lpRecips = recipients.map(([ulRecipClass, address]) => ({
    ulReserved: 0 as const,
    ulRecipClass,
    lpszName: address,
    lpszAddress: `SMTP:${address}`,
    ulEIDSize: 0 as const,
    lpEntryID: null,
  }));
  const lpFiles = mail.attachments.map((attachment) => ({
    ulReserved: 0 as const,
    flFlags: 0 as const,
    nPosition: mapiNoPosition,
    lpszPathName: attachment.path,
    lpszFileName: attachmentName(attachment, pathStyle),
    lpFileType: null,
  }));
  return {
    flags: mapiFlags.MAPI_LOGON_UI | (options.modeless === true ? mapiFlags.MAPI_DIALOG_MODELESS : mapiFlags.MAPI_DIALOG),
    message: {
      ulReserved: 0,
      lpszSubject: mail.subject,
      lpszNoteText: withCrlf(mail.text),
      lpszMessageType: null,
      lpszDateReceived: null,
      lpszConversationID: null,
      flFlags: 0,
      lpOriginator: null,
      nRecipCount: lpRecips.length,
      lpRecips,
      nFileCount: lpFiles.length,
      lpFiles,
    },
  };
}

/** The name of a MAPISendMailW return code, e.g. `MAPI_E_FAILURE`; `MAPI_E_#99` for unknown ones. */
export function mapiCodeName(code: number): string {
  return Object.entries(mapiReturnCodes).find(([, value]) => value === code)?.[0] ?? `MAPI_E_#${String(code)}`;
}

const errorForCode: Readonly<Partial<Record<number, ErrorCode>>> = {
  [mapiReturnCodes.MAPI_E_LOGIN_FAILURE]: 'handoff.mapiLogonFailed',
  [mapiReturnCodes.MAPI_E_INVALID_SESSION]: 'handoff.mapiLogonFailed',
  [mapiReturnCodes.MAPI_E_ATTACHMENT_NOT_FOUND]: 'handoff.attachmentMissing',
  [mapiReturnCodes.MAPI_E_ATTACHMENT_OPEN_FAILURE]: 'handoff.attachmentMissing',
  [mapiReturnCodes.MAPI_E_TOO_MANY_RECIPIENTS]: 'handoff.mapiRecipientRejected',
  [mapiReturnCodes.MAPI_E_UNKNOWN_RECIPIENT]: 'handoff.mapiRecipientRejected',
  [mapiReturnCodes.MAPI_E_BAD_RECIPTYPE]: 'handoff.mapiRecipientRejected',
  [mapiReturnCodes.MAPI_E_AMBIGUOUS_RECIPIENT]: 'handoff.mapiRecipientRejected',
  [mapiReturnCodes.MAPI_E_INVALID_RECIPS]: 'handoff.mapiRecipientRejected',
  [mapiReturnCodes.MAPI_E_NOT_SUPPORTED]: 'handoff.mapiUnavailable',
  [mapiReturnCodes.MAPI_E_UNICODE_NOT_SUPPORTED]: 'handoff.mapiUnavailable',
};

/**
 * What a MAPISendMailW return code means: the client took the message, or the user closed its window
 * (MAPI_E_USER_ABORT, which GroupWise also returns after sending, as LibreOffice notes). Anything else
 * throws: a logon, attachment or recipient problem by its own code, MAPI_E_FAILURE and the rest as
 * `handoff.mapiFailed` (a 32-bit client under 64-bit Kurier ends there too).
 */
export function mapiOutcome(code: number): 'handedOff' | 'cancelled' {
  if (code === mapiReturnCodes.SUCCESS_SUCCESS) return 'handedOff';
  if (code === mapiReturnCodes.MAPI_E_USER_ABORT) return 'cancelled';
  throw new KurierError(errorForCode[code] ?? 'handoff.mapiFailed', { mapiCode: code, mapiError: mapiCodeName(code) });
}

/** The helper's exit codes; with 0 its last stdout line is `{"mapiCode":N}`. */
export const mapiHelperExitCodes = {
  called: 0,
  badInput: 2,
  notWindows: 3,
  noFfi: 4,
  noMapiLibrary: 5,
} as const;

/**
 * What a finished helper run means. The call's own code goes through {@link mapiOutcome}; a helper
 * that could not make the call throws `handoff.mapiUnavailable` (not Windows, koffi or MAPI32.dll not
 * loadable) or `internal.unexpected` (input it refused); one that died (a crashing provider DLL) throws
 * `handoff.mapiFailed`.
 */
export function mapiHelperOutcome(exitCode: number | null, stdout: string): 'handedOff' | 'cancelled' {
  if (exitCode === mapiHelperExitCodes.called) {
    const line = stdout.trim().split(/\r?\n/u).pop() ?? '';
    const parsed = z.object({ mapiCode: uint32 }).safeParse(safeJson(line));
    if (parsed.success) return mapiOutcome(parsed.data.mapiCode);
    throw new KurierError('handoff.mapiFailed', { exitCode, reason: 'noAnswer' });
  }
  if (exitCode === mapiHelperExitCodes.badInput) throw new KurierError('internal.unexpected', { reason: 'mapiHelperInput' });
  const reason = Object.entries(mapiHelperExitCodes).find(([name, code]) => code === exitCode && name !== 'called')?.[0];
  if (reason !== undefined) throw new KurierError('handoff.mapiUnavailable', { reason });
  throw new KurierError('handoff.mapiFailed', { exitCode: exitCode ?? -1, reason: 'helperDied' });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
