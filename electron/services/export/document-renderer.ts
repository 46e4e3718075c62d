import { loadPdfFonts, type PdfFonts } from './pdf-fonts';
import { renderDocumentPdf, type RenderDocumentInput } from './pdf-renderer';
import { QrMatrices } from './qr-drawing';

/** One document to render: everything but the fonts and caches, which the renderer keeps. */
export type RenderJob = Omit<RenderDocumentInput, 'fontDir' | 'fonts' | 'qrMatrices'>;

/**
 * Renders documents to PDF. Two kinds: {@link InThreadRenderer} (the calling thread) and the worker
 * pool (render-pool.ts), which a month-end batch keeps busy on every core.
 */
export interface DocumentRenderer {
  render(job: RenderJob): Promise<Buffer>;
  /** How many documents it renders at once: how many a batch should keep in flight. */
  readonly parallelism: number;
  /** Stops whatever it started; documents in flight fail. */
  close(): Promise<void>;
}

/** Renders on the calling thread, with the fonts parsed once (on first use) and QR symbols kept. */
export class InThreadRenderer implements DocumentRenderer {
  readonly parallelism = 1;
  readonly #fontDir: string;
  readonly #qrMatrices = new QrMatrices();
  #fonts: Promise<PdfFonts> | undefined;

  constructor(fontDir: string) {
    this.#fontDir = fontDir;
  }

  async render(job: RenderJob): Promise<Buffer> {
    this.#fonts ??= loadPdfFonts(this.#fontDir);
    // A font folder that failed to load is tried again next time (the user may fix the installation).
    const fonts = await this.#fonts.catch((error: unknown) => {
      this.#fonts = undefined;
      throw error;
    });
    return renderDocumentPdf({ ...job, fontDir: this.#fontDir, fonts, qrMatrices: this.#qrMatrices });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
