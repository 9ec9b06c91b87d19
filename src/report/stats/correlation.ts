/**
 * Pearson correlations between the coordinates of posterior samples (seed
 * 000 sec. 5.4.1: the correlation matrix of z1 over 1000 SIR samples per patch).
 */

/**
 * The `[d, d]` correlation matrix of `n` samples of a d-vector.
 * A coordinate with zero variance correlates 0 with every other (1 with itself).
 *
 * @param samples `[n, d]`, row-major
 * @returns `[d * d]` row-major, symmetric, ones on the diagonal
 * @example correlationMatrix(Float32Array.from([0, 0, 1, 1, 2, 2]), 3, 2) // [1, 1, 1, 1]
 */
export function correlationMatrix(samples: ArrayLike<number>, n: number, d: number): Float64Array {
  if (samples.length !== n * d) throw new RangeError(`correlationMatrix: ${samples.length} values do not make ${n} samples of ${d}`);
  const centred = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let s = 0; s < n; s++) for (let j = 0; j < d; j++) mean[j]! += samples[s * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const norm = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < d; j++) {
      const v = samples[s * d + j]! - mean[j]!;
      centred[s * d + j] = v;
      norm[j]! += v * v;
    }
  }
  for (let j = 0; j < d; j++) norm[j] = norm[j]! > 0 ? 1 / Math.sqrt(norm[j]!) : 0;
  for (let s = 0; s < n; s++) for (let j = 0; j < d; j++) centred[s * d + j]! *= norm[j]!;
  const corr = new Float64Array(d * d);
  for (let s = 0; s < n; s++) {
    const row = s * d;
    for (let i = 0; i < d; i++) {
      const a = centred[row + i]!;
      if (a === 0) continue;
      const out = i * d;
      for (let j = i + 1; j < d; j++) corr[out + j]! += a * centred[row + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    corr[i * d + i] = 1;
    for (let j = i + 1; j < d; j++) corr[j * d + i] = corr[i * d + j]!;
  }
  return corr;
}

/** A pair of coordinates and their correlation. */
export interface CorrelatedPair {
  readonly i: number;
  readonly j: number;
  readonly r: number;
}

/** |r| of every pair i < j, in row order. */
export function offDiagonalAbs(corr: Float64Array, d: number): Float64Array {
  const out = new Float64Array((d * (d - 1)) / 2);
  let at = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[at++] = Math.abs(corr[i * d + j]!);
  return out;
}

/**
 * The `count` pairs i < j with the largest |r|, strongest first (ties by i, then j).
 * @param only restrict to pairs of these coordinates (e.g. the active units)
 */
export function strongestPairs(corr: Float64Array, d: number, count: number, only?: readonly number[]): CorrelatedPair[] {
  const coords = only ? [...only].sort((a, b) => a - b) : Array.from({ length: d }, (_, i) => i);
  const best: CorrelatedPair[] = [];
  for (let a = 0; a < coords.length; a++) {
    const i = coords[a]!;
    for (let b = a + 1; b < coords.length; b++) {
      const j = coords[b]!;
      const r = corr[i * d + j]!;
      if (best.length === count && Math.abs(r) <= Math.abs(best[count - 1]!.r)) continue;
      best.push({ i, j, r });
      best.sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || x.i - y.i || x.j - y.j);
      if (best.length > count) best.pop();
    }
  }
  return best;
}
