/**
 * Files a page hands to main in parts (see shared/uploads.ts), held in memory until a call takes them.
 * Bounded every way a page could push it: the declared size is at most the import limit, the parts come
 * in order and never add up to more than was declared, at most a few uploads are in progress at once,
 * all held bytes together stay under a ceiling, and an upload nobody touched for a while is forgotten
 * (its bytes freed) at the next call. Ids are random UUIDs, so one page cannot guess another's.
 */
import { randomUUID } from 'node:crypto';
import { KurierError } from '../../../shared/errors';
import { maxUploadBytes, uploadPartBytes } from '../../../shared/uploads';

/** Limits of an {@link UploadStore}; the defaults suit the app, tests shorten them. */
export interface UploadStoreOptions {
  readonly now?: () => number;
  /** An upload untouched this long is forgotten. */
  readonly idleMs?: number;
  /** Uploads begun but not yet complete, at once. */
  readonly maxInProgress?: number;
  /** All bytes held (complete or not), together. */
  readonly maxHeldBytes?: number;
}

/** A complete upload, taken out of the store. */
export interface UploadedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Upload {
  readonly name: string;
  readonly size: number;
  readonly parts: Buffer[];
  received: number;
  touched: number;
}

/** Uploads of this process, by id. */
export class UploadStore {
  readonly #now: () => number;
  readonly #idleMs: number;
  readonly #maxInProgress: number;
  readonly #maxHeldBytes: number;
  readonly #uploads = new Map<string, Upload>();

  constructor(options: UploadStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#idleMs = options.idleMs ?? 10 * 60_000;
    this.#maxInProgress = options.maxInProgress ?? 4;
    this.#maxHeldBytes = options.maxHeldBytes ?? 256 * 1024 * 1024;
  }

  /** Begins an upload of `size` bytes; its parts follow with {@link part}. */
  begin(name: string, size: number): string {
    this.sweep();
    if (!Number.isSafeInteger(size) || size < 0 || size > maxUploadBytes)
      throw new KurierError('input.invalid', { size: 'tooLarge' });
    const uploads = [...this.#uploads.values()];
    if (uploads.filter((upload) => upload.received < upload.size).length >= this.#maxInProgress)
      throw new KurierError('input.invalid', { _: 'tooManyUploads' });
    // Declared sizes count from the start: the bytes are coming.
    const held = uploads.reduce((sum, upload) => sum + upload.size, 0);
    if (held + size > this.#maxHeldBytes)
      throw new KurierError('upload.tooMuch', { limitMb: Math.floor(this.#maxHeldBytes / (1024 * 1024)) });
    const id = randomUUID();
    this.#uploads.set(id, { name, size, parts: [], received: 0, touched: this.#now() });
    return id;
  }

  /** Adds part `index` (0, 1, … in order) of an upload; returns the bytes received so far. */
  part(id: string, index: number, bytes: Uint8Array): number {
    const upload = this.#get(id);
    if (index !== upload.parts.length) throw new KurierError('input.invalid', { index: 'outOfOrder' });
    if (bytes.length > uploadPartBytes) throw new KurierError('input.invalid', { base64: 'tooLong' });
    if (upload.received + bytes.length > upload.size) {
      // A page that sends more than it declared is not to be trusted with the rest: the upload is dropped.
      this.#uploads.delete(id);
      throw new KurierError('input.invalid', { base64: 'beyondSize' });
    }
    upload.parts.push(Buffer.from(bytes));
    upload.received += bytes.length;
    upload.touched = this.#now();
    return upload.received;
  }

  /** Takes a complete upload out of the store (it cannot be taken twice). */
  take(id: string): UploadedFile {
    const upload = this.#get(id);
    if (upload.received !== upload.size) throw new KurierError('input.invalid', { uploadId: 'incomplete' });
    this.#uploads.delete(id);
    return { name: upload.name, bytes: new Uint8Array(Buffer.concat(upload.parts, upload.size)) };
  }

  /** Takes several complete uploads, or none: each is checked before any is taken. */
  takeAll(ids: readonly string[]): UploadedFile[] {
    if (new Set(ids).size !== ids.length) throw new KurierError('input.invalid', { uploadId: 'duplicate' });
    for (const id of ids) {
      const upload = this.#get(id);
      if (upload.received !== upload.size) throw new KurierError('input.invalid', { uploadId: 'incomplete' });
    }
    return ids.map((id) => this.take(id));
  }

  /** Forgets an upload (unknown ids are ignored: it may have expired). */
  cancel(id: string): void {
    this.#uploads.delete(id);
  }

  /** Forgets uploads untouched for longer than the idle time; returns how many. */
  sweep(): number {
    const now = this.#now();
    let removed = 0;
    for (const [id, upload] of this.#uploads) {
      if (now - upload.touched > this.#idleMs) {
        this.#uploads.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Bytes held now, over all uploads. */
  get heldBytes(): number {
    let held = 0;
    for (const upload of this.#uploads.values()) held += upload.received;
    return held;
  }

  #get(id: string): Upload {
    this.sweep();
    const upload = this.#uploads.get(id);
    if (!upload) throw new KurierError('input.invalid', { uploadId: 'unknown' });
    return upload;
  }
}
