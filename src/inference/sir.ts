/**
 * Sampling-importance-resampling from q_EW (Cremer et al. 2017; seed 000,
 * Algorithms 1 and 2): draw k joint samples from the guide, weight them by
 * w_i = p(x, z_i) / q(z_i | x), and resample n of them per data point with
 * probabilities w_i / Σ_j w_j. Keeping only some latents marginalizes the rest.
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { SeededRandom } from '../backend/random.js';
import { logWeights } from './objectives/log-weights.js';

export interface SirOptions {
  readonly k: number;
  readonly n: number;
  readonly latents?: readonly string[];
  readonly seed?: number;
  readonly guide?: string;
}

export interface SirResult {
  /** Per latent: samples `[batch, n, d]`, row-major. */
  readonly samples: Record<string, { data: Float32Array; shape: [number, number, number] }>;
  /** Effective sample size per data point: (Σ w)² / Σ w², in [1, k]. */
  readonly ess: Float32Array;
}

/** ESS = exp(2 logSumExp(log w) − logSumExp(2 log w)) over axis 0; `[k, batch]` → `[batch]`. */
export function effectiveSampleSize(logW: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.exp(tf.sub(tf.mul(tf.logSumExp(logW, 0), 2), tf.logSumExp(tf.mul(logW, 2), 0))));
}

/**
 * Resamples n indices per data point from log-weights `[k, batch]`.
 * @returns indices `[batch, n]` (int32); all zeros when k = 1
 */
export function resampleIndices(logW: tf.Tensor, n: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const [k, batch] = logW.shape as [number, number];
    if (k === 1) return tf.zeros([batch, n], 'int32');
    return tf.multinomial(tf.transpose(logW) as tf.Tensor2D, n, seed, false);
  });
}

/** Draws SIR samples of the requested latents for every row of `data`. */
export async function sampleSir(model: CompiledModel, data: Record<string, tf.Tensor>, options: SirOptions): Promise<SirResult> {
  for (const [name, v] of [['k', options.k], ['n', options.n]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`sample: ${name} must be a positive integer, but got ${v}`);
  }
  const all = model.ir.latents.map((l) => l.name);
  const wanted = options.latents ?? all;
  const unknown = wanted.filter((l) => !all.includes(l));
  if (unknown.length > 0) throw new RangeError(`sample: unknown latent ${unknown.map((u) => `'${u}'`).join(', ')}; the model has ${all.join(', ')}`);
  const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const traceSeed = rng.nextSeed();
  const resampleSeed = rng.nextSeed();
  const tensors = tf.tidy(() => {
    const trace = model.trace(data, { k: options.k, guide: options.guide, seed: traceSeed });
    const logW = logWeights(trace);
    const indices = resampleIndices(logW, options.n, resampleSeed);
    const chosen = wanted.map((name) => {
      const z = tf.transpose(trace.samples.get(name)!, [1, 0, 2]); // [batch, k, d]
      return tf.gather(z, indices, 1, 1); // [batch, n, d]
    });
    return { chosen, ess: effectiveSampleSize(logW) };
  });
  const samples: SirResult['samples'] = {};
  for (const [i, name] of wanted.entries()) {
    const t = tensors.chosen[i]!;
    samples[name] = { data: (await t.data()) as Float32Array, shape: t.shape as [number, number, number] };
  }
  const ess = (await tensors.ess.data()) as Float32Array;
  tf.dispose([...tensors.chosen, tensors.ess]);
  return { samples, ess };
}
