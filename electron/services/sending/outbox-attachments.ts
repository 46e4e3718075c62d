/** What travels with a document's PDF in the outbox. */
import { stat } from 'node:fs/promises';
import type { ExportedFile } from '../export/export-service';
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
