/**
 * The interface every distribution in the backend implements, and the shape
 * rules they share.
 *
 * Shapes. Parameters have shape `[..., d]`, the last axis being the event
 * axis (d independent coordinates whose log densities are summed). They
 * broadcast against each other; their common shape is `paramShape`.
 * Sampling adds a leading particle axis k: `rsample(k)` returns
 * `[k, ...batchShape]`. By default `batchShape = paramShape` (the parameters
 * have no particle axis, e.g. `[batch, d]` from an encoder applied to data).
 * With `{ sampleAxis: true }` the parameters already carry it (e.g.
 * `[k, batch, d]`, computed from an earlier sample), `batchShape` drops it, and
 * `rsample(k)` draws one value per particle, of the parameters' shape.
 *
 * Ownership. A distribution holds references to its parameter tensors and
 * never disposes them; every method runs in `tf.tidy` and returns one new
 * tensor the caller owns.
 *
 * Seeds. A seed is any safe integer and 0 is a seed like any other; an
 * undefined seed draws fresh randomness. The same seed gives the same noise,
 * so an objective that needs the same sample twice can pass the seed twice,
 * or draw `sampleNoise` once and call `rsampleWithNoise`.
 *
 * Support. `logProb` of a value outside the family's support (a negative
 * value under Gamma, 1.5 under Beta) is -Infinity, with finite gradients
 * (see support.ts); parameters are never checked at run time (that would
 * read them back from the device): the checker proves them positive.
 */
import * as tf from '@tensorflow/tfjs';
import { assertInteger, assertRankAtLeast, assertTensor } from '../check.js';
import { broadcastShapes, formatShape } from '../shape.js';

export type DistributionFamily =
  | 'Normal' | 'Laplace' | 'StudentT' | 'LogNormal' | 'Gamma' | 'Beta' | 'Exponential' | 'Bernoulli'
  | 'Categorical' | 'OneHotCategorical'
  // The continuous relaxations of Bernoulli and OneHotCategorical (see discrete.ts); no .ppl family names them.
  | 'RelaxedBernoulli' | 'RelaxedOneHotCategorical'
  // A mixture of K diagonal Normals (mixture-normal.ts); an equal-weight mixture of K components (uniform-mixture.ts, the VampPrior's).
  | 'MixtureNormal' | 'UniformMixture';

/** Options shared by the distribution constructors. */
export interface DistributionOptions {
  /** The parameters' leading axis is the particle axis k (default false). */
  readonly sampleAxis?: boolean;
}

export interface Distribution {
  readonly family: DistributionFamily;
  /** Broadcast shape of the parameters, `[..., d]`. */
  readonly paramShape: readonly number[];
  /** `paramShape` without the particle axis; samples are `[k, ...batchShape]`. */
  readonly batchShape: readonly number[];
  /** True when `rsample` exists (gradients flow through samples). */
  readonly reparameterized: boolean;
  /** Reparameterized sample of shape [k, ...batchShape] given noise from a seeded source. */
  rsample(k: number, seed?: number): tf.Tensor;
  /** A sample of shape [k, ...batchShape]; not differentiable for discrete families. */
  sample(k: number, seed?: number): tf.Tensor;
  /** Elementwise log density summed over the last axis (event dim): input [..., d] -> [...]. */
  logProb(value: tf.Tensor): tf.Tensor;
  /** Closed-form KL(this || other) summed over the last axis, or undefined when not closed-form. */
  kl?(other: Distribution): tf.Tensor | undefined;
}

/** A distribution with a pathwise sample x = g(params, noise). */
export interface ReparameterizedDistribution extends Distribution {
  readonly reparameterized: true;
  /**
   * Parameter-free noise: `[k, ...batchShape]`, or `[2, k, ...batchShape]` for
   * a family that needs two draws per value (StudentT: a normal and a uniform).
   */
  sampleNoise(k: number, seed?: number): tf.Tensor;
  /** x = g(params, noise) for noise from `sampleNoise`, broadcasting against the parameters: `[k, ...batchShape]`. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor;
}

/** Shapes worked out once in a constructor. */
export interface ResolvedShapes {
  readonly paramShape: number[];
  readonly batchShape: number[];
  readonly sampleAxis: boolean;
}

/**
 * Checks the parameters and computes `paramShape` and `batchShape`.
 *
 * @param family for error messages, e.g. 'Normal'
 * @param params named parameter tensors, e.g. `{ loc, scale }`
 * @param options constructor options
 */
export function resolveShapes(
  family: DistributionFamily,
  params: Readonly<Record<string, unknown>>,
  options: DistributionOptions,
): ResolvedShapes {
  let paramShape: number[] = [];
  for (const [name, value] of Object.entries(params)) {
    assertTensor(value, name, family);
    paramShape = broadcastShapes(paramShape, value.shape, `${family} parameters`);
  }
  if (paramShape.length < 1) {
    throw new Error(`${family}: parameters need an event axis, shape [..., d] (use shape [1] for one coordinate), but all are scalars`);
  }
  const sampleAxis = options.sampleAxis === true;
  if (sampleAxis && paramShape.length < 2) {
    throw new Error(
      `${family}: with { sampleAxis: true } the parameters need shape [k, ..., d], but broadcast to ${formatShape(paramShape)}`,
    );
  }
  return { paramShape, batchShape: sampleAxis ? paramShape.slice(1) : paramShape, sampleAxis };
}

/**
 * The noise shape `[k, ...batchShape]` for `k` particles; with a sample axis
 * the parameters' leading size must be k or 1.
 */
export function noiseShape(shapes: ResolvedShapes, k: number, family: DistributionFamily): number[] {
  assertInteger(k, 1, 'k', `${family}.sample`);
  const lead = shapes.paramShape[0];
  if (shapes.sampleAxis && lead !== k && lead !== 1) {
    throw new Error(`${family}: asked for k = ${k} particles, but the parameters' sample axis has size ${String(lead)}`);
  }
  return [k, ...shapes.batchShape];
}

/** Checks a value passed to logProb: a tensor with an event axis. */
export function checkValue(value: unknown, family: DistributionFamily): asserts value is tf.Tensor {
  assertTensor(value, 'value', `${family}.logProb`);
  assertRankAtLeast(value, 1, 'value', `${family}.logProb`);
}

/** Checks KL operands' shapes broadcast and have an event axis to sum over. */
export function checkKlShapes(p: Distribution, q: Distribution): void {
  const shape = broadcastShapes(p.paramShape, q.paramShape, `KL(${p.family} || ${q.family})`);
  if (shape.length < 1) {
    throw new Error(`KL(${p.family} || ${q.family}): parameters need an event axis [..., d], but are scalars`);
  }
}
