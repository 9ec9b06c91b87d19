/**
 * Choosing the native backend: automatic (after tfjs-node, before wasm),
 * by argument and by STRATA_BACKEND; and describeBackendChoice says which.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { availableBackends, describeBackendChoice, selectBackend } from '../../src/backend/backend.js';
import { fastGradientsRegistered } from '../../src/backend/fast-gradients.js';
import { nativeBuilt } from './helpers.js';

const require = createRequire(import.meta.url);
const hasTfjsNode = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((pkg) => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

afterEach(() => {
  delete process.env['STRATA_BACKEND'];
});

describe.skipIf(!nativeBuilt)('selecting the native backend', () => {
  it.skipIf(hasTfjsNode)('is the automatic choice when tfjs-node is absent, and says so', async () => {
    expect(await selectBackend()).toBe('native');
    expect(tf.getBackend()).toBe('native');
    expect(describeBackendChoice()).toBe('native');
  });

  it('is chosen by STRATA_BACKEND=native and listed as available', async () => {
    await selectBackend('cpu');
    process.env['STRATA_BACKEND'] = 'native';
    expect(await selectBackend()).toBe('native');
    expect(await availableBackends()).toEqual(expect.arrayContaining(['native', 'wasm', 'cpu']));
  });

  it('uses the stock BatchMatMul gradient (transposes go to BLAS) unless wasm replaced it', async () => {
    await selectBackend('native');
    // The gradient registry is global: only a wasm selection in this process swaps BatchMatMul's.
    expect(fastGradientsRegistered()).toBe(false);
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, b]);
    expect(Array.from(da!.dataSync())).toEqual([1, 1, 2, 1, 1, 2]);
    expect(Array.from(db!.dataSync())).toEqual([5, 5, 7, 7, 9, 9]);
    tf.dispose([a, b, da!, db!]);
  });
});
