/**
 * The model block: a declarative graph. Statements may come in any order; the
 * checker types definitions on demand, rejects cycles and emits the IR in a
 * topological order (parents first, ties in source order).
 */
import type { LetStmt, ModelBlock, SampleStmt, Statement } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import { DISTRIBUTION_PARAMETERS, type IrLet, type IrSample, type IrStatement, type IrVariable, type Shape } from '../../ir/ir.js';
import type { LearnedNames } from './declarations.js';
import { checkType, declare, isBuiltinFunction, reportBuiltinName } from './declarations.js';
import { checkDistribution, knownFamily, positivityOfFamily, reportTargetMismatch } from './distributions.js';
import { checkExpr, type ExprContext } from './expressions.js';
import { referencedVariables } from './ir-references.js';
import { declareLearned, type LearnedDeclarations } from './learned.js';
import { markConstantsUsed, markNamesUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import { describeSymbolKind, Scope, type Symbol, type TensorSymbol } from './symbols.js';
import { topologicalOrder } from './topological-order.js';
import { checkModelPriorForm, isModelPriorForm, type VampPriorRequest } from './vamp-prior.js';

export interface CheckedModelBlock {
  readonly scope: Scope;
  readonly learned: LearnedDeclarations;
  readonly latents: IrVariable[];
  readonly statements: IrStatement[];
  readonly observed: Set<string>;
  /** VampPriors whose guide is checked later (vamp-prior.ts); `statements` hold placeholders for them. */
  readonly vampPriors: VampPriorRequest[];
}

/**
 * The symbol of a latent the model samples. An invalid one (no type, or a type
 * in error) is still declared, so its uses give no follow-on errors here or in
 * the guides. A latent of a family on (0, ∞) or (0, 1) is positive (so it can
 * be a scale); every guide must keep it there (PPL2030).
 */
function latentSymbol(stmt: SampleStmt, shape: Shape, invalid: boolean): TensorSymbol {
  const element = stmt.type?.element ?? 'real';
  const positivity = positivityOfFamily(stmt.distribution.name);
  return { kind: 'latent', name: stmt.target.name, span: stmt.target.span, used: false, shape, element, positivity, dependsOn: new Set([stmt.target.name]), invalid };
}

/** Declares the latents the model introduces (`z: real[4] ~ ...`) and notes observed data. */
function declareSampled(samples: readonly SampleStmt[], scope: Scope, reporter: Reporter, observed: Set<string>, latents: Map<string, IrVariable>): void {
  for (const stmt of samples) {
    const name = stmt.target.name;
    const existing = scope.lookup(name);
    if (existing && stmt.type) markConstantsUsed(stmt.type.dims, scope); // the type is in error (sampled twice, data, or a taken name) and not checked
    if (existing?.kind === 'data' || existing?.kind === 'latent') {
      if (observed.has(name) || latents.has(name) || existing.kind === 'latent') {
        reporter.error('PPL2011', `'${name}' is sampled more than once in the model`, stmt.target.span, 'each variable has exactly one distribution');
        continue;
      }
      if (stmt.type) reporter.error('PPL2029', `'${name}' is data: its type comes from its declaration at line ${existing.span.start.line}`, stmt.type.span, `write '${name} ~ ...'`);
      observed.add(name);
      existing.used = true;
      continue;
    }
    if (existing && stmt.type) {
      // A new latent that takes a used name: PPL2002. Where the name is a global, the latent
      // still shadows it in the model (invalid), so neither the model nor the guides report it again.
      declare(scope, latentSymbol(stmt, [], true), reporter);
      if (!scope.lookupLocal(name)) scope.define(latentSymbol(stmt, [], true));
      continue;
    }
    if (existing) {
      existing.used = true;
      reporter.error('PPL2025', `'${name}' is ${describeSymbolKind(existing.kind)}, not a random variable`, stmt.target.span,
        'sample latent variables (declared here with a type) or data');
      continue;
    }
    if (!stmt.type) {
      reporter.error('PPL2015', `latent variable '${name}' needs a type where the model samples it`, stmt.target.span, `write '${name}: real[N] ~ ...', or declare it as data`);
      scope.define(latentSymbol(stmt, [], true));
      continue;
    }
    // A binary or int latent is discrete: its family must describe that type. A latent whose family does
    // not fit is invalid (like one without a type), so the guides report nothing more about it.
    const type = vectorType(checkType(stmt.type, scope, reporter), name, stmt.type.span, reporter);
    const family = knownFamily(stmt.distribution.name);
    const mismatch = type !== undefined && family !== undefined && reportTargetMismatch(stmt, family, type.shape, type.element, reporter);
    const symbol = latentSymbol(stmt, type?.shape ?? [], type === undefined || mismatch);
    if (declare(scope, symbol, reporter) && type && !mismatch) latents.set(name, { name, shape: type.shape, element: type.element });
  }
}

/**
 * A latent's type, which must be a vector (images are data; a network can
 * reshape a latent vector into one); undefined after reporting PPL2042.
 */
function vectorType<T extends { shape: Shape }>(type: T | undefined, name: string, span: Span, reporter: Reporter): T | undefined {
  if (type === undefined || type.shape.length === 1) return type;
  reporter.error('PPL2042', `latent variable '${name}' must be a vector, but its type has ${type.shape.length} dimensions`, span,
    `write '${name}: real[${type.shape.join(' * ')}] ~ ...'; a network can shape it: cnn(${type.shape.join(' * ')} -> reshape(${type.shape.join(', ')}) -> ...)`);
  return undefined;
}

/**
 * The model's definitions by name, checked for clashes. `x = Normal(...)` for
 * data `x` is the common slip of '=' for '~': it is reported as such and
 * counted as observing `x`, so no "never observed" error follows.
 */
function collectDefinitions(body: readonly Statement[], scope: Scope, observed: Set<string>, reporter: Reporter): Map<string, LetStmt> {
  const pending = new Map<string, LetStmt>();
  for (const stmt of body) {
    if (stmt.kind !== 'Let') continue;
    const name = stmt.name.name;
    const existing = scope.lookup(name);
    const family = stmt.value.kind === 'Call' && Object.hasOwn(DISTRIBUTION_PARAMETERS, stmt.value.callee.name) ? stmt.value.callee.name : undefined;
    if (existing?.kind === 'data' && family !== undefined) {
      reporter.error('PPL2002', `'${name}' is data, so '=' cannot define it`, stmt.name.span, `to observe it, write '${name} ~ ${family}(...)'`);
      existing.used = true;
      observed.add(name);
    } else if (pending.has(name) || existing) {
      const previous = pending.get(name)?.name.span ?? existing!.span;
      if (existing) existing.used = true;
      const what = existing ? describeSymbolKind(existing.kind) : 'a definition';
      reporter.error('PPL2002', `'${name}' is already declared as ${what} at line ${previous.start.line}`, stmt.name.span, 'choose another name');
    } else {
      if (isBuiltinFunction(name)) reportBuiltinName(name, stmt.name.span, reporter);
      pending.set(name, stmt);
    }
  }
  return pending;
}

/** Checks the model block against the global scope (constants and data); the caller warns about its unused names after the guides. */
export function checkModelBlock(block: ModelBlock, globals: Scope, names: LearnedNames, reporter: Reporter): CheckedModelBlock {
  const scope = new Scope(globals);
  const learned = declareLearned(block.body, { kind: 'model' }, scope, names, reporter);
  const samples = block.body.filter((s): s is SampleStmt => s.kind === 'Sample');
  const observed = new Set<string>();
  const latents = new Map<string, IrVariable>();
  declareSampled(samples, scope, reporter, observed, latents);

  const pending = collectDefinitions(block.body, scope, observed, reporter);
  const lets = new Map<string, IrLet>();
  const inProgress = new Set<string>();
  const failed = new Set<string>();
  const usedBeforeTyped = new Set<string>(); // definitions read by a statement in error before they were typed
  const ctx: ExprContext = {
    reporter,
    visibleNames: () => [...scope.names(), ...pending.keys()],
    markUsed(name) {
      const found = scope.lookup(name);
      if (found) found.used = true;
      else if (pending.has(name)) usedBeforeTyped.add(name);
    },
    lookup(name, span): Symbol | 'reported' | undefined {
      const found = scope.lookup(name);
      if (found) return found;
      const stmt = pending.get(name);
      if (!stmt) return undefined;
      if (failed.has(name)) return 'reported';
      if (inProgress.has(name)) {
        reporter.error('PPL2009', `definition '${name}' depends on itself`, span, 'the model must be acyclic');
        failed.add(name);
        return 'reported';
      }
      inProgress.add(name);
      const typed = checkExpr(stmt.value, ctx);
      inProgress.delete(name);
      if (!typed) {
        markNamesUsed([stmt.value], ctx.markUsed);
        failed.add(name);
        return 'reported';
      }
      const symbol: TensorSymbol = { kind: 'definition', name, span: stmt.name.span, used: usedBeforeTyped.has(name), shape: typed.ir.shape, element: 'real', positivity: typed.positivity, dependsOn: typed.dependsOn };
      scope.define(symbol);
      lets.set(name, { kind: 'let', name, value: typed.ir });
      return symbol;
    },
  };
  for (const [name, stmt] of pending) ctx.lookup(name, stmt.name.span); // type every definition, used or not

  const sampled = new Map<string, IrSample>();
  const vampPriors: VampPriorRequest[] = [];
  for (const stmt of samples) {
    const name = stmt.target.name;
    const symbol = scope.lookup(name);
    if (!symbol || (symbol.kind !== 'latent' && symbol.kind !== 'data') || sampled.has(name)) {
      markNamesUsed(stmt.args.map((a) => a.value), ctx.markUsed); // its target is in error (reported by declareSampled)
      continue;
    }
    if (isModelPriorForm(stmt)) { // VampPrior, or a Flow (refused)
      const placeholder = checkModelPriorForm(stmt, { shape: symbol.shape, observed: observed.has(name), invalid: symbol.invalid === true }, ctx, scope, vampPriors);
      if (placeholder) sampled.set(name, placeholder);
      continue;
    }
    if (symbol.invalid) {
      checkDistribution(stmt, undefined, undefined, ctx); // its arguments can still be wrong
      continue;
    }
    const checked = checkDistribution(stmt, symbol.shape, symbol.element, ctx);
    if (!checked) continue;
    const parents = [...checked.dependsOn].filter((d) => latents.has(d));
    sampled.set(name, { kind: 'sample', name, family: checked.family, params: checked.params, shape: symbol.shape, observed: observed.has(name), parents });
  }

  const statements = orderStatements(block.body, lets, sampled, reporter);
  const latentOrder = statements.filter((s): s is IrSample => s.kind === 'sample' && !s.observed).map((s) => latents.get(s.name)!);
  for (const latent of latents.values()) if (!latentOrder.includes(latent)) latentOrder.push(latent);
  return { scope, learned, latents: latentOrder, statements, observed, vampPriors };
}

/** The checked statements in a topological order of the model graph (parents first, ties in source order); reports cycles. */
function orderStatements(body: readonly Statement[], lets: ReadonlyMap<string, IrLet>, sampled: ReadonlyMap<string, IrSample>, reporter: Reporter): IrStatement[] {
  const nodes = new Map<string, { statement: IrStatement; reads: Set<string>; span: SampleStmt['span'] }>();
  for (const stmt of body) {
    if (stmt.kind === 'Let' && lets.has(stmt.name.name)) {
      const ir = lets.get(stmt.name.name)!;
      nodes.set(ir.name, { statement: ir, reads: referencedVariables(ir.value), span: stmt.span });
    } else if (stmt.kind === 'Sample' && sampled.has(stmt.target.name) && !nodes.has(stmt.target.name)) {
      const ir = sampled.get(stmt.target.name)!;
      const reads = new Set<string>();
      Object.values(ir.params).forEach((p) => referencedVariables(p, reads));
      nodes.set(ir.name, { statement: ir, reads, span: stmt.span });
    }
  }
  const order = topologicalOrder([...nodes.keys()], (n) => [...nodes.get(n)!.reads].filter((r) => nodes.has(r)));
  for (const cycle of order.cycles) {
    const span = nodes.get(cycle[0]!)!.span;
    if (cycle.length === 1) {
      reporter.error('PPL2009', `the distribution of '${cycle[0]}' depends on '${cycle[0]}' itself`, span,
        'a variable\'s distribution can use only other variables (the model must be acyclic)');
    } else {
      reporter.error('PPL2009', `the model graph has a cycle: ${[...cycle, cycle[0]].join(' -> ')}`, span,
        'a variable cannot depend on itself through other variables');
    }
  }
  return order.order.map((n) => nodes.get(n)!.statement);
}
