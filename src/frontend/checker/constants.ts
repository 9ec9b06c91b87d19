/**
 * Constant expressions: numbers, named constants and + - * / over them. They
 * give sizes (`real[2 * Z1]`, `linear(Z1 -> X)`) and slice bounds.
 */
import type { Expr } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import { suggestName } from '../../util/suggest.js';
import { markConstantUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import { describeSymbolKind, type Symbol } from './symbols.js';

/** What constant evaluation needs of a scope (a `Scope` is one). */
export interface ConstantScope {
  lookup(name: string): Symbol | undefined;
  names(): string[];
  /**
   * Where a name that is not visible yet is declared further down the file, if it is (top-level constants and data).
   * Asking counts the name as used there (it is read, too early: one error, no "never used" warning).
   */
  declaredLater?(name: string): Span | undefined;
  /** Marks a name used without reporting anything, where `lookup` could report (see mark-used.ts); default: `lookup(name).used = true`. */
  markUsed?(name: string): void;
}

/**
 * Evaluates a constant expression, reporting what is not constant.
 * @returns the value, or undefined after reporting an error (or when an
 *   operand was already in error).
 */
export function evaluateConstant(expr: Expr, scope: ConstantScope, reporter: Reporter): number | undefined {
  switch (expr.kind) {
    case 'Number':
      return expr.value;
    case 'Negate': {
      const v = evaluateConstant(expr.operand, scope, reporter);
      return v === undefined ? undefined : -v;
    }
    case 'Binary': {
      const l = evaluateConstant(expr.left, scope, reporter);
      const r = evaluateConstant(expr.right, scope, reporter);
      if (l === undefined || r === undefined) return undefined;
      if (expr.operator === '/' && r === 0) {
        reporter.error('PPL2022', 'division by zero in a constant expression', expr.span);
        return undefined;
      }
      return foldNumbers(expr.operator, l, r);
    }
    case 'Name': {
      const symbol = scope.lookup(expr.name.name);
      const later = symbol === undefined ? scope.declaredLater?.(expr.name.name) : undefined;
      if (later !== undefined) {
        reporter.error('PPL2001', `'${expr.name.name}' is used before it is declared`, expr.span,
          `top-level declarations are read in order: move the declaration of '${expr.name.name}' (line ${later.start.line}) above this line`);
        return undefined;
      }
      if (symbol === undefined) {
        const suggestion = suggestName(expr.name.name, scope.names());
        if (suggestion) markConstantUsed(suggestion, scope); // the hint names it
        reporter.error('PPL2001', `undefined name '${expr.name.name}'`, expr.span, suggestion ? `did you mean '${suggestion}'?` : undefined);
        return undefined;
      }
      symbol.used = true;
      if (symbol.kind !== 'constant') {
        reporter.error('PPL2022', `'${expr.name.name}' is ${describeSymbolKind(symbol.kind)}, but a constant is needed here`, expr.span,
          'sizes and slice bounds must be numbers or constants declared at the top level, like `Z = 20`');
        return undefined;
      }
      return symbol.value;
    }
    default:
      reporter.error('PPL2022', 'expected a constant expression (numbers, constants, + - * /)', expr.span);
      return undefined;
  }
}

export function foldNumbers(operator: '+' | '-' | '*' | '/', l: number, r: number): number {
  switch (operator) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
  }
}

/** Evaluates a size: a constant that must be a positive integer. */
export function evaluateSize(expr: Expr, scope: ConstantScope, reporter: Reporter, what: string): number | undefined {
  const value = evaluateConstant(expr, scope, reporter);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    reporter.error('PPL2022', `${what} must be a positive integer, but it is ${value}`, expr.span);
    return undefined;
  }
  return value;
}
