import type { GradientEstimator, ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

const ESTIMATORS: readonly GradientEstimator[] = ['reparam', 'stl'];

/** Checks the options shared by every objective and fills defaults. */
export function resolveCommonOptions(name: string, options: ObjectiveOptions, defaultK: number): { k: number; estimator: GradientEstimator } {
  const k = options.k ?? defaultK;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`${name}: k must be a positive integer, but got ${String(k)}`);
  const estimator = options.estimator ?? 'reparam';
  if (!ESTIMATORS.includes(estimator)) {
    throw new UserError(`${name}: unknown gradient estimator '${String(estimator)}'; use one of ${ESTIMATORS.join(', ')}`);
  }
  return { k, estimator };
}
