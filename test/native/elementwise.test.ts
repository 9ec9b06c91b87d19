/**
 * Native elementwise kernels against the cpu kernels on random shapes, with
 * broadcasting, inputs that are views into larger arrays, and IEEE special
 * values. Arithmetic must match exactly; exp/log-based kernels within a few
 * ulp (the addon's approximations measure <= 4 ulp over all float32 inputs).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { broadcastPairArb, dataArb, shapeArb, size } from './arbitraries.js';
import { expectSameOutputs, nativeBuilt, runOnBoth, testValues } from './helpers.js';

/** rtol for kernels computed with the addon's exp/log (cpu uses float64 Math then rounds). */
const APPROX_RTOL = 1e-6;
const APPROX_ATOL = 1e-37;

const BINARY = [tf.Add, tf.Sub, tf.Multiply, tf.RealDiv, tf.SquaredDifference, tf.Maximum, tf.Minimum];

describe.skipIf(!nativeBuilt)('native binary kernels', () => {
  it.each(BINARY)('%s matches the cpu kernel exactly under broadcasting, views and special values', (kernel) => {
    fc.assert(
      fc.property(broadcastPairArb, dataArb, ({ a, b }, data) => {
        const inputs = {
          a: { shape: a, values: testValues(size(a), data.seed, { specials: data.specials }) },
          b: { shape: b, values: testValues(size(b), data.seed + 1, { specials: data.specials }) },
        };
        const { cpu, native } = runOnBoth(kernel, inputs, {}, data.view);
        expectSameOutputs(native, cpu, 0, 0, `${kernel} ${JSON.stringify(a)} ${JSON.stringify(b)}`);
      }),
      { numRuns: 60 },
    );
  });
});

interface UnaryCase {
  readonly kernel: string;
  readonly exact: boolean;
  readonly attrs?: tf.NamedAttrMap;
  /** cpu Softplus switches to x or e^x beyond |x| ≈ 13.9, itself off by up to ~5e-7 relative. */
  readonly rtol?: number;
}

const UNARY: readonly UnaryCase[] = [
  { kernel: tf.Neg, exact: true },
  { kernel: tf.Square, exact: true },
  { kernel: tf.Abs, exact: true },
  { kernel: tf.Sign, exact: true },
  { kernel: tf.Relu, exact: true },
  { kernel: tf.Reciprocal, exact: true },
  { kernel: tf.Sqrt, exact: true },
  { kernel: tf.Step, exact: true, attrs: { alpha: -1 } },
  { kernel: tf.Step, exact: true, attrs: { alpha: 0.25 } },
  { kernel: tf.ClipByValue, exact: true, attrs: { clipValueMin: -0.5, clipValueMax: 1.5 } },
  { kernel: tf.LeakyRelu, exact: true, attrs: { alpha: 0.2 } },
  { kernel: tf.Rsqrt, exact: false }, // two roundings (sqrt, then 1/x) against cpu's one
  { kernel: tf.Exp, exact: false },
  { kernel: tf.Log, exact: false },
  { kernel: tf.Log1p, exact: false },
  { kernel: tf.Expm1, exact: false },
  { kernel: tf.Sigmoid, exact: false },
  { kernel: tf.Tanh, exact: false },
  { kernel: tf.Softplus, exact: false, rtol: 2e-6 },
];

describe.skipIf(!nativeBuilt)('native unary kernels', () => {
  it.each(UNARY.map((c) => [`${c.kernel}${c.attrs ? ' ' + JSON.stringify(c.attrs) : ''}`, c] as const))(
    '%s matches the cpu kernel on views and special values',
    (_, c) => {
      fc.assert(
        fc.property(shapeArb(4), dataArb, fc.constantFrom(1, 4, 30), (shape, data, scale) => {
          const x = { shape, values: testValues(size(shape), data.seed, { specials: data.specials, scale }) };
          const { cpu, native } = runOnBoth(c.kernel, { x }, c.attrs ?? {}, data.view);
          if (c.exact) expectSameOutputs(native, cpu, 0, 0, c.kernel);
          else expectSameOutputs(native, cpu, c.rtol ?? APPROX_RTOL, APPROX_ATOL, c.kernel);
        }),
        { numRuns: 25 },
      );
    },
  );
});
