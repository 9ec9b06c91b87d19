import type { Objective, ObjectiveOptions } from './objective.js';
import { CiwaeObjective } from './ciwae.js';
import { IwaeObjective } from './iwae.js';
import { MiwaeObjective } from './miwae.js';
import { PiwaeObjective } from './piwae.js';
import { TdIwaeObjective } from './td-iwae.js';
import { VaeObjective } from './vae.js';
import { VimcoObjective } from './vimco.js';
import { UserError } from '../../util/user-error.js';

export * from './objective.js';
export { CiwaeObjective, IwaeObjective, MiwaeObjective, PiwaeObjective, TdIwaeObjective, VaeObjective, VimcoObjective };
export { vimcoSignals } from './vimco.js';
export { MovingAverageBaseline } from './score-function.js';
export { LearnedBeta, type LearnedBetaState } from './learned-beta.js';
export { logWeights } from './log-weights.js';

import { OBJECTIVE_NAMES } from './names.js';

export { OBJECTIVE_NAMES, type ObjectiveName } from './names.js';

/** Creates an objective by name (one of OBJECTIVE_NAMES). */
export function createObjective(name: string, options: ObjectiveOptions = {}): Objective {
  switch (name) {
    case 'vae':
      return new VaeObjective(options);
    case 'iwae':
      return new IwaeObjective(options);
    case 'tdiwae':
      return new TdIwaeObjective(options);
    case 'miwae':
      return new MiwaeObjective(options);
    case 'ciwae':
      return new CiwaeObjective(options);
    case 'piwae':
      return new PiwaeObjective(options);
    case 'vimco':
      return new VimcoObjective(options);
    default:
      throw new UserError(`unknown objective '${name}'; use one of ${OBJECTIVE_NAMES.join(', ')}`);
  }
}
