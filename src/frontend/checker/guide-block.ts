/**
 * A guide block: a sequential program over the latents. Every latent of the
 * model is sampled exactly once, never the data, each latent is used only
 * after the statement that samples it, and from a family whose support lies
 * within the model's for it.
 */
import type { GuideBlock, SampleStmt } from '../ast.js';
import type { Span } from '../../diagnostics/span.js';
import { DISTRIBUTION_SUPPORT, supportWithin, type DistributionFamily, type IrGuide, type IrStatement, type IrVariable } from '../../ir/ir.js';
import type { LearnedNames } from './declarations.js';
import { declare } from './declarations.js';
import { describeSupport, listFamilies, positivityOfFamily, type CheckedDistribution } from './distributions.js';
import { checkExpr, type ExprContext } from './expressions.js';
import { checkGuideDistribution, type FlowScope } from './flows.js';
import { declareLearned, warnUnused, type LearnedDeclarations } from './learned.js';
import { markNamesUsed } from './mark-used.js';
import type { Reporter } from './reporter.js';
import { describeSymbolKind, Scope, type Symbol } from './symbols.js';

export interface CheckedGuide {
  readonly guide: IrGuide;
  readonly learned: LearnedDeclarations;
}

/** PPL2013: a latent read before (or in) the statement of this guide that samples it. */
function reportUseBeforeSample(name: string, span: Span, sample: SampleStmt | undefined, guideName: string, reporter: Reporter): void {
  if (sample && sample.span.start.offset <= span.start.offset) {
    reporter.error('PPL2013', `'${name}' is used in its own distribution in guide '${guideName}'`, span,
      `the distribution of '${name}' can depend only on the data and on latents the guide sampled before it`);
    return;
  }
  reporter.error('PPL2013', `'${name}' is used before it is sampled in guide '${guideName}'`, span,
    sample ? `move this after line ${sample.span.start.line}, where the guide samples '${name}'` : `sample '${name}' earlier in this guide`);
}

/**
 * PPL2030: q(z) must be zero wherever p(z) is, or log p(z) is -∞ for some
 * guide samples (a Normal guide for a Gamma latent draws negative values).
 * Returns false when it reported.
 */
function checkSupport(stmt: SampleStmt, checked: CheckedDistribution, modelFamily: DistributionFamily | undefined, guideName: string, reporter: Reporter, modelCategories?: number): boolean {
  if (modelFamily === undefined) return true;
  const [inner, outer] = [checked.flow ? 'real' : DISTRIBUTION_SUPPORT[checked.family], DISTRIBUTION_SUPPORT[modelFamily]]; // a flow's values are real
  const name = stmt.target.name;
  if (supportWithin(inner, outer)) return checkCategories(stmt, checked, guideName, reporter, modelCategories);
  const fitting = (Object.keys(DISTRIBUTION_SUPPORT) as DistributionFamily[]).filter((f) => supportWithin(DISTRIBUTION_SUPPORT[f], outer));
  reporter.error('PPL2030', `guide '${guideName}' samples '${name}' from ${checked.flow ? 'a flow' : checked.family}, on ${describeSupport(inner)}, but the model's ${modelFamily} puts '${name}' on ${describeSupport(outer)}`,
    stmt.distribution.span, `the guide must keep '${name}' where the model's density is positive: use ${listFamilies(fitting)}`);
  return false;
}

/** PPL2030 for a Categorical guide whose K differs from the model's: its indices would fall outside 0, ..., K − 1. */
function checkCategories(stmt: SampleStmt, checked: CheckedDistribution, guideName: string, reporter: Reporter, modelCategories: number | undefined): boolean {
  const guideCategories = checked.family === 'Categorical' ? checked.params['logits']?.shape[0] : undefined;
  if (modelCategories === undefined || guideCategories === undefined || guideCategories === modelCategories) return true;
  reporter.error('PPL2030', `guide '${guideName}' samples '${stmt.target.name}' from ${guideCategories} categories, but the model's Categorical has ${modelCategories}`,
    stmt.distribution.span, `give the guide's logits ${modelCategories} entries, one per category of the model`);
  return false;
}

/**
 * Checks one guide against the globals and the model's latents.
 *
 * @param modelFamilies the family the model samples each latent from (absent where that statement is in error)
 * @param modelCategories the number of categories K of each Categorical latent of the model
 */
export function checkGuideBlock(block: GuideBlock, globals: Scope, model: Scope, latents: readonly IrVariable[], modelFamilies: ReadonlyMap<string, DistributionFamily>, names: LearnedNames, reporter: Reporter,
  modelCategories: ReadonlyMap<string, number> = new Map()): CheckedGuide {
  const guideName = block.name.name;
  const scope = new Scope(globals);
  const learned = declareLearned(block.body, { kind: 'guide', guide: guideName }, scope, names, reporter);
  const latentByName = new Map(latents.map((l) => [l.name, l]));
  const samples = new Map(block.body.filter((s): s is SampleStmt => s.kind === 'Sample').map((s) => [s.target.name, s]));
  const ctx: ExprContext = {
    reporter,
    visibleNames: () => scope.names(),
    markUsed(name) {
      const found = scope.lookup(name);
      if (found) found.used = true;
    },
    lookup(name, span): Symbol | 'reported' | undefined {
      const found = scope.lookup(name);
      if (found) return found;
      if (latentByName.has(name)) {
        reportUseBeforeSample(name, span, samples.get(name), guideName, reporter);
        return 'reported';
      }
      const inModel = model.lookupLocal(name);
      if (inModel?.kind === 'latent' && inModel.invalid) return 'reported'; // the model's error covers it
      if (inModel) {
        inModel.used = true; // read, where it cannot be: the error covers it (mark-used.ts)
        reporter.error('PPL2001', `'${name}' is ${describeSymbolKind(inModel.kind)} of the model, which guides cannot see`, span,
          inModel.kind === 'net' || inModel.kind === 'param' ? 'declare the guide\'s own networks and parameters inside the guide' : 'define it inside the guide');
        return 'reported';
      }
      return undefined;
    },
  };
  const statements: IrStatement[] = [];
  const sampled = new Set<string>();
  const flowScope: FlowScope = { guide: guideName, constants: scope, parameters: learned.parameters };
  const markStatementUsed = (stmt: SampleStmt) => markNamesUsed([...(stmt.type?.dims ?? []), ...stmt.args.map((a) => a.value)], ctx.markUsed); // it is in error
  for (const stmt of block.body) {
    if (stmt.kind === 'Let') {
      const typed = checkExpr(stmt.value, ctx);
      if (!typed) markNamesUsed([stmt.value], ctx.markUsed);
      const symbol = {
        kind: 'definition' as const, name: stmt.name.name, span: stmt.name.span, used: false,
        shape: typed?.ir.shape ?? [], element: 'real' as const, positivity: typed?.positivity ?? 'unknown', dependsOn: typed?.dependsOn ?? new Set<string>(),
        invalid: typed === undefined, // its error is reported: uses of it give no follow-on errors
      };
      if (latentByName.has(stmt.name.name)) {
        reporter.error('PPL2002', `'${stmt.name.name}' is a latent variable of the model`, stmt.name.span, 'choose another name for this definition');
      } else if (declare(scope, symbol, reporter) && typed) {
        statements.push({ kind: 'let', name: stmt.name.name, value: typed.ir });
      }
    } else if (stmt.kind === 'Sample') {
      const name = stmt.target.name;
      const latent = latentByName.get(name);
      const existing = globals.lookup(name) ?? scope.lookup(name);
      if (existing?.kind === 'data') {
        reporter.error('PPL2012', `guide '${guideName}' samples '${name}', which is observed data`, stmt.target.span, 'a guide samples only latent variables; it conditions on the data');
        markStatementUsed(stmt);
        continue;
      }
      const broken = model.lookupLocal(name);
      if (!latent && broken?.kind === 'latent' && broken.invalid) {
        checkGuideDistribution(stmt, undefined, ctx, flowScope); // the model reports the latent's type; its arguments can still be wrong
        scope.define({ ...broken, used: true });
        continue;
      }
      if (!latent) {
        const hint = existing ? `it is ${describeSymbolKind(existing.kind)}` : `the model's latents are ${latents.map((l) => `'${l.name}'`).join(', ') || 'none'}`;
        reporter.error('PPL2025', `'${name}' is not a latent variable of the model`, stmt.target.span, hint);
        markStatementUsed(stmt);
        continue;
      }
      if (sampled.has(name)) {
        reporter.error('PPL2011', `'${name}' is sampled more than once in guide '${guideName}'`, stmt.target.span, 'each latent is sampled exactly once per guide');
        markStatementUsed(stmt);
        continue;
      }
      if (stmt.type) {
        reporter.error('PPL2029', `'${name}' takes its type from the model`, stmt.type.span, `write '${name} ~ ...'`);
        markStatementUsed(stmt);
      }
      const checked = checkGuideDistribution(stmt, latent, ctx, flowScope);
      sampled.add(name);
      // Positive when either family says so: where they disagree, PPL2030 covers it.
      const modelFamily = modelFamilies.get(name);
      const positive = (modelFamily !== undefined && positivityOfFamily(modelFamily) === 'positive') || positivityOfFamily(stmt.distribution.name) === 'positive';
      scope.define({ kind: 'latent', name, span: stmt.target.span, used: true, shape: latent.shape, element: latent.element, positivity: positive ? 'positive' : 'unknown', dependsOn: new Set([name]) });
      if (!checked || !checkSupport(stmt, checked, modelFamilies.get(name), guideName, reporter, modelCategories.get(name))) continue;
      const parents = [...checked.dependsOn].filter((d) => latentByName.has(d));
      statements.push({ kind: 'sample', name, family: checked.family, params: checked.params, shape: latent.shape, observed: false, parents, ...(checked.flow ? { flow: checked.flow } : {}) });
    }
  }
  const missing = latents.filter((l) => !sampled.has(l.name));
  if (missing.length > 0) {
    reporter.error('PPL2010', `guide '${guideName}' does not sample ${missing.map((l) => `'${l.name}'`).join(', ')}`, block.name.span,
      'a guide must sample every latent variable of the model exactly once');
  }
  warnUnused(scope, ` in guide '${guideName}'`, reporter);
  return { guide: { name: guideName, statements }, learned };
}
