/**
 * Per-data-point averages of the terms of the log-weights (seed 000, Figs.
 * 5.4-5.5): the reconstruction log p(x | ·) and, per latent,
 * log p(z_l | ·) − log q(z_l | ·), each averaged over k guide samples.
 */
import * as tf from '@tensorflow/tfjs';
import type { StrataModel } from './strata-model.js';
import { toDataTensors, type DataInput } from './data-input.js';

export interface TermAverages {
  /** log p(x | ·) per observed variable, `[batch]`. */
  readonly observed: Record<string, Float32Array>;
  /** log p(z_l | ·) − log q(z_l | ·) per latent, `[batch]`. */
  readonly latents: Record<string, Float32Array>;
}

/** Averages each term over k samples, for every row of `data`. */
export async function termAverages(model: StrataModel, data: DataInput, options: { k: number; seed?: number }): Promise<TermAverages> {
  const tensors = toDataTensors(model.ir, data);
  try {
    const out = tf.tidy(() => {
      const trace = model.compiled.trace(tensors, { k: options.k, guide: model.guide, ...(options.seed === undefined ? {} : { seed: options.seed }) });
      return {
        observed: [...trace.observed].map(([name, t]) => [name, tf.mean(t, 0)] as const),
        latents: trace.latents.map((l) => [l.name, tf.mean(tf.sub(l.logP, l.logQ), 0)] as const),
      };
    });
    const read = async (pairs: readonly (readonly [string, tf.Tensor])[]) =>
      Object.fromEntries(await Promise.all(pairs.map(async ([name, t]) => [name, (await t.data()) as Float32Array] as const)));
    const result = { observed: await read(out.observed), latents: await read(out.latents) };
    tf.dispose([...out.observed.map((p) => p[1]), ...out.latents.map((p) => p[1])]);
    return result;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
