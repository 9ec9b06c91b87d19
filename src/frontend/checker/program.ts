/**
 * Checks a whole program: constants, data, the model block, the guides and
 * the options, and assembles the IR when nothing is in error.
 */
import type { GuideBlock, ModelBlock, OptionsBlock, Program } from '../ast.js';
import type { DistributionFamily, IrModel } from '../../ir/ir.js';
import { suggestName } from '../../util/suggest.js';
import type { Span } from '../../diagnostics/span.js';
import { evaluateConstant, type ConstantScope } from './constants.js';
import { checkType, declare, LearnedNames } from './declarations.js';
import { checkGuideBlock, type CheckedGuide } from './guide-block.js';
import { warnUnused } from './learned.js';
import { markConstantsUsed } from './mark-used.js';
import { checkModelBlock } from './model-block.js';
import { resolveVampPriors } from './vamp-prior.js';
import type { Reporter } from './reporter.js';
import { Scope } from './symbols.js';

const OPTION_KEYS = ['default_guide'];

/** Declares the constants and data, in source order (each may use those above it). */
function declareGlobals(program: Program, reporter: Reporter): Scope {
  const globals = new Scope();
  const declaredAt = new Map<string, Span>();
  for (const item of program.items) {
    if ((item.kind === 'Const' || item.kind === 'Data') && !declaredAt.has(item.name.name)) declaredAt.set(item.name.name, item.name.span);
  }
  const usedEarly = new Set<string>();
  const scope: ConstantScope = {
    lookup: (name) => globals.lookup(name),
    names: () => globals.names(),
    declaredLater(name) {
      const span = declaredAt.get(name);
      if (span) usedEarly.add(name);
      return span;
    },
  };
  for (const item of program.items) {
    if (item.kind === 'Const') {
      const value = evaluateConstant(item.value, scope, reporter);
      if (value === undefined) markConstantsUsed([item.value], scope); // in error: see mark-used.ts
      declare(globals, { kind: 'constant', name: item.name.name, span: item.name.span, used: usedEarly.has(item.name.name), value }, reporter);
    } else if (item.kind === 'Data') {
      const type = checkType(item.type, scope, reporter);
      declare(globals, {
        kind: 'data', name: item.name.name, span: item.name.span, used: false,
        shape: type?.shape ?? [], element: item.type.element, positivity: 'unknown', dependsOn: new Set([item.name.name]), invalid: type === undefined,
      }, reporter);
    }
  }
  return globals;
}

function chooseDefaultGuide(options: readonly OptionsBlock[], guides: readonly GuideBlock[], reporter: Reporter): string | undefined {
  let chosen = guides[0]?.name.name;
  options.slice(1).forEach((o) => reporter.error('PPL2024', "only one 'options' block is allowed", o.span, 'merge the options into the first block'));
  for (const entry of options[0]?.entries ?? []) {
    const key = entry.key.name;
    if (!OPTION_KEYS.includes(key)) {
      const suggestion = suggestName(key, OPTION_KEYS);
      reporter.error('PPL2024', `unknown option '${key}'`, entry.key.span, suggestion ? `did you mean '${suggestion}'?` : `options are ${OPTION_KEYS.join(', ')}`);
      continue;
    }
    const value = entry.value;
    const name = value.kind === 'Name' ? value.name.name : undefined;
    if (name === undefined || !guides.some((g) => g.name.name === name)) {
      const suggestion = name ? suggestName(name, guides.map((g) => g.name.name)) : undefined;
      reporter.error('PPL2024', `option 'default_guide' must name a guide of this file${name ? `, but there is no guide '${name}'` : ''}`, value.span,
        suggestion ? `did you mean '${suggestion}'?` : `guides: ${guides.map((g) => g.name.name).join(', ') || 'none'}`);
      continue;
    }
    chosen = name;
  }
  return chosen;
}

/** Checks `program`, reporting into `reporter`; returns the IR when there are no errors. */
export function checkProgram(program: Program, reporter: Reporter): IrModel | undefined {
  const globals = declareGlobals(program, reporter);
  const models = program.items.filter((i): i is ModelBlock => i.kind === 'Model');
  const guides = program.items.filter((i): i is GuideBlock => i.kind === 'Guide');
  const options = program.items.filter((i): i is OptionsBlock => i.kind === 'Options');
  if (models.length === 0) {
    reporter.error('PPL2028', 'this file has no model block', program.span, 'add `model { ... }` with the sampling statements of the generative model');
  }
  models.slice(1).forEach((m) => reporter.error('PPL2028', 'a file holds one model block', m.keyword, 'merge the two blocks, or put the second model in its own file'));
  const names = new LearnedNames();
  const model = models[0] ? checkModelBlock(models[0], globals, names, reporter) : undefined;
  const modelFamilies = new Map<string, DistributionFamily>(model?.statements.flatMap((s) => (s.kind === 'sample' && !s.observed && !s.vampPrior ? [[s.name, s.family] as const] : [])));
  const modelCategories = new Map<string, number>(model?.statements.flatMap((s) => (s.kind === 'sample' && s.family === 'Categorical' ? [[s.name, s.params['logits']!.shape[0]!] as const] : [])));
  const checkedGuides: CheckedGuide[] = [];
  const seenGuides = new Map<string, GuideBlock>();
  for (const guide of guides) {
    const previous = seenGuides.get(guide.name.name);
    if (previous) {
      reporter.error('PPL2002', `guide '${guide.name.name}' is already declared at line ${previous.name.span.start.line}`, guide.name.span, 'give each guide its own name');
      continue;
    }
    seenGuides.set(guide.name.name, guide);
    if (model) checkedGuides.push(checkGuideBlock(guide, globals, model.scope, model.latents, modelFamilies, names, reporter, modelCategories));
  }
  const dataShapes = new Map(globals.local().flatMap((s) => (s.kind === 'data' ? [[s.name, s.shape] as const] : [])));
  const vampPriors = model ? resolveVampPriors(model.vampPriors, model.statements, checkedGuides.map((g) => g.guide), guides.map((g) => g.name.name), dataShapes, reporter) : undefined;
  if (model) warnUnused(model.scope, ' in the model', reporter); // after the guides: one that reads a model's net in error uses it (mark-used.ts)
  for (const data of globals.local()) {
    if (data.kind === 'data' && model && !model.observed.has(data.name)) {
      reporter.error('PPL2014', `data '${data.name}' is never observed`, data.span, `add '${data.name} ~ ...' to the model block, or remove the declaration`);
    }
  }
  if (model && model.latents.length > 0 && guides.length === 0) {
    reporter.error('PPL2023', 'the model has latent variables but no guide', models[0]!.keyword,
      `add a guide that samples ${model.latents.map((l) => `'${l.name}'`).join(', ')}, e.g. guide q { ... }`);
  }
  const defaultGuide = chooseDefaultGuide(options, guides, reporter);
  warnUnused(globals, '', reporter);
  if (!model || reporter.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return {
    data: globals.local().flatMap((s) => (s.kind === 'data' ? [{ name: s.name, shape: s.shape, element: s.element }] : [])),
    latents: model.latents,
    parameters: [...model.learned.parameters, ...(vampPriors?.parameters ?? []), ...checkedGuides.flatMap((g) => g.learned.parameters)],
    nets: [...model.learned.nets, ...checkedGuides.flatMap((g) => g.learned.nets)],
    model: vampPriors?.statements ?? model.statements,
    guides: checkedGuides.map((g) => g.guide),
    defaultGuide: defaultGuide ?? '',
  };
}
