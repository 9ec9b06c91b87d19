/**
 * Log importance weights from a trace:
 *   log w = Σ_x log p(x | ...) + Σ_l β_l (log p(z_l | parents) − log q(z_l | ...)),
 * with β_l = 1 the ordinary log p(x, z) − log q(z | x). β < 1 down-weights a
 * level inside each weight, as the thesis does for z2 (seed 000, sec. 5.2).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Trace } from '../../backend/compile/trace.js';
import type { Betas } from './objective.js';

/**
 * @returns log-weights `[k, batch]`
 */
export function logWeights(trace: Trace, betas: Betas = new Map()): Tensor {
  return tf.tidy(() => {
    let total: Tensor = tf.zeros([trace.k, trace.batch]);
    for (const logP of trace.observed.values()) total = tf.add(total, logP);
    for (const term of trace.latents) {
      const beta = betas.get(term.name) ?? 1;
      const diff = tf.sub(term.logP, term.logQ);
      total = tf.add(total, beta === 1 ? diff : tf.mul(diff, beta));
    }
    if (total.shape[0] !== trace.k || total.shape[1] !== trace.batch) {
      throw new Error(`internal: log-weights have shape [${total.shape.join(', ')}], expected [${trace.k}, ${trace.batch}]`);
    }
    return total;
  });
}
