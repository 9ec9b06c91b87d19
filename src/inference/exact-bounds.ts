/**
 * The ELBO and the IWAE-K bound in closed form for a model whose latents can
 * be enumerated (enumerate.ts): expectations over q become finite sums, so
 * their values and gradients are exact, the truth that Monte Carlo
 * estimators (REINFORCE, VIMCO) are tested against.
 *
 *   ELBO    = Σ_s q(z_s) (log p(x, z_s) − log q(z_s))
 *   IWAE_K  = Σ_{s_1..s_K} Π_i q(z_{s_i}) · log (1/K) Σ_i w_{s_i},   w_s = p(x, z_s) / q(z_s)
 *
 * (the second over all S^K tuples of states, so only for small S and K).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import { withoutGradient } from '../backend/ops/without-gradient.js';
import { UserError } from '../util/user-error.js';

/** q-weighted sum over axis 0 that treats q = 0 terms as 0 (their values may be −∞). */
function expectation(logQ: Tensor, values: Tensor): Tensor {
  return tf.tidy(() => {
    const q = tf.exp(logQ);
    const positive = withoutGradient((t) => tf.greater(t, 0), q); // greater has no gradient in tfjs
    const safe = tf.where(positive, values, tf.zerosLike(values));
    return tf.sum(tf.mul(q, safe), 0);
  });
}

/**
 * @param logJoint log p(x, z_s), `[S, batch]`
 * @param logQ log q(z_s | x), `[S, batch]`
 * @returns the exact ELBO, `[batch]`
 */
export function exactElbo(logJoint: Tensor, logQ: Tensor): Tensor {
  return tf.tidy(() => expectation(logQ, tf.sub(logJoint, logQ)));
}

/**
 * @param logJoint log p(x, z_s), `[S, batch]`
 * @param logQ log q(z_s | x), `[S, batch]`
 * @param k the number of importance samples K
 * @param maxTuples largest S^K to sum over (default 2^18)
 * @returns the exact IWAE-K bound E[log (1/K) Σ_i w_i], `[batch]`
 */
export function exactIwaeBound(logJoint: Tensor, logQ: Tensor, k: number, maxTuples = 2 ** 18): Tensor {
  const S = logJoint.shape[0]!;
  const tuples = S ** k;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`exactIwaeBound: k must be a positive integer, but got ${k}`);
  if (tuples > maxTuples) throw new UserError(`exactIwaeBound: ${S} states and k = ${k} make ${tuples} tuples, more than ${maxTuples}`);
  // Tuple t's i-th state is digit i of t in base S.
  const index = new Int32Array(tuples * k);
  for (let t = 0; t < tuples; t++) for (let i = 0, r = t; i < k; i++, r = Math.floor(r / S)) index[t * k + i] = r % S;
  return tf.tidy(() => {
    const flat = tf.tensor1d(index, 'int32');
    const batch = logJoint.shape[1]!;
    const logW = tf.reshape(tf.gather(tf.sub(logJoint, logQ), flat), [tuples, k, batch]);
    const logQTuple = tf.sum(tf.reshape(tf.gather(logQ, flat), [tuples, k, batch]), 1);
    const bound = tf.sub(tf.logSumExp(logW, 1), Math.log(k));
    return expectation(logQTuple, bound);
  });
}
