import { Worker } from 'node:worker_threads';
import { KurierError } from '../../../shared/errors';
import type { DocumentRenderer, RenderJob } from './document-renderer';

/** What a render worker is sent: the document without font settings (the worker has its own). */
export interface RenderRequest {
  readonly id: number;
  readonly input: RenderJob;
}

/** What a render worker answers. */
export type RenderReply = { readonly id: number; readonly pdf: Uint8Array } | { readonly id: number; readonly error: string };

/** How many dead workers a pool replaces in a minute by default (then it reports `export.rendererUnavailable`). */
export const defaultRestartsPerMinute = 10;

/** How to start the pool. */
export interface RenderPoolOptions {
  /** The worker entry: the built `render-worker.js`, or a test bootstrap that loads the TypeScript. */
  readonly workerUrl: URL;
  readonly fontDir: string;
  /** Worker threads; one per core is right for rendering (CPU-bound). */
  readonly size: number;
  /** Dead workers replaced per minute at most, all slots together ({@link defaultRestartsPerMinute}). */
  readonly restartsPerMinute?: number;
  /** The clock for that limit, in milliseconds (tests move it on). */
  readonly now?: () => number;
}

interface Job {
  readonly id: number;
  readonly input: RenderJob;
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  /** The one document the worker is rendering, if any. */
  job: Job | undefined;
}

/**
 * Renders PDFs on worker threads, so a month-end batch uses every core: each worker keeps its fonts
 * loaded and renders one document at a time, the others wait in the pool's queue. The workers start
 * with the first document (an office that never exports pays nothing).
 *
 * A worker that dies (pdfkit can throw where nothing catches it, e.g. on a damaged picture) fails only
 * the document it was rendering, with `export.renderFailed` — which one killed it is then certain, and
 * nothing is sent to a worker twice — and a new worker takes its place. Workers that keep dying are
 * replaced at most `restartsPerMinute` times a minute; while none runs, documents fail with
 * `export.rendererUnavailable`, and once the minute is over the pool starts workers again.
 */
export class RenderPool implements DocumentRenderer {
  readonly #options: RenderPoolOptions;
  #slots: (Slot | undefined)[] | undefined;
  readonly #queue: Job[] = [];
  /** When dead workers were replaced during the last minute. */
  #restarts: number[] = [];
  #closed = false;
  #nextId = 1;

  constructor(options: RenderPoolOptions) {
    this.#options = options;
  }

  /** The workers it runs (or will run): a batch keeps that many documents and a few more in flight. */
  get parallelism(): number {
    return Math.max(1, this.#options.size);
  }

  /** Renders one document on the next free worker. */
  render(input: RenderJob): Promise<Buffer> {
    if (this.#closed) return Promise.reject(new KurierError('export.rendererUnavailable'));
    this.#slots ??= Array.from({ length: this.parallelism }, (_, index) => this.#spawn(index));
    return new Promise<Buffer>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, input, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops every worker; documents in flight or waiting fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new KurierError('export.rendererUnavailable'));
    const slots = (this.#slots ?? []).filter((slot) => slot !== undefined);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(index: number): Slot {
    const options = this.#options;
    const worker = new Worker(options.workerUrl, { workerData: { fontDir: options.fontDir } });
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (reply: RenderReply) => {
      const job = slot.job;
      if (job?.id !== reply.id) return;
      slot.job = undefined;
      if ('pdf' in reply) job.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else job.reject(new Error(reply.error));
      this.#dispatch();
    });
    // A worker that throws uncaught emits 'error' and then 'exit'; whichever comes first ends the slot.
    const died = (cause: unknown): void => {
      if (this.#slots?.[index] !== slot) return;
      this.#slots[index] = undefined;
      const job = slot.job;
      slot.job = undefined;
      job?.reject(new KurierError('export.renderFailed', {}, { cause }));
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', died);
    worker.on('exit', (code) => {
      died(new Error(`render worker exited with code ${String(code)}`));
    });
    return slot;
  }

  /** Hands waiting documents to idle workers, replacing dead ones while the limit allows. */
  #dispatch(): void {
    const slots = this.#slots;
    if (!slots || this.#closed) return;
    for (let index = 0; index < slots.length && this.#queue.length > 0; index += 1) {
      if (!slots[index] && this.#mayRestart()) slots[index] = this.#spawn(index);
      const slot = slots[index];
      if (!slot || slot.job) continue;
      const job = this.#queue.shift();
      if (!job) break;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, input: job.input } satisfies RenderRequest);
    }
    if (slots.every((slot) => slot === undefined)) {
      for (const job of this.#queue.splice(0)) job.reject(new KurierError('export.rendererUnavailable'));
    }
  }

  /** Whether one more dead worker may be replaced now (and counts it when so). */
  #mayRestart(): boolean {
    const now = (this.#options.now ?? Date.now)();
    this.#restarts = this.#restarts.filter((at) => now - at < 60_000);
    if (this.#restarts.length >= (this.#options.restartsPerMinute ?? defaultRestartsPerMinute)) return false;
    this.#restarts.push(now);
    return true;
  }
}
