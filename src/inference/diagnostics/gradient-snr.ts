/**
 * The signal-to-noise ratio of a gradient estimator (Rainforth et al. 2018,
 * "Tighter variational bounds are not necessarily better", eq. 8; seed 002
 * eqs. 8-10): for each parameter coordinate j,
 *
 *   SNR_j = |E[Δ_j]| / σ[Δ_j],
 *
 * over independent draws Δ of the estimator on one fixed minibatch (only the
 * noise ε changes between draws), summarized per parameter group. Rainforth
 * et al. show SNR_θ of IWAE-K grows like √K while SNR_φ falls like 1/√K;
 * DReG's SNR_φ does not fall (Tucker et al. 2019).
 *
 * The mean and standard deviation are accumulated in float64 with Welford's
 * update (one draw in memory at a time), σ with the n − 1 denominator. A
 * coordinate whose draws are all identical (σ = 0, e.g. a parameter the
 * estimator never moves) is left out of the summaries and counted apart.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CompiledModel } from '../../backend/compile/compiled-model.js';
import { estimatorGradients } from '../estimator-gradients.js';
import type { Betas, Objective } from '../objectives/objective.js';
import { UserError } from '../../util/user-error.js';

/** SNR over the coordinates of one parameter group. */
export interface GroupSnr {
  /** Mean of SNR_j over the group's coordinates. */
  readonly mean: number;
  /** Median of SNR_j (robust to a few coordinates whose true gradient is near zero or large). */
  readonly median: number;
  /** Coordinates summarized. */
  readonly coordinates: number;
  /** Coordinates left out because every draw gave the same value (σ = 0). */
  readonly constant: number;
}

export interface GradientSnr {
  readonly model: GroupSnr;
  readonly guide: GroupSnr;
  /** Draws of the estimator. */
  readonly reps: number;
}

export interface GradientSnrOptions {
  readonly guide: string;
  /** Independent draws (at least 2). */
  readonly reps: number;
  /** Seed of the first draw's noise; draw r uses `seed + r`. */
  readonly seed: number;
  readonly betas?: Betas;
  /** Called after each draw. */
  readonly onDraw?: (done: number, total: number) => void | Promise<void>;
}

/** Running per-coordinate mean and sum of squared deviations (Welford). */
class Moments {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  add(values: ArrayLike<number>): void {
    this.n++;
    for (let j = 0; j < values.length; j++) {
      const delta = values[j]! - this.mean[j]!;
      this.mean[j]! += delta / this.n;
      this.m2[j]! += delta * (values[j]! - this.mean[j]!);
    }
  }

  /** SNR_j per coordinate; NaN where σ = 0. */
  snr(): Float64Array {
    return this.mean.map((m, j) => {
      const sd = Math.sqrt(this.m2[j]! / (this.n - 1));
      return sd > 0 ? Math.abs(m) / sd : Number.NaN;
    });
  }
}

function summarize(snr: readonly Float64Array[]): GroupSnr {
  const all = snr.flatMap((a) => Array.from(a));
  const finite = all.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? finite[(n - 1) / 2]! : (finite[n / 2 - 1]! + finite[n / 2]!) / 2;
  return { mean: n === 0 ? Number.NaN : finite.reduce((s, v) => s + v, 0) / n, median, coordinates: n, constant: all.length - n };
}

/**
 * Measures the estimator's SNR per parameter group on `batch`.
 * @param batch observed variables, `[batch, d]` each (the minibatch held fixed)
 * @throws UserError when `reps` < 2
 */
export async function gradientSnr(model: CompiledModel, objective: Objective, batch: Readonly<Record<string, Tensor>>, options: GradientSnrOptions): Promise<GradientSnr> {
  if (!Number.isInteger(options.reps) || options.reps < 2) throw new UserError(`gradientSnr: reps must be an integer of at least 2 (a standard deviation needs two draws), but got ${String(options.reps)}`);
  objective.validate(model.ir, options.guide);
  const owner = new Map(model.ir.parameters.map((p) => [p.name, p.owner.kind]));
  const moments = new Map<string, Moments>();
  for (let r = 0; r < options.reps; r++) {
    const grads = estimatorGradients(model, objective, batch, { guide: options.guide, seed: options.seed + r, ...(options.betas ? { betas: options.betas } : {}) });
    try {
      for (const [name, g] of grads) {
        const values = await g.data();
        let m = moments.get(name);
        if (m === undefined) moments.set(name, (m = new Moments(values.length)));
        m.add(values);
      }
    } finally {
      tf.dispose([...grads.values()]);
    }
    await options.onDraw?.(r + 1, options.reps);
  }
  const group = (kind: 'model' | 'guide') => summarize([...moments].filter(([name]) => owner.get(name) === kind).map(([, m]) => m.snr()));
  return { model: group('model'), guide: group('guide'), reps: options.reps };
}

/**
 * The least-squares slope of log SNR against log K: the exponent a in SNR ∝ K^a.
 * @param points `[K, SNR]` pairs with K > 0 and SNR > 0 (others are ignored)
 */
export function logLogSlope(points: readonly (readonly [number, number])[]): number {
  const usable = points.filter(([k, s]) => k > 0 && s > 0 && Number.isFinite(s)).map(([k, s]) => [Math.log(k), Math.log(s)] as const);
  if (usable.length < 2) return Number.NaN;
  const mx = usable.reduce((t, [x]) => t + x, 0) / usable.length;
  const my = usable.reduce((t, [, y]) => t + y, 0) / usable.length;
  const sxy = usable.reduce((t, [x, y]) => t + (x - mx) * (y - my), 0);
  const sxx = usable.reduce((t, [x]) => t + (x - mx) ** 2, 0);
  return sxy / sxx;
}
