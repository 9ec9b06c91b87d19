/**
 * Fallbacks are visible: a kernel the native backend lacks (or an input it
 * does not handle, such as int32) runs the cpu kernel, gives the cpu
 * kernel's answer and is counted as a fallback; STRATA_NATIVE_STATS=1
 * times the kernels and prints the table at exit.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNativeKernelStats, nativeKernelStats, resetNativeKernelStats } from '../../src/backend/native/stats.js';
import { nativeBackend, nativeBuilt } from './helpers.js';

describe.skipIf(!nativeBuilt)('native kernel statistics', () => {
  beforeAll(async () => {
    nativeBackend();
    await tf.setBackend('native');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('counts native calls and fallbacks per kernel, and fallbacks give the cpu answer', () => {
    resetNativeKernelStats();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const sum = tf.add(x, x);
    const cumsum = tf.cumsum(x, 1); // no native Cumsum
    const ints = tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')); // int32: cpu kernel
    expect(Array.from(sum.dataSync())).toEqual([2, 4, 6, 8]);
    expect(Array.from(cumsum.dataSync())).toEqual([1, 3, 3, 7]);
    expect(Array.from(ints.dataSync())).toEqual([4, 6]);
    const stats = nativeKernelStats();
    expect(stats['Add']).toEqual({ native: 1, fallback: 1 });
    expect(stats['Cumsum']).toEqual({ native: 0, fallback: 1 });
    const table = formatNativeKernelStats(stats);
    expect(table).toMatch(/^Cumsum\s+0\s+1\s+<- fallback to the JavaScript cpu kernel$/m);
    expect(table.split('\n')[1]).toMatch(/^(Add|Cumsum)\b.*<- fallback/); // fallbacks listed first
    tf.dispose([x, sum, cumsum, ints]);
  });

  it('prints the table at exit with STRATA_NATIVE_STATS=1', () => {
    const child = spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url)), fileURLToPath(new URL('./fixtures/stats-child.ts', import.meta.url))], {
      encoding: 'utf8',
      env: { ...process.env, STRATA_NATIVE_STATS: '1' },
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stderr).toContain('strata native backend: kernel calls (STRATA_NATIVE_STATS)');
    // With the report on, kernels are timed too: a milliseconds column.
    expect(child.stderr).toMatch(/^kernel\s+native\s+fallback\s+ms$/m);
    expect(child.stderr).toMatch(/^Cumsum\s+0\s+1\s+\d+\.\d\s+<- fallback/m);
    expect(child.stderr).toMatch(/^Multiply\s+1\s+0\s+\d+\.\d$/m);
  });
});
