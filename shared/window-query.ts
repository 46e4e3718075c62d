/**
 * The page address of each window kind, shared by Electron (which opens it) and the web shell (which
 * tells the page where to go).
 */

/** A window Kurier can open. */
export type WindowSpec =
  | { readonly window: 'documents' }
  | { readonly window: 'userPrefs' }
  | { readonly window: 'globalPrefs' }
  | { readonly window: 'bulk' }
  | { readonly window: 'history' }
  | { readonly window: 'payslips' }
  | { readonly window: 'export'; readonly documentId: number };

/** The query string that selects the window in the single-page renderer ('' for the documents list). */
export function windowQuery(spec: WindowSpec): string {
  switch (spec.window) {
    case 'documents':
      return '';
    case 'export':
      return `?window=export&documentId=${String(spec.documentId)}`;
    default:
      return `?window=${spec.window}`;
  }
}
