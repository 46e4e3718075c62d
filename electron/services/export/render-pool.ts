import { Worker } from 'node:worker_threads';
import type { DocumentRenderer, RenderJob } from './document-renderer';

/** What a render worker is sent: the document without font settings (the worker has its own). */
export interface RenderRequest {
  readonly id: number;
  readonly input: RenderJob;
}

/** What a render worker answers. */
export type RenderReply = { readonly id: number; readonly pdf: Uint8Array } | { readonly id: number; readonly error: string };

/** How to start the pool. */
export interface RenderPoolOptions {
  /** The worker entry: the built `render-worker.js`, or a test bootstrap that loads the TypeScript. */
  readonly workerUrl: URL;
  readonly fontDir: string;
  /** Worker threads; one per core is right for rendering (CPU-bound). */
  readonly size: number;
}

interface Slot {
  readonly worker: Worker;
  inFlight: number;
  alive: boolean;
}

interface Pending {
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Renders PDFs on worker threads, so a month-end batch uses every core: each worker keeps its fonts
 * loaded, documents go to the worker with the fewest in flight. The workers start with the first
 * document (an office that never exports pays nothing). A worker that dies fails its documents and is
 * not replaced (the caller sees the error; the pool's other workers go on).
 */
export class RenderPool implements DocumentRenderer {
  readonly #options: RenderPoolOptions;
  #workers: Slot[] | undefined;
  readonly #pending = new Map<number, Pending & { readonly slot: number }>();
  #nextId = 1;

  constructor(options: RenderPoolOptions) {
    this.#options = options;
  }

  /** The workers it runs (or will run): a batch keeps that many documents and a few more in flight. */
  get parallelism(): number {
    return Math.max(1, this.#options.size);
  }

  #start(): Slot[] {
    const options = this.#options;
    this.#workers ??= Array.from({ length: this.parallelism }, (_, slot) => {
      const worker = new Worker(options.workerUrl, { workerData: { fontDir: options.fontDir } });
      const entry = { worker, inFlight: 0, alive: true };
      worker.on('message', (reply: RenderReply) => {
        const pending = this.#pending.get(reply.id);
        if (!pending) return;
        this.#pending.delete(reply.id);
        entry.inFlight -= 1;
        if ('pdf' in reply) pending.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
        else pending.reject(new Error(reply.error));
      });
      worker.on('error', (error: Error) => {
        this.#failSlot(slot, error);
      });
      worker.on('exit', () => {
        this.#failSlot(slot, new Error('render worker exited'));
      });
      return entry;
    });
    return this.#workers;
  }

  /** Renders one document on the least busy worker. */
  render(input: RenderJob): Promise<Buffer> {
    const workers = this.#start();
    const slot = this.#leastBusy(workers);
    const entry = workers[slot];
    if (!entry) return Promise.reject(new Error('no render worker is running'));
    const id = this.#nextId++;
    entry.inFlight += 1;
    return new Promise<Buffer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, slot });
      entry.worker.postMessage({ id, input } satisfies RenderRequest);
    });
  }

  /** Stops every worker; documents still in flight fail. */
  async close(): Promise<void> {
    const workers = this.#workers ?? [];
    await Promise.all(workers.map((entry) => entry.worker.terminate()));
  }

  #leastBusy(workers: readonly Slot[]): number {
    let best = -1;
    workers.forEach((entry, slot) => {
      const current = workers[best];
      if (entry.alive && (!current || entry.inFlight < current.inFlight)) best = slot;
    });
    return best;
  }

  #failSlot(slot: number, error: Error): void {
    const entry = this.#workers?.[slot];
    if (entry) entry.alive = false;
    for (const [id, pending] of this.#pending) {
      if (pending.slot !== slot) continue;
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}
