/**
 * The guide's log-density with its parameters φ detached but its earlier
 * samples live, as sticking the landing (Roeder et al. 2017) and DReG
 * (Tucker et al. 2019) need on hierarchical guides.
 *
 * Both estimators drop the score term ∂/∂φ log q(z; φ) at fixed z and keep
 * the path term ∂ log w/∂z · ∂z/∂φ. For a top-down guide
 * q(z2 | x) q(z1 | x, z2) the sample is z = (z2, z1) jointly, so "z fixed"
 * fixes z2 as well: the parameters of q(z1 | x, z2) are a function of the live
 * sample z2 (part of the path term) and of detached φ. Detaching the
 * computed parameters of q(z1 | ·) instead would also cut z2's path through
 * them, a biased estimator. So statements whose distribution depends on an
 * earlier latent are re-evaluated here with every parameter behind a
 * stop-gradient; statements that depend on data alone just detach their
 * parameters (the same values, no second evaluation).
 */
import type * as tf from '@tensorflow/tfjs';
import type { IrExpr, IrLet, IrSample } from '../../ir/ir.js';
import { stopGradient } from '../ops/stop-gradient.js';
import { evaluateExpr, type Environment } from './evaluate-expr.js';

/** Names of values (data, latents, definitions) that `expr` reads. */
function readNames(expr: IrExpr, out = new Set<string>()): Set<string> {
  switch (expr.kind) {
    case 'variable':
      out.add(expr.name);
      break;
    case 'apply':
      readNames(expr.input, out);
      break;
    case 'unary':
    case 'negate':
      readNames(expr.operand, out);
      break;
    case 'binary':
      readNames(expr.left, out);
      readNames(expr.right, out);
      break;
    case 'concat':
      expr.parts.forEach((p) => readNames(p, out));
      break;
    case 'slice':
      readNames(expr.target, out);
      break;
    case 'constant':
    case 'parameter':
      break;
  }
  return out;
}

/** The parameters behind a stop-gradient, each detached on first read (a guide reads few of them). */
class DetachedVariables extends Map<string, tf.Tensor> {
  constructor(private readonly live: ReadonlyMap<string, tf.Tensor>) {
    super();
  }

  override get(name: string): tf.Tensor | undefined {
    let detached = super.get(name);
    const variable = this.live.get(name);
    if (detached === undefined && variable !== undefined) super.set(name, (detached = stopGradient(variable)));
    return detached;
  }
}

export class DetachedGuideScope {
  /** Values as the detached evaluation sees them: data and samples live, definitions recomputed or detached. */
  private readonly values: Map<string, tf.Tensor>;
  /** Samples and definitions that depend on a sample of the guide. */
  private readonly sampleDependent = new Set<string>();
  private detachedEnv?: Environment;

  /** @param live the trace's environment (its values must hold the data when the scope is made) */
  constructor(private readonly live: Environment) {
    this.values = new Map(live.values);
  }

  /** Records a guide sample (live: its path to φ is what the estimators keep). */
  addSample(name: string, z: tf.Tensor): void {
    this.values.set(name, z);
    this.sampleDependent.add(name);
  }

  /** Records a guide definition whose live value is `liveValue`. */
  addLet(stmt: IrLet, liveValue: tf.Tensor): void {
    if (this.dependsOnSample(stmt.value)) {
      this.values.set(stmt.name, evaluateExpr(stmt.value, this.env()));
      this.sampleDependent.add(stmt.name);
    } else {
      this.values.set(stmt.name, stopGradient(liveValue));
    }
  }

  /**
   * The statement's distribution parameters with φ detached.
   * @param liveParams the parameters as sampling computed them, broadcast to `shape`
   * @param broadcast how the trace broadcasts an evaluated parameter to the sample's shape
   */
  params(stmt: IrSample, liveParams: Readonly<Record<string, tf.Tensor>>, broadcast: (t: tf.Tensor) => tf.Tensor): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, expr] of Object.entries(stmt.params)) {
      out[name] = this.dependsOnSample(expr) ? broadcast(evaluateExpr(expr, this.env())) : stopGradient(liveParams[name]!);
    }
    return out;
  }

  private dependsOnSample(expr: IrExpr): boolean {
    return [...readNames(expr)].some((n) => this.sampleDependent.has(n));
  }

  /** The environment with every parameter behind a stop-gradient (made on first use). */
  private env(): Environment {
    if (this.detachedEnv === undefined) {
      const variables = new DetachedVariables(this.live.variables);
      this.detachedEnv = { values: this.values, variables, nets: this.live.nets, splits: { sizes: this.live.splits?.sizes ?? new Map(), parts: new Map() } };
    }
    return this.detachedEnv;
  }
}
