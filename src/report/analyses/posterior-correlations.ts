/**
 * Analysis 7, posterior correlations of the decoder's latent (seed 000, sec.
 * 5.4.1, Figs. 5.23-5.30, Tables 5.7-5.8): on the natural test patches of
 * highest contrast (pixel standard deviation), n SIR draws from q_EW with the
 * run's own k (`strata sample`), the correlation matrix of z1 over the draws,
 * and the strongest absolute correlations between distinct units. Statistics
 * are over the active units (inactive ones carry no filter); the example
 * matrix covers every unit.
 */
import type { Matrix } from '../../data/matrix.js';
import type { StrataModel } from '../../driver/strata-model.js';
import { correlationMatrix, offDiagonalAbs, strongestPairs, type CorrelatedPair } from '../stats/correlation.js';
import { meanStd, type MeanStd } from '../stats/moments.js';

export interface CorrelationOptions {
  /** Importance samples per SIR draw (the run's k). */
  readonly k: number;
  /** SIR draws per patch (1000 in the thesis). */
  readonly n: number;
  /** How many highest-contrast patches. */
  readonly patches: number;
  /** Units the statistics cover (default all). */
  readonly units?: readonly number[];
  /** Strongest pairs kept per patch (default 10). */
  readonly top?: number;
  /** Most |r| values kept for the histogram, pooled over patches (default 20,000). */
  readonly histogramValues?: number;
  readonly seed: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PatchCorrelations {
  /** Row of the natural test set. */
  readonly row: number;
  readonly contrast: number;
  /** The patch itself, `[X]`. */
  readonly image: Float32Array;
  readonly ess: number;
  /** PSIS k̂ of the patch's pooled SIR weights (above `psisThreshold`: the guide misses posterior mass). */
  readonly psisK: number;
  readonly psisThreshold: number;
  /** Strongest first. */
  readonly top: CorrelatedPair[];
  readonly top5Mean: number;
  readonly top10Mean: number;
  readonly meanAbs: number;
}

export interface PosteriorCorrelations {
  readonly latent: string;
  readonly k: number;
  readonly n: number;
  readonly d: number;
  readonly units: readonly number[];
  readonly patches: PatchCorrelations[];
  /** Over patches: mean and std of the r-th strongest |correlation|, r = 1 ... top. */
  readonly rank: MeanStd[];
  /** Over patches: mean and std of the mean of the 5 / 10 strongest |correlations|. */
  readonly top5: MeanStd;
  readonly top10: MeanStd;
  /** The first (highest-contrast) patch: its full `[d, d]` matrix and the draws of its strongest pair. */
  readonly example: { readonly row: number; readonly matrix: Float64Array; readonly pair?: { readonly i: number; readonly j: number; readonly x: Float32Array; readonly y: Float32Array } };
  /** |r| of unit pairs pooled over patches (evenly thinned to at most `histogramValues`). */
  readonly absValues: Float64Array;
}

/** Rows of `m` by descending pixel standard deviation. */
export function highestContrast(m: Matrix, count: number): { row: number; contrast: number }[] {
  const out: { row: number; contrast: number }[] = [];
  for (let i = 0; i < m.rows; i++) {
    let sum = 0;
    let sq = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = m.values[i * m.cols + j]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / m.cols;
    out.push({ row: i, contrast: Math.sqrt(Math.max(0, sq / m.cols - mean * mean)) });
  }
  return out.sort((a, b) => b.contrast - a.contrast || a.row - b.row).slice(0, count);
}

function restrict(corr: Float64Array, d: number, units: readonly number[]): Float64Array {
  const u = units.length;
  const out = new Float64Array(u * u);
  for (let a = 0; a < u; a++) for (let b = 0; b < u; b++) out[a * u + b] = corr[units[a]! * d + units[b]!]!;
  return out;
}

/**
 * SIR draws and correlation statistics per high-contrast patch.
 *
 * @param test natural test patches `[rows, X]`
 * @param latent the latent to correlate (z1)
 */
export async function posteriorCorrelations(model: StrataModel, test: Matrix, latent: string, options: CorrelationOptions): Promise<PosteriorCorrelations> {
  const d = model.ir.latents.find((l) => l.name === latent)?.shape[0] ?? 1;
  const units = options.units && options.units.length >= 2 ? [...options.units].sort((a, b) => a - b) : Array.from({ length: d }, (_, j) => j);
  const top = options.top ?? 10;
  const chosen = highestContrast(test, options.patches);
  const patches: PatchCorrelations[] = [];
  const pooled: Float64Array[] = [];
  let example: PosteriorCorrelations['example'] | undefined;
  for (const [p, { row, contrast }] of chosen.entries()) {
    const rows = { values: test.values.slice(row * test.cols, (row + 1) * test.cols), shape: [1, test.cols] as [number, number] };
    const sir = await model.sample(rows, { k: options.k, n: options.n, latents: [latent], seed: options.seed + p });
    const draws = sir.samples[latent]!.values; // [1, n, d]
    const full = correlationMatrix(draws, options.n, d);
    const corr = restrict(full, d, units);
    const strongest = strongestPairs(corr, units.length, top).map(({ i, j, r }) => ({ i: units[i]!, j: units[j]!, r }));
    const abs = offDiagonalAbs(corr, units.length);
    pooled.push(abs);
    const mean = (xs: CorrelatedPair[]) => meanStd(xs.map((x) => Math.abs(x.r))).mean;
    patches.push({ row, contrast, image: rows.values, ess: sir.ess[0]!, psisK: sir.psisK[0]!, psisThreshold: sir.psisThreshold, top: strongest, top5Mean: mean(strongest.slice(0, 5)), top10Mean: mean(strongest.slice(0, 10)), meanAbs: meanStd(abs).mean });
    if (p === 0) {
      const best = strongest[0];
      const column = (j: number) => Float32Array.from({ length: options.n }, (_, s) => draws[s * d + j]!);
      example = { row, matrix: full, ...(best ? { pair: { i: best.i, j: best.j, x: column(best.i), y: column(best.j) } } : {}) };
    }
    options.onProgress?.(p + 1, chosen.length);
  }
  const rank = Array.from({ length: top }, (_, r) => meanStd(patches.flatMap((p) => (p.top[r] ? [Math.abs(p.top[r].r)] : []))));
  return {
    latent,
    k: options.k,
    n: options.n,
    d,
    units,
    patches,
    rank,
    top5: meanStd(patches.map((p) => p.top5Mean)),
    top10: meanStd(patches.map((p) => p.top10Mean)),
    example: example ?? { row: -1, matrix: new Float64Array(0) },
    absValues: thin(pooled, options.histogramValues ?? 20000),
  };
}

/** Concatenates and keeps every ⌈total / max⌉-th value. */
function thin(parts: readonly Float64Array[], max: number): Float64Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const step = Math.max(1, Math.ceil(total / max));
  const out: number[] = [];
  let at = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++, at++) if (at % step === 0) out.push(part[i]!);
  }
  return Float64Array.from(out);
}
