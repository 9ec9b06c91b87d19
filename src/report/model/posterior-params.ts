/**
 * The guide's posterior parameters per data point: for each latent, the
 * location and scale of q(z_l | ·) on the first guide sample (a top-down
 * guide's q(z1 | x, z2) depends on the sampled z2; its first draw stands for
 * it, as in seed 000 sec. 5.3-5.4).
 */
import * as tf from '@tensorflow/tfjs';
import { toDataTensors } from '../../driver/data-input.js';
import type { StrataModel } from '../../driver/strata-model.js';
import type { Matrix } from '../../data/matrix.js';

/** One latent's parameters for n data points, each `[n, d]` row-major. */
export interface LatentPosterior {
  readonly name: string;
  readonly n: number;
  readonly d: number;
  /** The location (the mean for Normal and Laplace guides). */
  readonly loc: Float32Array;
  /** The scale; absent for a family without one. */
  readonly scale?: Float32Array;
}

/** Posterior parameters of every latent, in the model's order (top of the hierarchy first). */
export type PosteriorParams = readonly LatentPosterior[];

export interface PosteriorParamsOptions {
  /** Rows per trace (default 250). */
  readonly batchSize?: number;
  /** Seed of the guide's noise (default 0). */
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Runs the guide once (k = 1) on every row of `rows` and keeps its parameters.
 *
 * @returns per latent, `loc` and `scale` `[rows.rows, d]`
 * @example const [z2, z1] = await posteriorParams(model, dataset.test); // z2.loc[i * z2.d + j]
 */
export async function posteriorParams(model: StrataModel, rows: Matrix, options: PosteriorParamsOptions = {}): Promise<PosteriorParams> {
  const batch = options.batchSize ?? 250;
  const latents = model.ir.latents.map((l) => ({ name: l.name, d: l.shape[0] ?? 1 }));
  const loc = latents.map((l) => new Float32Array(rows.rows * l.d));
  const scale = latents.map((l) => new Float32Array(rows.rows * l.d));
  const hasScale = latents.map(() => true);
  for (let start = 0; start < rows.rows; start += batch) {
    const end = Math.min(rows.rows, start + batch);
    const data = toDataTensors(model.ir, { values: rows.values.subarray(start * rows.cols, end * rows.cols), shape: [end - start, rows.cols] });
    const out = tf.tidy(() => {
      const trace = model.compiled.trace(data, { k: 1, guide: model.guide, seed: (options.seed ?? 0) + start });
      return latents.map((l) => {
        const params = trace.guideParams.get(l.name) ?? {};
        const first = (t: tf.Tensor | undefined) => (t ? tf.reshape(tf.slice(t, [0, 0, 0], [1, end - start, l.d]), [end - start, l.d]) : undefined);
        return { loc: first(params['loc'] ?? params['logits']), scale: first(params['scale']) };
      });
    });
    tf.dispose(Object.values(data));
    for (const [i, l] of latents.entries()) {
      const { loc: locT, scale: scaleT } = out[i]!;
      if (locT) loc[i]!.set((await locT.data()) as Float32Array, start * l.d);
      if (scaleT) scale[i]!.set((await scaleT.data()) as Float32Array, start * l.d);
      else hasScale[i] = false;
      tf.dispose([locT, scaleT].filter((t): t is tf.Tensor => t !== undefined));
    }
    options.onProgress?.(end, rows.rows);
  }
  return latents.map((l, i) => ({ name: l.name, n: rows.rows, d: l.d, loc: loc[i]!, ...(hasScale[i] ? { scale: scale[i]! } : {}) }));
}
