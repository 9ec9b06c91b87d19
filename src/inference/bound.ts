/**
 * The IWAE-k estimate of log p(x) per data point,
 *   log p(x) ≈ logSumExp_i(log w_i) − log k,
 * streamed over chunks of samples with a running logSumExp so that large k
 * (5000 and more) fits in memory: only one chunk's trace is alive at a time.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { SeededRandom } from '../backend/random.js';
import { logWeights } from './objectives/log-weights.js';
import { UserError } from '../util/user-error.js';

export interface BoundOptions {
  readonly k: number;
  /** Samples per chunk (default min(k, 100)). */
  readonly chunk?: number;
  readonly seed?: number;
  readonly guide?: string;
}

/** log(exp(a) + exp(b)) elementwise, stable when either is −∞. */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.maximum(a, b);
    const safe = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    return tf.add(safe, tf.log(tf.add(tf.exp(tf.sub(a, safe)), tf.exp(tf.sub(b, safe)))));
  });
}

/** Per-data-point IWAE-k bound; `[batch]` as a Float32Array. */
export async function iwaeBound(model: CompiledModel, data: Record<string, tf.Tensor>, options: BoundOptions): Promise<Float32Array> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`bound: k must be a positive integer, but got ${k}`);
  const chunk = options.chunk ?? Math.min(k, 100);
  if (!Number.isInteger(chunk) || chunk < 1) throw new UserError(`bound: chunk must be a positive integer, but got ${chunk}`);
  const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  let running: tf.Tensor | undefined;
  for (let done = 0; done < k; done += chunk) {
    const size = Math.min(chunk, k - done);
    const next = tf.tidy(() => {
      const lse = tf.logSumExp(logWeights(model.trace(data, { k: size, guide: options.guide, seed: rng.nextSeed() })), 0);
      return running ? logAddExp(running, lse) : lse;
    });
    running?.dispose();
    running = next;
    await tf.nextFrame?.();
  }
  const result = tf.tidy(() => tf.sub(running!, Math.log(k)));
  running!.dispose();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}
