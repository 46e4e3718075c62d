/** What travels with a document's PDF in the outbox. */
import { stat } from 'node:fs/promises';
import type { CompanionFile, ExportedFile } from '../export/export-service';
import type { MailAttachment } from '../mail/composed-mail';
import type { OutboxAttachment } from '../outbox/outbox-store';

/**
 * The e-invoice beside a PDF as an outbox attachment, after the PDF (none when the company embeds it
 * or has none): the SMTP copy carries what a hand-off carries.
 */
export async function outboxCompanions(companion: ExportedFile['companion']): Promise<OutboxAttachment[]> {
  if (!companion) return [];
  const { size } = await stat(companion.path);
  return [{ path: companion.path, name: companion.fileName, size, contentType: companion.contentType }];
}

/** What a document's copy carries: its PDF, the e-invoice beside it, and the files the user added. */
export interface CopyFiles {
  readonly fileName: string;
  readonly filePath: string;
  readonly companion: CompanionFile | undefined;
  /** Files added in the dialog (sending/extra-attachments.ts), checked, after the document's own. */
  readonly extras: readonly OutboxAttachment[];
}

/** The copy's attachments as any route takes them: the PDF first, then the e-invoice, then the added files. */
export function mailAttachments(file: CopyFiles): MailAttachment[] {
  return [
    { path: file.filePath, fileName: file.fileName, contentType: 'application/pdf' },
    ...(file.companion ? [{ ...file.companion }] : []),
    ...file.extras.map((extra) => ({ path: extra.path, fileName: extra.name, contentType: extra.contentType })),
  ];
}
