/**
 * The VampPrior's density in a trace (Tomczak & Welling 2018): the guide's
 * distribution of the latent evaluated at the K pseudo-inputs, as one
 * distribution whose parameters carry K on their leading axis, mixed equally.
 * Pseudo-inputs are model parameters; the guide's networks are shared with
 * the guide (their gradients from the prior flow into them, as in the paper).
 */
import * as tf from '@tensorflow/tfjs';
import type { IrSample } from '../../ir/ir.js';
import type { Distribution } from '../distributions/distribution.js';
import { UniformMixture } from '../distributions/uniform-mixture.js';
import { expandTo } from '../ops/expand.js';
import { createDistribution } from './distribution-factory.js';
import { evaluateExpr, type Environment } from './evaluate-expr.js';

/**
 * p(z) = (1/K) Σ_k q(z | u_k) for a sample statement with `vampPrior`.
 *
 * @param stmt the model's statement: the guide's family and parameters, and the pseudo-inputs
 * @param env the trace's environment (its parameters and networks; its values are not read)
 * @param lead the value's leading axes, `[k, batch]`: components get shape `[K, 1, 1, ...event]`
 */
export function vampPriorDistribution(stmt: IrSample, env: Environment, lead: readonly number[]): Distribution {
  const prior = stmt.vampPrior;
  if (prior === undefined) throw new Error(`internal: '${stmt.name}' has no VampPrior`);
  const values = new Map<string, tf.Tensor>();
  for (const [data, parameter] of Object.entries(prior.pseudoInputs)) values.set(data, env.variables.get(parameter)!); // [K, ...data shape]
  const local: Environment = { values, variables: env.variables, nets: env.nets };
  for (const definition of prior.definitions) values.set(definition.name, evaluateExpr(definition.value, local));
  const K = prior.components;
  const componentShape = [K, ...lead.map(() => 1), ...stmt.shape];
  const params = Object.fromEntries(
    Object.entries(stmt.params).map(([name, expr]) => [name, tf.reshape(expandTo(evaluateExpr(expr, local), [K, ...stmt.shape]), componentShape)]),
  );
  return new UniformMixture(createDistribution(stmt.family, params));
}
