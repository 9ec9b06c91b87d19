/**
 * Prints expressions, arguments, types and single statements in the canonical
 * layout of `strata fmt`: binary operators with spaces, `name: value` named
 * arguments, `a -> b` arrows, and only the parentheses precedence requires.
 *
 * Precedence, loosest first: `+ -` (1) < `* /` (2) < unary `-` (3) < postfix
 * slice and primaries (4). Binary operators are left-associative, so the right
 * operand of `a - (b - c)` keeps its parentheses and `(a - b) - c` loses them.
 */
import type * as A from './ast.js';

const PREC_ADD = 1;
const PREC_MUL = 2;
const PREC_UNARY = 3;
const PREC_POSTFIX = 4;

function binaryPrecedence(operator: A.BinaryOperator): number {
  return operator === '+' || operator === '-' ? PREC_ADD : PREC_MUL;
}

function precedence(expr: A.Expr): number {
  switch (expr.kind) {
    case 'Binary':
      return binaryPrecedence(expr.operator);
    case 'Negate':
      return PREC_UNARY;
    case 'Number':
      return expr.value < 0 || Object.is(expr.value, -0) ? PREC_UNARY : PREC_POSTFIX;
    default:
      return PREC_POSTFIX;
  }
}

/**
 * Prints a number so that the lexer's pattern `(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`
 * reads it back as the same value: JavaScript's shortest round-trip digits
 * always match it. Values below 1 use the exponent form when it is shorter
 * (`1e-3`, not `0.001`; but `0.5`), others the plain form (`1000`, `1e21`, not
 * `1e+21`). A negative value (never produced by the parser, where `-1` is a
 * `Negate` node) prints with a leading `-`, and infinity as `1e999`, which
 * reads back as infinity.
 *
 * @example formatNumber(0.001) === '1e-3'
 * @throws RangeError for NaN, which has no source form (the parser never makes one)
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) throw new RangeError("Argument 'value' passed to 'formatNumber' must not be NaN");
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const magnitude = Math.abs(value);
  if (magnitude === Infinity) return `${sign}1e999`;
  const plain = String(magnitude).replace('e+', 'e');
  const exponent = magnitude.toExponential().replace('e+', 'e');
  return sign + (magnitude < 1 && exponent.length < plain.length ? exponent : plain);
}

/**
 * Prints an expression with the fewest parentheses that keep its tree.
 *
 * @param expr the expression
 * @param minPrecedence the loosest precedence allowed without parentheses (0: any)
 * @example formatExpr(parse('(a - b) - (c * d)')) === 'a - b - c * d'
 */
export function formatExpr(expr: A.Expr, minPrecedence = 0): string {
  const text = formatBare(expr);
  return precedence(expr) < minPrecedence ? `(${text})` : text;
}

function formatBare(expr: A.Expr): string {
  switch (expr.kind) {
    case 'Number':
      return formatNumber(expr.value);
    case 'Name':
      return expr.name.name;
    case 'Call':
      return `${expr.callee.name}(${formatArguments(expr.args)})`;
    case 'Binary':
      return formatBinaryChain(expr);
    case 'Negate':
      return `-${formatExpr(expr.operand, PREC_UNARY)}`;
    case 'Slice':
      return formatSliceChain(expr);
  }
}

/*
 * A sum of thousands of terms parses to a left-leaning tree thousands of nodes
 * deep, and so does a long run of slices; both print by walking down the left
 * spine in a loop rather than recursing once per node, so they cannot
 * exhaust the stack. (Brackets and minus signs can only nest as deep as the
 * parser allows, so recursion elsewhere stays shallow.)
 */

/** `a - b + c`: the operators of one precedence along the left spine, in a loop. */
function formatBinaryChain(expr: A.BinaryExpr): string {
  const p = binaryPrecedence(expr.operator);
  const rest: string[] = [];
  let node: A.Expr = expr;
  while (node.kind === 'Binary' && binaryPrecedence(node.operator) === p) {
    rest.push(`${node.operator} ${formatExpr(node.right, p + 1)}`);
    node = node.left;
  }
  return [formatExpr(node, p), ...rest.reverse()].join(' ');
}

/** `x[1:][:2]`: every slice of a chain, in a loop. */
function formatSliceChain(expr: A.SliceExpr): string {
  const slices: string[] = [];
  let node: A.Expr = expr;
  while (node.kind === 'Slice') {
    slices.push(`[${node.start ? formatExpr(node.start) : ''}:${node.end ? formatExpr(node.end) : ''}]`);
    node = node.target;
  }
  return formatExpr(node, PREC_POSTFIX) + slices.reverse().join('');
}

/** Prints one argument: `e` or `name: e`. */
export function formatArgument(arg: A.Argument): string {
  const value = formatExpr(arg.value);
  return arg.name ? `${arg.name.name}: ${value}` : value;
}

/** Prints an argument list without its parentheses: `a, scale: b`. */
export function formatArguments(args: readonly A.Argument[]): string {
  return args.map(formatArgument).join(', ');
}

/** Prints a type: `real[X, 4]`. */
export function formatTypeSpec(type: A.TypeSpec): string {
  return `${type.element}[${type.dims.map((d) => formatExpr(d)).join(', ')}]`;
}

/** Prints a statement inside a block on one line, without indentation or comments. */
export function formatStatement(stmt: A.Statement): string {
  switch (stmt.kind) {
    case 'Net': {
      const input = stmt.input ? [`[${stmt.input.dims.map((d) => formatExpr(d)).join(', ')}]`] : [];
      const sizes = [...input, ...stmt.sizes.map((s) => formatExpr(s))].join(' -> ');
      const options = stmt.options.map((o) => `, ${formatArgument(o)}`).join('');
      return `net ${stmt.name.name} = ${stmt.architecture.name}(${sizes}${options})`;
    }
    case 'Param': {
      const init = stmt.init ? ` = ${formatExpr(stmt.init)}` : '';
      return `param ${stmt.name.name}: ${formatTypeSpec(stmt.type)}${init}`;
    }
    case 'Let':
      return `${stmt.name.name} = ${formatExpr(stmt.value)}`;
    case 'Sample': {
      const type = stmt.type ? `: ${formatTypeSpec(stmt.type)}` : '';
      return `${stmt.target.name}${type} ~ ${stmt.distribution.name}(${formatArguments(stmt.args)})`;
    }
  }
}

/** Prints a top-level declaration (`X = 4`, `data x: real[X]`) on one line. */
export function formatDeclaration(item: A.ConstDecl | A.DataDecl): string {
  return item.kind === 'Const'
    ? `${item.name.name} = ${formatExpr(item.value)}`
    : `data ${item.name.name}: ${formatTypeSpec(item.type)}`;
}

/** Prints an options entry: `guide = topdown`. */
export function formatOptionEntry(entry: A.OptionEntry): string {
  return `${entry.key.name} = ${formatExpr(entry.value)}`;
}
