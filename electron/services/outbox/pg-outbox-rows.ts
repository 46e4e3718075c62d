/** Rows of the office outbox as `pg` returns them, and their conversion to the store's shapes. */
import type { Language } from '../../../shared/domain';
import type { ErrorDetails } from '../../../shared/errors';
import type { AccountScope } from '../../../shared/prefs';
import type { BatchKind, BatchStatus, MessageStatus } from '../../../shared/outbox';
import type { BatchRow, OutboxAttachment, OutboxRow } from './outbox-store';

/** A row of `outbox_messages`. */
export interface PgMessageRow {
  id: number;
  batch_id: number;
  document_id: number | null;
  document_number: string;
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
  extra_attachments: string;
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
  resent_after_uncertain: boolean;
  queued_by_user: string;
  queued_by_desk: string;
  claimed_by: string | null;
}

/** A row of `outbox_batches`. */
export interface PgBatchRow {
  id: number;
  created_at: number;
  kind: BatchKind;
  account_scope: AccountScope;
  status: BatchStatus;
  resume_at: number | null;
  reason_code: string;
  reason_details: string;
}

export function pgRowToMessage(raw: PgMessageRow): OutboxRow {
  const extra: unknown = JSON.parse(raw.extra_attachments || '[]');
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
    extraAttachments: Array.isArray(extra) ? (extra as OutboxAttachment[]) : [],
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

export function pgRowToBatch(raw: PgBatchRow): BatchRow {
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
