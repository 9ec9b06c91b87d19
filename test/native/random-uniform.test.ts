/**
 * The native uniform generator reproduces tf.randomUniform bit for bit: the
 * Alea seeding matches seedrandom's, and seededUniform gives the same
 * float32 numbers on the native backend (addon) as on the cpu backend
 * (tfjs-core's JavaScript loop) for any seed, shape and range.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../../src/backend/random.js';
import { aleaState } from '../../src/backend/native/random-uniform.js';
import { nativeKernelStats, resetNativeKernelStats } from '../../src/backend/native/stats.js';
import { nativeBackend, nativeBuilt } from './helpers.js';

// seedrandom is tfjs-core's dependency: resolve it from there.
const fromCore = createRequire(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core'));
const alea = fromCore('seedrandom/lib/alea') as (seed: string, opts: { state: true }) => { state(): { c: number; s0: number; s1: number; s2: number } };

describe('aleaState', () => {
  it('seeds exactly as seedrandom.alea(seed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer().map(String), fc.double({ noNaN: true }).map(String), fc.string()), (seed) => {
        const { c, s0, s1, s2 } = alea(seed, { state: true }).state();
        expect(Array.from(aleaState(seed))).toEqual([s0, s1, s2, c]);
      }),
    );
  });
});

describe.skipIf(!nativeBuilt)('native uniform noise', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives seededUniform the cpu backend\'s numbers bit for bit', async () => {
    nativeBackend();
    const arb = fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
      seed: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      low: fc.double({ min: -10, max: 10, noNaN: true }),
      width: fc.double({ min: 1e-3, max: 10, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ shape, seed, low, width }) => {
        await tf.setBackend('native');
        resetNativeKernelStats();
        const native = tf.tidy(() => Array.from(seededUniform(shape, low, low + width, seed).dataSync()));
        expect(nativeKernelStats()['StrataNativeUniform']?.native).toBe(1);
        await tf.setBackend('cpu');
        const cpu = tf.tidy(() => Array.from(seededUniform(shape, low, low + width, seed).dataSync()));
        expect(native).toEqual(cpu);
      }),
      { numRuns: 40 },
    );
  });
});
