/**
 * Runs the generative model forward from chosen latent values to the mean of
 * the observed variable: the decoder as a function, for latent traversals
 * (seed 000 sec. 5.4, projective fields). Latents not given are 0.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluateExpr, type Environment } from '../../backend/compile/evaluate-expr.js';
import type { StrataModel } from '../../driver/strata-model.js';
import { shapeSize, type IrSample } from '../../ir/ir.js';
import { UserError } from '../../util/user-error.js';

/** The observed variable's sample statement (the model's likelihood). */
export function likelihoodOf(model: StrataModel): IrSample {
  const observed = model.ir.model.filter((s): s is IrSample => s.kind === 'sample' && s.observed);
  if (observed.length !== 1) throw new UserError(`${model.name}: latent traversal needs one observed variable, the model has ${observed.length}`);
  return observed[0]!;
}

/** The mean of the likelihood's family given its parameters (StudentT: its location, the mean for df > 1). */
function meanOf(stmt: IrSample, params: Record<string, tf.Tensor>): tf.Tensor {
  const p = (name: string): tf.Tensor => params[name]!;
  switch (stmt.family) {
    case 'Bernoulli':
      return tf.sigmoid(p('logits'));
    case 'OneHotCategorical':
      return tf.softmax(p('logits'));
    case 'Categorical': // the expected index Σ_k k·softmax(logits)_k, [.., 1]
      return tf.sum(tf.mul(tf.softmax(p('logits')), tf.range(0, p('logits').shape.at(-1)!)), -1, true);
    case 'LogNormal':
      return tf.exp(tf.add(p('loc'), tf.mul(0.5, tf.square(p('scale')))));
    case 'Gamma':
      return tf.div(p('concentration'), p('rate'));
    case 'Beta':
      return tf.div(p('a'), tf.add(p('a'), p('b')));
    case 'Exponential':
      return tf.reciprocal(p('rate'));
    case 'Normal':
    case 'Laplace':
    case 'StudentT':
      return p('loc');
    case 'MixtureNormal': { // Σ_j softmax(logits)_j · μ_j, locs [..., K·d] read as [..., K, d]
      const weights = tf.softmax(p('logits'));
      const K = weights.shape.at(-1)!;
      const locs = p('locs');
      const components = tf.reshape(locs, [...locs.shape.slice(0, -1), K, locs.shape.at(-1)! / K]);
      return tf.sum(tf.mul(tf.expandDims(weights, -1), components), -2);
    }
  }
}

/**
 * E[x | latent = values, other latents = 0] for each row of `values`.
 *
 * @param latent the latent to set
 * @param values `[m, d]` row-major values of that latent
 * @returns `[m, X]` row-major means of the observed variable
 * @example const [plus, minus] = ...; decodeLatent(model, 'z1', Float32Array.of(...))
 */
export async function decodeLatent(model: StrataModel, latent: string, values: Float32Array): Promise<Float32Array> {
  const variable = model.ir.latents.find((l) => l.name === latent);
  if (!variable) throw new UserError(`${model.name} has no latent '${latent}'`);
  const d = variable.shape[0] ?? 1;
  const m = values.length / d;
  const likelihood = likelihoodOf(model);
  const mean = tf.tidy(() => {
    const env: Environment = {
      values: new Map<string, tf.Tensor>([
        ...model.ir.latents.map((l) => [l.name, l.name === latent ? tf.tensor3d(values, [1, m, d]) : tf.zeros([1, m, l.shape[0] ?? 1])] as const),
        ...model.ir.data.map((v) => [v.name, tf.zeros([m, ...v.shape])] as const),
      ]),
      variables: model.compiled.variables,
      nets: new Map(model.ir.nets.map((n) => [n.name, n])),
    };
    const values_ = env.values as Map<string, tf.Tensor>;
    for (const stmt of model.ir.model) {
      if (stmt.kind === 'let') values_.set(stmt.name, evaluateExpr(stmt.value, env));
    }
    const params = Object.fromEntries(Object.entries(likelihood.params).map(([name, expr]) => [name, evaluateExpr(expr, env)]));
    const width = shapeSize(likelihood.shape); // an image's pixels, row-major
    return tf.reshape(tf.broadcastTo(meanOf(likelihood, params), [1, m, ...likelihood.shape]), [m, width]);
  });
  const out = (await mean.data()) as Float32Array;
  mean.dispose();
  return out;
}

/**
 * Projective fields by latent traversal: decode(+c·e_j) − decode(−c·e_j) for
 * each coordinate j (for a linear decoder x = z·W + b this is 2c·W[j]).
 *
 * @returns `[d, X]` row-major, field j in row j
 */
export async function traversalFields(model: StrataModel, latent: string, c: number): Promise<Float32Array> {
  const variable = model.ir.latents.find((l) => l.name === latent);
  if (!variable) throw new UserError(`${model.name} has no latent '${latent}'`);
  const d = variable.shape[0] ?? 1;
  const values = new Float32Array(2 * d * d);
  for (let j = 0; j < d; j++) {
    values[j * d + j] = c;
    values[(d + j) * d + j] = -c;
  }
  const decoded = await decodeLatent(model, latent, values);
  const width = decoded.length / (2 * d);
  const fields = new Float32Array(d * width);
  for (let i = 0; i < d * width; i++) fields[i] = decoded[i]! - decoded[d * width + i]!;
  return fields;
}

/** The latents the likelihood depends on directly (the decoder's inputs): z1 in TDVAE. */
export function decoderLatents(model: StrataModel): string[] {
  return likelihoodOf(model).parents.filter((p) => model.ir.latents.some((l) => l.name === p));
}
