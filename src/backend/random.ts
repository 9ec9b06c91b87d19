/**
 * Seeded randomness: a small deterministic seed stream (`SeededRandom`) so a
 * training loop can derive one seed per step, and wrappers around tfjs's
 * random ops that treat every integer seed, including 0, as a real seed.
 *
 * Why the wrappers: tfjs 4.22's `tf.randomNormal` seeds its generator with
 * `seed ? seed : Math.random()` (tfjs-core `rand_util.ts`, `MPRandGauss`), so
 * seed 0 is silently replaced by a random one. `tfjsSeed` maps integers
 * one-to-one onto non-zero numbers before they reach tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { assertSeed } from './check.js';
import { nativeRandomUniform } from './native/random-uniform.js';

const TWO_POW_32 = 4294967296;

/**
 * Maps a user seed to the seed handed to tfjs: s >= 0 -> s + 1, s < 0 -> s.
 * One-to-one on the integers and never 0, so no seed is lost to tfjs's
 * falsy-seed check.
 *
 * @param seed a safe integer (0 is valid)
 * @returns a non-zero number
 */
export function tfjsSeed(seed: number): number {
  assertSeed(seed, 'tfjsSeed');
  return seed >= 0 ? seed + 1 : seed;
}

/**
 * Standard-normal noise, eps ~ N(0, 1), of the given shape.
 *
 * @param shape output shape, e.g. `[k, batch, d]`
 * @param seed any safe integer, 0 included; undefined draws from Math.random
 * @returns float32 tensor of `shape`
 * @example const eps = seededNormal([8, 2], 0); // same values on every call
 */
export function seededNormal(shape: readonly number[], seed?: number): Tensor {
  assertSeed(seed, 'seededNormal');
  return tf.randomNormal([...shape], 0, 1, 'float32', seed === undefined ? undefined : tfjsSeed(seed));
}

/**
 * Uniform noise on [minval, maxval) of the given shape.
 *
 * @param shape output shape
 * @param minval lower bound (included)
 * @param maxval upper bound (excluded)
 * @param seed any safe integer, 0 included; undefined draws from Math.random
 * @returns float32 tensor of `shape`
 */
export function seededUniform(shape: readonly number[], minval: number, maxval: number, seed?: number): Tensor {
  assertSeed(seed, 'seededUniform');
  if (seed === undefined) return tf.randomUniform([...shape], minval, maxval, 'float32');
  // On the native backend the same numbers come from the addon (bit-identical, faster).
  return nativeRandomUniform(shape, minval, maxval, tfjsSeed(seed)) ?? tf.randomUniform([...shape], minval, maxval, 'float32', tfjsSeed(seed));
}

/**
 * A deterministic stream of 32-bit seeds (mulberry32, Tommy Ettinger 2017):
 * state += 0x6D2B79F5, then two xorshift-multiply rounds. Fast, passes
 * gjrand/PractRand up to 2^32 outputs, and plenty for deriving per-step seeds.
 *
 * @example
 * const rng = new SeededRandom(0);        // 0 is a seed like any other
 * for (let step = 0; step < n; step++) train(step, rng.nextSeed());
 */
export class SeededRandom {
  private state: number;

  /** @param seed any safe integer (0 included); fixes the whole stream. */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new RangeError(`SeededRandom: seed must be a safe integer, but got ${String(seed)}`);
    }
    // Fold the high bits in so seeds that differ only above bit 31 differ.
    const high = Math.floor(seed / TWO_POW_32) | 0;
    this.state = ((seed >>> 0) ^ Math.imul(high, 0x9e3779b9)) | 0;
  }

  /** Next uniformly distributed unsigned 32-bit integer, in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Next seed for a tfjs random op or a child stream, in [0, 2^32). */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** Next float uniformly distributed on [0, 1), with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** A new independent-looking stream seeded from this one. */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }
}
