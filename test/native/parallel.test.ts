/**
 * Calls large enough for the addon to split across its worker threads (over
 * 128K elements), with chunk boundaries falling inside rows: binary with
 * broadcasting, unary, strided copies and each reduction pattern must still
 * match the cpu kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../src/backend/native/addon.js';
import { size } from './arbitraries.js';
import { expectSameOutputs, nativeBuilt, runOnBoth, testValues, type Input } from './helpers.js';

const input = (shape: number[], seed: number): Input => ({ shape, values: testValues(size(shape), seed, { specials: true }) });

describe.skipIf(!nativeBuilt)('native kernels on large inputs (split across threads)', () => {
  it('reports how many threads the kernels use', () => {
    const load = loadNativeAddon();
    expect(load.ok && load.info.kernelThreads).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [[7, 173, 211], [173, 1]],
    [[3, 50000], [1, 50000]],
    [[131101], [1]],
  ])('Multiply %j by %j', (a, b) => {
    const { cpu, native } = runOnBoth(tf.Multiply, { a: input(a, 1), b: input(b, 2) }, {}, 3);
    expectSameOutputs(native, cpu, 0, 0, 'Multiply');
  });

  it.each([tf.Softplus, tf.Neg, tf.Exp])('%s on 300007 elements', (kernel) => {
    const { cpu, native } = runOnBoth(kernel, { x: input([300007], 3) }, {}, 1);
    expectSameOutputs(native, cpu, 2e-6, 1e-37, kernel);
  });

  it.each([
    { a: [300, 200], b: [200, 150], transposeA: false, transposeB: false },
    { a: [200, 150], b: [300, 200], transposeA: true, transposeB: true },
    { a: [130, 200], b: [301, 200], transposeA: false, transposeB: true },
    { a: [2, 200, 130], b: [200, 170], transposeA: true, transposeB: false },
    { a: [3, 64, 300], b: [300, 257], transposeA: false, transposeB: false },
  ])('BatchMatMul $a·$b (tA $transposeA, tB $transposeB), split across threads', ({ a, b, transposeA, transposeB }) => {
    const inputs = { a: { shape: a, values: testValues(size(a), 7) }, b: { shape: b, values: testValues(size(b), 8) } };
    const { cpu, native } = runOnBoth(tf.BatchMatMul, inputs, { transposeA, transposeB }, 2);
    // Sums of 150..300 products of N(0,1) numbers: float32 error far below 1e-3 either way.
    expectSameOutputs(native, cpu, 1e-4, 1e-3, 'BatchMatMul');
  });

  it('Transpose and Tile', () => {
    const t = runOnBoth(tf.Transpose, { x: input([61, 70, 43], 4) }, { perm: [2, 0, 1] });
    expectSameOutputs(t.native, t.cpu, 0, 0, 'Transpose');
    const tile = runOnBoth(tf.Tile, { x: input([1, 97, 451], 5) }, { reps: [5, 1, 1] });
    expectSameOutputs(tile.native, tile.cpu, 0, 0, 'Tile');
  });

  it.each([
    [[1000, 451], [1]],
    [[1000, 451], [0]],
    [[20, 300, 45], [1]],
    [[20, 30, 450], [0, 2]],
  ])('Sum and Max of %j over axes %j', (shape, axes) => {
    const x = input(shape, 6);
    const sum = runOnBoth(tf.Sum, { x }, { axis: axes, keepDims: false });
    const total = x.values.reduce((t, v) => (Number.isFinite(v) ? t + Math.abs(v) : t), 0);
    expectSameOutputs(sum.native, sum.cpu, 1e-6, 1e-12 * total + 1e-9, 'Sum');
    const max = runOnBoth(tf.Max, { x }, { reductionIndices: axes, keepDims: true });
    expectSameOutputs(max.native, max.cpu, 0, 0, 'Max');
  });
});
