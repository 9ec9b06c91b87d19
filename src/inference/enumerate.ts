/**
 * Exact enumeration of small discrete latent spaces (Pyro's `enumerate`,
 * seed 004 ch. 5.1): when every latent of a model is discrete with few
 * values, the marginal likelihood is a finite sum,
 *
 *   log p(x) = logSumExp_s log p(x, z_s)   over the joint states z_s,
 *
 * exactly, so an IWAE bound (which must approach it from below) and the
 * gradients of the ELBO and of the IWAE bound (exact-bounds.ts) can be
 * checked against truth. A Bernoulli latent of d bits has 2^d values, a
 * OneHotCategorical or Categorical of K categories K; the joint states are
 * their product, in mixed radix (the first latent varies slowest).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CompiledModel } from '../backend/compile/compiled-model.js';
import { isDiscreteFamily, shapeSize, type IrModel, type IrSample } from '../ir/ir.js';
import { UserError } from '../util/user-error.js';

/** Joint states of a model's latents. */
export interface EnumeratedStates {
  /** S, the number of joint states. */
  readonly count: number;
  /** Per latent, its value in each joint state: `[S, d]` row-major. */
  readonly values: ReadonlyMap<string, Float32Array>;
  readonly dims: ReadonlyMap<string, number>;
}

export interface EnumerateOptions {
  /** Largest number of joint states to enumerate (default 4096). */
  readonly maxStates?: number;
  /** The guide scored alongside (default the model's). */
  readonly guide?: string;
}

/** The values one latent takes: `[n, d]` row-major rows, for the model's statement. */
function latentValues(stmt: IrSample): { rows: Float32Array[]; d: number } {
  const d = shapeSize(stmt.shape);
  switch (stmt.family) {
    case 'Bernoulli':
      if (d > 30) return { rows: new Array<Float32Array>(2 ** 31), d }; // too many: refused by the caller
      return { rows: Array.from({ length: 2 ** d }, (_, s) => Float32Array.from({ length: d }, (_, j) => (s >> (d - 1 - j)) & 1)), d };
    case 'OneHotCategorical':
      return { rows: Array.from({ length: d }, (_, s) => Float32Array.from({ length: d }, (_, j) => (j === s ? 1 : 0))), d };
    case 'Categorical': {
      const K = stmt.params['logits']!.shape[0]!;
      return { rows: Array.from({ length: K }, (_, s) => Float32Array.of(s)), d: 1 };
    }
    default:
      throw new UserError(`enumerate: latent '${stmt.name}' is ${stmt.family}, which is continuous; exact enumeration needs every latent discrete (Bernoulli, Categorical, OneHotCategorical)`);
  }
}

/**
 * Every joint state of the model's latents.
 * @throws when a latent is continuous or there are more than `maxStates` states
 */
export function enumerateStates(ir: IrModel, options: EnumerateOptions = {}): EnumeratedStates {
  const maxStates = options.maxStates ?? 4096;
  const statements = ir.latents.map((l) => ir.model.find((s): s is IrSample => s.kind === 'sample' && s.name === l.name)!);
  const perLatent = statements.map((stmt) => ({ name: stmt.name, discrete: isDiscreteFamily(stmt.family), ...latentValues(stmt) }));
  const count = perLatent.reduce((n, l) => n * l.rows.length, 1);
  if (!(count <= maxStates)) {
    throw new UserError(`enumerate: the latents have ${count} joint states (${perLatent.map((l) => `${l.name}: ${l.rows.length}`).join(', ')}), more than maxStates = ${maxStates}`);
  }
  const values = new Map<string, Float32Array>();
  let stride = count;
  for (const latent of perLatent) {
    const n = latent.rows.length;
    stride /= n;
    const out = new Float32Array(count * latent.d);
    for (let s = 0; s < count; s++) out.set(latent.rows[Math.floor(s / stride) % n]!, s * latent.d);
    values.set(latent.name, out);
  }
  return { count, values, dims: new Map(perLatent.map((l) => [l.name, l.d])) };
}

/** log p(x, z_s) and log q(z_s | x) of every joint state. */
export interface EnumeratedJoint {
  /** `[S, batch]` */
  readonly logJoint: Tensor;
  /** `[S, batch]` */
  readonly logQ: Tensor;
}

/**
 * Scores every joint state under the model and the guide (call inside
 * `tf.tidy`; differentiable in the parameters).
 *
 * @param data observed variables, `[batch, d]` each
 */
export function enumerateJoint(model: CompiledModel, data: Readonly<Record<string, Tensor>>, options: EnumerateOptions = {}): EnumeratedJoint {
  const states = enumerateStates(model.ir, options);
  const batch = Object.values(data)[0]?.shape[0] ?? 1;
  const S = states.count;
  const values = new Map([...states.values].map(([name, v]) => {
    const d = states.dims.get(name)!;
    return [name, tf.broadcastTo(tf.tensor3d(v, [S, 1, d]), [S, batch, d])] as const;
  }));
  const trace = model.trace(data, { k: S, seed: 0, values, ...(options.guide ? { guide: options.guide } : {}) });
  let logJoint: Tensor = tf.zeros([S, trace.batch]);
  for (const logP of trace.observed.values()) logJoint = tf.add(logJoint, logP);
  let logQ: Tensor = tf.zeros([S, trace.batch]);
  for (const term of trace.latents) {
    logJoint = tf.add(logJoint, term.logP);
    logQ = tf.add(logQ, term.logQ);
  }
  return { logJoint, logQ };
}

/**
 * The exact log p(x) per data point by enumeration: logSumExp over the joint states of log p(x, z).
 * @returns `[batch]`
 * @example await exactLogMarginal(model.compiled, { x }) // Float32Array
 */
export async function exactLogMarginal(model: CompiledModel, data: Readonly<Record<string, Tensor>>, options: EnumerateOptions = {}): Promise<Float32Array> {
  const result = tf.tidy(() => tf.logSumExp(enumerateJoint(model, data, options).logJoint, 0));
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}
