/**
 * The learned part of a block (its `net` and `param` declarations), declared
 * before the block's statements are checked so their order does not matter.
 */
import type { Statement } from '../ast.js';
import { shapeSize, type IrNet, type IrParameter, type Owner } from '../../ir/ir.js';
import { checkNet, checkParam, declare, type LearnedNames } from './declarations.js';
import { markConstantsUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import type { Scope, Symbol } from './symbols.js';

export interface LearnedDeclarations {
  readonly nets: IrNet[];
  readonly parameters: IrParameter[];
}

/** Declares every net and param of `body` in `scope`, collecting their IR. */
export function declareLearned(body: readonly Statement[], owner: Owner, scope: Scope, names: LearnedNames, reporter: Reporter): LearnedDeclarations {
  const out: LearnedDeclarations = { nets: [], parameters: [] };
  for (const stmt of body) {
    if (stmt.kind === 'Net') {
      const checked = checkNet(stmt, owner, scope, reporter);
      if (!checked) markConstantsUsed([...(stmt.input?.dims ?? []), ...stmt.sizes], scope); // in error: see mark-used.ts
      const inputs = checked ? shapeSize(checked.net.inputShape) : undefined;
      const outputs = checked ? shapeSize(checked.net.outputShape) : undefined;
      const symbol = { kind: 'net' as const, name: stmt.name.name, span: stmt.name.span, used: false, net: checked?.net, inputs, outputs };
      if (!names.claim(stmt.name.name, 'net', owner, stmt.name.span, reporter)) {
        defineQuietly(scope, symbol);
        continue;
      }
      declare(scope, symbol, reporter);
      if (checked) {
        out.nets.push(checked.net);
        out.parameters.push(...checked.parameters);
      }
    } else if (stmt.kind === 'Param') {
      const checked = checkParam(stmt, owner, scope, reporter);
      if (!checked) markConstantsUsed([...stmt.type.dims, stmt.init], scope);
      const symbol = {
        kind: 'param' as const, name: stmt.name.name, span: stmt.name.span, used: false,
        shape: checked?.shape ?? [], element: 'real' as const, positivity: 'unknown' as const, dependsOn: new Set<string>(), invalid: checked === undefined,
      };
      if (!names.claim(stmt.name.name, 'param', owner, stmt.name.span, reporter)) {
        defineQuietly(scope, symbol);
        continue;
      }
      declare(scope, symbol, reporter);
      if (checked) out.parameters.push(checked);
    }
  }
  return out;
}

/**
 * Makes a net or param whose name clashed with another block's visible here
 * anyway (the clash is already reported), so its uses in this block resolve
 * to it rather than giving follow-on errors.
 */
function defineQuietly(scope: Scope, symbol: Symbol): void {
  if (!scope.lookup(symbol.name)) scope.define({ ...symbol, used: true });
}

/** Warns about nets, params and definitions of a scope that nothing reads. */
export function warnUnused(scope: Scope, where: string, reporter: Reporter): void {
  for (const symbol of scope.local()) {
    if (symbol.used || (symbol.kind !== 'net' && symbol.kind !== 'param' && symbol.kind !== 'definition' && symbol.kind !== 'constant')) continue;
    const what = symbol.kind === 'net' ? 'network' : symbol.kind === 'param' ? 'parameter' : symbol.kind === 'constant' ? 'constant' : 'definition';
    reporter.warning('PPL2016', `${what} '${symbol.name}' is never used${where}`, symbol.span, 'remove it, or use it');
  }
}
