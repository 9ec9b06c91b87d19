/**
 * Declarations: types (`real[400]`), networks and learned parameters. Network
 * and parameter names are global across the model and all guides, because
 * they name the learned tensors (`decoder.weight`, `guide_log_scale`).
 */
import type { Argument, Expr, NetDecl, ParamDecl, TypeSpec } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import { ACTIVATIONS, UNARY_FUNCTIONS, type Activation, type ElementType, type Initializer, type IrNet, type IrParameter, type Owner, type Shape } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import { formatExpr } from '../format-expr.js';
import { evaluateConstant, evaluateSize, type ConstantScope } from './constants.js';
import { readActivation } from './activation.js';
import { checkCnn } from './cnn.js';
import { markConstantsUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import { describeSymbolKind, type Scope, type Symbol } from './symbols.js';

const RESERVED_FUNCTIONS = new Set<string>([...UNARY_FUNCTIONS, 'concat']);

/**
 * Resolves a type to an element type and an event shape: `real[400]` is a
 * vector, `binary[28, 28, 1]` an image (height, width, channels).
 * @returns undefined when a size could not be evaluated (already reported).
 */
export function checkType(type: TypeSpec, scope: ConstantScope, reporter: Reporter): { element: ElementType; shape: Shape } | undefined {
  const sizes = type.dims.map((d) => evaluateSize(d, scope, reporter, 'a dimension'));
  if (sizes.some((s) => s === undefined)) {
    markConstantsUsed(type.dims, scope);
    return undefined;
  }
  return { element: type.element, shape: sizes as number[] };
}

/** True for the names of built-in functions (`exp`, `concat`, ...), which cannot be declared. */
export function isBuiltinFunction(name: string): boolean {
  return RESERVED_FUNCTIONS.has(name);
}

/**
 * Adds `symbol` to `scope` unless the name is taken (in this scope or an
 * enclosing one); reports PPL2002 then and returns false. The name of a
 * built-in function is reported too, but declared all the same (its uses then
 * resolve to it, and give no follow-on errors).
 */
export function declare(scope: Scope, symbol: Symbol, reporter: Reporter): boolean {
  const existing = scope.lookup(symbol.name);
  if (existing) {
    reporter.error('PPL2002', `'${symbol.name}' is already declared as ${describeSymbolKind(existing.kind)} at line ${existing.span.start.line}`,
      symbol.span, 'choose another name');
    existing.used = true; // the clash is the mistake; "never used" on top of it would be noise
    return false;
  }
  if (RESERVED_FUNCTIONS.has(symbol.name)) reportBuiltinName(symbol.name, symbol.span, reporter);
  scope.define(symbol);
  return true;
}

/** Reports a declaration that takes the name of a built-in function. */
export function reportBuiltinName(name: string, span: Span, reporter: Reporter): void {
  reporter.error('PPL2002', `'${name}' is the name of a built-in function`, span, `choose another name; '${name}(...)' would no longer call the function`);
}

/** Network and parameter names seen anywhere in the file (they must be unique globally). */
export class LearnedNames {
  private readonly seen = new Map<string, { span: Span; what: string }>();

  /**
   * Claims `name` for a network or parameter of `owner`; reports PPL2002 and
   * returns false when another block (or this one) already has it.
   */
  claim(name: string, kind: 'net' | 'param', owner: Owner, span: Span, reporter: Reporter): boolean {
    const previous = this.seen.get(name);
    if (previous) {
      reporter.error('PPL2002', `'${name}' is already declared as ${previous.what} at line ${previous.span.start.line}`, span,
        'networks and parameters name learned tensors, so their names must be unique in the file');
      return false;
    }
    const where = owner.kind === 'model' ? 'the model' : `guide '${owner.guide}'`;
    this.seen.set(name, { span, what: `${kind === 'net' ? 'a network' : 'a parameter'} of ${where}` });
    return true;
  }
}

/**
 * Checks `net N = linear(a -> b)` or `net N = mlp(a -> h1 -> ... -> b, act)`
 * and lays out its layers and parameters (`N.weight`/`N.bias` for linear,
 * `N.0.weight`, `N.0.bias`, `N.1.weight`, ... for mlp).
 */
export function checkNet(decl: NetDecl, owner: Owner, scope: ConstantScope, reporter: Reporter): { net: IrNet; parameters: IrParameter[] } | undefined {
  const architecture = decl.architecture.name;
  if (architecture === 'cnn') return checkCnn(decl, owner, scope, reporter);
  if (architecture !== 'linear' && architecture !== 'mlp') {
    const suggestion = suggestName(architecture, ['linear', 'mlp', 'cnn']);
    reporter.error('PPL2018', `unknown network architecture '${architecture}'`, decl.architecture.span,
      suggestion ? `did you mean '${suggestion}'?` : "networks are linear(in -> out), mlp(in -> hidden -> ... -> out, activation) or cnn([height, width, channels] -> layer -> ..., activation)");
    return undefined;
  }
  if (decl.input) {
    reporter.error('PPL2018', `'${architecture}' takes vectors, but its input is written as a shape`, decl.input.span,
      `for an image input use cnn(${formatShapeOf(decl.input)} -> conv2d(...) -> ...), or flatten it: ${architecture}(${decl.input.dims.map((d) => formatExpr(d)).join(' * ')} -> ...)`);
    markConstantsUsed([...decl.input.dims, ...decl.sizes], scope);
    return undefined;
  }
  const sizes = decl.sizes.map((s) => evaluateSize(s, scope, reporter, 'a layer size'));
  const activation = readActivation(decl.options, architecture, reporter);
  if (sizes.some((s) => s === undefined) || activation === undefined) return undefined;
  if (sizes.length < 2 || (architecture === 'linear' && sizes.length !== 2)) {
    reporter.error('PPL2018', architecture === 'linear' ? "'linear' takes exactly two sizes: linear(in -> out)" : "'mlp' needs at least two sizes: mlp(in -> ... -> out)",
      decl.span, architecture === 'linear' && sizes.length > 2 ? `for hidden layers use mlp(${sizes.join(' -> ')}, activation)` : undefined);
    return undefined;
  }
  const n = sizes as number[];
  const prefix = (i: number) => (architecture === 'linear' ? decl.name.name : `${decl.name.name}.${i}`);
  const layers = n.slice(1).map((outputs, i) => ({ kind: 'dense' as const, inputs: n[i]!, outputs, weight: `${prefix(i)}.weight`, bias: `${prefix(i)}.bias` }));
  const parameters: IrParameter[] = layers.flatMap((l) => [
    { name: l.weight, shape: [l.inputs, l.outputs], init: { kind: 'glorotUniform' } as const, owner },
    { name: l.bias, shape: [l.outputs], init: { kind: 'constant', value: 0 } as const, owner },
  ]);
  return { net: { name: decl.name.name, layers, activation, owner, inputShape: [n[0]!], outputShape: [n[n.length - 1]!] }, parameters };
}

/** `[28, 28, 1]` as written. */
function formatShapeOf(shape: NonNullable<NetDecl['input']>): string {
  return `[${shape.dims.map((d) => formatExpr(d)).join(', ')}]`;
}

function constantArgs(args: readonly Argument[], names: readonly string[], scope: ConstantScope, reporter: Reporter, span: Span): number[] | undefined {
  if (args.length !== names.length || args.some((a, i) => a.name !== undefined && a.name.name !== names[i])) {
    reporter.error('PPL2026', `expected (${names.join(', ')})`, span);
    return undefined;
  }
  const values = args.map((a) => evaluateConstant(a.value, scope, reporter));
  return values.some((v) => v === undefined) ? undefined : (values as number[]);
}

/** Checks a parameter's initializer: a constant, `normal(mean, std)` or `uniform(low, high)`; zeros by default. */
export function checkInitializer(init: Expr | undefined, scope: ConstantScope, reporter: Reporter): Initializer | undefined {
  if (init === undefined) return { kind: 'constant', value: 0 };
  if (init.kind === 'Call' && (init.callee.name === 'normal' || init.callee.name === 'uniform')) {
    const isNormal = init.callee.name === 'normal';
    const values = constantArgs(init.args, isNormal ? ['mean', 'std'] : ['low', 'high'], scope, reporter, init.span);
    if (!values) return undefined;
    const [a, b] = values as [number, number];
    if (isNormal ? b <= 0 : b <= a) {
      reporter.error('PPL2026', isNormal ? 'the std of normal(...) must be positive' : 'uniform(low, high) needs low < high', init.span);
      return undefined;
    }
    return isNormal ? { kind: 'normal', mean: a, std: b } : { kind: 'uniform', low: a, high: b };
  }
  if (init.kind === 'Call') {
    reporter.error('PPL2026', `unknown initializer '${init.callee.name}'`, init.callee.span, 'initializers are a constant, normal(mean, std) or uniform(low, high)');
    return undefined;
  }
  const value = evaluateConstant(init, scope, reporter);
  return value === undefined ? undefined : { kind: 'constant', value };
}

/** Checks `param name: real[d] = init`. */
export function checkParam(decl: ParamDecl, owner: Owner, scope: ConstantScope, reporter: Reporter): IrParameter | undefined {
  const type = checkType(decl.type, scope, reporter);
  const init = checkInitializer(decl.init, scope, reporter);
  if (!type || !init) return undefined;
  if (type.element !== 'real') {
    reporter.error('PPL2026', 'parameters are real-valued', decl.type.span, `declare it as real[${type.shape.join(', ')}]`);
    return undefined;
  }
  return { name: decl.name.name, shape: type.shape, init, owner };
}
