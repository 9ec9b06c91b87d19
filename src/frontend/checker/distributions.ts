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
import { suggestName } from '../../util/suggest.js';
import { checkExpr, type ExprContext, type TypedExpr } from './expressions.js';
import { markNamesUsed } from './mark-used.js';
import { broadcastShapes, formatShape } from './shapes.js';
import type { Positivity } from './symbols.js';

const FAMILIES = Object.keys(DISTRIBUTION_PARAMETERS) as DistributionFamily[];
const REAL_FAMILIES = FAMILIES.filter((f) => DISTRIBUTION_SUPPORT[f] !== 'binary');

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
  if (element !== undefined && (family === 'Bernoulli') !== (element === 'binary')) {
    ctx.reporter.error('PPL2017', `'${stmt.target.name}' is ${element}, which ${family} does not describe`, stmt.distribution.span,
      element === 'binary' ? 'binary variables take Bernoulli(logits: ...)' : `real variables take ${listFamilies(REAL_FAMILIES)}; declare binary data as binary[...]`);
  }
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
    if (shape !== undefined) {
      const joined = broadcastShapes(typed.ir.shape, shape);
      if (!joined || joined.length !== shape.length || joined.some((d, i) => d !== shape[i])) {
        ctx.reporter.error('PPL2007', `parameter '${name}' has shape ${formatShape(typed.ir.shape)} but '${stmt.target.name}' has shape ${formatShape(shape)}`, arg.value.span,
          'a parameter is a scalar or a vector of the variable\'s length');
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
  return ok ? { family, params, dependsOn } : undefined;
}
