/**
 * Discrete latents in a trace: how a guide draws a Bernoulli, Categorical or
 * OneHotCategorical latent in each training mode (see `DiscreteMode` in
 * trace.ts), and how q and p then score the draw.
 *
 * - `score`: an exact discrete sample with no gradient; q and p use the
 *   discrete densities, and the trace marks the latent `scoreFunction` so the
 *   objective adds its score-function term.
 * - `relaxed`: a Concrete sample y at temperature λ; q and p are both the
 *   relaxed density at y, scored from the raw coordinates (discrete.ts), never
 *   the discrete density at a relaxed value (seed 004 ch. 5.3.1).
 * - `straight-through`: the discrete value the relaxed sample rounds to, with
 *   the relaxed sample's gradient (biased); q and p use the discrete densities.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { IrSample, Shape } from '../../ir/ir.js';
import { UserError } from '../../util/user-error.js';
import { isDiscrete, type RelaxedDistribution } from '../distributions/discrete.js';
import type { Distribution } from '../distributions/distribution.js';
import { straightThrough } from '../ops/straight-through.js';
import type { DiscreteMode, TraceOptions } from './trace.js';

/** One guide draw of a discrete latent. */
export interface DiscreteDraw {
  readonly mode: DiscreteMode;
  /** What the rest of the guide and the model read: `[k, batch, d]`. */
  readonly value: Tensor;
  /** The relaxed sample's raw coordinates (relaxed mode). */
  readonly raw?: Tensor;
  readonly temperature: number;
}

/**
 * The event shape a statement's parameters broadcast to: the variable's
 * shape, except for a Categorical, whose logits hold K scores for its one index.
 */
export function parameterEventShape(stmt: IrSample): Shape {
  return stmt.family === 'Categorical' ? stmt.params['logits']!.shape : stmt.shape;
}

/**
 * Draws a discrete latent from the guide's distribution.
 *
 * @param name the latent, for messages
 * @param dist the guide's distribution (its parameters carry the k axis)
 * @param options the trace's options (mode and temperature per latent)
 * @param seed the noise seed of this statement
 * @param forced a value to use instead of sampling (exact enumeration); scored as `score`
 * @param detached true when log q is scored with the guide's parameters detached (STL, DReG)
 */
export function drawDiscrete(name: string, dist: Distribution, options: TraceOptions, seed: number, forced: Tensor | undefined, detached: boolean): DiscreteDraw {
  if (!isDiscrete(dist)) throw new UserError(`latent '${name}' has a ${dist.family} guide, which is not reparameterizable`);
  const mode: DiscreteMode = forced ? 'score' : (options.discrete?.[name] ?? 'score');
  const temperature = options.temperatures?.[name] ?? 1;
  if (mode === 'score') {
    if (detached && !forced) {
      throw new UserError(`latent '${name}' is discrete and trained by the score function, which sticking the landing and DReG would cut (they detach the guide's parameters in log q): use --estimator reparam, or --discrete ${name}:relaxed`);
    }
    return { mode, value: forced ?? dist.sample(options.k, seed), temperature };
  }
  const relaxed = relaxationOf(name, dist, temperature);
  const raw = relaxed.rsampleRawWithNoise(relaxed.sampleNoise(options.k, seed));
  const soft = relaxed.fromRaw(raw);
  if (mode === 'relaxed') return { mode, value: soft, raw, temperature };
  return { mode, value: straightThrough(soft, relaxed.hardFromRaw(raw)), temperature };
}

/**
 * log q or log p of a draw, `[k, batch]`: the relaxed density at the raw
 * coordinates in relaxed mode, the discrete density of the value otherwise.
 *
 * @param dist the guide's distribution (possibly with detached parameters) or the model's
 */
export function scoreDiscrete(name: string, dist: Distribution, draw: DiscreteDraw): Tensor {
  if (draw.mode !== 'relaxed') return dist.logProb(draw.value);
  return relaxationOf(name, dist, draw.temperature).logProbRaw(draw.raw!);
}

function relaxationOf(name: string, dist: Distribution, temperature: number): RelaxedDistribution {
  const relaxed = isDiscrete(dist) ? dist.relax(temperature) : undefined;
  if (!relaxed) {
    throw new UserError(`latent '${name}' is a ${dist.family}, which has no continuous relaxation: train it with --discrete ${name}:score, or declare it binary[K] ~ OneHotCategorical(...)`);
  }
  return relaxed;
}
