/**
 * No "never used" warning (PPL2016) that follows from an error. The rule:
 *
 * 1. A statement or declaration that is in error (checking it reported an
 *    error, or it reads a name whose declaration is in error) counts every
 *    name it reads as used. Checking an expression stops at its first error,
 *    so without this the names after it were never marked:
 *    `x ~ Bernouli(logits: decoder(z))` gave "unknown distribution" and a
 *    false "network 'decoder' is never used", printed first since
 *    diagnostics are sorted by position.
 * 2. A name that an error's hint suggests ("did you mean 'decoder'?") counts
 *    as used: the hint already points at it.
 * 3. A name read where it is not visible (a model's network in a guide)
 *    counts as used where it is declared: the error says why it cannot be read.
 *
 * Any other declaration that nothing reads is still reported, errors or not.
 */
import type { Expr } from '../ast.js';
import type { ConstantScope } from './constants.js';

/**
 * Calls `markUsed` on every name `exprs` read (variables, constants, the
 * callees of calls; not argument labels such as `logits:`), without checking
 * anything or reporting anything.
 *
 * @param exprs the expressions of a statement in error (undefined entries are skipped)
 * @param markUsed marks one name used; a name it does not know is ignored
 * @example markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed); // after an unknown distribution
 */
export function markNamesUsed(exprs: readonly (Expr | undefined)[], markUsed: (name: string) => void): void {
  const visit = (e: Expr | undefined): void => {
    if (e === undefined) return;
    switch (e.kind) {
      case 'Number':
        return;
      case 'Name':
        markUsed(e.name.name);
        return;
      case 'Call':
        markUsed(e.callee.name);
        e.args.forEach((a) => visit(a.value));
        return;
      case 'Binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'Negate':
        visit(e.operand);
        return;
      case 'Slice':
        visit(e.target);
        visit(e.start);
        visit(e.end);
        return;
    }
  };
  exprs.forEach(visit);
}

/**
 * Marks one name of a constant scope used, without reporting: through the
 * scope's own `markUsed` when it has one, else by `lookup`; a name declared
 * further down the file is passed to `declaredLater`, which records it as used.
 */
export function markConstantUsed(name: string, scope: ConstantScope): void {
  if (scope.markUsed) return scope.markUsed(name);
  const symbol = scope.lookup(name);
  if (symbol) symbol.used = true;
  else scope.declaredLater?.(name);
}

/** `markNamesUsed` for the constant expressions of a declaration in error (sizes, initializers, constant values). */
export function markConstantsUsed(exprs: readonly (Expr | undefined)[], scope: ConstantScope): void {
  markNamesUsed(exprs, (name) => markConstantUsed(name, scope));
}
