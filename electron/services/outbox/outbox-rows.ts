/**
 * Rows of the outbox tables as both stores read them — this desk's SQLite file and the office
 * PostgreSQL have the same columns — and their one conversion to the shapes the services use. The
 * stores differ only in what they add beside a row (the document's number and company name, the desk
 * that delivered it), which each passes to {@link rowToHistoryView}.
 */
import type { Language } from '../../../shared/domain';
import type { ErrorDetails } from '../../../shared/errors';
import type { AccountScope } from '../../../shared/prefs';
import type { BatchKind, BatchStatus, MessageStatus, OutboxMessageView } from '../../../shared/outbox';
import type { DocumentCopy, LastSentCopy } from './outbox-repository';
import type { BatchRow, OutboxAttachment, OutboxRow } from './outbox-store';

/** A row of `outbox_messages` (the columns both stores have). */
export interface RawMessageRow {
  id: number;
  batch_id: number;
  document_id: number | null;
  recipient: string;
  recipient_name: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  language: Language;
  attachment_path: string;
  attachment_name: string;
  attachment_size: number;
  extra_attachments: string | null;
  company_id: number | null;
  message_id: string;
  status: MessageStatus;
  attempts: number;
  not_before: number;
  last_code: string;
  last_response: string;
  last_details: string;
  sent_at: number | null;
  updated_at: number;
  /** SQLite has no booleans: 0 or 1 there, a boolean in PostgreSQL. */
  resent_after_uncertain: number | boolean;
  queued_by_user: string;
  queued_by_desk: string;
}

/** A row of `outbox_batches`. */
export interface RawBatchRow {
  id: number;
  created_at: number;
  kind: BatchKind;
  account_scope: AccountScope;
  status: BatchStatus;
  resume_at: number | null;
  reason_code: string;
  reason_details: string;
}

/** A copy of a document as both stores select it (see {@link toDocumentCopy}). */
export interface RawCopy {
  recipient: string;
  status: MessageStatus;
  at: number;
  message_id: string;
  attempts: number;
}

/** The stored list of further attachments; a row written before they existed has none. */
function parseAttachments(json: string | null | undefined): readonly OutboxAttachment[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? (parsed as OutboxAttachment[]) : [];
}

export function rowToMessage(raw: RawMessageRow): OutboxRow {
  return {
    id: raw.id,
    batchId: raw.batch_id,
    documentId: raw.document_id,
    recipient: raw.recipient,
    recipientName: raw.recipient_name,
    cc: raw.cc,
    bcc: raw.bcc,
    subject: raw.subject,
    body: raw.body,
    language: raw.language,
    attachmentPath: raw.attachment_path,
    attachmentName: raw.attachment_name,
    attachmentSize: raw.attachment_size,
    extraAttachments: parseAttachments(raw.extra_attachments),
    companyId: raw.company_id,
    messageId: raw.message_id,
    notBefore: raw.not_before,
    status: raw.status,
    attempts: raw.attempts,
    lastCode: raw.last_code,
    lastResponse: raw.last_response,
    sentAt: raw.sent_at,
    updatedAt: raw.updated_at,
  };
}

export function rowToBatch(raw: RawBatchRow): BatchRow {
  return {
    id: raw.id,
    createdAt: raw.created_at,
    kind: raw.kind,
    accountScope: raw.account_scope,
    status: raw.status,
    resumeAt: raw.resume_at,
    reasonCode: raw.reason_code,
    reasonDetails: JSON.parse(raw.reason_details) as ErrorDetails,
  };
}

/** A message as the history shows it, with what the store knows beside the row. */
export function rowToHistoryView(
  raw: RawMessageRow,
  beside: {
    readonly documentNumber: string;
    readonly companyName: string;
    readonly deliveredByDesk: string;
    /** This desk's id of the row's company when it differs from the row's (the office database). */
    readonly companyId?: number | null;
  },
): OutboxMessageView {
  return {
    id: raw.id,
    batchId: raw.batch_id,
    documentNumber: beside.documentNumber,
    recipient: raw.recipient,
    recipientName: raw.recipient_name,
    subject: raw.subject,
    route: 'smtp',
    status: raw.status,
    attempts: raw.attempts,
    updatedAt: raw.updated_at,
    sentAt: raw.sent_at,
    lastCode: raw.last_code,
    lastResponse: raw.last_response,
    lastDetails: JSON.parse(raw.last_details) as ErrorDetails,
    messageId: raw.message_id,
    mayHaveArrivedTwice: raw.resent_after_uncertain === true || raw.resent_after_uncertain === 1,
    queuedByUser: raw.queued_by_user,
    queuedByDesk: raw.queued_by_desk,
    deliveredByDesk: beside.deliveredByDesk,
    companyId: beside.companyId === undefined ? raw.company_id : beside.companyId,
    companyName: beside.companyName,
  };
}

export function toDocumentCopy(row: RawCopy): DocumentCopy {
  return { recipient: row.recipient, status: row.status, at: row.at, messageId: row.message_id, attempts: row.attempts };
}

/** The newest of each document's copies (by time, then row), in document order. */
export function newestPerDocument(copies: readonly LastSentCopy[]): LastSentCopy[] {
  const newest = new Map<number, LastSentCopy>();
  for (const copy of copies) {
    const known = newest.get(copy.documentId);
    if (!known || known.at < copy.at || (known.at === copy.at && known.seq < copy.seq)) newest.set(copy.documentId, copy);
  }
  return [...newest.values()].sort((a, b) => a.documentId - b.documentId);
}
