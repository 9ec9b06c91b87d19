import type { IrModel } from '../../ir/ir.js';
import type { GradientEstimator, ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

const ESTIMATORS: readonly GradientEstimator[] = ['reparam', 'stl', 'dreg'];

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

/** Which objective each objective-specific option belongs to, for the refusal message. */
const OWNER: Readonly<Record<'analyticKl' | 'm' | 'beta' | 'betaInit' | 'freeBits', string>> = { analyticKl: 'vae', m: 'miwae and piwae', beta: 'ciwae', betaInit: 'ciwae', freeBits: 'vae' };

/** Refuses options of other objectives (`m` on iwae, `beta` on miwae), naming the objective they belong to. */
export function refuseOptions(name: string, options: ObjectiveOptions, foreign: readonly (keyof typeof OWNER)[]): void {
  for (const option of foreign) {
    const value = options[option];
    if (value === undefined || value === false) continue;
    const why = option === 'freeBits' ? ': a floor on a KL term has no counterpart inside importance weights, which need each sample\'s log p − log q' : '';
    throw new UserError(`${name}: the option ${option} applies only to the ${OWNER[option]} objective${OWNER[option].includes(' and ') ? 's' : ''}${why}`);
  }
}

/** Throws when the model has no guide of that name. */
export function checkGuideExists(name: string, model: IrModel, guide: string): void {
  if (!model.guides.some((g) => g.name === guide)) throw new UserError(`${name}: the model has no guide '${guide}'`);
}
