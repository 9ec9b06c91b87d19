import type { Objective, ObjectiveOptions } from './objective.js';
import { IwaeObjective } from './iwae.js';
import { TdIwaeObjective } from './td-iwae.js';
import { VaeObjective } from './vae.js';
import { UserError } from '../../util/user-error.js';

export * from './objective.js';
export { IwaeObjective, TdIwaeObjective, VaeObjective };
export { logWeights } from './log-weights.js';

export type ObjectiveName = 'vae' | 'iwae' | 'tdiwae';
export const OBJECTIVE_NAMES: readonly ObjectiveName[] = ['vae', 'iwae', 'tdiwae'];

/** Creates an objective by name: 'vae', 'iwae' or 'tdiwae'. */
export function createObjective(name: string, options: ObjectiveOptions = {}): Objective {
  switch (name) {
    case 'vae':
      return new VaeObjective(options);
    case 'iwae':
      return new IwaeObjective(options);
    case 'tdiwae':
      return new TdIwaeObjective(options);
    default:
      throw new UserError(`unknown objective '${name}'; use one of ${OBJECTIVE_NAMES.join(', ')}`);
  }
}
