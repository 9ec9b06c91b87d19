/**
 * The softplus gradient on the native backend is one StrataNativeSoftplusGrad
 * kernel, dy · sigmoid(x), with the same bits as tfjs's stock gradient
 * mul(dy, sigmoid(x)) computed by the native Sigmoid and Multiply kernels
 * (random shapes, inputs that are views, IEEE special values); other
 * backends keep the stock composite.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/backend.js';
import { SOFTPLUS_GRAD_KERNEL } from '../../src/backend/native/kernels/binary.js';
import { fusedSoftplusGradConfig } from '../../src/backend/native/native-gradients.js';
import { nativeKernelStats } from '../../src/backend/native/index.js';
import { dataArb, shapeArb, size } from './arbitraries.js';
import { nativeBuilt, testValues } from './helpers.js';

/** dy · sigmoid(x) through the stock ops on the current backend, and through the gradient of softplus. */
function both(shape: number[], seed: number, specials: boolean, view: number): { stock: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const n = size(shape);
    const big = tf.tensor1d(testValues(n + view, seed, { specials, scale: 8 }));
    const x = tf.reshape(tf.slice(big, [view], [n]), shape);
    const dy = tf.tensor(testValues(n, seed + 1, { specials }), shape);
    const stock = tf.mul(dy, tf.sigmoid(x));
    const grad = tf.grad((t: tf.Tensor) => tf.softplus(t))(x, dy);
    return { stock: Float32Array.from(stock.dataSync()), grad: Float32Array.from(grad.dataSync()) };
  });
}

const sameBits = (a: Float32Array, b: Float32Array) => expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);

describe.skipIf(!nativeBuilt)('the softplus gradient on the native backend', () => {
  beforeAll(async () => {
    await selectBackend('native');
  });

  it('is registered, and runs as one kernel per softplus', () => {
    expect(tf.getGradient(tf.Softplus)).toBe(fusedSoftplusGradConfig);
    const before = nativeKernelStats()[SOFTPLUS_GRAD_KERNEL]?.native ?? 0;
    both([3, 5], 1, false, 0);
    expect(nativeKernelStats()[SOFTPLUS_GRAD_KERNEL]?.native).toBe(before + 1);
  });

  it('gives the stock gradient bit for bit, on views and special values', () => {
    fc.assert(
      fc.property(shapeArb(4), dataArb, (shape, data) => {
        const { stock, grad } = both(shape, data.seed, data.specials, data.view);
        sameBits(grad, stock);
      }),
      { numRuns: 80 },
    );
  });

  it('splits large arrays across threads with the same result', () => {
    const { stock, grad } = both([50, 100, 450], 7, true, 3);
    sameBits(grad, stock);
  });

  it('keeps the stock composite where the backend has no fused kernel (cpu)', async () => {
    await tf.setBackend('cpu');
    const { stock, grad } = both([4, 33], 3, true, 0);
    sameBits(grad, stock);
    await selectBackend('native');
  });
});
