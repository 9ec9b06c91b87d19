/**
 * The gradients registered with the native backend are exact: the Sum
 * gradient broadcasts dy back over the reduced axes (checked against the
 * closed form on random shapes and axes), and the Tile gradient sums the
 * copies. Runs on the cpu backend, so it needs no addon.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { broadcastSumGradConfig, registerNativeGradients } from '../../src/backend/native/native-gradients.js';
import { shapeArb, size } from './arbitraries.js';
import { testValues } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerNativeGradients();
});

describe('native backend gradients', () => {
  it('registers the broadcast Sum gradient', () => {
    expect(tf.getGradient(tf.Sum)).toBe(broadcastSumGradConfig);
  });

  it('d/dx Σ_axes(x)·c is c broadcast over the reduced axes, exactly', () => {
    const arb = shapeArb(4)
      .filter((s) => s.length > 0)
      .chain((shape) => fc.record({ shape: fc.constant(shape), axes: fc.subarray([...shape.keys()], { minLength: 1 }), seed: fc.nat() }));
    fc.assert(
      fc.property(arb, ({ shape, axes, seed }) => {
        const kept = shape.filter((_, i) => !axes.includes(i));
        const c = testValues(size(kept), seed);
        const got = tf.tidy(() => {
          const cTensor = tf.tensor(c, kept);
          const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.sum(x, axes), cTensor)))(tf.tensor(testValues(size(shape), seed + 1), shape));
          return { shape: g.shape, dtype: g.dtype, values: Array.from(g.dataSync()) };
        });
        // Closed form: element at multi-index i gets c at i with the reduced axes dropped.
        const strides = shape.map((_, d) => size(shape.slice(d + 1)));
        const keptAxes = shape.map((_, d) => d).filter((d) => !axes.includes(d));
        const want = Array.from({ length: size(shape) }, (_, flat) => {
          let index = 0;
          for (const d of keptAxes) index = index * shape[d]! + (Math.floor(flat / strides[d]!) % shape[d]!);
          return c[index]!;
        });
        expect(got.shape).toEqual(shape);
        expect(got.dtype).toBe('float32');
        expect(got.values).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('the Tile gradient sums the copies', () => {
    const g = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tile(x, [2, 3]), tf.range(0, 24).reshape([4, 6]))))(tf.ones([2, 2])).dataSync()));
    // Copies of x[0,0] sit at (0,0),(0,2),(0,4),(2,0),(2,2),(2,4) of the 4x6 tiled array.
    expect(g).toEqual([0 + 2 + 4 + 12 + 14 + 16, 1 + 3 + 5 + 13 + 15 + 17, 6 + 8 + 10 + 18 + 20 + 22, 7 + 9 + 11 + 19 + 21 + 23]);
  });
});
