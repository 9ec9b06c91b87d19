/**
 * A checked model compiled onto the active tfjs backend: its variables and a
 * `trace` that runs a guide and the model on a batch, vectorized over k
 * importance samples and the batch (shapes `[k, batch, d]`, no JavaScript loop
 * over either).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { IrModel, IrNet, IrSample } from '../../ir/ir.js';
import { SeededRandom } from '../random.js';
import { expandTo } from '../ops/expand.js';
import { mixtureParameterShape } from '../distributions/mixture-normal.js';
import { applyFlow } from './apply-flow.js';
import { DetachedGuideScope } from './detached-guide-scope.js';
import { createDistribution } from './distribution-factory.js';
import { drawDiscrete, parameterEventShape, scoreDiscrete, type DiscreteDraw } from './discrete-latents.js';
import { evaluateExpr, type Environment } from './evaluate-expr.js';
import { flattenEvent, isShaped, shapeData } from './event-shape.js';
import { createVariables } from './parameters.js';
import { slicePartitions } from './slice-partitions.js';
import type { LatentTerm, Trace, TraceOptions } from './trace.js';
import { vampPriorDistribution } from './vamp-prior.js';
import { UserError } from '../../util/user-error.js';

export class CompiledModel {
  readonly variables: Map<string, Variable>;
  private readonly nets: Map<string, IrNet>;
  /** Values whose slices partition them, computed with one split (see slice-partitions.ts). */
  private readonly slicePartitions: Map<string, number[]>;
  private disposed = false;

  /**
   * @param ir the checked model
   * @param seed seed of the parameter initialization (0 is valid)
   */
  constructor(
    readonly ir: IrModel,
    seed: number,
  ) {
    this.variables = createVariables(ir.parameters, seed);
    this.nets = new Map(ir.nets.map((n) => [n.name, n]));
    this.slicePartitions = slicePartitions(ir);
  }

  /** Names of the guides; `defaultGuide` is used when none is named. */
  get guideNames(): string[] {
    return this.ir.guides.map((g) => g.name);
  }

  /** Trainable variables of the generative model (`model`) or of the guides (`guide`). */
  variablesOf(group: 'model' | 'guide' | 'all'): Variable[] {
    return this.ir.parameters
      .filter((p) => group === 'all' || p.owner.kind === group)
      .map((p) => this.variables.get(p.name)!);
  }

  /**
   * Samples the guide and scores guide and model (call inside `tf.tidy`).
   * @param data observed variables by name, each `[batch, d]`
   */
  trace(data: Readonly<Record<string, Tensor>>, options: TraceOptions): Trace {
    if (this.disposed) throw new Error('this model has been disposed');
    const k = options.k;
    const batch = this.batchSize(data);
    const guideName = options.guide ?? this.ir.defaultGuide;
    const guide = this.ir.guides.find((g) => g.name === guideName);
    if (!guide) throw new UserError(`unknown guide '${guideName}'; this model has ${this.guideNames.map((g) => `'${g}'`).join(', ')}`);
    const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    const values = new Map<string, Tensor>(Object.entries(data).map(([name, t]) => [name, this.shapedData(name, t)]));
    const env: Environment = { values, variables: this.variables, nets: this.nets, splits: { sizes: this.slicePartitions, parts: new Map() } };
    const samples = new Map<string, Tensor>();
    const logQ = new Map<string, Tensor>();
    const guideParams = new Map<string, Record<string, Tensor>>();
    const guideDists = new Map<string, ReturnType<typeof createDistribution>>();
    const detached = options.stickingTheLanding ? new DetachedGuideScope(env) : undefined;
    const scale = options.sampleGradientScale;
    if (scale && !detached) throw new Error('trace: sampleGradientScale needs stickingTheLanding (log q with the guide\'s parameters detached)');
    const scored = new Map<string, Tensor>(); // the samples as log p and log q see them (scaled when asked)
    const draws = new Map<string, DiscreteDraw>(); // discrete latents (discrete-latents.ts)
    for (const stmt of guide.statements) {
      if (stmt.kind === 'let') {
        const value = evaluateExpr(stmt.value, env);
        values.set(stmt.name, value);
        detached?.addLet(stmt, value);
        continue;
      }
      const sampleShape = [k, batch, ...parameterEventShape(stmt)];
      const params = this.sampleParams(stmt, env, sampleShape);
      const dist = createDistribution(stmt.family, params, { sampleAxis: true });
      const [seed, forced] = [rng.nextSeed(), options.values?.get(stmt.name)];
      const drawn = dist.reparameterized ? undefined : drawDiscrete(stmt.name, dist, options, seed, forced, detached !== undefined);
      if (drawn) draws.set(stmt.name, drawn);
      const base = drawn?.value ?? forced ?? dist.rsample(k, seed);
      const flowed = stmt.flow ? applyFlow(stmt.flow, base, env) : undefined; // log q(z) = log q0(z0) − log |det|
      const z = flowed?.value ?? base;
      values.set(stmt.name, z);
      samples.set(stmt.name, z);
      guideParams.set(stmt.name, params);
      if (!stmt.flow) guideDists.set(stmt.name, dist); // a flow's q is not its base's family: no closed-form KL
      if (scale && (drawn || flowed)) throw new Error(`trace: sampleGradientScale applies to reparameterized latents without a flow, not to '${stmt.name}'`);
      const zScored = scale ? scale.apply(z) : z;
      scored.set(stmt.name, zScored);
      const q = detached ? createDistribution(stmt.family, detached.params(stmt, params, (t) => expandTo(t, sampleShape)), { sampleAxis: true }) : dist;
      detached?.addSample(stmt.name, zScored);
      logQ.set(stmt.name, drawn ? scoreDiscrete(stmt.name, q, drawn) : flowed ? tf.sub(q.logProb(base), flowed.logDet) : q.logProb(zScored));
    }
    if (scale) scored.forEach((z, name) => values.set(name, z)); // the model scores the scaled samples
    const latents: LatentTerm[] = [];
    const observed = new Map<string, Tensor>();
    const full = (t: Tensor) => expandTo(t, [k, batch]);
    for (const stmt of this.ir.model) {
      if (stmt.kind === 'let') {
        values.set(stmt.name, evaluateExpr(stmt.value, env));
        continue;
      }
      const value = values.get(stmt.name)!;
      const dist = stmt.vampPrior
        ? vampPriorDistribution(stmt, env, [k, batch])
        : createDistribution(stmt.family, this.sampleParams(stmt, env, [k, batch, ...parameterEventShape(stmt)]), { sampleAxis: true });
      const drawn = stmt.observed ? undefined : draws.get(stmt.name);
      const logP = full(drawn ? scoreDiscrete(stmt.name, dist, drawn) : dist.logProb(flattenEvent(value, stmt.shape.length)));
      if (stmt.observed) {
        observed.set(stmt.name, logP);
        continue;
      }
      const q = guideDists.get(stmt.name); // absent for a flow
      // A relaxed latent has no closed-form KL: q and p are Concrete densities there, not q's family.
      const kl = options.analyticKl && q !== undefined && q.family === dist.family && drawn?.mode !== 'relaxed' ? q.kl?.(dist) : undefined;
      latents.push({ name: stmt.name, logP, logQ: logQ.get(stmt.name)!, ...(kl ? { kl: full(kl) } : {}), ...(drawn?.mode === 'score' ? { scoreFunction: true } : {}) });
    }
    return { k, batch, latents, observed, samples, guideParams, ...(scale ? { sampleGradientScale: scale } : {}) };
  }

  /** Evaluates a sample statement's parameters, broadcast to `shape`. */
  private sampleParams(stmt: IrSample, env: Environment, shape: number[]): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, expr] of Object.entries(stmt.params)) {
      const value = evaluateExpr(expr, env);
      const target = stmt.family === 'MixtureNormal' ? mixtureParameterShape(shape, stmt.shape.length, expr.shape) : shape; // its own event axes
      out[name] = flattenEvent(expandTo(value, target), stmt.shape.length); // images: one event axis
    }
    return out;
  }

  private batchSize(data: Readonly<Record<string, Tensor>>): number {
    const sizes = this.ir.data.map((d) => {
      const t = data[d.name];
      if (!t) throw new UserError(`missing data '${d.name}'`);
      isShaped(d.name, t, d.shape);
      return t.shape[0]!;
    });
    if (new Set(sizes).size > 1) throw new UserError(`data arrays have different numbers of rows: ${sizes.join(', ')}`);
    return sizes[0] ?? 1;
  }

  /** Data as the model sees it: flat rows `[batch, h·w·c]` of an image variable become `[batch, h, w, c]`. */
  private shapedData(name: string, t: Tensor): Tensor {
    const variable = this.ir.data.find((d) => d.name === name);
    return variable === undefined ? t : shapeData(name, t, variable.shape);
  }

  /** Frees every variable. */
  dispose(): void {
    if (this.disposed) return;
    this.variables.forEach((v) => v.dispose());
    this.disposed = true;
  }
}
