/** What `strata report` computes and from which data, with the defaults and their checks. */
import { UserError } from '../util/user-error.js';

export interface ReportOptions {
  /** Run directories (from `strata train --out`). */
  readonly runs: readonly string[];
  /** Output directory: index.html, report.json, data/*.npy. */
  readonly out: string;
  /** Natural-image dataset for test bounds, activity, fields and correlations (default: each run's own). */
  readonly data?: string;
  readonly dataDir?: string;
  /** Texture dataset: `brodatz`, `brodatz1024` or a full `textures:...` name; null to leave textures out. */
  readonly textures: string | null;
  /** Test patches per dataset. */
  readonly count: number;
  /** Texture-train patches for the regressions. */
  readonly textureTrain: number;
  /** Importance samples of the test bound and term averages. */
  readonly evalK: number;
  /** SIR draws per patch for the correlations. */
  readonly sirN: number;
  /** Highest-contrast patches for the correlations. */
  readonly patches: number;
  /** Logistic-regression fits per feature set. */
  readonly repeats: number;
  /** Most dimensions forward selection adds. */
  readonly select: number;
  /** Traversal half-width c of the projective fields. */
  readonly traversal: number;
  /** Energy concentration at or above which a field is localized. */
  readonly localizedThreshold: number;
  readonly seed: number;
  readonly backend?: string;
  readonly title?: string;
}

/** Defaults: the thesis's analyses at sizes that take a few minutes for two TDVAE runs on two CPU cores. */
export const REPORT_DEFAULTS = {
  textures: 'brodatz',
  count: 1000,
  textureTrain: 2500,
  evalK: 20,
  sirN: 1000,
  patches: 5,
  repeats: 5,
  select: 5,
  traversal: 2,
  localizedThreshold: 0.5,
  seed: 0,
} as const;

/** Checks counts and seeds, naming the option (`--count`) that is wrong. */
export function validateReportOptions(o: ReportOptions): void {
  if (o.runs.length === 0) throw new UserError('report: name at least one run directory');
  const positive: [string, number][] = [['--count', o.count], ['--texture-train', o.textureTrain], ['--eval-k', o.evalK], ['--sir-n', o.sirN], ['--patches', o.patches], ['--repeats', o.repeats], ['--select', o.select]];
  for (const [name, v] of positive) if (!Number.isInteger(v) || v < 1) throw new UserError(`report: ${name} must be a positive integer, but got ${v}`);
  if (o.sirN < 2) throw new UserError(`report: --sir-n must be at least 2 to estimate a correlation, but got ${o.sirN}`);
  if (!(o.traversal > 0)) throw new UserError(`report: --traversal must be positive, but got ${o.traversal}`);
  if (!(o.localizedThreshold > 0 && o.localizedThreshold <= 1)) throw new UserError(`report: --localized must be in (0, 1], but got ${o.localizedThreshold}`);
  if (!Number.isSafeInteger(o.seed)) throw new UserError(`report: --seed must be an integer, but got ${o.seed}`);
}
