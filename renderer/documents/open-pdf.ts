/**
 * "Open PDF": main renders the document's PDF and opens it in the system's viewer (Electron). The web
 * shell has no viewer of its own, so the PDF comes back and opens in a new browser tab — a tab opened
 * at once, while the click still counts as the user's, and pointed at the PDF when it arrives.
 */
import type { KurierErrorShape } from '../../shared/errors';
import { kurier } from '../kurier';

/** Opens the document's PDF; resolves to an error to show, 'blocked' when no tab could open, or null. */
export async function openDocumentPdf(
  documentId: number,
  shell: 'electron' | 'web',
): Promise<KurierErrorShape | 'blocked' | null> {
  const tab = shell === 'web' ? window.open('', '_blank') : null;
  const result = await kurier.documents.openPdf({ documentId });
  if (!result.ok) {
    tab?.close();
    return result.error;
  }
  if (result.value.opened) return null;
  if (!tab) return 'blocked';
  const bytes = Uint8Array.from(atob(result.value.base64), (char) => char.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  tab.location.href = url;
  return null;
}
