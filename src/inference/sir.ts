/**
 * Sampling-importance-resampling from q_EW (Cremer et al. 2017; seed 000,
 * Algorithms 1 and 2): for each of n draws, take k fresh joint samples from
 * the guide, weight them by w_i = p(x, z_i) / q(z_i | x), and keep one with
 * probability w_i / Σ_j w_j. Keeping only some latents marginalizes the rest.
 * With k = 1 the draws are plain guide samples.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { SeededRandom } from '../backend/random.js';
import { logWeights } from './objectives/log-weights.js';
import { paretoKThreshold, paretoSmoothedWeights } from './diagnostics/psis.js';
import { resampleIndices } from './resample.js';
import { UserError } from '../util/user-error.js';

export interface SirOptions {
  readonly k: number;
  readonly n: number;
  readonly latents?: readonly string[];
  readonly seed?: number;
  readonly guide?: string;
}

export interface SirResult {
  /** Per latent: samples `[batch, n, d]`, row-major, as `{ values, shape }` like `getParameters()`. */
  readonly samples: Record<string, { values: Float32Array; shape: [number, number, number] }>;
  /** Effective sample size per data point, (Σ w)² / Σ w² in [1, k], averaged over the n particle sets. */
  readonly ess: Float32Array;
  /**
   * PSIS k̂ per data point (Vehtari et al. 2024; diagnostics/psis.ts), fitted to the pooled weights of
   * all n·k particles (at most PSIS_POOL; NaN when n·k < 5): how heavy the tail of w = p(x, z) / q(z | x) is. Above
   * `psisThreshold` the guide misses posterior mass there, and neither the bound nor the draws can be trusted.
   */
  readonly psisK: Float64Array;
  /** The k̂ threshold for the pooled sample size S, min(1 − 1/log10 S, 0.7). */
  readonly psisThreshold: number;
  /** S, the weights per data point the k̂ was fitted to. */
  readonly psisSamples: number;
}

/** Most weights per data point pooled for the PSIS fit. */
const PSIS_POOL = 20_000;

/** ESS = exp(2 logSumExp(log w) − logSumExp(2 log w)) over axis 0; `[k, batch]` → `[batch]`. */
export function effectiveSampleSize(logW: Tensor): Tensor {
  return tf.tidy(() => tf.exp(tf.sub(tf.mul(tf.logSumExp(logW, 0), 2), tf.logSumExp(tf.mul(logW, 2), 0))));
}

/** Largest number of joint samples traced at once (k · draws per chunk). */
const MAX_TRACED = 4096;

/**
 * Draws SIR samples of the requested latents for every row of `data`. Each of
 * the n draws resamples one particle from its own fresh set of k (Algorithm 1)
 * with its own uniform (resample.ts), so draws are independent on every
 * backend; sets are traced in chunks to bound memory.
 */
export async function sampleSir(model: CompiledModel, data: Record<string, Tensor>, options: SirOptions): Promise<SirResult> {
  for (const [name, v] of [['k', options.k], ['n', options.n]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`sample: ${name} must be a positive integer, but got ${v}`);
  }
  const { k, n } = options;
  const all = model.ir.latents.map((l) => l.name);
  const wanted = options.latents ?? all;
  const unknown = wanted.filter((l) => !all.includes(l));
  if (unknown.length > 0) throw new UserError(`sample: unknown latent ${unknown.map((u) => `'${u}'`).join(', ')}; the model has ${all.join(', ')}`);
  const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const perChunk = Math.max(1, Math.floor(MAX_TRACED / k));
  const dims = new Map(model.ir.latents.map((l) => [l.name, l.shape[0] ?? 1]));
  let batch = 0;
  const out = new Map<string, Float32Array>();
  let essSum: Float32Array | undefined;
  let pooled: Float64Array[] = [];
  let pooledCount = 0;
  const pool = Math.min(PSIS_POOL, n * k);
  for (let done = 0; done < n; done += perChunk) {
    const m = Math.min(perChunk, n - done);
    const traceSeed = rng.nextSeed();
    const resampleSeed = rng.nextSeed();
    const traced = tf.tidy(() => {
      const trace = model.trace(data, { k: k * m, guide: options.guide, seed: traceSeed });
      batch = trace.batch;
      const logW = tf.reshape(logWeights(trace), [m, k, batch]); // set j = rows j·k ... j·k + k − 1
      const perSet = tf.reshape(tf.transpose(logW, [0, 2, 1]), [m * batch, k]);
      // Row r of the [m·batch·k, d] particles of a latent is set r's particles, r·k ... r·k + k − 1.
      const particles = wanted.map((name) => {
        const d = dims.get(name)!;
        return tf.reshape(tf.transpose(tf.reshape(trace.samples.get(name)!, [m, k, batch, d]), [0, 2, 1, 3]), [m * batch * k, d]);
      });
      const ess = tf.sum(tf.reshape(effectiveSampleSize(tf.transpose(perSet)), [m, batch]), 0);
      return { perSet, particles, ess };
    });
    const rows = m * batch;
    // One uniform per set from Strata's stream (see resample.ts for why not tf.multinomial).
    let index: Int32Array;
    try {
      const perSet = (await traced.perSet.data()) as Float32Array; // set r = j·batch + b has row b's weights r·k ... r·k + k − 1
      if (pooled.length === 0) pooled = Array.from({ length: batch }, () => new Float64Array(pool));
      for (let j = 0; j < m && pooledCount < pool; j++) {
        const take = Math.min(k, pool - pooledCount);
        for (let b = 0; b < batch; b++) pooled[b]!.set(perSet.subarray((j * batch + b) * k, (j * batch + b) * k + take), pooledCount);
        pooledCount += take;
      }
      index = k === 1 ? new Int32Array(rows) : resampleIndices(perSet, k, new SeededRandom(resampleSeed));
    } catch (error) {
      tf.dispose([traced.perSet, ...traced.particles, traced.ess]);
      throw error;
    }
    const chunk = tf.tidy(() => {
      // A flat gather on axis 0, because tfjs-backend-wasm 4.22's GatherV2 with batchDims = 1 writes out of
      // bounds for large inputs.
      const flatIndex = tf.tensor1d(Int32Array.from(index, (i, r) => r * k + i), 'int32');
      const chosen = traced.particles.map((z, i) => {
        const d = dims.get(wanted[i]!)!;
        return tf.transpose(tf.reshape(tf.gather(z, flatIndex, 0), [m, batch, d]), [1, 0, 2]); // [batch, m, d]
      });
      return { chosen, ess: traced.ess };
    });
    tf.dispose([traced.perSet, ...traced.particles]);
    const ess = (await chunk.ess.data()) as Float32Array;
    essSum = essSum ? essSum.map((v, i) => v + ess[i]!) : Float32Array.from(ess);
    for (const [i, name] of wanted.entries()) {
      const d = dims.get(name)!;
      const target = out.get(name) ?? new Float32Array(batch * n * d);
      out.set(name, target);
      const values = (await chunk.chosen[i]!.data()) as Float32Array;
      for (let b = 0; b < batch; b++) target.set(values.subarray(b * m * d, (b + 1) * m * d), (b * n + done) * d);
    }
    tf.dispose([...chunk.chosen, chunk.ess]);
  }
  const samples: SirResult['samples'] = {};
  for (const name of wanted) samples[name] = { values: out.get(name)!, shape: [batch, n, dims.get(name)!] };
  // Fewer than 5 weights admit no tail fit: k̂ is NaN then (pass a larger n·k).
  const psisK = Float64Array.from(pooled, (w) => (pool < 5 ? Number.NaN : paretoSmoothedWeights(w).k));
  return { samples, ess: essSum!.map((v) => v / n), psisK, psisThreshold: pool > 1 ? paretoKThreshold(pool) : Number.NaN, psisSamples: pool };
}
