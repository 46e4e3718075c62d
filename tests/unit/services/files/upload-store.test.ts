/**
 * The bounds of the store that holds files a page hands over in parts: what the contract refuses before
 * main sees it, and what the store refuses (unknown ids, parts out of order or beyond the declared size,
 * too many uploads at once, too much held), and that an upload nobody touched is forgotten and its bytes freed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UploadStore } from '../../../../electron/services/files/upload-store';
import { contract } from '../../../../shared/contract';
import { KurierError, type KurierErrorShape } from '../../../../shared/errors';
import { maxUploadBytes, uploadPartBytes } from '../../../../shared/uploads';

/** The error `run` throws, as a window gets it. */
function failure(run: () => unknown): KurierErrorShape {
  try {
    run();
  } catch (error) {
    if (error instanceof KurierError) return error.toShape();
    throw error;
  }
  throw new Error('expected a KurierError');
}

describe('upload store', () => {
  it('puts the parts back together byte for byte, once', () => {
    const store = new UploadStore();
    const bytes = randomBytes(uploadPartBytes * 2 + 1000);
    const id = store.begin('výplatnice.pdf', bytes.length);
    expect(store.part(id, 0, bytes.subarray(0, uploadPartBytes))).toBe(uploadPartBytes);
    expect(store.part(id, 1, bytes.subarray(uploadPartBytes, uploadPartBytes * 2))).toBe(uploadPartBytes * 2);
    expect(store.part(id, 2, bytes.subarray(uploadPartBytes * 2))).toBe(bytes.length);
    const taken = store.take(id);
    expect(taken.name).toBe('výplatnice.pdf');
    expect(Buffer.from(taken.bytes).equals(bytes)).toBe(true);
    expect(failure(() => store.take(id))).toEqual({ code: 'input.invalid', details: { uploadId: 'unknown' } });
    expect(store.heldBytes).toBe(0);
  });

  it('refuses a part beyond the declared size, and drops that upload', () => {
    const store = new UploadStore();
    const id = store.begin('a.pdf', 1000);
    store.part(id, 0, new Uint8Array(600));
    expect(failure(() => store.part(id, 1, new Uint8Array(401)))).toEqual({
      code: 'input.invalid',
      details: { base64: 'beyondSize' },
    });
    expect(failure(() => store.part(id, 1, new Uint8Array(400)))).toEqual({
      code: 'input.invalid',
      details: { uploadId: 'unknown' },
    });
    expect(store.heldBytes).toBe(0);
  });

  it('refuses an unknown id, a part out of order, a part too large and an incomplete upload', () => {
    const store = new UploadStore();
    expect(failure(() => store.part(randomUUID(), 0, new Uint8Array(1)))).toEqual({
      code: 'input.invalid',
      details: { uploadId: 'unknown' },
    });
    expect(failure(() => store.take(randomUUID()))).toEqual({ code: 'input.invalid', details: { uploadId: 'unknown' } });
    const id = store.begin('a.pdf', uploadPartBytes * 3);
    expect(failure(() => store.part(id, 1, new Uint8Array(10)))).toEqual({
      code: 'input.invalid',
      details: { index: 'outOfOrder' },
    });
    expect(failure(() => store.part(id, 0, new Uint8Array(uploadPartBytes + 1)))).toEqual({
      code: 'input.invalid',
      details: { base64: 'tooLong' },
    });
    store.part(id, 0, new Uint8Array(uploadPartBytes));
    expect(failure(() => store.take(id))).toEqual({ code: 'input.invalid', details: { uploadId: 'incomplete' } });
    expect(failure(() => store.begin('b.pdf', maxUploadBytes + 1))).toEqual({
      code: 'input.invalid',
      details: { size: 'tooLarge' },
    });
  });

  it('takes several uploads all or none', () => {
    const store = new UploadStore();
    const done = store.begin('a.pdf', 1);
    store.part(done, 0, new Uint8Array([7]));
    const open = store.begin('b.pdf', 2);
    expect(failure(() => store.takeAll([done, open]))).toEqual({
      code: 'input.invalid',
      details: { uploadId: 'incomplete' },
    });
    expect(Array.from(store.take(done).bytes)).toEqual([7]);
  });

  it('limits uploads in progress and the bytes held together', () => {
    const store = new UploadStore({ maxInProgress: 2, maxHeldBytes: 3000 });
    const first = store.begin('a', 1000);
    store.begin('b', 1000);
    expect(failure(() => store.begin('c', 10))).toEqual({ code: 'input.invalid', details: { _: 'tooManyUploads' } });
    store.part(first, 0, new Uint8Array(1000));
    // `first` is complete (held, not in progress): another may begin, but not beyond the bytes held.
    expect(failure(() => store.begin('c', 1001))).toEqual({ code: 'upload.tooMuch', details: { limitMb: 0 } });
    store.begin('c', 1000);
  });

  it('forgets an upload untouched for the idle time and frees its bytes', () => {
    let now = 1_000_000;
    const store = new UploadStore({ now: () => now, idleMs: 60_000, maxInProgress: 1 });
    const stale = store.begin('stale.pdf', 2000);
    store.part(stale, 0, new Uint8Array(1000));
    expect(store.heldBytes).toBe(1000);
    now += 30_000;
    store.part(stale, 1, new Uint8Array(500));
    // Touched 30 s ago: still there; untouched 61 s: gone, and its slot free for another upload.
    now += 61_000;
    expect(store.sweep()).toBe(1);
    expect(store.heldBytes).toBe(0);
    expect(failure(() => store.part(stale, 2, new Uint8Array(500)))).toEqual({
      code: 'input.invalid',
      details: { uploadId: 'unknown' },
    });
    const next = store.begin('next.pdf', 1);
    now += 61_000;
    // Any later call sweeps too: the next upload's begin finds the slot free again.
    expect(store.begin('after.pdf', 1)).not.toBe(next);
    expect(failure(() => store.take(next))).toEqual({ code: 'input.invalid', details: { uploadId: 'unknown' } });
  });
});

describe('upload channels in the contract', () => {
  it('refuses a declared size over the import limit and a part longer than 512 KiB', () => {
    expect(contract['uploads:begin'].input.safeParse({ name: 'a.pdf', size: maxUploadBytes }).success).toBe(true);
    expect(contract['uploads:begin'].input.safeParse({ name: 'a.pdf', size: maxUploadBytes + 1 }).success).toBe(false);
    const part = (bytes: number) =>
      contract['uploads:part'].input.safeParse({
        uploadId: randomUUID(),
        index: 0,
        base64: Buffer.alloc(bytes).toString('base64'),
      }).success;
    expect(part(uploadPartBytes)).toBe(true);
    expect(part(uploadPartBytes + 3)).toBe(false);
    const text = (base64: string) =>
      contract['uploads:part'].input.safeParse({ uploadId: randomUUID(), index: 0, base64 }).success;
    expect(text(Buffer.from('Faktura ÿ€').toString('base64'))).toBe(true);
    expect(text('')).toBe(true);
    // Characters Base64 does not have, or a broken end, would have been dropped and the file changed.
    for (const broken of ['QUJD\nREVG', 'QUJD-_==', 'QUJDRA', 'QUJD=QUJD', 'QU JD']) expect(text(broken)).toBe(false);
    // A whole part as one frame: Base64 and the call around it stay well under the web shell's 1 MiB.
    expect(Math.ceil(uploadPartBytes / 3) * 4 + 200).toBeLessThan(1024 * 1024);
  });
});
