/**
 * Gamma(α, 1) samples by inversion, x = P⁻¹(u; α), with the implicit
 * reparameterization gradient ∂x/∂α (see implicit-sample.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { assertTensor } from '../check.js';
import { gammaSampleShapeDerivative, inverseGammaP } from '../scalar/gamma-cdf.js';
import { implicitSampleOp } from './implicit-sample.js';

/** The smallest positive normal float32: smaller samples (shapes below ~0.05) are raised to it. */
export const FLOAT32_TINY = 1.1754943508222875e-38;
const FLOAT32_MAX = 3.4028234663852886e38;

const op = implicitSampleOp(
  'standardGammaSample',
  ([alpha], u) => {
    const a = alpha!;
    if (!(a > 0)) return { value: NaN, derivatives: [NaN] };
    const x = inverseGammaP(a, u);
    return { value: x, derivatives: [gammaSampleShapeDerivative(a, x)] };
  },
  { low: FLOAT32_TINY, high: FLOAT32_MAX },
);

/**
 * standardGammaSample(α, u) = P⁻¹(u; α), the u-quantile of Gamma(α, 1),
 * elementwise: x ~ Gamma(α, 1) when u ~ U(0, 1). Differentiable in α by
 * implicit reparameterization, ∂x/∂α = -(∂P/∂α)(α, x)/p(x; α); the gradient
 * in u is zero. Values are clamped to [1.2e-38, 3.4e38] (float32's normal
 * range), with a zero gradient where clamped.
 *
 * @param concentration α > 0, broadcasts with u
 * @param u uniforms in [0, 1), e.g. `[k, batch, d]`
 * @returns samples of the broadcast shape
 * @example standardGammaSample(tf.tensor1d([2]), seededUniform([1000, 1], 0, 1, 0)) // mean ≈ 2
 * @see Figurnov, Mohamed and Mnih (2018), "Implicit Reparameterization Gradients", NeurIPS.
 */
export function standardGammaSample(concentration: tf.Tensor, u: tf.Tensor): tf.Tensor {
  assertTensor(concentration, 'concentration', 'standardGammaSample');
  assertTensor(u, 'u', 'standardGammaSample');
  return op([concentration], u);
}
