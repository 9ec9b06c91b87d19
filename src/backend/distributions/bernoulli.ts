/**
 * The Bernoulli distribution over {0, 1}, parameterized by logits, over the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { seededUniform } from '../random.js';
import {
  checkKlShapes,
  checkValue,
  noiseShape,
  resolveShapes,
  type Distribution,
  type DistributionOptions,
  type ResolvedShapes,
} from './distribution.js';
import type { DiscreteDistribution } from './discrete.js';
import { RelaxedBernoulli } from './relaxed-bernoulli.js';

/**
 * [u < σ(l)] as float32, computed off the tape with a zero gradient: `less`
 * has no registered gradient, so it must not sit on a path tf.grad walks.
 */
const draw = tf.customGrad((logits, u) => {
  const l = logits as tf.Tensor;
  const noise = u as tf.Tensor;
  const [lShape, uShape] = [l.shape, noise.shape];
  return {
    value: tf.cast(tf.less(noise, tf.sigmoid(l)), 'float32'),
    gradFunc: () => [tf.zeros(lShape), tf.zeros(uShape)],
  };
});

/**
 * Bernoulli(logits): P(x = 1) = σ(l), independent over the event axis.
 *
 * - logProb: Σ_d [x log σ(l) + (1 - x) log σ(-l)] = Σ_d [x l - softplus(l)],
 *   computed as -(x softplus(-l) + (1 - x) softplus(l)): for x = 1 it is
 *   -softplus(-l), for x = 0 -softplus(l), with no cancellation at large |l|
 *   (x l - softplus(l) loses all digits of -exp(-l) once l >~ 16 in float32).
 *   Fractional x in [0, 1] gives the usual cross-entropy.
 * - sample: u ~ U(0, 1), x = [u < σ(l)]; no gradient flows through x.
 * - KL(B(a) || B(b)) = Σ_d [σ(a)(log σ(a) - log σ(b)) + σ(-a)(log σ(-a) - log σ(-b))]
 *
 * Not reparameterizable: `rsample` throws (use `sample` with a score-function
 * estimator, or the continuous relaxation `relax(λ)`, a binary Concrete).
 *
 * @see Mächler (2012), "Accurately computing log(1 - exp(-|a|))", Rmpfr
 *   vignette (the softplus/log-sigmoid forms used here).
 * @example new Bernoulli(decoderLogits).logProb(xBinary) // [k, batch]
 */
export class Bernoulli implements DiscreteDistribution {
  readonly family = 'Bernoulli' as const;
  readonly reparameterized = false as const;
  readonly paramShape: readonly number[];
  readonly batchShape: readonly number[];
  private readonly shapes: ResolvedShapes;

  /**
   * @param logits log-odds log(p / (1 - p)), `[..., d]`
   * @param options `{ sampleAxis }`, see distribution.ts
   */
  constructor(
    readonly logits: tf.Tensor,
    private readonly options: DistributionOptions = {},
  ) {
    this.shapes = resolveShapes('Bernoulli', { logits }, options);
    this.paramShape = this.shapes.paramShape;
    this.batchShape = this.shapes.batchShape;
  }

  /** 2^d: the values of d independent bits. */
  get numStates(): number {
    return 2 ** this.batchShape[this.batchShape.length - 1]!;
  }

  /** BinConcrete(logits, λ), the binary Concrete relaxation (RelaxedBernoulli). */
  relax(temperature: number): RelaxedBernoulli {
    return new RelaxedBernoulli(this.logits, temperature, this.options);
  }

  /** Always throws: a {0, 1} sample has no pathwise derivative. */
  rsample(_k: number, _seed?: number): tf.Tensor {
    throw new Error(
      'Bernoulli.rsample: the Bernoulli distribution is not reparameterizable (its samples are discrete, ' +
        'so no gradient flows through them); use sample() with a score-function estimator instead',
    );
  }

  /** u ~ U(0, 1), `[k, ...batchShape]`; the same seed gives the same u. */
  sampleNoise(k: number, seed?: number): tf.Tensor {
    return seededUniform(noiseShape(this.shapes, k, 'Bernoulli'), 0, 1, seed);
  }

  /** [u < σ(logits)] as float32 0/1 for u `[k, ...batchShape]`; gradient-free. */
  sampleWithNoise(u: tf.Tensor): tf.Tensor {
    assertTensor(u, 'u', 'Bernoulli.sampleWithNoise');
    return draw(this.logits, u);
  }

  /** k samples in {0, 1}, `[k, ...batchShape]`. */
  sample(k: number, seed?: number): tf.Tensor {
    return tf.tidy(() => this.sampleWithNoise(this.sampleNoise(k, seed)));
  }

  logProb(value: tf.Tensor): tf.Tensor {
    checkValue(value, 'Bernoulli');
    return tf.tidy(() => {
      const ifOne = tf.mul(value, tf.softplus(tf.neg(this.logits)));
      const ifZero = tf.mul(tf.sub(1, value), tf.softplus(this.logits));
      return tf.neg(tf.sum(tf.add(ifOne, ifZero), -1));
    });
  }

  kl(other: Distribution): tf.Tensor | undefined {
    if (!(other instanceof Bernoulli)) return undefined;
    checkKlShapes(this, other);
    return tf.tidy(() => {
      const a = this.logits;
      const b = other.logits;
      // log σ(t) = −softplus(−t): tf.logSigmoid's custom gradient reads a tensor its tidy has disposed,
      // which fails tf.grad through this KL (a Bernoulli latent under the vae objective).
      const logSigmoid = (t: tf.Tensor) => tf.neg(tf.softplus(tf.neg(t)));
      const one = tf.mul(tf.sigmoid(a), tf.sub(logSigmoid(a), logSigmoid(b)));
      const zero = tf.mul(tf.sigmoid(tf.neg(a)), tf.sub(logSigmoid(tf.neg(a)), logSigmoid(tf.neg(b))));
      return tf.sum(tf.add(one, zero), -1);
    });
  }
}
