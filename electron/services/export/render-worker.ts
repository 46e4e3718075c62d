/**
 * Entry of a render worker thread (see {@link RenderPool}): reads the fonts once, then renders every
 * document it is sent and posts the PDF back, its bytes transferred rather than copied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { renderDocumentPdf } from './pdf-renderer';
import type { RenderDocumentInput } from './pdf-renderer';
import { fonts } from './pdf-tables';
import type { RenderReply, RenderRequest } from './render-pool';

const port = parentPort;
if (!port) throw new Error('render-worker runs only as a worker thread');
const { fontDir } = workerData as { fontDir: string };
// Read at start-up, once per worker: a month-end batch renders hundreds of documents per worker.
const fontData = {
  regular: readFileSync(join(fontDir, `${fonts.regular}.ttf`)),
  bold: readFileSync(join(fontDir, `${fonts.bold}.ttf`)),
};

port.on('message', (request: RenderRequest) => {
  const input: RenderDocumentInput = { ...request.input, fontDir, fontData };
  renderDocumentPdf(input).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength).slice();
      port.postMessage({ id: request.id, pdf: bytes } satisfies RenderReply, [bytes.buffer]);
    },
    (error: unknown) => {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies RenderReply);
    },
  );
});
