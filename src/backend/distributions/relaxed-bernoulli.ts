/**
 * The binary Concrete distribution BinConcrete(logits, λ) (Maddison, Mnih
 * and Teh 2017, sec. 3), the continuous relaxation of
 * Bernoulli(logits) on (0, 1), independent over the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { seededLogistic } from '../ops/gumbel-noise.js';
import { withoutGradient } from '../ops/without-gradient.js';
import { checkTemperature, type RelaxedDistribution } from './discrete.js';
import { checkValue, noiseShape, resolveShapes, type DistributionOptions, type ResolvedShapes } from './distribution.js';

/**
 * BinConcrete(l, λ), α = exp(l):
 *
 * - rsample: x = (l + L)/λ with L = log U − log(1 − U) logistic noise, y = σ(x);
 *   [x > 0] is Bernoulli(σ(l)), and y → [x > 0] as λ → 0.
 * - density (Maddison et al. 2017, sec. 3, the binary case):
 *     p(y) = λ α y^(−λ−1) (1 − y)^(−λ−1) / (α y^(−λ) + (1 − y)^(−λ))²
 *   evaluated from the logit x = log y − log(1 − y), where x ~ Logistic(l/λ, 1/λ):
 *     log p(y) = log λ − (λx − l) − 2 softplus(l − λx) + softplus(x) + softplus(−x)
 *   (the last two terms are −log |dy/dx| = −log(y(1 − y))), finite for every x.
 *
 * In a relaxed objective both q and p are BinConcrete at the same λ, scored
 * at the same x: the Jacobian terms cancel in log p − log q, and the
 * objective is a bound on the relaxed model's log-likelihood (scoring
 * relaxed samples with the Bernoulli density instead is the mistake seed 004
 * ch. 5.3.1 warns of).
 *
 * @see Maddison, Mnih, Teh (2017), "The Concrete distribution: a continuous
 *   relaxation of discrete random variables", ICLR.
 * @example const q = new RelaxedBernoulli(encoderLogits, 0.5); const y = q.rsample(5, seed); // [5, batch, d]
 */
export class RelaxedBernoulli implements RelaxedDistribution {
  readonly family = 'RelaxedBernoulli' as const;
  readonly reparameterized = true as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param logits log α, `[..., d]`
   * @param temperature λ > 0
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    readonly temperature: number,
    options: DistributionOptions = {},
  ) {
    checkTemperature(temperature, 'RelaxedBernoulli');
    this.shapes = resolveShapes('RelaxedBernoulli', { logits }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** Logistic noise L, `[k, ...batchShape]`. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededLogistic(noiseShape(this.shapes, k, 'RelaxedBernoulli'), seed);
  }

  /** The logit x = (l + L)/λ. */
  rsampleRawWithNoise(noise: tf.Tensor): tf.Tensor {
    assertTensor(noise, 'noise', 'RelaxedBernoulli.rsampleRawWithNoise');
    return tf.tidy(() => tf.div(tf.add(this.logits, noise), this.temperature));
  }

  fromRaw(raw: tf.Tensor): tf.Tensor {
    return tf.sigmoid(raw);
  }

  rsampleWithNoise(noise: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fromRaw(this.rsampleRawWithNoise(noise)));
  }

  rsample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.rsampleWithNoise(this.sampleNoise(k, seed)));
  }

  sample(k: number, seed?: number): tf.Tensor {
    return this.rsample(k, seed);
  }

  /** log BinConcrete(σ(x); l, λ) summed over the event axis, from the logit x. */
  logProbRaw(raw: tf.Tensor): tf.Tensor {
    checkValue(raw, 'RelaxedBernoulli');
    return tf.tidy(() => {
      const lambda = this.temperature;
      const centred = tf.sub(tf.mul(raw, lambda), this.logits); // λx − l
      const logistic = tf.sub(tf.sub(Math.log(lambda), centred), tf.mul(2, tf.softplus(tf.neg(centred))));
      const jacobian = tf.add(tf.softplus(raw), tf.softplus(tf.neg(raw)));
      return tf.sum(tf.add(logistic, jacobian), -1);
    });
  }

  /** log BinConcrete(y; l, λ) for y in (0, 1); 0 and 1 themselves have density 0 (−∞). */
  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'RelaxedBernoulli');
    return tf.tidy(() => this.logProbRaw(tf.sub(tf.log(value), tf.log1p(tf.neg(value)))));
  }

  /** [x > 0] as float32 0/1. */
  hardFromRaw(raw: tf.Tensor): tf.Tensor {
    return withoutGradient((x) => tf.cast(tf.greater(x, 0), 'float32'), raw);
  }
}
