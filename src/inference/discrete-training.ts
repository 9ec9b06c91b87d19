/**
 * Training options of discrete latents, checked against a model, a guide
 * and an objective before the first step: which latents are trained by the
 * score function, relaxed or straight-through, and their temperatures.
 */
import { DISCRETE_MODES, type DiscreteMode, type TraceOptions } from '../backend/compile/trace.js';
import { isDiscreteFamily, type IrModel, type IrSample } from '../ir/ir.js';
import { UserError } from '../util/user-error.js';
import type { Objective } from './objectives/objective.js';
import { temperaturesAt, validateTemperatures, type TemperatureSchedule } from './temperature.js';

export interface DiscreteTraining {
  /** Mode per discrete latent; `score` where absent. */
  readonly discrete?: Readonly<Record<string, DiscreteMode>>;
  /** Temperature schedule per relaxed or straight-through latent (λ = 1 where absent). */
  readonly temperature?: TemperatureSchedule;
}

/** The guide's discrete latents, in its order. */
export function discreteLatents(model: IrModel, guide: string): string[] {
  const statements = model.guides.find((g) => g.name === guide)?.statements ?? [];
  return statements.filter((s): s is IrSample => s.kind === 'sample' && isDiscreteFamily(s.family)).map((s) => s.name);
}

/**
 * Throws, saying what to use instead, when a mode names no discrete latent,
 * a Categorical index is to be relaxed, a temperature has no relaxed latent,
 * or the objective cannot train the latents left to the score function.
 *
 * @returns the latents trained by the score function
 */
export function validateDiscreteTraining(model: IrModel, guide: string, objective: Objective, options: DiscreteTraining): string[] {
  const discrete = discreteLatents(model, guide);
  const families = new Map(model.guides.find((g) => g.name === guide)?.statements.flatMap((s) => (s.kind === 'sample' ? [[s.name, s.family] as const] : [])));
  for (const [name, mode] of Object.entries(options.discrete ?? {})) {
    if (!DISCRETE_MODES.includes(mode)) throw new UserError(`discrete: unknown mode '${String(mode)}' for '${name}'; use one of ${DISCRETE_MODES.join(', ')}`);
    if (!discrete.includes(name)) {
      const what = families.has(name) ? `'${name}' is a ${families.get(name)} latent, which is reparameterized` : `'${name}' is not a latent of the model`;
      throw new UserError(`discrete: ${what}; the discrete latents are ${discrete.length > 0 ? discrete.join(', ') : 'none'}`);
    }
    if (mode !== 'score' && families.get(name) === 'Categorical') {
      throw new UserError(`discrete: '${name}' is a Categorical index, which has no continuous relaxation; use --discrete ${name}:score, or declare it binary[K] ~ OneHotCategorical(...)`);
    }
  }
  const modeOf = (name: string): DiscreteMode => options.discrete?.[name] ?? 'score';
  validateTemperatures(options.temperature ?? {}, discrete.filter((n) => modeOf(n) !== 'score'));
  const scored = discrete.filter((n) => modeOf(n) === 'score');
  if (scored.length === 0) return scored;
  const which = scored.map((n) => `'${n}'`).join(', ');
  if (!objective.scoreFunction) {
    throw new UserError(`${objective.name}: the discrete latent${scored.length > 1 ? 's' : ''} ${which} would need the score function, which ${objective.name} does not estimate: use --objective vimco (importance weighted) or vae (REINFORCE), or relax ${scored.length > 1 ? 'them' : 'it'} with --discrete ${scored[0]}:relaxed`);
  }
  if (objective.estimator !== 'reparam') {
    throw new UserError(`${objective.name}: the estimator ${objective.estimator} detaches the guide's parameters in log q, which cuts the score-function term of ${which}: use --estimator reparam, or --discrete ${scored[0]}:relaxed`);
  }
  return scored;
}

/** The trace options of the discrete latents at a point of training. */
export function discreteTraceOptions(options: DiscreteTraining, step: number, epoch: number): Pick<TraceOptions, 'discrete' | 'temperatures'> {
  return {
    ...(options.discrete ? { discrete: options.discrete } : {}),
    ...(options.temperature ? { temperatures: temperaturesAt(options.temperature, step, epoch) } : {}),
  };
}
