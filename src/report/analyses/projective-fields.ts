/**
 * Analysis 6, projective fields of the decoder's latent (seed 000, sec. 5.4,
 * Fig. 5.19, Table 5.5): by latent traversal, field_j = decode(+c·e_j) −
 * decode(−c·e_j) with every other coordinate 0 (2c·W[j] for TDVAE's linear
 * decoder). Active units (`posteriorActivity`) are sorted by activity, the
 * variance of their posterior mean, and each field is classed localized
 * (Gabor-like) or not by its energy concentration (`stats/localization.ts`).
 */
import type { StrataModel } from '../../driver/strata-model.js';
import { traversalFields } from '../model/decode-latent.js';
import { defaultWindow, energyConcentration, LOCALIZED_THRESHOLD } from '../stats/localization.js';
import type { LatentActivity } from './posterior-activity.js';

export interface ProjectiveFieldsOptions {
  /** Traversal half-width c (default 2). */
  readonly c?: number;
  /** Side of the localization window (default 35% of the image side). */
  readonly window?: number;
  /** Concentration at or above which a field is localized (default 0.5). */
  readonly threshold?: number;
}

export interface ProjectiveFields {
  readonly latent: string;
  readonly c: number;
  readonly height: number;
  readonly width: number;
  readonly window: number;
  readonly threshold: number;
  /** Every field, `[d, height * width]` row-major (field j in row j). */
  readonly fields: Float32Array;
  /** Active units, most active first. */
  readonly order: number[];
  /** Energy concentration of each unit in `order`. */
  readonly concentration: number[];
  readonly localized: number[];
  readonly nonLocalized: number[];
}

/**
 * Traverses every coordinate of the activity's latent and classifies the active ones.
 *
 * @param activity that latent's activity on the natural test set
 * @param imageShape `[height, width]` of the observed variable
 */
export async function projectiveFields(model: StrataModel, activity: LatentActivity, imageShape: readonly [number, number], options: ProjectiveFieldsOptions = {}): Promise<ProjectiveFields> {
  const [height, width] = imageShape;
  const c = options.c ?? 2;
  const window = options.window ?? defaultWindow(height, width);
  const threshold = options.threshold ?? LOCALIZED_THRESHOLD;
  const fields = await traversalFields(model, activity.latent, c);
  const size = height * width;
  if (fields.length !== activity.d * size) throw new RangeError(`projective fields: the decoder's output has ${fields.length / activity.d} values, not ${height} x ${width}`);
  const order = [...activity.active].sort((a, b) => activity.locVariance[b]! - activity.locVariance[a]! || a - b);
  const concentration = order.map((j) => energyConcentration(fields.subarray(j * size, (j + 1) * size), height, width, window));
  const localized = order.filter((_, i) => concentration[i]! >= threshold);
  const nonLocalized = order.filter((_, i) => !(concentration[i]! >= threshold));
  return { latent: activity.latent, c, height, width, window, threshold, fields, order, concentration, localized, nonLocalized };
}

/** Field j as its own array. */
export function fieldOf(p: Pick<ProjectiveFields, 'fields' | 'height' | 'width'>, j: number): Float32Array {
  const size = p.height * p.width;
  return p.fields.slice(j * size, (j + 1) * size);
}
