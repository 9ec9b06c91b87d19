/**
 * TD-IWAE (seed 000, chapter 4): IWAE over the joint of a top-down hierarchy.
 * The guide samples the top latent first, q(z_L | x) ... q(z_1 | x, z_2..L),
 * and each importance weight is
 *   w_i = p(x | z_1) Π_l [p(z_l | z_{l+1}) / q(z_l | x, z_{l+1})]^{β_l},
 * with β_l annealed per level inside the weight (sec. 5.2 anneals z2).
 */
import type { IrModel, IrSample } from '../../ir/ir.js';
import { IwaeObjective } from './iwae.js';
import type { ObjectiveOptions } from './objective.js';
import { UserError } from '../../util/user-error.js';

export class TdIwaeObjective extends IwaeObjective {
  override readonly name = 'tdiwae';

  constructor(options: ObjectiveOptions = {}) {
    super(options);
  }

  /** Requires a guide over at least two latents that samples them in the model's top-down order. */
  override validate(model: IrModel, guide: string): void {
    super.validate(model, guide);
    const hint = "use the 'iwae' objective for models without a top-down hierarchy";
    if (model.latents.length < 2) {
      throw new UserError(`tdiwae: needs a hierarchy of at least two latent levels, but this model has ${model.latents.length}; ${hint}`);
    }
    const statements = model.guides.find((g) => g.name === guide)!.statements;
    const order = statements.filter((s): s is IrSample => s.kind === 'sample').map((s) => s.name);
    const topDown = model.latents.map((l) => l.name);
    if (order.join(',') !== topDown.join(',')) {
      throw new UserError(`tdiwae: guide '${guide}' samples ${order.join(', ')} but a top-down guide samples ${topDown.join(', ')} (top first); ${hint}`);
    }
  }
}
