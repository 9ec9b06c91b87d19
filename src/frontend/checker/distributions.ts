/**
 * Checks the right-hand side of `target ~ Family(args)`: the family exists,
 * the arguments match its parameters (positional in order, or by name), each
 * parameter's shape broadcasts to the target's, scales, rates and shapes are
 * provably positive, and the family fits the variable's element type.
 */
import type { SampleStmt } from '../ast.js';
import {
  DISTRIBUTION_PARAMETERS,
  DISTRIBUTION_SUPPORT,
  POSITIVE_PARAMETERS,
  type DistributionFamily,
  type ElementType,
  type IrExpr,
  type Shape,
  type Support,
} from '../../ir/ir.js';
import type { IrFlowLayer } from '../../ir/flows.js';
import { suggestName } from '../../util/suggest.js';
import { checkExpr, type ExprContext, type TypedExpr } from './expressions.js';
import { markNamesUsed } from './mark-used.js';
import { checkMixtureNormalShapes } from './mixture-normal.js';
import { broadcastShapes, formatShape } from './shapes.js';
import type { Positivity } from './symbols.js';

const FAMILIES = Object.keys(DISTRIBUTION_PARAMETERS) as DistributionFamily[];
const REAL_FAMILIES = FAMILIES.filter((f) => elementOfFamily(f) === 'real');

/** The element type a family describes: Bernoulli and OneHotCategorical binary vectors, Categorical an int index, the others reals. */
export function elementOfFamily(family: DistributionFamily): ElementType {
  const support = DISTRIBUTION_SUPPORT[family];
  return support === 'binary' || support === 'one-hot' ? 'binary' : support === 'index' ? 'int' : 'real';
}

/** What to write for a variable of this element type, for PPL2017's hint. */
function familiesFor(element: ElementType): string {
  switch (element) {
    case 'binary':
      return 'binary variables take Bernoulli(logits: ...) (independent bits) or OneHotCategorical(logits: ...) (one-hot vectors)';
    case 'int':
      return 'int variables take Categorical(logits: ...), a category index';
    case 'real':
      return `real variables take ${listFamilies(REAL_FAMILIES)}; declare binary values as binary[...] and category indices as int[1]`;
  }
}

/** `Normal, Laplace or Bernoulli`. */
export function listFamilies(families: readonly string[]): string {
  return families.length > 1 ? `${families.slice(0, -1).join(', ')} or ${families[families.length - 1]}` : (families[0] ?? '');
}

/** A support in words, for messages: 'the real line', '(0, ∞)'. */
export function describeSupport(support: Support): string {
  switch (support) {
    case 'real':
      return 'the real line';
    case 'positive':
      return '(0, ∞)';
    case 'unit-interval':
      return '(0, 1)';
    case 'binary':
      return '{0, 1}';
    case 'one-hot':
      return 'the one-hot vectors';
    case 'index':
      return 'the category indices';
  }
}

/** The family of a sampling statement, when it names one. */
export function knownFamily(name: string): DistributionFamily | undefined {
  return Object.hasOwn(DISTRIBUTION_PARAMETERS, name) ? (name as DistributionFamily) : undefined;
}

/** What a variable drawn from the named family is known to be: positive on (0, ∞) or (0, 1), unknown otherwise (or for an unknown name). */
export function positivityOfFamily(name: string): Positivity {
  const family = knownFamily(name);
  const support = family === undefined ? undefined : DISTRIBUTION_SUPPORT[family];
  return support === 'positive' || support === 'unit-interval' ? 'positive' : 'unknown';
}

export interface CheckedDistribution {
  readonly family: DistributionFamily;
  readonly params: Record<string, IrExpr>;
  readonly dependsOn: ReadonlySet<string>;
  /** A guide's `Flow(family(params), layers...)`: the layers its sample goes through (flows.ts). */
  readonly flow?: readonly IrFlowLayer[];
}

/** Matches arguments to parameter names; reports unknown, repeated and missing ones. */
function bindArguments(stmt: SampleStmt, family: DistributionFamily, ctx: ExprContext): Map<string, SampleStmt['args'][number]> | undefined {
  const names = DISTRIBUTION_PARAMETERS[family];
  const bound = new Map<string, SampleStmt['args'][number]>();
  let ok = true;
  let sawNamed = false;
  stmt.args.forEach((arg, i) => {
    if (arg.name === undefined && sawNamed) {
      ctx.reporter.error('PPL2006', 'a positional argument cannot follow a named one', arg.span);
      ok = false;
      return;
    }
    sawNamed ||= arg.name !== undefined;
    const name = arg.name?.name ?? names[i];
    if (name === undefined) {
      ctx.reporter.error('PPL2006', `${family} takes ${names.length} argument${names.length === 1 ? '' : 's'} (${names.join(', ')}) but was given ${stmt.args.length}`, arg.span);
      ok = false;
    } else if (!names.includes(name)) {
      const suggestion = suggestName(name, names);
      ctx.reporter.error('PPL2006', `${family} has no parameter '${name}'`, arg.name!.span,
        suggestion ? `did you mean '${suggestion}'?` : `its parameters are ${names.join(', ')}`);
      ok = false;
    } else if (bound.has(name)) {
      ctx.reporter.error('PPL2006', `parameter '${name}' of ${family} is given twice`, arg.span);
      ok = false;
    } else {
      bound.set(name, arg);
    }
  });
  const missing = names.filter((n) => !bound.has(n));
  if (ok && missing.length > 0) {
    ctx.reporter.error('PPL2006', `${family} is missing its parameter${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, stmt.distribution.span,
      `write ${family}(${names.map((n) => `${n}: ...`).join(', ')})`);
    ok = false;
  }
  return ok ? bound : undefined;
}

/**
 * Checks a distribution for a target of the given shape and element type.
 * When it is in error, every name its arguments read counts as used (see
 * mark-used.ts), so no "never used" warning follows from the error.
 */
export function checkDistribution(stmt: SampleStmt, shape: Shape | undefined, element: ElementType | undefined, ctx: ExprContext): CheckedDistribution | undefined {
  const checked = checkFamilyAndArguments(stmt, shape, element, ctx);
  if (!checked) markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed);
  return checked;
}

function checkFamilyAndArguments(stmt: SampleStmt, shape: Shape | undefined, element: ElementType | undefined, ctx: ExprContext): CheckedDistribution | undefined {
  const familyName = stmt.distribution.name;
  if (!(FAMILIES as string[]).includes(familyName)) {
    const suggestion = suggestName(familyName, FAMILIES);
    ctx.reporter.error('PPL2005', `unknown distribution '${familyName}'`, stmt.distribution.span,
      suggestion ? `did you mean '${suggestion}'?` : `distributions are ${FAMILIES.join(', ')}`);
    return undefined;
  }
  const family = familyName as DistributionFamily;
  const mismatch = reportTargetMismatch(stmt, family, shape, element, ctx.reporter);
  const bound = bindArguments(stmt, family, ctx);
  if (!bound) return undefined;
  const params: Record<string, IrExpr> = {};
  const dependsOn = new Set<string>();
  let ok = true;
  for (const [name, arg] of bound) {
    const typed: TypedExpr | undefined = checkExpr(arg.value, ctx);
    if (!typed) {
      ok = false;
      continue;
    }
    typed.dependsOn.forEach((d) => dependsOn.add(d));
    if (family === 'Categorical') {
      // The logits are the K category scores, whatever the target's shape ([1]).
      if (typed.ir.shape.length !== 1) {
        ctx.reporter.error('PPL2007', `the logits of a Categorical are one score per category, a vector [K], but this is ${typed.ir.shape.length === 0 ? 'a scalar' : `of shape ${formatShape(typed.ir.shape)}`}`, arg.value.span,
          'give K >= 2 scores, e.g. the output of a network linear(H -> K)');
        ok = false;
        continue;
      }
    } else if (shape !== undefined && family !== 'MixtureNormal') { // a mixture's parameters have their own lengths (mixture-normal.ts)
      const joined = broadcastShapes(typed.ir.shape, shape);
      if (!joined || joined.length !== shape.length || joined.some((d, i) => d !== shape[i])) {
        ctx.reporter.error('PPL2007', `parameter '${name}' has shape ${formatShape(typed.ir.shape)} but '${stmt.target.name}' has shape ${formatShape(shape)}`, arg.value.span,
          typed.ir.shape.length > 1 || shape.length > 1
            ? 'a parameter is a scalar or has the variable\'s shape: declare the variable with the shape of its parameters, or end the network with flatten or reshape(...)'
            : 'a parameter is a scalar or a vector of the variable\'s length');
        ok = false;
        continue;
      }
    }
    if (POSITIVE_PARAMETERS[family].includes(name) && typed.positivity !== 'positive') {
      const constantValue = typed.ir.kind === 'constant' ? typed.ir.value : undefined;
      ctx.reporter.error('PPL2008', constantValue !== undefined ? `${name} must be positive, but it is ${constantValue}` : `${name} is not provably positive`,
        arg.value.span, constantValue !== undefined ? undefined : typed.positivity === 'nonnegative'
          ? 'it can be zero: add a small constant, e.g. softplus(...) + 1e-3'
          : 'wrap it in softplus(...) or exp(...)');
      ok = false;
      continue;
    }
    params[name] = typed.ir;
  }
  if (ok && family === 'MixtureNormal' && shape !== undefined && !checkMixtureNormalShapes(stmt.target.name, params, bound, shape, ctx.reporter)) return undefined;
  return ok && !mismatch ? { family, params, dependsOn } : undefined;
}

/**
 * PPL2017 when the family does not describe the variable's element type
 * (Bernoulli on real, Normal on binary, Bernoulli on int), PPL2007 when a
 * Categorical's variable is not one index (int[1]). Returns true when it reported.
 */
export function reportTargetMismatch(stmt: SampleStmt, family: DistributionFamily, shape: Shape | undefined, element: ElementType | undefined, reporter: ExprContext['reporter']): boolean {
  if (element !== undefined && elementOfFamily(family) !== element) {
    reporter.error('PPL2017', `'${stmt.target.name}' is ${element}, which ${family} does not describe`, stmt.distribution.span, familiesFor(element));
    return true;
  }
  if (family === 'Categorical' && shape !== undefined && (shape.length !== 1 || shape[0] !== 1)) {
    reporter.error('PPL2007', `a Categorical variable holds one category index, but '${stmt.target.name}' has shape ${formatShape(shape)}`, stmt.distribution.span,
      'declare it as int[1]; for a vector of K states use OneHotCategorical on binary[K]');
    return true;
  }
  return false;
}
