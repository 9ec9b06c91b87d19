/**
 * The PSIS k̂ of each data row's importance weights under the model's guide
 * (Vehtari et al. 2024; src/inference/diagnostics/psis.ts): how heavy the
 * right tail of w = p(x, z) / q(z | x) is. k̂ above the threshold for S
 * samples (0.7 for S ≥ 2154) means the IWAE estimate of log p(x) for that row
 * is unreliable at this k: the guide misses where the posterior has mass.
 */
import { paretoKThreshold, paretoSmoothedWeights } from '../inference/diagnostics/psis.js';
import type { StrataModel } from './strata-model.js';

/** Particles traced at once (rows × k), to bound memory. */
const MAX_PARTICLES = 50_000;

export interface PsisSummary {
  /** S, the importance samples per row. */
  readonly samples: number;
  /** The k̂ threshold for S samples, min(1 − 1/log10 S, 0.7). */
  readonly threshold: number;
  /** k̂ per row (+∞ where no tail could be fitted). */
  readonly k: Float64Array;
  readonly max: number;
  /** Rows with k̂ above the threshold. */
  readonly above: number;
}

/**
 * k̂ per row of `rows` from `k` fresh guide samples each.
 * @param rows `{ values, shape: [n, d] }` of the observed variable
 */
export async function psisPerRow(model: StrataModel, rows: { values: Float32Array; shape: [number, number] }, k: number, seed: number): Promise<PsisSummary> {
  const [n, d] = rows.shape;
  const out = new Float64Array(n);
  const step = Math.max(1, Math.floor(MAX_PARTICLES / k));
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    const logW = await model.logWeights({ values: rows.values.subarray(start * d, end * d), shape: [end - start, d] }, { k, seed: seed + start });
    const values = (await logW.data()) as Float32Array; // [k, rows]
    logW.dispose();
    const column = new Float64Array(k);
    for (let r = 0; r < end - start; r++) {
      for (let i = 0; i < k; i++) column[i] = values[i * (end - start) + r]!;
      out[start + r] = paretoSmoothedWeights(column).k;
    }
  }
  const threshold = paretoKThreshold(k);
  return { samples: k, threshold, k: out, max: out.reduce((a, b) => Math.max(a, b), -Infinity), above: out.filter((v) => v > threshold).length };
}
