/**
 * Analysis 4, texture decoding (seed 000, Tables 5.1-5.4 and 5.6, Figs. 5.13
 * and 5.20): multinomial logistic regression from posterior locations to
 * texture classes, fit on texture-train and scored on texture-test. Each of
 * `repeats` fits uses its own seed for a random `trainFraction` of the training
 * rows and for the starting weights; accuracy is reported as mean ± std over
 * the fits and confusion counts are summed over them. L-BFGS stops at a
 * gradient max-norm of 1e-4 (on TDVAE's 450-d z1, accuracy moves by < 0.003
 * against 1e-5 at half the time).
 *
 * Texture-selective dimensions (Tables 5.2-5.3): greedy forward selection on
 * one latent, scored by accuracy on a validation split of texture-train (the
 * test set is not used to choose), keeping the steps that gain at least
 * `minGain`; then repeated fits on the selected and on the remaining dimensions.
 */
import { Rng } from '../../data/rng.js';
import type { LatentPosterior, PosteriorParams } from '../model/posterior-params.js';
import { featureMatrix, selectColumns, selectRows, type FeatureMatrix } from '../stats/feature-matrix.js';
import { forwardSelection, type SelectionStep } from '../stats/forward-selection.js';
import { accuracy, confusionCounts, fitLogisticRegression, predictClasses } from '../stats/logistic-regression.js';
import { meanStd, type MeanStd } from '../stats/moments.js';

export interface TextureDecodingOptions {
  readonly repeats: number;
  readonly seed: number;
  /** Share of texture-train each fit sees (default 0.8). */
  readonly trainFraction?: number;
  /** λ of the L2 penalty on the mean loss (default 1 / rows fit: scikit-learn's C = 1). */
  readonly l2?: number;
  /** Latent for forward selection (default the first, the top of the hierarchy); none when null. */
  readonly selectionLatent?: string | null;
  /** Most dimensions forward selection adds (default 5). */
  readonly maxSelected?: number;
  /** Smallest validation-accuracy gain that counts a dimension as selective (default 0.01). */
  readonly minGain?: number;
  /** Extra feature subsets to decode from (e.g. z1's localized and non-localized units). */
  readonly subsets?: readonly { readonly name: string; readonly latent: string; readonly dims: readonly number[] }[];
  readonly onProgress?: (what: string) => void;
}

/** Repeated fits on one feature set. */
export interface DecodingScore {
  readonly features: number;
  readonly accuracy: MeanStd & { readonly values: number[] };
  /** `[true][predicted]` counts summed over the fits. */
  readonly confusion: number[][];
}

export interface DimensionSelection {
  readonly latent: string;
  readonly steps: readonly SelectionStep[];
  readonly selective: readonly number[];
  readonly selectiveScore?: DecodingScore;
  readonly nonSelectiveScore?: DecodingScore;
}

export interface TextureDecoding {
  readonly classes: readonly string[];
  readonly chance: number;
  readonly trainRows: number;
  readonly testRows: number;
  /** Per latent, from all its dimensions. */
  readonly latents: Record<string, DecodingScore>;
  readonly selection?: DimensionSelection;
  readonly subsets: Record<string, DecodingScore & { readonly latent: string; readonly dims: readonly number[] }>;
}

interface Split {
  readonly x: FeatureMatrix;
  readonly y: Int32Array;
}

function fitAndScore(train: Split, test: Split, classes: number, l2: number | undefined, initSeed?: number): { predicted: Int32Array; accuracy: number } {
  const model = fitLogisticRegression(train.x, train.y, { classes, l2: l2 ?? 1 / train.x.rows, maxIterations: 500, tolerance: 1e-4, ...(initSeed === undefined ? {} : { initSeed }) });
  const predicted = predictClasses(model, test.x);
  return { predicted, accuracy: accuracy(predicted, test.y) };
}

function rowsOfSplit(s: Split, rows: ArrayLike<number>): Split {
  return { x: selectRows(s.x, rows), y: Int32Array.from(rows, (i) => s.y[i]!) };
}

/** `repeats` fits, each on its own random `fraction` of `train`, scored on `test`. */
function repeatedScore(train: Split, test: Split, classes: number, options: TextureDecodingOptions): DecodingScore {
  const values: number[] = [];
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const keep = Math.max(classes, Math.round((options.trainFraction ?? 0.8) * train.x.rows));
  for (let r = 0; r < options.repeats; r++) {
    const rng = new Rng(options.seed + r, 21);
    const rows = rng.permutation(train.x.rows).subarray(0, Math.min(keep, train.x.rows));
    const fit = fitAndScore(rowsOfSplit(train, rows), test, classes, options.l2, options.seed + r);
    values.push(fit.accuracy);
    confusionCounts(fit.predicted, test.y, classes).forEach((row, i) => row.forEach((v, j) => (confusion[i]![j]! += v)));
  }
  return { features: train.x.cols, accuracy: { ...meanStd(values), values }, confusion };
}

const matrixOf = (p: LatentPosterior): FeatureMatrix => featureMatrix(p.loc, p.n, p.d);

/**
 * Decodes texture classes from each latent's posterior locations.
 *
 * @param train posterior parameters on texture-train, `labels.train` its classes
 * @param test the same on texture-test
 * @example textureDecoding(trainParams, testParams, { train, test }, classes, { repeats: 5, seed: 0 })
 */
export function textureDecoding(
  train: PosteriorParams,
  test: PosteriorParams,
  labels: { readonly train: Int32Array; readonly test: Int32Array },
  classes: readonly string[],
  options: TextureDecodingOptions,
): TextureDecoding {
  const C = classes.length;
  const split = (p: LatentPosterior, y: Int32Array): Split => ({ x: matrixOf(p), y });
  const latents: Record<string, DecodingScore> = {};
  for (const [i, p] of train.entries()) {
    options.onProgress?.(`logistic regression from ${p.name} (${p.d} dims)`);
    latents[p.name] = repeatedScore(split(p, labels.train), split(test[i]!, labels.test), C, options);
  }
  const pick = (name: string) => {
    const i = train.findIndex((p) => p.name === name);
    return i < 0 ? undefined : { train: split(train[i]!, labels.train), test: split(test[i]!, labels.test) };
  };
  const subsets: TextureDecoding['subsets'] = {};
  for (const s of options.subsets ?? []) {
    const sets = pick(s.latent);
    // An empty subset has nothing to fit; one with every dimension repeats the latent's own score.
    if (!sets || s.dims.length === 0 || s.dims.length === sets.train.x.cols) continue;
    options.onProgress?.(`logistic regression from ${s.name}`);
    const cols = (x: Split): Split => ({ x: selectColumns(x.x, s.dims), y: x.y });
    subsets[s.name] = { ...repeatedScore(cols(sets.train), cols(sets.test), C, options), latent: s.latent, dims: [...s.dims] };
  }
  const selectionLatent = options.selectionLatent === undefined ? train[0]?.name : options.selectionLatent;
  const sets = selectionLatent === null || selectionLatent === undefined ? undefined : pick(selectionLatent);
  const selection = sets ? selectDimensions(selectionLatent!, sets.train, sets.test, C, options) : undefined;
  return { classes, chance: 1 / C, trainRows: labels.train.length, testRows: labels.test.length, latents, ...(selection ? { selection } : {}), subsets };
}

function selectDimensions(latent: string, train: Split, test: Split, classes: number, options: TextureDecodingOptions): DimensionSelection {
  options.onProgress?.(`forward selection of ${latent} dimensions`);
  const order = new Rng(options.seed, 22).permutation(train.x.rows);
  const validationRows = Math.max(classes, Math.round(0.2 * train.x.rows));
  const validation = rowsOfSplit(train, order.subarray(0, validationRows));
  const fit = rowsOfSplit(train, order.subarray(validationRows));
  const dims = Array.from({ length: train.x.cols }, (_, j) => j);
  const columns = (s: Split, cols: readonly number[]): Split => ({ x: selectColumns(s.x, cols), y: s.y });
  const path = forwardSelection(dims, (chosen) => fitAndScore(columns(fit, chosen), columns(validation, chosen), classes, options.l2).accuracy, {
    maxFeatures: Math.min(options.maxSelected ?? 5, dims.length),
    minGain: options.minGain ?? 0.01,
    baseline: 1 / classes,
  });
  const rest = dims.filter((j) => !path.chosen.includes(j));
  const scoreOn = (cols: readonly number[]) => (cols.length === 0 ? undefined : repeatedScore(columns(train, cols), columns(test, cols), classes, options));
  const selectiveScore = scoreOn(path.chosen);
  const nonSelectiveScore = scoreOn(rest);
  return { latent, steps: path.steps, selective: path.chosen, ...(selectiveScore ? { selectiveScore } : {}), ...(nonSelectiveScore ? { nonSelectiveScore } : {}) };
}
