/**
 * The resampling step of SIR: for each row of log-weights, one index drawn
 * with probability w_i / Σ_j w_j, by the inverse CDF of the normalized
 * weights at one uniform per row from Strata's own seeded stream.
 *
 * Why not `tf.multinomial`: tfjs-backend-cpu 4.22's Multinomial kernel (used
 * by the cpu and native backends) re-seeds its generator inside the per-row
 * loop, so every row of one call gets the same uniform and all draws of a
 * chunk are perfectly dependent. Here every row has its own uniform, the
 * arithmetic is float64, and the result is the same on every backend for the
 * same log-weights.
 *
 *   w̃_i = exp(log w_i − max_j log w_j),  u ~ U[0, 1),
 *   index = min { i : Σ_{j ≤ i} w̃_j > u · Σ_j w̃_j }
 *
 * (the smallest index whose cumulative weight passes u times the total; a
 * particle of zero weight is never chosen).
 */
import type { SeededRandom } from '../backend/random.js';
import { UserError } from '../util/user-error.js';

/**
 * Draws one index per row.
 *
 * @param logWeights `rows × k` log-weights, row-major (float32 or float64)
 * @param k particles per row
 * @param rng the stream the uniforms come from, one per row, in row order
 * @returns `rows` indices in [0, k)
 * @throws UserError naming the row when a row has a NaN or +∞ log-weight or no particle of positive weight
 */
export function resampleIndices(logWeights: ArrayLike<number>, k: number, rng: SeededRandom): Int32Array {
  if (!Number.isInteger(k) || k < 1 || logWeights.length % k !== 0) {
    throw new RangeError(`resampleIndices: ${logWeights.length} log-weights do not make rows of k = ${k}`);
  }
  const rows = logWeights.length / k;
  const out = new Int32Array(rows);
  const weights = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      const lw = logWeights[base + i]!;
      if (Number.isNaN(lw) || lw === Infinity) {
        throw new UserError(`sample: the importance log-weight of particle ${i} of row ${r} is ${lw}; the model or guide gives a non-finite density there`);
      }
      if (lw > max) max = lw;
    }
    if (max === -Infinity) throw new UserError(`sample: every importance weight of row ${r} is zero (log w = -Infinity): the guide puts no mass where the model does`);
    let total = 0;
    for (let i = 0; i < k; i++) {
      weights[i] = Math.exp(logWeights[base + i]! - max);
      total += weights[i]!;
    }
    const target = rng.nextFloat() * total;
    let cumulative = 0;
    let chosen = -1;
    let lastPositive = 0;
    for (let i = 0; i < k; i++) {
      if (weights[i]! === 0) continue;
      lastPositive = i;
      cumulative += weights[i]!;
      if (cumulative > target) {
        chosen = i;
        break;
      }
    }
    // Rounding can leave the cumulative sum a hair below u·total: the last particle of positive weight.
    out[r] = chosen >= 0 ? chosen : lastPositive;
  }
  return out;
}
