/**
 * The outbox as the windows see it: batches, message states, progress, the dry run and the history.
 * Plain data only (it crosses IPC); the schemas validate what windows ask for.
 */
import { z } from 'zod';
import type { KurierErrorShape } from './errors';

/**
 * A batch: a real bulk send, the whole batch to the user's own address first, the export dialog's single
 * copy, or an event notification to the office.
 */
export type BatchKind = 'send' | 'testToMe' | 'copy' | 'notification';
/** Where a batch stands. `stopped`: waiting for the user (a rejected password, a wrong setting). */
export type BatchStatus = 'running' | 'paused' | 'stopped' | 'cancelled' | 'done';
/** Where one message stands. `uncertain`: the connection broke after the whole message was sent. */
export const messageStatuses = ['queued', 'sending', 'sent', 'retry', 'failed', 'uncertain', 'cancelled'] as const;
/** One of {@link messageStatuses}. */
export type MessageStatus = (typeof messageStatuses)[number];

/** Messages of a batch by state. */
export type OutboxCounts = Record<MessageStatus | 'total', number>;

/** Why a batch is not sending right now. */
export type WaitReason =
  | { readonly kind: 'serverLimit'; readonly until: number }
  | { readonly kind: 'quota'; readonly until: number }
  | { readonly kind: 'dailyCap'; readonly until: number }
  | { readonly kind: 'retryLater'; readonly until: number }
  | { readonly kind: 'pausedByUser' }
  | { readonly kind: 'stopped'; readonly error: KurierErrorShape };

/** A batch's progress, pushed to the windows after every change. */
export interface BatchProgress {
  readonly batchId: number;
  readonly kind: BatchKind;
  readonly status: BatchStatus;
  readonly counts: OutboxCounts;
  /** Messages per minute the pacer allows now, and its ceiling (null: no limit). */
  readonly perMinute: number | null;
  readonly ceilingPerMinute: number | null;
  /** Estimated finish (epoch ms) at the current pace; null when unknown or done. */
  readonly estimatedFinish: number | null;
  readonly waiting: WaitReason | null;
}

/** One row of the send history. */
export interface OutboxMessageView {
  readonly id: number;
  readonly batchId: number;
  readonly documentNumber: string;
  readonly recipient: string;
  readonly recipientName: string;
  readonly subject: string;
  readonly route: 'smtp';
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly updatedAt: number;
  readonly sentAt: number | null;
  /** The error code of the last failed attempt ('' when none), its details and the server's answer. */
  readonly lastCode: string;
  readonly lastDetails: Readonly<Record<string, string | number | boolean>>;
  readonly lastResponse: string;
  readonly messageId: string;
  /** Sent again by the user after an uncertain delivery: the recipient may have it twice. */
  readonly mayHaveArrivedTwice: boolean;
  /** Who queued it: the user's name and the desk (computer) they sat at; '' on rows from before. */
  readonly queuedByUser: string;
  readonly queuedByDesk: string;
  /** The desk that delivered it (or is delivering it); '' while no desk has taken it. */
  readonly deliveredByDesk: string;
  /** The client company the message was sent for; null (and '') for the office's own messages. */
  readonly companyId: number | null;
  readonly companyName: string;
}

/** What the history window asks for. */
export const historyFilterSchema = z.object({
  status: z.enum(['all', ...messageStatuses]).default('all'),
  text: z.string().trim().max(200, { message: 'tooLong' }).default(''),
  batchId: z.number().int().positive().nullable().default(null),
  /** Only messages sent for this client company. */
  companyId: z.number().int().positive().nullable().default(null),
  limit: z.number().int().min(1).max(10_000).default(500),
  /** Only the messages this user queued ('' or absent: everyone's). */
  user: z.string().trim().max(200, { message: 'tooLong' }).optional(),
});
/** A history filter. */
export type HistoryFilter = z.infer<typeof historyFilterSchema>;
/** A history filter as services ask for it: without a company unless they name one. */
export type HistoryQuery = Omit<HistoryFilter, 'companyId'> & { readonly companyId?: number | null };

/** A document in the dry run: its recipient, or why it has none. */
export interface DryRunItem {
  readonly documentId: number;
  readonly documentNumber: string;
  readonly partnerName: string;
  readonly recipient: string;
  /**
   * `ok`; `noAddress`: the partner has none; `invalidAddress`: it is not a valid address; `noPassword`:
   * a payslip whose employee has no password while protection is mandatory.
   */
  readonly problem: 'ok' | 'noAddress' | 'invalidAddress' | 'noPassword';
  /** A Polish KSeF invoice without its KSeF number yet: asked for before sending, else its PDF carries OFFLINE. */
  readonly needsKsefNumber: boolean;
  /** The PDF's expected size in the message (base64), in bytes. */
  readonly estimatedBytes: number;
}

/** Everything the user sees before a batch starts. */
export interface DryRun {
  readonly items: readonly DryRunItem[];
  /** Messages that would be sent. */
  readonly sendable: number;
  /** The server's SIZE limit in bytes (0: unknown or none), and the items over it. */
  readonly sizeLimitBytes: number;
  readonly oversized: readonly number[];
  readonly perMinute: number;
  /** How long the batch takes at that pace, in ms (without server slow-downs). */
  readonly projectedMs: number;
  /** The daily cap that applies (user's or provider's, the lower), and whether the batch is over it. */
  readonly dailyCap: number;
  readonly overDailyCap: boolean;
  /** Days the batch takes when spread to stay under the cap. */
  readonly daysNeeded: number;
  /** The user's own address for "send everything to me first" ('' when none is set). */
  readonly testAddress: string;
  /** Why the server could not be asked for its SIZE (null when it answered). */
  readonly serverCheck: KurierErrorShape | null;
  /** Where the PDFs go unless the user picks another folder. */
  readonly defaultFolder: string;
}

/**
 * An earlier copy of a document a batch is about to send, to the same address: still on its way, or
 * sent (or possibly sent) within the guard's days. Starting the batch asks first, naming who sent it.
 */
export interface EarlierCopy {
  readonly documentId: number;
  readonly documentNumber: string;
  readonly recipient: string;
  readonly status: MessageStatus;
  /** When it was sent, or queued when not sent yet (epoch ms). */
  readonly at: number;
  /** How it went: the route ('smtp', or a hand-off route). */
  readonly route: string;
  readonly queuedByUser: string;
  readonly queuedByDesk: string;
}

/** What to do with the documents of a batch that already went to the same address. */
export const duplicateChoices = ['ask', 'skip', 'send'] as const;
/** One of {@link duplicateChoices}: `ask` (the default) starts nothing while there are any. */
export type DuplicateChoice = (typeof duplicateChoices)[number];

/**
 * The outcome of starting a batch: the batch (null when nothing was queued because earlier copies
 * need the user's answer), the documents left out for having no usable address, and the earlier
 * copies — asked about (batch null), or skipped or sent anyway as the user chose.
 */
export interface BatchStart {
  /** The first batch queued (null: none). */
  readonly batchId: number | null;
  /** Every batch queued: one per SMTP account the documents go out through (a company's own, or the office's). */
  readonly batchIds?: readonly number[];
  readonly skipped: readonly DryRunItem[];
  readonly earlier: readonly EarlierCopy[];
}

/**
 * A document as every desk of the office knows it: its issuing company's key
 * (shared/company-identifiers.ts companyKey) and its number. Document and company ids are each desk's own, and
 * an office's client companies number their invoices alike ("2026-0001" at A and at B), so the number
 * alone is not the document. Either part '' when unknown: then the document is not matched across desks.
 */
export interface DocumentKey {
  readonly companyKey: string;
  readonly number: string;
}

/** A {@link DocumentKey} as one map key. */
export function documentKeyText(key: DocumentKey): string {
  return `${key.companyKey}\u0000${key.number}`;
}
