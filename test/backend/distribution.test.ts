import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli, Laplace, Normal } from '../../src/backend/distributions/index.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

describe('distribution shapes', () => {
  it('adds the particle axis in front of parameters that lack it: [batch, d] -> [k, batch, d]', () => {
    tf.tidy(() => {
      const q = new Normal(tf.zeros([5, 3]), tf.ones([5, 3]));
      expect(q.batchShape).toEqual([5, 3]);
      expect(q.rsample(4, 0).shape).toEqual([4, 5, 3]);
      expect(q.logProb(q.rsample(4, 0)).shape).toEqual([4, 5]);
    });
  });

  it('with { sampleAxis: true } draws one value per particle: [k, batch, d] -> [k, batch, d]', () => {
    tf.tidy(() => {
      for (const q of [
        new Normal(tf.zeros([4, 5, 3]), tf.ones([3]), { sampleAxis: true }),
        new Laplace(tf.zeros([4, 5, 3]), tf.ones([3]), { sampleAxis: true }),
      ]) {
        expect(q.batchShape).toEqual([5, 3]);
        expect(q.rsample(4, 1).shape).toEqual([4, 5, 3]);
        expect(() => q.rsample(6, 1)).toThrow(/k = 6 particles, but the parameters' sample axis has size 4/);
      }
      const b = new Bernoulli(tf.zeros([4, 5, 3]), { sampleAxis: true });
      expect(b.sample(4, 0).shape).toEqual([4, 5, 3]);
    });
  });

  it('reports bad arguments by name', () => {
    tf.tidy(() => {
      expect(() => new Normal(0 as unknown as tf.Tensor, tf.ones([1]))).toThrow(
        "Argument 'loc' passed to 'Normal' must be a Tensor, but got number",
      );
      expect(() => new Laplace(tf.zeros([3]), tf.ones([2]))).toThrow(
        'Laplace parameters: shapes [3] and [2] cannot be broadcast together',
      );
      expect(() => new Normal(tf.scalar(0), tf.scalar(1))).toThrow(/need an event axis/);
      expect(() => new Normal(tf.zeros([2]), tf.ones([2])).rsample(0)).toThrow(
        "Argument 'k' passed to 'Normal.sample' must be an integer >= 1, but got 0",
      );
      expect(() => new Normal(tf.zeros([2]), tf.ones([2])).rsample(2, 0.5)).toThrow(/safe integer/);
      expect(() => new Bernoulli(tf.zeros([2])).logProb(tf.scalar(1))).toThrow(
        "Argument 'value' passed to 'Bernoulli.logProb' must have rank at least 1",
      );
    });
  });
});
