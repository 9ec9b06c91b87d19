import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bernoulli, Beta, Exponential, Gamma, Laplace, LogNormal, Normal, StudentT } from '../../src/backend/distributions/index.js';
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

  it('gives every reparameterized family the same sample and log-density shapes, with and without a sample axis', () => {
    tf.tidy(() => {
      const families = (lead: number[]) => {
        const ones = tf.ones([...lead, 5, 3]);
        return [
          new StudentT(tf.fill([3], 4), tf.zeros([...lead, 5, 3]), tf.ones([3]), { sampleAxis: lead.length > 0 }),
          new LogNormal(tf.zeros([...lead, 5, 3]), tf.ones([3]), { sampleAxis: lead.length > 0 }),
          new Gamma(ones, tf.ones([3]), { sampleAxis: lead.length > 0 }),
          new Beta(ones, tf.fill([3], 2), { sampleAxis: lead.length > 0 }),
          new Exponential(ones, { sampleAxis: lead.length > 0 }),
        ];
      };
      for (const q of families([])) {
        expect(q.reparameterized).toBe(true);
        expect(q.rsample(4, 0).shape).toEqual([4, 5, 3]);
        expect(q.logProb(q.rsample(4, 0)).shape).toEqual([4, 5]);
      }
      for (const q of families([4])) {
        expect(q.batchShape).toEqual([5, 3]);
        expect(q.rsample(4, 1).shape).toEqual([4, 5, 3]);
        expect(q.logProb(q.rsample(4, 1)).shape).toEqual([4, 5]);
        expect(() => q.rsample(6, 1)).toThrow(/k = 6 particles, but the parameters' sample axis has size 4/);
      }
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
      expect(() => new Gamma(tf.ones([2]), 2 as unknown as tf.Tensor)).toThrow("Argument 'rate' passed to 'Gamma' must be a Tensor, but got number");
      expect(() => new Beta(tf.ones([3]), tf.ones([2]))).toThrow('Beta parameters: shapes [3] and [2] cannot be broadcast together');
      expect(() => new Bernoulli(tf.zeros([2])).logProb(tf.scalar(1))).toThrow(
        "Argument 'value' passed to 'Bernoulli.logProb' must have rank at least 1",
      );
    });
  });
});
