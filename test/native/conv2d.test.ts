/**
 * Native Conv2D, Conv2DBackpropInput (= deconv2d's forward) and
 * Conv2DBackpropFilter (im2col + sgemm, native/src/conv.cc) against the cpu
 * kernels, over random image sizes, channels, kernels, strides and both
 * paddings, with batches large enough to be split into several chunks.
 * Both sum in float32 in different orders, so each element may differ by
 * about γ_K Σ|terms|; the tolerance below is relative to the largest output,
 * with K the number of terms summed (at most a few thousand here).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nativeBuilt, runOnBoth, testValues, type KernelOutput } from './helpers.js';

const convArb = fc.record({
  n: fc.constantFrom(1, 3, 17),
  h: fc.integer({ min: 3, max: 16 }),
  w: fc.integer({ min: 3, max: 16 }),
  c: fc.integer({ min: 1, max: 5 }),
  f: fc.integer({ min: 1, max: 6 }),
  k: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 3 }),
  pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

/** Every element within 1e-5 of the largest |output| (the float32 sums differ in order only). */
function expectClose(native: KernelOutput[], cpu: KernelOutput[], what: string): void {
  expect(native[0]!.shape, what).toEqual(cpu[0]!.shape);
  const want = cpu[0]!.values;
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(native[0]!.values[i]! - want[i]!) > 1e-5 * scale) {
      throw new Error(`${what}: element ${i} native ${native[0]!.values[i]} cpu ${want[i]}`);
    }
  }
}

function outSize(size: number, k: number, stride: number, pad: 'same' | 'valid'): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1;
}

describe.skipIf(!nativeBuilt)('native convolutions', () => {
  it('Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter match the cpu kernels', () => {
    fc.assert(
      fc.property(convArb, ({ n, h, w, c, f, k, stride, pad, seed }) => {
        fc.pre(pad === 'same' || (k <= h && k <= w));
        const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC', dilations: [1, 1] } as unknown as tf.NamedAttrMap;
        const xShape = [n, h, w, c];
        const filterShape = [k, k, c, f];
        const yShape = [n, outSize(h, k, stride, pad), outSize(w, k, stride, pad), f];
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        const x = { shape: xShape, values: testValues(size(xShape), seed) };
        const filter = { shape: filterShape, values: testValues(size(filterShape), seed + 1) };
        const dy = { shape: yShape, values: testValues(size(yShape), seed + 2) };
        const forward = runOnBoth(tf.Conv2D, { x, filter }, attrs);
        expectClose(forward.native, forward.cpu, 'Conv2D');
        const input = runOnBoth(tf.Conv2DBackpropInput, { dy, filter }, { ...attrs, inputShape: xShape } as unknown as tf.NamedAttrMap);
        expectClose(input.native, input.cpu, 'Conv2DBackpropInput');
        const grad = runOnBoth(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape } as unknown as tf.NamedAttrMap);
        expectClose(grad.native, grad.cpu, 'Conv2DBackpropFilter');
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('splits a large batch into chunks and gets the same numbers as the cpu kernel', () => {
    // 100 images of 28x28x16 with a 3x3 kernel: 100 · 784 · 144 floats of columns, a dozen chunks of 2^20.
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] } as unknown as tf.NamedAttrMap;
    const x = { shape: [100, 28, 28, 16], values: testValues(100 * 784 * 16, 5) };
    const filter = { shape: [3, 3, 16, 2], values: testValues(3 * 3 * 16 * 2, 6) };
    const forward = runOnBoth(tf.Conv2D, { x, filter }, attrs);
    expectClose(forward.native, forward.cpu, 'Conv2D');
    const dy = { shape: [100, 28, 28, 2], values: testValues(100 * 784 * 2, 7) };
    const grad = runOnBoth(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: [3, 3, 16, 2] } as unknown as tf.NamedAttrMap);
    expectClose(grad.native, grad.cpu, 'Conv2DBackpropFilter');
  });

  it('rejects arrays too short for the shape instead of reading past them', async () => {
    const { loadNativeAddon } = await import('../../src/backend/native/addon.js');
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    const dims = Int32Array.of(2, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 4, 4);
    expect(() => load.addon.conv2d(new Float32Array(31), new Float32Array(9), new Float32Array(32), dims)).toThrow(/x is too short/);
    expect(() => load.addon.conv2dBackpropInput(new Float32Array(32), new Float32Array(9), new Float32Array(31), dims)).toThrow(/dx is too short/);
    expect(() => load.addon.conv2dBackpropFilter(new Float32Array(32), new Float32Array(32), new Float32Array(9), Int32Array.of(2, 4, 4, 1, 3, 3, 1, 1, 1, 3, 1, 4, 4))).toThrow(/invalid convolution shape/);
  });
});
