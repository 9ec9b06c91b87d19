/**
 * The VampPrior (Tomczak & Welling 2018) in the model block:
 *
 *   z: real[Z] ~ VampPrior(q, 500)
 *
 * "the prior of z is the mixture, with equal weights, of guide q's
 * distribution of z at 500 learned pseudo-inputs": p(z) = (1/K) Σ_k q(z | u_k).
 * The guide is checked after the model, so the model block checks the
 * arguments and leaves a placeholder, and `resolveVampPriors` fills in the
 * guide's family and parameters once the guides are checked. q(z | x) must
 * depend on the data alone (no latents, no flow). The pseudo-inputs are
 * parameters of the model, one per data variable the distribution reads,
 * named `<latent>.pseudo_inputs.<data>` with shape [K, ...data shape], and
 * initialized by `init` (default normal(0, 0.01)). Also refuses a Flow in the
 * model block (flows are guide families).
 */
import type { SampleStmt } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import type { IrExpr, IrGuide, IrLet, IrParameter, IrSample, IrStatement, Initializer, Shape } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import { bindArguments } from './bind-arguments.js';
import { evaluateSize, type ConstantScope } from './constants.js';
import { checkInitializer } from './declarations.js';
import type { ExprContext } from './expressions.js';
import { FLOW } from './flows.js';
import { referencedVariables } from './ir-references.js';
import { markNamesUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';

export const VAMP_PRIOR = 'VampPrior';

/** The pseudo-inputs' initializer when none is given: small noise around 0. */
export const DEFAULT_PSEUDO_INPUT_INIT: Initializer = { kind: 'normal', mean: 0, std: 0.01 };

/** A VampPrior whose arguments are checked, waiting for its guide. */
export interface VampPriorRequest {
  readonly latent: string;
  readonly guide: string;
  readonly guideSpan: Span;
  readonly components: number;
  readonly init: Initializer;
}

/** True for the sampling forms `checkModelPriorForm` handles: VampPrior, and Flow (refused). */
export function isModelPriorForm(stmt: SampleStmt): boolean {
  return stmt.distribution.name === VAMP_PRIOR || stmt.distribution.name === FLOW;
}

/**
 * Checks `target ~ VampPrior(posterior, components, init)` in the model, or refuses
 * `target ~ Flow(...)`.
 *
 * @param target the target's shape, whether it is observed data, and whether its declaration is in error
 * @param requests where a valid VampPrior is recorded
 * @returns the placeholder statement (family and parameters come from the guide), or undefined after reporting
 */
export function checkModelPriorForm(stmt: SampleStmt, target: { shape: Shape; observed: boolean; invalid: boolean }, ctx: ExprContext, constants: ConstantScope, requests: VampPriorRequest[]): IrSample | undefined {
  const result = checkForm(stmt, target, ctx, constants, requests);
  if (!result) markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed);
  return result;
}

function checkForm(stmt: SampleStmt, target: { shape: Shape; observed: boolean; invalid: boolean }, ctx: ExprContext, constants: ConstantScope, requests: VampPriorRequest[]): IrSample | undefined {
  const { reporter } = ctx;
  const name = stmt.target.name;
  if (stmt.distribution.name === FLOW) {
    reporter.error('PPL2051', `a flow is a guide's distribution: the model cannot ${target.observed ? 'observe' : 'sample'} '${name}' from Flow`, stmt.distribution.span,
      target.observed ? 'observe data with a likelihood such as Normal(...) or Bernoulli(...)' : `flow priors are not supported: put the flow in a guide, '${name} ~ Flow(Normal(loc, scale), planar(4))', and give '${name}' a prior such as Normal(0, 1) or VampPrior(q, K)`);
    return undefined;
  }
  if (target.observed) {
    reporter.error('PPL2051', `VampPrior is a prior for a latent variable, but '${name}' is data`, stmt.distribution.span, 'observe data with a likelihood such as Normal(...) or Bernoulli(...)');
    return undefined;
  }
  const bound = bindArguments(stmt.args, { owner: VAMP_PRIOR, names: ['posterior', 'components', 'init'], required: ['posterior', 'components'], code: 'PPL2006' }, stmt.distribution.span, reporter);
  if (!bound) return undefined;
  const guideExpr = bound.get('posterior')!.value;
  const components = evaluateSize(bound.get('components')!.value, constants, reporter, 'the number of pseudo-inputs');
  const initArg = bound.get('init');
  const init = initArg === undefined ? DEFAULT_PSEUDO_INPUT_INIT : checkInitializer(initArg.value, constants, reporter);
  if (guideExpr.kind !== 'Name') {
    reporter.error('PPL2052', 'the first argument of VampPrior names the guide whose distribution it mixes', guideExpr.span, `write VampPrior(q, 500) for a guide 'q'`);
    return undefined;
  }
  if (components === undefined || init === undefined || target.invalid) return undefined;
  requests.push({ latent: name, guide: guideExpr.name.name, guideSpan: guideExpr.span, components, init });
  return {
    kind: 'sample', name, family: 'Normal', params: {}, shape: target.shape, observed: false, parents: [],
    vampPrior: { guide: guideExpr.name.name, components, pseudoInputs: {}, definitions: [] },
  };
}

/** What the resolved VampPriors add to the IR. */
export interface ResolvedVampPriors {
  /** The model's statements, each VampPrior with the guide's family and parameters. */
  readonly statements: IrStatement[];
  /** The pseudo-inputs, parameters of the model. */
  readonly parameters: IrParameter[];
}

/**
 * Completes each VampPrior from its checked guide: the guide's distribution
 * of the latent, the definitions it reads and one pseudo-input tensor per
 * data variable it reads.
 *
 * @param statements the model's statements, with the placeholders of `checkModelPriorForm`
 * @param guides the checked guides' IR (a guide in error lacks the statements in error)
 * @param guideNames every guide of the file, for the "unknown guide" error
 * @param data the shape of each data variable
 */
export function resolveVampPriors(requests: readonly VampPriorRequest[], statements: readonly IrStatement[], guides: readonly IrGuide[], guideNames: readonly string[],
  data: ReadonlyMap<string, Shape>, reporter: Reporter): ResolvedVampPriors {
  const samples = new Map<string, IrSample>();
  const placeholders = new Map(statements.flatMap((s) => (s.kind === 'sample' && s.vampPrior ? [[s.name, s] as const] : [])));
  const parameters: IrParameter[] = [];
  for (const request of requests) {
    const { latent, guide: guideName } = request;
    if (!guideNames.includes(guideName)) {
      const suggestion = suggestName(guideName, guideNames);
      reporter.error('PPL2052', `VampPrior names guide '${guideName}', but there is no such guide`, request.guideSpan,
        suggestion ? `did you mean '${suggestion}'?` : `guides: ${guideNames.join(', ') || 'none'}`);
      continue;
    }
    const guide = guides.find((g) => g.name === guideName);
    const index = guide?.statements.findIndex((s) => s.kind === 'sample' && s.name === latent) ?? -1;
    if (!guide || index < 0) continue; // the guide's statement for the latent is in error, and reported
    const sample = guide.statements[index] as IrSample;
    if (sample.flow) {
      reporter.error('PPL2052', `guide '${guideName}' samples '${latent}' through a flow, whose density at a given '${latent}' needs the flow's inverse: a VampPrior cannot evaluate q(${latent} | u_k)`, request.guideSpan,
        `name a guide that samples '${latent}' from a plain family such as Normal(...), or give '${latent}' another prior`);
      continue;
    }
    if (sample.parents.length > 0) {
      reporter.error('PPL2052', `guide '${guideName}' samples '${latent}' given ${sample.parents.map((p) => `'${p}'`).join(', ')}, but a VampPrior needs q(${latent} | x) to depend on the data alone`, request.guideSpan,
        `make '${latent}' the first latent '${guideName}' samples, from the data only (the top of a top-down guide)`);
      continue;
    }
    const { definitions, reads } = definitionsRead(Object.values(sample.params), guide.statements.slice(0, index));
    const pseudoInputs: Record<string, string> = {};
    for (const [name, shape] of data) {
      if (!reads.has(name)) continue;
      pseudoInputs[name] = `${latent}.pseudo_inputs.${name}`;
      parameters.push({ name: pseudoInputs[name]!, shape: [request.components, ...shape], init: request.init, owner: { kind: 'model' } });
    }
    const placeholder = placeholders.get(latent)!;
    samples.set(latent, { ...placeholder, family: sample.family, params: sample.params, vampPrior: { guide: guideName, components: request.components, pseudoInputs, definitions } });
  }
  return { statements: statements.map((s) => (s.kind === 'sample' ? (samples.get(s.name) ?? s) : s)), parameters };
}

/** The definitions among `before` that `exprs` read, directly or through each other (in order), and every name read. */
function definitionsRead(exprs: readonly IrExpr[], before: readonly IrStatement[]): { definitions: IrLet[]; reads: Set<string> } {
  const reads = new Set<string>();
  exprs.forEach((e) => referencedVariables(e, reads));
  const definitions: IrLet[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const stmt = before[i]!;
    if (stmt.kind !== 'let' || !reads.has(stmt.name)) continue;
    definitions.unshift(stmt);
    referencedVariables(stmt.value, reads);
  }
  return { definitions, reads };
}
