/**
 * Seeded randomness for data preparation (crops, splits, binarization, the
 * dead-leaves generator). `src/data` may not import the tfjs backend, so it
 * has its own small generator: xoshiro128** (Blackman & Vigna 2018, period
 * 2^128 - 1), its 128-bit state filled by splitmix32 from `(seed, stream)`.
 *
 * Seeds: every safe integer is a seed, 0 included (never `seed || Math.random()`).
 * A `stream` number gives independent sequences for independent purposes
 * (split, train crops, test crops) from one user seed.
 */
import { DataError } from './data-error.js';

const TWO_POW_32 = 4294967296;

/** Throws a `DataError` unless `seed` is a safe integer; `what` names the option. */
export function assertSeed(seed: unknown, what = 'seed'): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new DataError(`${what} must be a safe integer (0 is a valid seed), but got ${String(seed)}`);
  }
}

/** splitmix32 step (a 32-bit variant of Steele et al. 2014's SplitMix). */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

/**
 * A seeded uniform generator.
 *
 * @example
 * const rng = new Rng(0, 1);  // seed 0, stream 1
 * const u = rng.float();       // in [0, 1)
 * const i = rng.int(10);       // in {0, ..., 9}
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed any safe integer (0 included)
   * @param stream which independent sequence of that seed (a small non-negative integer)
   */
  constructor(seed: number, stream = 0) {
    assertSeed(seed);
    assertSeed(stream, 'stream');
    const high = Math.floor(seed / TWO_POW_32) | 0;
    const st = { s: ((seed >>> 0) ^ Math.imul(high, 0x632be5ab) ^ Math.imul(stream + 1, 0x2545f491)) | 0 };
    // Keep every state word an int32 (never a uint32 above 2^31): V8 then keeps
    // the fields unboxed, which makes the generator ~10x faster.
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** Next unsigned 32-bit integer (xoshiro128**). */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in {0, ..., n - 1}, n >= 1 (unbiased for n up to 2^53). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** A uniformly random permutation of {0, ..., n - 1} (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Stream numbers used inside `src/data`, so no two purposes share a sequence. */
export const STREAM = {
  split: 1,
  trainCrops: 2,
  testCrops: 3,
  images: 4,
  binarizeTrain: 5,
  binarizeTest: 6,
  shuffle: 7,
  subsetTrain: 8,
  subsetTest: 9,
} as const;
