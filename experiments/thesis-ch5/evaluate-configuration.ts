/**
 * Evaluates a trained configuration with the report's analyses
 * (src/report/analyze-run.ts, the thesis's sec. 5.2-5.4.1) and keeps the
 * numbers chapter 5 reports: the test bound, active units, the localization
 * of z1's projective fields, the SIR z1 posterior correlations and texture
 * decoding from z2 and z1. The fields are also written as a PNG.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeRun, summarizeRun, type ProgressListener } from '../../src/report/analyze-run.js';
import { fieldOf } from '../../src/report/analyses/projective-fields.js';
import type { DecodingScore } from '../../src/report/analyses/texture-decoding.js';
import { imageGrid } from '../../src/report/plots/image-grid.js';
import { ReportData } from '../../src/report/report-data.js';
import { REPORT_DEFAULTS, type ReportOptions } from '../../src/report/report-options.js';
import type { RunResults } from '../../src/report/run-results.js';
import { meanStd, type MeanStd } from '../../src/report/stats/moments.js';
import type { Budget } from './budgets.js';

/** Five-number summary of a sample. */
export interface Quantiles {
  readonly min: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly max: number;
  readonly mean: number;
  readonly n: number;
}

/** An accuracy over repeated fits, with the number of features. */
export interface Accuracy {
  readonly mean: number;
  readonly std: number;
  readonly features: number;
}

export interface Evaluation {
  /** Mean IWAE-k bound per patch (nats) on the natural and texture test patches, with its standard error. */
  readonly testBound: Record<string, { readonly k: number; readonly mean: number; readonly se: number; readonly n: number }>;
  /** Per latent: units whose posterior location varies, Var_x(E_q[z_j | x]) > threshold; the mean posterior scale of the active ones. */
  readonly activeUnits: Record<string, { readonly active: number; readonly units: number; readonly threshold: number; readonly meanScaleActive: number }>;
  /** z1's projective fields (traversal ±c), classed by energy concentration in a window (src/report/stats/localization.ts). */
  readonly projectiveFields?: {
    readonly latent: string;
    readonly measure: string;
    readonly window: number;
    readonly threshold: number;
    readonly concentration: Quantiles;
    readonly active: number;
    readonly localized: number;
    readonly nonLocalized: number;
    /** localized / active. */
    readonly fractionLocalized: number;
    readonly png: string;
  };
  /** SIR draws from q_EW with the run's k on the highest-contrast test patches. */
  readonly correlations?: { readonly latent: string; readonly k: number; readonly n: number; readonly patches: number; readonly units: number; readonly top5: MeanStd; readonly top10: MeanStd; readonly strongest: MeanStd; readonly meanAbs: MeanStd; readonly ess: MeanStd };
  /** 5-class logistic regression from posterior locations, texture-train to texture-test. */
  readonly textureDecoding?: {
    readonly classes: readonly string[];
    readonly chance: number;
    readonly trainRows: number;
    readonly testRows: number;
    readonly repeats: number;
    readonly latents: Record<string, Accuracy>;
    readonly selective?: { readonly latent: string; readonly dims: readonly number[]; readonly accuracy?: Accuracy; readonly nonSelective?: Accuracy };
    readonly subsets: Record<string, Accuracy>;
  };
  readonly skipped: Record<string, string>;
  readonly evalSeconds: number;
}

/** The report's options at a budget's analysis sizes. */
export function reportOptions(budget: Budget, dir: string, dataDir: string, backend: string | undefined): ReportOptions {
  const a = budget.analysis;
  return {
    ...REPORT_DEFAULTS, runs: [dir], out: dir, dataDir, count: a.count, textureTrain: a.textureTrain, evalK: a.evalK, sirN: a.sirN, patches: a.patches, repeats: a.repeats,
    seed: budget.seed, ...(backend === undefined ? {} : { backend }),
  };
}

/** min, quartiles, median, max and mean (nearest-rank quantiles). */
export function quantiles(values: readonly number[]): Quantiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!);
  return { min: at(0), q25: at(0.25), median: at(0.5), q75: at(0.75), max: at(1), mean: meanStd(s).mean, n: s.length };
}

const accuracyOf = (s: DecodingScore | undefined): Accuracy | undefined => (s ? { mean: s.accuracy.mean, std: s.accuracy.std, features: s.features } : undefined);

function summarizeFields(r: RunResults, pngName: string): Evaluation['projectiveFields'] {
  const f = r.fields;
  if (!f) return undefined;
  return {
    latent: f.latent, measure: `largest share of a field's energy Σ f² inside one ${f.window}x${f.window} window; localized when ≥ ${f.threshold}`,
    window: f.window, threshold: f.threshold, concentration: quantiles(f.concentration), active: f.order.length, localized: f.localized.length, nonLocalized: f.nonLocalized.length,
    fractionLocalized: f.order.length === 0 ? NaN : f.localized.length / f.order.length, png: pngName,
  };
}

function summarizeDecoding(r: RunResults, repeats: number): Evaluation['textureDecoding'] {
  const d = r.decoding;
  if (!d) return undefined;
  const latents = Object.fromEntries(Object.entries(d.latents).map(([name, s]) => [name, accuracyOf(s)!]));
  const subsets = Object.fromEntries(Object.entries(d.subsets).map(([name, s]) => [name, accuracyOf(s)!]));
  const sel = d.selection;
  const selective = sel ? { latent: sel.latent, dims: sel.selective, ...(sel.selectiveScore ? { accuracy: accuracyOf(sel.selectiveScore)! } : {}), ...(sel.nonSelectiveScore ? { nonSelective: accuracyOf(sel.nonSelectiveScore)! } : {}) } : undefined;
  return { classes: d.classes, chance: d.chance, trainRows: d.trainRows, testRows: d.testRows, repeats, latents, ...(selective ? { selective } : {}), subsets };
}

/**
 * Runs the analyses on the run in `dir` and summarizes them; writes
 * `projective-fields.png` there (the most active fields first).
 */
export async function evaluateConfiguration(dir: string, name: string, budget: Budget, dataDir: string, backend: string | undefined, onProgress: ProgressListener = () => {}): Promise<Evaluation> {
  const began = performance.now();
  const options = reportOptions(budget, dir, dataDir, backend);
  const r = await analyzeRun(await summarizeRun(dir, name), new ReportData(options), options, onProgress);
  const pngName = 'projective-fields.png';
  if (r.fields && r.fields.order.length > 0) {
    const shown = r.fields.order.slice(0, 100);
    const localized = new Set(r.fields.localized);
    await writeFile(join(dir, pngName), imageGrid({ images: shown.map((j) => fieldOf(r.fields!, j)), height: r.fields.height, width: r.fields.width, columns: 10, scale: 3, symmetric: true, labels: shown.map((j) => `${j}${localized.has(j) ? '' : '*'}`) }));
  }
  const bounds = Object.fromEntries(Object.entries(r.bounds).map(([set, b]) => [set, { k: b.k, mean: b.bound.mean, se: b.bound.se, n: b.bound.n }]));
  const activeUnits = Object.fromEntries(r.activity.map((a) => [a.latent, { active: a.active.length, units: a.d, threshold: a.threshold, meanScaleActive: a.scaleMean ? meanStd(a.active.map((j) => a.scaleMean![j]!)).mean : NaN }]));
  const c = r.correlations;
  const correlations = c ? {
    latent: c.latent, k: c.k, n: c.n, patches: c.patches.length, units: c.units.length, top5: c.top5, top10: c.top10, strongest: c.rank[0] ?? meanStd([]),
    meanAbs: meanStd(c.patches.map((p) => p.meanAbs)), ess: meanStd(c.patches.map((p) => p.ess)),
  } : undefined;
  const fields = summarizeFields(r, pngName);
  const decoding = summarizeDecoding(r, budget.analysis.repeats);
  return {
    testBound: bounds, activeUnits, ...(fields ? { projectiveFields: fields } : {}), ...(correlations ? { correlations } : {}), ...(decoding ? { textureDecoding: decoding } : {}),
    skipped: Object.fromEntries(Object.entries(r.skipped).filter((e): e is [string, string] => e[1] !== undefined)), evalSeconds: (performance.now() - began) / 1000,
  };
}
