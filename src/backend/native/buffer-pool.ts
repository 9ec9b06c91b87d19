/**
 * Recycled Float32Array outputs for the native kernels. A fresh
 * `new Float32Array(n)` is zero-filled and later collected by V8; in a
 * training step that churns hundreds of large arrays this GC work dominated,
 * so outputs come from free lists keyed by length and return when the last
 * tensor data entry that refers to their ArrayBuffer is removed.
 *
 * Liveness is counted per ArrayBuffer, not per entry: the cpu Slice kernel
 * stores views (`subarray`) of its input, so several entries share one buffer.
 * The backend reports every entry it stores (`retain`) and removes (`release`).
 *
 * Poison mode fills a buffer with NaN when it is freed and checks, when it is
 * handed out again, that it is still all NaN: reads of freed data then yield
 * NaN instead of plausible numbers, and writes to freed data are caught.
 */
import os from 'node:os';

/** Bookkeeping for one buffer the pool allocated. */
interface Owned {
  readonly array: Float32Array;
  live: number;
}

export interface PoolStats {
  /** Allocations served from a free list. */
  readonly reused: number;
  /** Allocations that made a new array. */
  readonly created: number;
  /** Bytes sitting in free lists now. */
  readonly freeBytes: number;
  /** Pool buffers referenced by live tensor data now. */
  readonly liveBuffers: number;
}

/**
 * Default ceiling on bytes kept in free lists (beyond it, freed buffers go to
 * the GC): STRATA_NATIVE_POOL_MB, else a quarter of the machine's memory, at
 * most 4 GiB. A training step's working set must fit (about 1 GB for the
 * benchmark TDVAE at k = 50); free lists never hold more than the largest
 * working set seen, because every free buffer was once live.
 */
export function defaultPoolBytes(): number {
  const setting = process.env['STRATA_NATIVE_POOL_MB'] ?? '';
  const mb = Number(setting);
  if (setting.trim() !== '' && Number.isFinite(mb) && mb >= 0) return mb * 1024 * 1024;
  return Math.min(4 * 1024 ** 3, Math.floor(os.totalmem() / 4));
}

export class BufferPool {
  private readonly owned = new WeakMap<ArrayBufferLike, Owned>();
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;
  private liveBuffers = 0;
  private reused = 0;
  private created = 0;

  /**
   * @param poison fill freed buffers with NaN and verify them on reuse (debug)
   * @param maxFreeBytes most bytes kept for reuse
   */
  constructor(
    private poison = false,
    private readonly maxFreeBytes = defaultPoolBytes(),
  ) {}

  /** Whether freed buffers are poisoned (see the file comment). */
  get poisoned(): boolean {
    return this.poison;
  }

  /**
   * Turns poison mode on or off. The free lists are emptied, so that every
   * buffer checked on reuse was poisoned when it was freed.
   */
  setPoison(on: boolean): void {
    this.poison = on;
    this.clear();
  }

  /** A float32 array of `length` elements with unspecified contents; the caller must write all of it. */
  alloc(length: number): Float32Array {
    const list = this.free.get(length);
    const recycled = list?.pop();
    if (recycled !== undefined) {
      this.freeBytes -= recycled.byteLength;
      this.reused++;
      if (this.poison) this.checkPoisoned(recycled);
      return recycled;
    }
    const array = new Float32Array(length);
    this.owned.set(array.buffer, { array, live: 0 });
    this.created++;
    return array;
  }

  /** Returns a buffer from `alloc` that was never stored in a tensor. */
  discard(array: Float32Array): void {
    const owner = this.ownerOf(array);
    if (owner === undefined || owner.live !== 0 || owner.array !== array) throw new Error('native buffer pool: discard takes an unused array from alloc');
    owner.live = 1;
    this.liveBuffers++;
    this.release(array);
  }

  /** Records that one more tensor data entry refers to `values`' buffer. */
  retain(values: unknown): void {
    const owner = this.ownerOf(values);
    if (owner === undefined) return;
    if (owner.live++ === 0) this.liveBuffers++;
  }

  /** Records that an entry referring to `values`' buffer was removed; the last one frees it. */
  release(values: unknown): void {
    const owner = this.ownerOf(values);
    if (owner === undefined) return;
    if (owner.live <= 0) throw new Error('native buffer pool: a buffer was released more often than retained');
    if (--owner.live > 0) return;
    this.liveBuffers--;
    const array = owner.array;
    if (this.poison) array.fill(NaN);
    if (this.freeBytes + array.byteLength > this.maxFreeBytes) return;
    let list = this.free.get(array.length);
    if (list === undefined) this.free.set(array.length, (list = []));
    list.push(array);
    this.freeBytes += array.byteLength;
  }

  /** True when `values` lives in a buffer this pool allocated (it may be recycled later). */
  owns(values: unknown): boolean {
    return this.ownerOf(values) !== undefined;
  }

  /** Drops every free buffer (live ones return later and are kept again). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): PoolStats {
    return { reused: this.reused, created: this.created, freeBytes: this.freeBytes, liveBuffers: this.liveBuffers };
  }

  private ownerOf(values: unknown): Owned | undefined {
    if (!(values instanceof Float32Array)) return undefined;
    return this.owned.get(values.buffer);
  }

  private checkPoisoned(array: Float32Array): void {
    for (let i = 0; i < array.length; i++) {
      if (!Number.isNaN(array[i])) {
        throw new Error(`native buffer pool (poison mode): a freed buffer of ${array.length} floats was written at index ${i} after it was freed`);
      }
    }
  }
}
