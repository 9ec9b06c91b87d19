/**
 * A guide's distribution of one latent: a family (distributions.ts) or a
 * normalizing flow,
 *
 *   z ~ Flow(Normal(loc, scale), planar(4), iaf(2, 64, context: h), coupling(2, 64))
 *
 * the base distribution's sample pushed through the layers in order. Each
 * layer group `planar(K)`, `iaf(K, hidden)`, `coupling(K, hidden)` stands for K
 * layers; alternate IAF layers reverse the autoregressive order and alternate
 * coupling layers swap the halves, so every coordinate gets transformed. The
 * flow's tensors are parameters of the guide, named
 * `<guide>.<latent>.flow.<layer>.<tensor>` (`q.z.flow.0.u`). A flow's values
 * are real whatever its base. VampPrior (a prior) and MixtureNormal (not
 * reparameterizable) are refused here.
 */
import type { Argument, Expr, SampleStmt } from '../ast.js';
import { ACTIVATIONS, DISTRIBUTION_PARAMETERS, type Activation, type ElementType, type Initializer, type IrParameter, type Shape } from '../../ir/ir.js';
import type { IrFlowDense, IrFlowLayer } from '../../ir/flows.js';
import { suggestName } from '../../util/suggest.js';
import { bindArguments } from './bind-arguments.js';
import { evaluateSize, type ConstantScope } from './constants.js';
import { checkDistribution, knownFamily, type CheckedDistribution } from './distributions.js';
import { checkExpr, type ExprContext, type TypedExpr } from './expressions.js';
import { markNamesUsed } from './mark-used.js';
import { formatShape } from './shapes.js';

export const FLOW = 'Flow';

const LAYERS = {
  planar: { names: ['layers'], required: ['layers'] },
  iaf: { names: ['layers', 'hidden', 'context', 'activation'], required: ['layers', 'hidden'] },
  coupling: { names: ['layers', 'hidden', 'activation'], required: ['layers', 'hidden'] },
} as const;
type LayerKind = keyof typeof LAYERS;
const LAYER_KINDS = Object.keys(LAYERS) as LayerKind[];
const LAYER_FORMS = 'planar(K), iaf(K, hidden) or coupling(K, hidden)';
const EXAMPLE = 'Flow(Normal(loc, scale), planar(4))';

/** Families whose samples have no pathwise gradient: no flow can start from them. */
const NOT_REPARAMETERIZED = new Set(['Bernoulli', 'Categorical', 'OneHotCategorical', 'MixtureNormal']);

/** What a flow in a guide needs besides the expression context. */
export interface FlowScope {
  /** The guide's name, the first part of the flow's tensor names. */
  readonly guide: string;
  /** For the layers' sizes. */
  readonly constants: ConstantScope;
  /** The guide's parameters: a valid flow appends its own. */
  readonly parameters: IrParameter[];
}

/** A checked layer group: K layers of one kind. */
interface LayerSpec {
  readonly kind: LayerKind;
  readonly count: number;
  readonly hidden: number;
  readonly activation: Activation;
  readonly context?: TypedExpr;
  readonly span: Expr['span'];
}

/**
 * Checks a guide's `target ~ ...`: a Flow, or a distribution.
 * @param latent the latent's shape and element type; undefined when its declaration is in error (arguments are still checked)
 */
export function checkGuideDistribution(stmt: SampleStmt, latent: { shape: Shape; element: ElementType } | undefined, ctx: ExprContext, scope: FlowScope): CheckedDistribution | undefined {
  const name = stmt.distribution.name;
  if (name === 'VampPrior' || name === 'MixtureNormal') {
    ctx.reporter.error('PPL2051', name === 'VampPrior' ? 'VampPrior is a prior: it belongs in the model block' : 'MixtureNormal cannot be a guide\'s distribution: its component choice is discrete, so its samples have no reparameterized gradient',
      stmt.distribution.span, name === 'VampPrior'
        ? `in the model write '${stmt.target.name}: real[...] ~ VampPrior(${scope.guide}, K)'; here sample '${stmt.target.name}' from a distribution of the data`
        : `use MixtureNormal as a prior or a likelihood in the model; for a flexible guide use ${EXAMPLE}`);
    markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed);
    return undefined;
  }
  if (name !== FLOW) return checkDistribution(stmt, latent?.shape, latent?.element, ctx);
  const checked = checkFlow(stmt, latent, ctx, scope);
  if (!checked) markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed);
  return checked;
}

function checkFlow(stmt: SampleStmt, latent: { shape: Shape; element: ElementType } | undefined, ctx: ExprContext, scope: FlowScope): CheckedDistribution | undefined {
  const { reporter } = ctx;
  const named = stmt.args.find((a) => a.name !== undefined);
  if (named) {
    reporter.error('PPL2050', 'Flow takes its base distribution and its layers in order, without names', named.name!.span, `write ${EXAMPLE}`);
    return undefined;
  }
  const [baseArg, ...layerArgs] = stmt.args;
  if (baseArg === undefined || layerArgs.length === 0) {
    reporter.error('PPL2050', baseArg === undefined ? 'Flow needs a base distribution and at least one layer' : 'a flow needs at least one layer after its base distribution',
      baseArg?.span ?? stmt.distribution.span, `add ${LAYER_FORMS}, as in ${EXAMPLE}`);
    return undefined;
  }
  const base = checkBase(baseArg, stmt, latent, ctx);
  const specs = layerArgs.map((a) => checkLayerSpec(a, ctx, scope.constants));
  if (!base || specs.some((s) => s === undefined) || latent === undefined) return undefined;
  if (latent.shape.length !== 1) {
    reporter.error('PPL2050', `a flow transforms a vector, but '${stmt.target.name}' has shape ${formatShape(latent.shape)}`, stmt.distribution.span);
    return undefined;
  }
  const d = latent.shape[0]!;
  const coupling = (specs as LayerSpec[]).find((s) => s.kind === 'coupling');
  if (coupling && d < 2) {
    reporter.error('PPL2050', `a coupling layer splits '${stmt.target.name}' in two parts, but it has only 1 coordinate`, coupling.span, 'use planar(K) or iaf(K, hidden) for a one-dimensional latent');
    return undefined;
  }
  const built = buildLayers(specs as LayerSpec[], d, `${scope.guide}.${stmt.target.name}.flow`, scope.guide);
  scope.parameters.push(...built.parameters);
  const dependsOn = new Set(base.dependsOn);
  for (const spec of specs as LayerSpec[]) spec.context?.dependsOn.forEach((n) => dependsOn.add(n));
  return { family: base.family, params: base.params, dependsOn, flow: built.layers };
}

/** The base distribution: a call of a reparameterizable family, checked as the latent's distribution. */
function checkBase(arg: Argument, stmt: SampleStmt, latent: { shape: Shape; element: ElementType } | undefined, ctx: ExprContext): CheckedDistribution | undefined {
  const expr = arg.value;
  if (expr.kind !== 'Call') {
    ctx.reporter.error('PPL2050', 'the first argument of Flow is its base distribution', expr.span, `write ${EXAMPLE}`);
    return undefined;
  }
  const name = expr.callee.name;
  if (name === FLOW || name === 'VampPrior') {
    ctx.reporter.error('PPL2050', name === FLOW ? 'a flow\'s base cannot be another flow' : 'a flow\'s base is a distribution of the guide, not a prior', expr.callee.span,
      name === FLOW ? 'list every layer in one Flow(base, layer, ...)' : `write ${EXAMPLE}`);
    return undefined;
  }
  const family = knownFamily(name);
  if (family === undefined && suggestName(name, Object.keys(DISTRIBUTION_PARAMETERS)) === undefined) { // a near miss gets PPL2005's "did you mean"
    ctx.reporter.error('PPL2050', `the first argument of Flow is its base distribution, but '${name}' is not a distribution`, expr.callee.span, `write ${EXAMPLE}`);
    return undefined;
  }
  if (family !== undefined && NOT_REPARAMETERIZED.has(family)) {
    ctx.reporter.error('PPL2050', `a flow's base must be a continuous, reparameterizable distribution, but ${family} is not`, expr.callee.span, `write ${EXAMPLE}`);
    return undefined;
  }
  const asSample: SampleStmt = { kind: 'Sample', target: stmt.target, distribution: expr.callee, args: expr.args, span: expr.span };
  return checkDistribution(asSample, latent?.shape, latent?.element, ctx);
}

/** One layer group `kind(K, ...)`; undefined after reporting. */
function checkLayerSpec(arg: Argument, ctx: ExprContext, constants: ConstantScope): LayerSpec | undefined {
  const { reporter } = ctx;
  const expr = arg.value;
  if (expr.kind !== 'Call') {
    reporter.error('PPL2050', 'expected a flow layer', expr.span, `flow layers are ${LAYER_FORMS}`);
    return undefined;
  }
  const kind = expr.callee.name;
  if (!(LAYER_KINDS as string[]).includes(kind)) {
    const suggestion = suggestName(kind, LAYER_KINDS);
    reporter.error('PPL2050', `unknown flow layer '${kind}'`, expr.callee.span, suggestion ? `did you mean '${suggestion}'?` : `flow layers are ${LAYER_FORMS}`);
    return undefined;
  }
  const spec = LAYERS[kind as LayerKind];
  const bound = bindArguments(expr.args, { owner: kind, names: spec.names, required: spec.required, code: 'PPL2050' }, expr.span, reporter);
  if (!bound) return undefined;
  const count = evaluateSize(bound.get('layers')!.value, constants, reporter, `the number of ${kind} layers`);
  const hiddenArg = bound.get('hidden');
  const hidden = hiddenArg === undefined ? 0 : evaluateSize(hiddenArg.value, constants, reporter, 'the number of hidden units');
  const activation = readActivation(bound.get('activation'), ctx);
  const contextArg = bound.get('context');
  const context = contextArg === undefined ? undefined : checkContext(contextArg, ctx);
  if (count === undefined || hidden === undefined || activation === undefined || (contextArg !== undefined && context === undefined)) return undefined;
  return { kind: kind as LayerKind, count, hidden, activation, ...(context ? { context } : {}), span: expr.span };
}

function readActivation(arg: Argument | undefined, ctx: ExprContext): Activation | undefined {
  if (arg === undefined) return 'relu';
  const word = arg.value.kind === 'Name' ? arg.value.name.name : undefined;
  if (word !== undefined && (ACTIVATIONS as readonly string[]).includes(word)) return word as Activation;
  const suggestion = word ? suggestName(word, ACTIVATIONS) : undefined;
  ctx.reporter.error('PPL2050', `unknown activation${word ? ` '${word}'` : ''}`, arg.value.span, suggestion ? `did you mean '${suggestion}'?` : `activations are ${ACTIVATIONS.join(', ')}`);
  return undefined;
}

/** An IAF's context: a vector the guide computes (from the data, or latents sampled before). */
function checkContext(arg: Argument, ctx: ExprContext): TypedExpr | undefined {
  const typed = checkExpr(arg.value, ctx);
  if (typed && typed.ir.shape.length !== 1) {
    ctx.reporter.error('PPL2050', `an IAF context is a vector, but this is ${typed.ir.shape.length === 0 ? 'a scalar' : `of shape ${formatShape(typed.ir.shape)}`}`, arg.value.span,
      'pass a vector the guide computes from the data, e.g. context: encoder(x)');
    return undefined;
  }
  return typed;
}

/** The IR layers and their parameters (owned by the guide), layer i's tensors under `<prefix>.<i>`. */
function buildLayers(specs: readonly LayerSpec[], d: number, prefix: string, guide: string): { layers: IrFlowLayer[]; parameters: IrParameter[] } {
  const parameters: IrParameter[] = [];
  const param = (name: string, shape: number[], init: Initializer): string => {
    parameters.push({ name, shape, init, owner: { kind: 'guide', guide } });
    return name;
  };
  const dense = (p: string, inputs: number, outputs: number, init: Initializer): IrFlowDense => ({
    inputs, outputs, weight: param(`${p}.weight`, [inputs, outputs], init), bias: param(`${p}.bias`, [outputs], { kind: 'constant', value: 0 }),
  });
  const glorot: Initializer = { kind: 'glorotUniform' };
  const zero: Initializer = { kind: 'constant', value: 0 }; // output layers start at 0: IAF near identity, coupling exactly
  const layers: IrFlowLayer[] = [];
  const seen = { iaf: 0, coupling: 0 };
  for (const spec of specs) {
    for (let j = 0; j < spec.count; j++) {
      const p = `${prefix}.${layers.length}`;
      if (spec.kind === 'planar') {
        const limit = 1 / Math.sqrt(d);
        const uniform: Initializer = { kind: 'uniform', low: -limit, high: limit };
        layers.push({ kind: 'planar', u: param(`${p}.u`, [d], uniform), w: param(`${p}.w`, [d], uniform), b: param(`${p}.b`, [1], zero) });
      } else if (spec.kind === 'iaf') {
        const hidden = dense(`${p}.hidden`, d, spec.hidden, glorot);
        const context = spec.context ? { value: spec.context.ir, weight: param(`${p}.context.weight`, [spec.context.ir.shape[0]!, spec.hidden], glorot) } : undefined;
        const output = dense(`${p}.output`, spec.hidden, 2 * d, zero);
        layers.push({ kind: 'iaf', reverse: seen.iaf++ % 2 === 1, activation: spec.activation, hidden, output, ...(context ? { context } : {}) });
      } else {
        const flip = seen.coupling++ % 2 === 1;
        const first = Math.ceil(d / 2); // the split of couplingSplit (backend/flows/coupling.ts)
        const [kept, changed] = flip ? [d - first, first] : [first, d - first];
        layers.push({ kind: 'coupling', flip, activation: spec.activation, hidden: dense(`${p}.hidden`, kept, spec.hidden, glorot), output: dense(`${p}.output`, spec.hidden, 2 * changed, zero) });
      }
    }
  }
  return { layers, parameters };
}
