/** Builds a backend distribution from an IR family and evaluated parameters. */
import type * as tf from '@tensorflow/tfjs';
import type { DistributionFamily } from '../../ir/ir.js';
import {
  Bernoulli,
  Beta,
  Categorical,
  Exponential,
  Gamma,
  Laplace,
  LogNormal,
  MixtureNormal,
  Normal,
  OneHotCategorical,
  StudentT,
  type Distribution,
  type DistributionOptions,
} from '../distributions/index.js';

/**
 * @param family the IR family
 * @param params evaluated parameters by name (the names of DISTRIBUTION_PARAMETERS in ir.ts)
 * @param options `{ sampleAxis: true }` when the parameters carry the k axis
 */
export function createDistribution(family: DistributionFamily, params: Readonly<Record<string, tf.Tensor>>, options: DistributionOptions = {}): Distribution {
  const p = (name: string): tf.Tensor => params[name]!;
  switch (family) {
    case 'Normal':
      return new Normal(p('loc'), p('scale'), options);
    case 'Laplace':
      return new Laplace(p('loc'), p('scale'), options);
    case 'StudentT':
      return new StudentT(p('df'), p('loc'), p('scale'), options);
    case 'LogNormal':
      return new LogNormal(p('loc'), p('scale'), options);
    case 'Gamma':
      return new Gamma(p('concentration'), p('rate'), options);
    case 'Beta':
      return new Beta(p('a'), p('b'), options);
    case 'Exponential':
      return new Exponential(p('rate'), options);
    case 'Bernoulli':
      return new Bernoulli(p('logits'), options);
    case 'Categorical':
      return new Categorical(p('logits'), options);
    case 'OneHotCategorical':
      return new OneHotCategorical(p('logits'), options);
    case 'MixtureNormal':
      return new MixtureNormal(p('logits'), p('locs'), p('scales'), options);
  }
}
