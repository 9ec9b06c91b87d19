/**
 * Analysis 1, training curves (seed 000, Figs. 5.2-5.3): per epoch, the loss,
 * the training bound, log p(x | ·) per observed variable and the mean
 * log p(z_l | ·) − log q(z_l | ·) per latent, and what the objective learned
 * (CIWAE's β), as metrics.jsonl recorded them.
 */
import type { EpochRecord } from '../../inference/train.js';

export interface TrainingCurves {
  readonly epochs: number[];
  readonly loss: number[];
  readonly bound: number[];
  /** Per latent: mean log p − log q per epoch. */
  readonly terms: Record<string, number[]>;
  /** Per observed variable: mean log p(x | ·) per epoch. */
  readonly observed: Record<string, number[]>;
  /** Per annealed latent: β per epoch. */
  readonly betas: Record<string, number[]>;
  /** Values the objective learned besides the parameters (ciwae's `beta` with --beta learn), per epoch. */
  readonly learned: Record<string, number[]>;
  readonly seconds: number[];
}

/** Columns of metrics.jsonl; an epoch missing a term gets NaN there (dropped from plots). */
export function trainingCurves(metrics: readonly EpochRecord[]): TrainingCurves {
  const column = (pick: (r: EpochRecord) => Record<string, number> | undefined): Record<string, number[]> => {
    const names = [...new Set(metrics.flatMap((r) => Object.keys(pick(r) ?? {})))];
    return Object.fromEntries(names.map((n) => [n, metrics.map((r) => pick(r)?.[n] ?? NaN)]));
  };
  return {
    epochs: metrics.map((r) => r.epoch),
    loss: metrics.map((r) => r.loss),
    bound: metrics.map((r) => r.bound),
    terms: column((r) => r.terms),
    observed: column((r) => r.observed),
    betas: column((r) => r.betas),
    learned: column((r) => r.learned),
    seconds: metrics.map((r) => r.seconds),
  };
}
