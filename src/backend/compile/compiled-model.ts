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
import { DetachedGuideScope } from './detached-guide-scope.js';
import { createDistribution } from './distribution-factory.js';
import { evaluateExpr, type Environment } from './evaluate-expr.js';
import { createVariables } from './parameters.js';
import { slicePartitions } from './slice-partitions.js';
import type { LatentTerm, Trace, TraceOptions } from './trace.js';
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
    const values = new Map<string, Tensor>(Object.entries(data));
    const env: Environment = { values, variables: this.variables, nets: this.nets, splits: { sizes: this.slicePartitions, parts: new Map() } };
    const samples = new Map<string, Tensor>();
    const logQ = new Map<string, Tensor>();
    const guideParams = new Map<string, Record<string, Tensor>>();
    const guideDists = new Map<string, ReturnType<typeof createDistribution>>();
    const detached = options.stickingTheLanding ? new DetachedGuideScope(env) : undefined;
    for (const stmt of guide.statements) {
      if (stmt.kind === 'let') {
        const value = evaluateExpr(stmt.value, env);
        values.set(stmt.name, value);
        detached?.addLet(stmt, value);
        continue;
      }
      const sampleShape = [k, batch, ...stmt.shape];
      const params = this.sampleParams(stmt, env, sampleShape);
      const dist = createDistribution(stmt.family, params, { sampleAxis: true });
      if (!dist.reparameterized) throw new UserError(`latent '${stmt.name}' has a ${stmt.family} guide, which is not reparameterizable`);
      const z = dist.rsample(k, rng.nextSeed());
      values.set(stmt.name, z);
      samples.set(stmt.name, z);
      guideParams.set(stmt.name, params);
      guideDists.set(stmt.name, dist);
      const scored = detached ? createDistribution(stmt.family, detached.params(stmt, params, (t) => expandTo(t, sampleShape)), { sampleAxis: true }) : dist;
      detached?.addSample(stmt.name, z);
      logQ.set(stmt.name, scored.logProb(z));
    }
    const latents: LatentTerm[] = [];
    const observed = new Map<string, Tensor>();
    const full = (t: Tensor) => expandTo(t, [k, batch]);
    for (const stmt of this.ir.model) {
      if (stmt.kind === 'let') {
        values.set(stmt.name, evaluateExpr(stmt.value, env));
        continue;
      }
      const value = values.get(stmt.name)!;
      const params = this.sampleParams(stmt, env, [k, batch, ...stmt.shape]);
      const dist = createDistribution(stmt.family, params, { sampleAxis: true });
      const logP = full(dist.logProb(value));
      if (stmt.observed) {
        observed.set(stmt.name, logP);
        continue;
      }
      const q = guideDists.get(stmt.name)!;
      const kl = options.analyticKl && q.family === dist.family ? q.kl?.(dist) : undefined;
      latents.push(kl ? { name: stmt.name, logP, logQ: logQ.get(stmt.name)!, kl: full(kl) } : { name: stmt.name, logP, logQ: logQ.get(stmt.name)! });
    }
    return { k, batch, latents, observed, samples, guideParams };
  }

  /** Evaluates a sample statement's parameters, broadcast to `shape`. */
  private sampleParams(stmt: IrSample, env: Environment, shape: number[]): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, expr] of Object.entries(stmt.params)) {
      const value = evaluateExpr(expr, env);
      out[name] = expandTo(value, shape);
    }
    return out;
  }

  private batchSize(data: Readonly<Record<string, Tensor>>): number {
    const sizes = this.ir.data.map((d) => {
      const t = data[d.name];
      if (!t) throw new UserError(`missing data '${d.name}'`);
      if (t.rank !== 2 || t.shape[1] !== d.shape[0]) {
        throw new UserError(`data '${d.name}' must have shape [batch, ${d.shape.join(', ')}] but has [${t.shape.join(', ')}]`);
      }
      return t.shape[0]!;
    });
    if (new Set(sizes).size > 1) throw new UserError(`data arrays have different numbers of rows: ${sizes.join(', ')}`);
    return sizes[0] ?? 1;
  }

  /** Frees every variable. */
  dispose(): void {
    if (this.disposed) return;
    this.variables.forEach((v) => v.dispose());
    this.disposed = true;
  }
}
