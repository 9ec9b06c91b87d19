/**
 * Type-checks an expression and elaborates it to IR in one pass: resolves
 * names, computes shapes (scalars broadcast; vectors must agree), tracks which
 * latents it depends on and whether it is provably positive.
 */
import type { Argument, CallExpr, Expr, SliceExpr } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import { DISTRIBUTION_PARAMETERS, UNARY_FUNCTIONS, type IrExpr, type Shape, type UnaryFunction } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import { evaluateConstant, foldNumbers } from './constants.js';
import type { Reporter } from './reporter.js';
import { describeSymbolKind, type NetSymbol, type Positivity, type Symbol } from './symbols.js';
import { broadcastShapes, describeShape, formatShape } from './shapes.js';

/** A typed, elaborated expression. */
export interface TypedExpr {
  readonly ir: IrExpr;
  readonly positivity: Positivity;
  readonly dependsOn: ReadonlySet<string>;
}

/** Where an expression is checked: name lookup and error reporting. */
export interface ExprContext {
  readonly reporter: Reporter;
  /** Finds a symbol; 'reported' when the lookup itself reported an error (e.g. used before sampled). */
  lookup(name: string, span: Span): Symbol | 'reported' | undefined;
  /** Every visible name, for suggestions. */
  visibleNames(): string[];
  /** Marks a name used without checking or reporting anything (for the names of a statement in error; see mark-used.ts). */
  markUsed(name: string): void;
}

const POSITIVE_FUNCTIONS = new Set<UnaryFunction>(['softplus', 'exp', 'sigmoid']);
const NONNEGATIVE_FUNCTIONS = new Set<UnaryFunction>(['abs', 'relu', 'square']);

function union(...sets: ReadonlySet<string>[]): Set<string> {
  return new Set(sets.flatMap((s) => [...s]));
}

function constant(value: number): TypedExpr {
  return { ir: { kind: 'constant', value, shape: [] }, positivity: value > 0 ? 'positive' : value >= 0 ? 'nonnegative' : 'unknown', dependsOn: new Set() };
}

/** Checks `expr`; undefined means an error was reported (or an operand was already in error). */
export function checkExpr(expr: Expr, ctx: ExprContext): TypedExpr | undefined {
  switch (expr.kind) {
    case 'Number':
      return constant(expr.value);
    case 'Name':
      return checkName(expr.name.name, expr.span, ctx);
    case 'Negate': {
      const operand = checkExpr(expr.operand, ctx);
      if (!operand) return undefined;
      if (operand.ir.kind === 'constant') return constant(-operand.ir.value);
      return { ir: { kind: 'negate', operand: operand.ir, shape: operand.ir.shape }, positivity: 'unknown', dependsOn: operand.dependsOn };
    }
    case 'Binary': {
      const left = checkExpr(expr.left, ctx);
      const right = checkExpr(expr.right, ctx);
      if (!left || !right) return undefined;
      if (left.ir.kind === 'constant' && right.ir.kind === 'constant') {
        if (expr.operator === '/' && right.ir.value === 0) {
          ctx.reporter.error('PPL2022', 'division by zero', expr.span);
          return undefined;
        }
        return constant(foldNumbers(expr.operator, left.ir.value, right.ir.value));
      }
      const shape = broadcastShapes(left.ir.shape, right.ir.shape);
      if (!shape) {
        ctx.reporter.error('PPL2004', `cannot combine shapes ${formatShape(left.ir.shape)} and ${formatShape(right.ir.shape)} with '${expr.operator}'`, expr.span,
          'vectors must have the same length; scalars combine with anything');
        return undefined;
      }
      return {
        ir: { kind: 'binary', op: expr.operator, left: left.ir, right: right.ir, shape },
        positivity: combinePositivity(expr.operator, left.positivity, right.positivity),
        dependsOn: union(left.dependsOn, right.dependsOn),
      };
    }
    case 'Slice':
      return checkSlice(expr, ctx);
    case 'Call':
      return checkCall(expr, ctx);
  }
}

function combinePositivity(op: '+' | '-' | '*' | '/', l: Positivity, r: Positivity): Positivity {
  if (op === '+') {
    if ((l === 'positive' && r !== 'unknown') || (r === 'positive' && l !== 'unknown')) return 'positive';
    return l === 'nonnegative' && r === 'nonnegative' ? 'nonnegative' : 'unknown';
  }
  if (op === '*' || op === '/') {
    if (l === 'positive' && r === 'positive') return 'positive';
    if (op === '*' && l !== 'unknown' && r !== 'unknown') return 'nonnegative';
  }
  return 'unknown';
}

function checkName(name: string, span: Span, ctx: ExprContext): TypedExpr | undefined {
  const symbol = ctx.lookup(name, span);
  if (symbol === 'reported') return undefined;
  if (symbol === undefined) {
    const suggestion = suggestName(name, ctx.visibleNames());
    if (suggestion) ctx.markUsed(suggestion); // the hint names it (mark-used.ts)
    ctx.reporter.error('PPL2001', `undefined name '${name}'`, span, suggestion ? `did you mean '${suggestion}'?` : undefined);
    return undefined;
  }
  symbol.used = true;
  if (symbol.kind !== 'constant' && symbol.kind !== 'net' && symbol.invalid) return undefined; // its declaration's error is reported
  switch (symbol.kind) {
    case 'constant':
      return symbol.value === undefined ? undefined : constant(symbol.value);
    case 'net':
      ctx.reporter.error('PPL2027', `'${name}' is a network, not a value`, span, `apply it to an input: ${name}(...)`);
      return undefined;
    case 'param':
      return { ir: { kind: 'parameter', name, shape: symbol.shape }, positivity: 'unknown', dependsOn: new Set() };
    case 'data':
    case 'latent': // a latent of a family on (0, ∞) or (0, 1) is positive (model-block.ts, guide-block.ts)
      return { ir: { kind: 'variable', name, shape: symbol.shape }, positivity: symbol.positivity, dependsOn: new Set([name]) };
    case 'definition':
      return { ir: { kind: 'variable', name, shape: symbol.shape }, positivity: symbol.positivity, dependsOn: symbol.dependsOn };
  }
}

function checkSlice(expr: SliceExpr, ctx: ExprContext): TypedExpr | undefined {
  const target = checkExpr(expr.target, ctx);
  if (!target) return undefined;
  if (target.ir.shape.length !== 1) {
    ctx.reporter.error('PPL2019', `only vectors can be sliced, but this is ${describeShape(target.ir.shape)}`, expr.span);
    return undefined;
  }
  const length = target.ir.shape[0]!;
  const bound = (e: Expr | undefined, fallback: number) => (e === undefined ? fallback : sliceBound(e, ctx));
  const start = bound(expr.start, 0);
  const end = bound(expr.end, length);
  if (start === undefined || end === undefined) return undefined;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= length && start < end)) {
    ctx.reporter.error('PPL2019', `slice [${start}:${end}] is out of range for a vector of length ${length}`, expr.span,
      `bounds must be integers with 0 <= start < end <= ${length}`);
    return undefined;
  }
  return {
    ir: { kind: 'slice', target: target.ir, start, end, shape: [end - start] },
    positivity: target.positivity,
    dependsOn: target.dependsOn,
  };
}

function sliceBound(expr: Expr, ctx: ExprContext): number | undefined {
  const scope = {
    lookup: (name: string) => {
      const s = ctx.lookup(name, expr.span);
      return s === 'reported' ? undefined : s;
    },
    names: () => ctx.visibleNames(),
    markUsed: ctx.markUsed,
  };
  return evaluateConstant(expr, scope, ctx.reporter);
}

function positionalOnly(args: readonly Argument[], callee: string, ctx: ExprContext): boolean {
  const named = args.find((a) => a.name !== undefined);
  if (named) ctx.reporter.error('PPL2021', `'${callee}' takes no named arguments`, named.span);
  return named === undefined;
}

function checkCall(expr: CallExpr, ctx: ExprContext): TypedExpr | undefined {
  const name = expr.callee.name;
  const symbol = ctx.lookup(name, expr.callee.span);
  if (symbol === 'reported') return undefined;
  if (symbol?.kind === 'net') return applyNet(symbol, expr, ctx);
  if (symbol !== undefined) {
    ctx.reporter.error('PPL2020', `'${name}' is ${describeSymbolKind(symbol.kind)}, not a function`, expr.callee.span);
    return undefined;
  }
  if (Object.hasOwn(DISTRIBUTION_PARAMETERS, name)) {
    ctx.reporter.error('PPL2020', `'${name}' is a distribution, not a function`, expr.callee.span, `draw from it with '~': name ~ ${name}(...)`);
    return undefined;
  }
  if (!positionalOnly(expr.args, name, ctx)) return undefined;
  if (name === 'concat') return checkConcat(expr, ctx);
  if ((UNARY_FUNCTIONS as readonly string[]).includes(name)) return checkUnary(name as UnaryFunction, expr, ctx);
  const known = [...UNARY_FUNCTIONS, 'concat', ...ctx.visibleNames()];
  const suggestion = suggestName(name, known);
  if (suggestion) ctx.markUsed(suggestion);
  ctx.reporter.error('PPL2020', `unknown function '${name}'`, expr.callee.span,
    suggestion ? `did you mean '${suggestion}'?` : `functions are networks and ${[...UNARY_FUNCTIONS, 'concat'].join(', ')}`);
  return undefined;
}

function checkUnary(fn: UnaryFunction, expr: CallExpr, ctx: ExprContext): TypedExpr | undefined {
  if (expr.args.length !== 1) {
    ctx.reporter.error('PPL2021', `'${fn}' takes 1 argument but was given ${expr.args.length}`, expr.span);
    return undefined;
  }
  const operand = checkExpr(expr.args[0]!.value, ctx);
  if (!operand) return undefined;
  const positivity: Positivity = POSITIVE_FUNCTIONS.has(fn)
    ? 'positive'
    : NONNEGATIVE_FUNCTIONS.has(fn)
      ? 'nonnegative'
      : fn === 'sqrt'
        ? operand.positivity
        : 'unknown';
  return { ir: { kind: 'unary', fn, operand: operand.ir, shape: operand.ir.shape }, positivity, dependsOn: operand.dependsOn };
}

function checkConcat(expr: CallExpr, ctx: ExprContext): TypedExpr | undefined {
  if (expr.args.length < 2) {
    ctx.reporter.error('PPL2021', `'concat' takes at least 2 arguments but was given ${expr.args.length}`, expr.span);
    return undefined;
  }
  const parts = expr.args.map((a) => ({ arg: a, typed: checkExpr(a.value, ctx) }));
  let ok = true;
  for (const { arg, typed } of parts) {
    if (typed && typed.ir.shape.length !== 1) {
      ctx.reporter.error('PPL2004', `'concat' joins vectors, but this argument is ${describeShape(typed.ir.shape)}`, arg.span,
        typed.ir.shape.length === 0 ? 'a scalar can be added to a vector (it broadcasts), but not concatenated' : undefined);
      ok = false;
    }
    if (!typed) ok = false;
  }
  if (!ok) return undefined;
  const typed = parts.map((p) => p.typed!);
  const length = typed.reduce((n, t) => n + t.ir.shape[0]!, 0);
  return {
    ir: { kind: 'concat', parts: typed.map((t) => t.ir), shape: [length] },
    positivity: typed.every((t) => t.positivity === 'positive') ? 'positive' : 'unknown',
    dependsOn: union(...typed.map((t) => t.dependsOn)),
  };
}

function applyNet(net: NetSymbol, expr: CallExpr, ctx: ExprContext): TypedExpr | undefined {
  net.used = true;
  if (expr.args.length !== 1 || !positionalOnly(expr.args, net.name, ctx)) {
    if (expr.args.length !== 1) ctx.reporter.error('PPL2021', `network '${net.name}' takes 1 input but was given ${expr.args.length}`, expr.span,
      'join several inputs with concat(a, b)');
    return undefined;
  }
  const input = checkExpr(expr.args[0]!.value, ctx);
  if (!input || !net.net) return undefined;
  const shape: Shape = input.ir.shape;
  const expected = net.net.inputShape;
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    const declared = expected.length === 1 ? `${expected[0]} inputs` : `input shape ${formatShape(expected)}`;
    ctx.reporter.error('PPL2003', `network '${net.name}' expects an input of shape ${formatShape(expected)} but got ${formatShape(shape)}`,
      expr.args[0]!.span, `'${net.name}' is declared at line ${net.span.start.line} with ${declared}`);
    return undefined;
  }
  return { ir: { kind: 'apply', net: net.name, input: input.ir, shape: net.net.outputShape }, positivity: 'unknown', dependsOn: input.dependsOn };
}
