/**
 * The text of each page of a PDF, through pdf.js (Mozilla's PDF reader, the one Firefox uses: it reads
 * what payroll programs print, including CID fonts with Czech and Polish letters). The legacy build is the
 * one that runs under plain Node without a DOM.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Why a PDF could not be read; each code has a translated sentence under `imports.pdfProblems`. */
export type PdfProblemCode = 'encrypted' | 'damaged';

/** A PDF Kurier cannot read: password-protected, or not a PDF / broken. */
export class PdfReadError extends Error {
  readonly code: PdfProblemCode;

  constructor(code: PdfProblemCode, cause: unknown) {
    super(code === 'encrypted' ? 'The PDF is protected by a password.' : 'The PDF is damaged or not a PDF.', { cause });
    this.name = 'PdfReadError';
    this.code = code;
  }
}

interface TextPiece {
  readonly str?: string;
  readonly hasEOL?: boolean;
}

/**
 * Reads the text of every page: pieces on one line joined by a space, lines by `\n`. Calls `onPage`
 * after each page (progress), and lets pdf.js free each page before the next, so a 1,000-page payroll
 * does not hold every page's operators at once.
 *
 * @throws PdfReadError when the file is encrypted or damaged.
 */
export async function readPdfPages(bytes: Uint8Array, onPage?: (done: number, total: number) => void): Promise<string[]> {
  // pdf.js takes ownership of (detaches) the buffer it is given, and refuses a Node Buffer: hand it a plain
  // copy so the caller's original bytes stay intact for splitting and for keeping.
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0, useSystemFonts: false, stopAtErrors: false });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    throw new PdfReadError(error instanceof Error && error.name === 'PasswordException' ? 'encrypted' : 'damaged', error);
  }
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextPiece[]) {
        if (typeof item.str !== 'string') continue;
        text += item.str.replace(/\u00a0/g, ' ');
        text += item.hasEOL === true ? '\n' : item.str === '' ? '' : ' ';
      }
      pages.push(
        text
          .replace(/[ \t]+\n/g, '\n')
          .replace(/[ \t]{2,}/g, ' ')
          .trim(),
      );
      page.cleanup();
      onPage?.(number, pdf.numPages);
    }
    return pages;
  } catch (error) {
    throw new PdfReadError('damaged', error);
  } finally {
    await task.destroy();
  }
}
