/**
 * Entry of a render worker thread (see {@link RenderPool}): parses the fonts once, then renders every
 * document it is sent and posts the PDF back, its bytes transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPdfFonts } from './pdf-fonts';
import { renderDocumentPdf } from './pdf-renderer';
import { QrMatrices } from './qr-drawing';
import type { RenderDocumentInput } from './pdf-renderer';
import type { RenderReply, RenderRequest } from './render-pool';

const port = parentPort;
if (!port) throw new Error('render-worker runs only as a worker thread');
const { fontDir } = workerData as { fontDir: string };
// Parsed at start-up, once per worker: a month-end batch renders hundreds of documents per worker.
const fonts = loadPdfFonts(fontDir);
const qrMatrices = new QrMatrices();

port.on('message', (request: RenderRequest) => {
  fonts
    .then((loaded) => {
      const input: RenderDocumentInput = { ...request.input, fontDir, fonts: loaded, qrMatrices };
      return renderDocumentPdf(input);
    })
    .then(
      (pdf) => {
        const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength).slice();
        port.postMessage({ id: request.id, pdf: bytes } satisfies RenderReply, [bytes.buffer]);
      },
      (error: unknown) => {
        port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies RenderReply);
      },
    );
});
