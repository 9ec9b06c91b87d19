import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom, seededNormal, seededUniform, tfjsSeed } from '../../src/backend/random.js';
import { meanAndVariance, useCpu, values } from './helpers.js';

beforeAll(useCpu);

const draws = (rng: SeededRandom, n: number): number[] => Array.from({ length: n }, () => rng.nextSeed());

describe('SeededRandom', () => {
  it('is deterministic per seed, and 0 is a seed like any other', () => {
    expect(draws(new SeededRandom(0), 5)).toEqual(draws(new SeededRandom(0), 5));
    expect(draws(new SeededRandom(0), 5)).not.toEqual(draws(new SeededRandom(1), 5));
    expect(draws(new SeededRandom(2 ** 40), 5)).not.toEqual(draws(new SeededRandom(0), 5));
  });

  it('gives 32-bit seeds and floats on [0, 1) with mean 1/2 (within 4 standard errors)', () => {
    const rng = new SeededRandom(123);
    const seeds = draws(rng, 1000);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(new Set(seeds).size).toBe(1000);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => rng.nextFloat());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Var U(0,1) = 1/12, so SE(mean) = sqrt(1/(12 n)).
    expect(Math.abs(meanAndVariance(xs).mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / (12 * n)));
  });

  it('forks streams that differ from the parent', () => {
    const parent = new SeededRandom(9);
    const child = parent.fork();
    expect(draws(child, 4)).not.toEqual(draws(parent, 4));
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new SeededRandom(0.5)).toThrow(/safe integer/);
    expect(() => new SeededRandom(Number.NaN)).toThrow(/safe integer/);
  });
});

describe('seeded tfjs noise', () => {
  it('maps seeds one-to-one to non-zero tfjs seeds', () => {
    expect([-2, -1, 0, 1, 2].map(tfjsSeed)).toEqual([-2, -1, 1, 2, 3]);
  });

  it('makes seed 0 reproducible (tf.randomNormal alone would ignore it)', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(values(seededNormal([16], 0))).toEqual(values(seededNormal([16], 0)));
      expect(values(seededNormal([16], 0))).not.toEqual(values(seededNormal([16], 1)));
      expect(values(seededUniform([16], -1, 1, 0))).toEqual(values(seededUniform([16], -1, 1, 0)));
      const u = values(seededUniform([1000], -0.5, 0.5, 3));
      expect(u.every((x) => x >= -0.5 && x < 0.5)).toBe(true);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a non-integer seed', () => {
    expect(() => seededNormal([2], 1.5)).toThrow("Argument 'seed' passed to 'seededNormal' must be a safe integer");
  });
});
