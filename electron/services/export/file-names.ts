/** The name a document's PDF is saved under (see files/file-names.ts for what makes a name safe). */
import type { AccountingDocument, Language, Partner } from '../../../shared/domain';
import { documentLabels } from '../../../shared/i18n/document-labels';
import type { DocumentLabels } from '../../../shared/i18n/document-labels';
import { safeFileName } from '../files/file-names';

/**
 * The file name a document is exported under: `<kind> <number> <partner>.pdf` in the document's
 * language, e.g. `Faktura FV-2026-0001 Dvořák & synové s.r.o.pdf`. Diacritics stay; anything that is
 * unsafe on Windows, macOS or Linux goes (see {@link safeFileName}).
 */
export function exportFileName(
  document: AccountingDocument,
  partner: Partner,
  labelsOrLanguage: DocumentLabels | Language,
): string {
  const labels = typeof labelsOrLanguage === 'string' ? documentLabels[labelsOrLanguage] : labelsOrLanguage;
  return safeFileName(`${labels.fileName[document.kind]} ${document.number} ${partner.name}`, '.pdf');
}
