/**
 * The connectivity of a one-hidden-layer MADE (Germain, Gregor, Murray &
 * Larochelle 2015), the autoregressive network of an inverse autoregressive
 * flow: output i may depend only on inputs that come before it in the order.
 */

/** 0/1 masks, row-major: `input` [d, hidden] for the z → hidden weight, `output` [hidden, 2d] for hidden → [m, s]. */
export interface MadeMasks {
  readonly input: Float32Array;
  readonly output: Float32Array;
}

/**
 * Degrees: input i has degree i + 1 (reversed: d − i); hidden unit h has
 * degree lo + (h mod (hi − lo + 1)) with hi = max(lo, d − 1) and lo = 1, or
 * lo = 0 with a context: degree-0 units see the context only, so every
 * output, the first included, can depend on it. A hidden unit sees input i
 * when its degree is >= i's; output j (both halves) sees a hidden unit when
 * j's degree is > the unit's. Hence ∂[m, s]_j/∂z_i = 0 unless i comes before j,
 * the Jacobian of the layer is triangular and its determinant Π σ.
 *
 * @param d the latent's length
 * @param hidden the number of hidden units
 * @param reverse use the order d, ..., 1 instead of 1, ..., d
 * @param withContext whether a context feeds the hidden layer
 */
export function madeMasks(d: number, hidden: number, reverse: boolean, withContext: boolean): MadeMasks {
  const inputDegree = (i: number) => (reverse ? d - i : i + 1);
  const lo = withContext ? 0 : 1;
  const hi = Math.max(lo, d - 1);
  const hiddenDegree = (h: number) => lo + (h % (hi - lo + 1));
  const input = new Float32Array(d * hidden);
  const output = new Float32Array(hidden * 2 * d);
  for (let h = 0; h < hidden; h++) {
    for (let i = 0; i < d; i++) input[i * hidden + h] = hiddenDegree(h) >= inputDegree(i) ? 1 : 0;
    for (let j = 0; j < 2 * d; j++) output[h * 2 * d + j] = inputDegree(j % d) > hiddenDegree(h) ? 1 : 0;
  }
  return { input, output };
}
