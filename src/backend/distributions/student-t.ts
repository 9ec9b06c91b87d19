/**
 * Student's t distribution over the last axis, with df degrees of freedom, a location and a scale.
 */
import * as tf from '@tensorflow/tfjs';
import { standardGammaSample } from '../ops/gamma-sample.js';
import { lgamma } from '../ops/lgamma.js';
import { SeededRandom, seededNormal, seededUniform } from '../random.js';
import {
  checkValue,
  noiseShape,
  resolveShapes,
  type DistributionOptions,
  type ReparameterizedDistribution,
  type ResolvedShapes,
} from './distribution.js';

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);

/**
 * StudentT(df ν, loc μ, scale σ), independent over the event axis; support ℝ.
 *
 * - rsample: x = μ + σ · eps / √(g/ν), eps ~ N(0, 1), g = 2 P⁻¹(u; ν/2) ~ χ²_ν
 *   with u ~ U(0, 1): pathwise in μ and σ, and in ν through the Gamma
 *   sampler's implicit gradient (ops/gamma-sample.ts). The noise is the
 *   pair [eps, u], `[2, k, ...batchShape]`.
 * - logProb: Σ_d [log Γ((ν+1)/2) - log Γ(ν/2) - ½ log(νπ) - log σ
 *   - (ν+1)/2 · log(1 + ((x - μ)/σ)²/ν)]
 * - KL: no closed form (`kl` returns undefined; objectives fall back to Monte Carlo).
 *
 * Mean μ for ν > 1, variance σ² ν/(ν - 2) for ν > 2.
 *
 * @see Johnson, Kotz and Balakrishnan (1995), Continuous Univariate
 *   Distributions, vol. 2, ch. 28; Figurnov, Mohamed and Mnih (2018) (df gradient).
 * @example new StudentT(tf.tensor1d([4]), tf.tensor1d([0]), tf.tensor1d([1])).rsample(3, 0) // [3, 1]
 */
export class StudentT implements ReparameterizedDistribution {
  readonly family = 'StudentT' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param df degrees of freedom ν > 0 (not checked), `[..., d]`
   * @param loc location μ, broadcasts with df
   * @param scale scale σ > 0 (not checked), broadcasts with df
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly df: tf.Tensor,
    readonly loc: tf.Tensor,
    readonly scale: tf.Tensor,
    options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('StudentT', { df, loc, scale }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /**
   * [eps, u] stacked on a new leading axis, `[2, k, ...batchShape]`: eps ~ N(0, 1)
   * and u ~ U(0, 1) from two seeds derived from `seed` (one tfjs seed for both
   * would correlate them); the same seed gives the same pair.
   */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    const shape = noiseShape(this.shapes, k, 'StudentT');
    const rng = seed === undefined ? undefined : new SeededRandom(seed);
    return tf.tidy(() => tf.stack([seededNormal(shape, rng?.nextSeed()), seededUniform(shape, 0, 1, rng?.nextSeed())]));
  }

  /** μ + σ · eps / √(g/ν), g = 2 P⁻¹(u; ν/2), for noise [eps, u] `[2, k, ...batchShape]`. */
  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    if (noise.rank < 1 || noise.shape[0] !== 2) {
      throw new Error(`StudentT.rsampleWithNoise: noise must be [eps, u] stacked, shape [2, k, ...], but has shape [${noise.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const [eps, u] = tf.unstack(noise);
      const chiSquare = tf.mul(2, standardGammaSample(tf.mul(0.5, this.df), u!));
      return tf.add(this.loc, tf.mul(this.scale, tf.mul(eps!, tf.rsqrt(tf.div(chiSquare, this.df)))));
    });
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'StudentT');
    return tf.tidy(() => {
      const { df, loc, scale } = this;
      const halfDfPlusOne = tf.mul(0.5, tf.add(df, 1));
      const normalizer = tf.sub(tf.sub(lgamma(halfDfPlusOne), lgamma(tf.mul(0.5, df))), tf.add(tf.mul(0.5, tf.log(df)), tf.add(tf.log(scale), HALF_LOG_PI)));
      const z = tf.div(tf.sub(value, loc), scale);
      return tf.sum(tf.sub(normalizer, tf.mul(halfDfPlusOne, tf.log1p(tf.div(tf.square(z), df)))), -1);
    });
  }

  kl(): undefined {
    return undefined;
  }
}
