/**
 * Beta(a, b) samples by inversion, x = I⁻¹(u; a, b), with the implicit
 * reparameterization gradients ∂x/∂a and ∂x/∂b (see implicit-sample.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { betaSampleDerivatives, inverseRegularizedBeta } from '../scalar/beta-cdf.js';
import { FLOAT32_TINY } from './gamma-sample.js';
import { implicitSampleOp } from './implicit-sample.js';

/** The largest float32 below 1. */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

const op = implicitSampleOp(
  'betaSample',
  ([a, b], u) => {
    if (!(a! > 0 && b! > 0)) return { value: NaN, derivatives: [NaN, NaN] };
    const x = inverseRegularizedBeta(u, a!, b!);
    return { value: x, derivatives: betaSampleDerivatives(x, a!, b!) };
  },
  { low: FLOAT32_TINY, high: FLOAT32_BELOW_ONE },
);

/**
 * betaSample(a, b, u) = I⁻¹(u; a, b), the u-quantile of Beta(a, b),
 * elementwise. Differentiable in a and b by implicit reparameterization; the
 * gradient in u is zero. Values are clamped to [1.2e-38, 1 - 2⁻²⁴] (so
 * log x and log(1 - x) stay finite in float32), with a zero gradient where
 * clamped: shapes below ~0.1 put visible mass there.
 *
 * @param a first shape > 0 (the mean is a/(a + b)), broadcasts with u
 * @param b second shape > 0
 * @param u uniforms in [0, 1), e.g. `[k, batch, d]`
 * @returns samples of the broadcast shape
 * @see Figurnov, Mohamed and Mnih (2018), "Implicit Reparameterization Gradients", NeurIPS.
 */
export function betaSample(a: tf.Tensor, b: tf.Tensor, u: tf.Tensor): tf.Tensor {
  assertTensor(a, 'a', 'betaSample');
  assertTensor(b, 'b', 'betaSample');
  assertTensor(u, 'u', 'betaSample');
  return op([a, b], u);
}
