/**
 * Native reductions (Sum, Mean, Max, Min) against the cpu kernels over random
 * shapes and axis sets, with keepDims, views and special values. Max and Min
 * must match exactly (NaN wins, as in the cpu kernels); sums accumulate in
 * double on both sides, in different orders, so they agree to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reduceDims } from '../../src/backend/native/kernels/reduce.js';
import { dataArb, shapeArb, size } from './arbitraries.js';
import { expectSameOutputs, nativeBuilt, runOnBoth, testValues } from './helpers.js';

const reductionArb = shapeArb(4)
  .filter((s) => s.length > 0)
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      axes: fc.subarray([...shape.keys()], { minLength: 1 }),
      keepDims: fc.boolean(),
    }),
  );

const CASES = [
  { kernel: tf.Sum, axisAttr: 'axis', exact: false },
  { kernel: tf.Mean, axisAttr: 'axis', exact: false },
  { kernel: tf.Max, axisAttr: 'reductionIndices', exact: true },
  { kernel: tf.Min, axisAttr: 'axis', exact: true },
] as const;

describe('reduceDims', () => {
  it('drops size-1 axes and merges neighbours with the same role', () => {
    expect(Array.from(reduceDims([5, 1, 4, 3, 2], [2, 3]))).toEqual([3, 5, 12, 2, 0, 1, 0]);
    expect(Array.from(reduceDims([1, 1], [0]))).toEqual([1, 1, 1]);
    expect(Array.from(reduceDims([2, 3, 4], [0, 1, 2]))).toEqual([1, 24, 1]);
  });
});

describe.skipIf(!nativeBuilt)('native reductions', () => {
  it.each(CASES)('$kernel matches the cpu kernel over random axes', ({ kernel, axisAttr, exact }) => {
    fc.assert(
      fc.property(reductionArb, dataArb, ({ shape, axes, keepDims }, data) => {
        const x = { shape, values: testValues(size(shape), data.seed, { specials: data.specials }) };
        const { cpu, native } = runOnBoth(kernel, { x }, { [axisAttr]: axes, keepDims }, data.view);
        // Both sum in double but in different orders: they differ by up to ~n·2^-53·Σ|x|, which
        // matters when huge values cancel. The cpu Mean also divides every element by n in
        // float32 before summing, an error of up to 2^-24·max|x|; the native Mean rounds once.
        const finite = x.values.filter((v) => Number.isFinite(v)).map(Math.abs);
        const largest = finite.reduce((m, v) => Math.max(m, v), 0);
        const total = finite.reduce((t, v) => t + v, 0);
        const atol = 1e-12 * total + (kernel === tf.Mean ? 2 ** -23 * largest : 0) + 1e-9;
        if (exact) expectSameOutputs(native, cpu, 0, 0, kernel);
        else expectSameOutputs(native, cpu, 1e-6, atol, `${kernel} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`);
      }),
      { numRuns: 80 },
    );
  });
});
