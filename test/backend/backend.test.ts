import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeBackendName, availableBackends, selectBackend, wasmBinaryDirectory } from '../../src/backend/backend.js';
import { fastGradientsRegistered } from '../../src/backend/fast-gradients.js';
import { loadNativeAddon } from '../../src/backend/native/addon.js';
import { seededNormal } from '../../src/backend/random.js';
import { expectClose } from './helpers.js';

const require = createRequire(import.meta.url);
const installed = (pkg: string): boolean => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const hasNodeGpu = installed('@tensorflow/tfjs-node-gpu');
const hasNode = installed('@tensorflow/tfjs-node');
const hasNative = loadNativeAddon().ok;

afterEach(() => {
  delete process.env['STRATA_BACKEND'];
  vi.unstubAllGlobals();
});

/** y = a·b and its gradients, on whatever backend is active. */
function matMulAndGrads(): { y: number[]; da: number[]; db: number[] } {
  return tf.tidy(() => {
    const a = seededNormal([64, 48], 1);
    const b = seededNormal([48, 32], 2);
    const dy = seededNormal([64, 32], 3);
    const f = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.sum(tf.mul(dy, tf.matMul(x, w)));
    const [da, db] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([a, b]);
    return { y: Array.from(tf.matMul(a, b).dataSync()), da: Array.from(da!.dataSync()), db: Array.from(db!.dataSync()) };
  });
}

describe('selectBackend', () => {
  it('loads wasm offline from the package folder and runs a matmul and its gradient', async () => {
    await tf.setBackend('cpu');
    const onCpu = matMulAndGrads();
    // Any network fetch would throw: the binary must come from the file system.
    vi.stubGlobal('fetch', () => {
      throw new Error('network access attempted');
    });
    expect(wasmBinaryDirectory()).toMatch(/tfjs-backend-wasm[\\/]dist[\\/]$/);
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(activeBackendName()).toBe('wasm');
    expect(fastGradientsRegistered()).toBe(true);
    const before = tf.memory().numTensors;
    const onWasm = matMulAndGrads();
    expect(tf.memory().numTensors).toBe(before);
    expectClose(tf.tensor(onWasm.y), onCpu.y, 1e-4, 1e-4);
    expectClose(tf.tensor(onWasm.da), onCpu.da, 1e-4, 1e-4);
    expectClose(tf.tensor(onWasm.db), onCpu.db, 1e-4, 1e-4);
  });

  it('is memoized: a second call resolves quickly to the same backend', async () => {
    await selectBackend('wasm');
    const start = performance.now();
    const [first, second] = await Promise.all([selectBackend('wasm'), selectBackend('wasm')]);
    expect(performance.now() - start).toBeLessThan(100);
    expect([first, second]).toEqual(['wasm', 'wasm']);
  });

  it('chooses automatically: tensorflow when tfjs-node is installed, else native when built, else wasm', async () => {
    const name = await selectBackend();
    expect(name).toBe(hasNodeGpu || hasNode ? 'tensorflow' : hasNative ? 'native' : 'wasm');
    expect(activeBackendName()).toBe(name);
  });

  it('takes STRATA_BACKEND over the automatic choice, and the argument over STRATA_BACKEND', async () => {
    process.env['STRATA_BACKEND'] = 'cpu';
    expect(await selectBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(await selectBackend()).toBe('cpu');
  });

  it('rejects an unknown name, listing the valid ones and suggesting the nearest', async () => {
    await expect(selectBackend('wam')).rejects.toThrow(
      "Unknown backend 'wam' (from the argument); expected one of node-gpu, node, native, wasm, cpu. Did you mean 'wasm'?",
    );
    process.env['STRATA_BACKEND'] = 'gpu';
    await expect(selectBackend()).rejects.toThrow(/Unknown backend 'gpu' \(from STRATA_BACKEND\)/);
  });

  it.skipIf(hasNodeGpu)('explains an explicit choice that cannot load and lists what can', async () => {
    const available = await availableBackends();
    expect(available).toContain('wasm');
    expect(available).toContain('cpu');
    process.env['STRATA_BACKEND'] = 'node-gpu';
    const failure = selectBackend();
    await expect(failure).rejects.toThrow(/Backend 'node-gpu' \(from STRATA_BACKEND\) cannot be loaded: /);
    await expect(failure).rejects.toThrow(/Available here: .*wasm, cpu; to use it, install @tensorflow\/tfjs-node-gpu/);
  });
});
