/** Builds a backend distribution from an IR family and evaluated parameters. */
import type * as tf from '@tensorflow/tfjs';
import type { DistributionFamily } from '../../ir/ir.js';
import { Bernoulli, Laplace, Normal, type Distribution, type DistributionOptions } from '../distributions/index.js';

/**
 * @param family the IR family
 * @param params evaluated parameters by name (loc/scale or logits)
 * @param options `{ sampleAxis: true }` when the parameters carry the k axis
 */
export function createDistribution(family: DistributionFamily, params: Readonly<Record<string, tf.Tensor>>, options: DistributionOptions = {}): Distribution {
  switch (family) {
    case 'Normal':
      return new Normal(params['loc']!, params['scale']!, options);
    case 'Laplace':
      return new Laplace(params['loc']!, params['scale']!, options);
    case 'Bernoulli':
      return new Bernoulli(params['logits']!, options);
  }
}
