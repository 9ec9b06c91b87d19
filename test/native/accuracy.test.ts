/**
 * The addon's exp/log-based kernels against correctly rounded float64 Math
 * on 2^20 seeded random float32 bit patterns (every exponent, sign, NaN,
 * ±Inf, ±0 and denormals): at most 4 ulp off, and NaN/±Inf exactly where the
 * reference has them.
 */
import { describe, expect, it } from 'vitest';
import { loadNativeAddon, UnaryOp } from '../../src/backend/native/addon.js';
import { SeededRandom } from '../../src/backend/random.js';
import { nativeBuilt } from './helpers.js';

const N = 1 << 20;
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const CASES: [string, number, (x: number) => number][] = [
  ['Exp', UnaryOp.Exp, Math.exp],
  ['Log', UnaryOp.Log, Math.log],
  ['Log1p', UnaryOp.Log1p, Math.log1p],
  ['Expm1', UnaryOp.Expm1, Math.expm1],
  ['Sigmoid', UnaryOp.Sigmoid, (x) => 1 / (1 + Math.exp(-x))],
  ['Tanh', UnaryOp.Tanh, Math.tanh],
  ['Softplus', UnaryOp.Softplus, softplus],
  ['Rsqrt', UnaryOp.Rsqrt, (x) => 1 / Math.sqrt(x)],
];

/** Distance from the float32 nearest to `want` to its neighbour away from zero. */
function ulpOf(want: number): number {
  const f = new Float32Array([Math.abs(want)]);
  const bits = new Uint32Array(f.buffer);
  bits[0] = bits[0]! + 1;
  return f[0]! - Math.fround(Math.abs(want));
}

describe.skipIf(!nativeBuilt)('accuracy of the addon\'s transcendental kernels', () => {
  const x = new Float32Array(N);
  const bits = new Uint32Array(x.buffer);
  const rng = new SeededRandom(2024);
  for (let i = 0; i < N; i++) bits[i] = rng.nextUint32();

  it.each(CASES)('%s is within 4 ulp of the float64 reference on 2^20 random float32 bit patterns', (_, op, reference) => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    const out = new Float32Array(N);
    load.addon.unary(op, x, out, 0, 0);
    let worst = 0;
    let problem = '';
    for (let i = 0; i < N && problem === ''; i++) {
      const want = Math.fround(reference(x[i]!));
      const got = out[i]!;
      if (Number.isNaN(want) || !Number.isFinite(want)) {
        if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) problem = `input ${x[i]}: got ${got}, want ${want}`;
      } else if (!Number.isFinite(got)) {
        problem = `input ${x[i]}: got ${got}, want ${want}`;
      } else if (Math.abs(want) < 1.1754943508222875e-38) {
        // Denormal results: within 4 steps of the smallest denormal.
        if (Math.abs(got - want) > 4 * 1.401298464324817e-45) problem = `input ${x[i]}: got ${got}, want denormal ${want}`;
      } else {
        worst = Math.max(worst, Math.abs(got - want) / ulpOf(want));
      }
    }
    expect(problem).toBe('');
    expect(worst).toBeLessThanOrEqual(4);
  });
});
