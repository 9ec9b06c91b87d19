/**
 * The syntax of flows, VampPriors and mixture priors through the formatter
 * and the checker: random ASTs of those statements print and parse back to
 * themselves (fc.statistics checks what they cover); random valid flow and
 * prior programs check without diagnostics, and formatting them changes
 * neither their text (a second time) nor their IR; the bundled MNIST models
 * check cleanly; the IR of each construct (tensor names, shapes, owners,
 * initializers, alternating orders, parents) and its summary line.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as A from '../../src/frontend/ast.js';
import type { Span } from '../../src/diagnostics/span.js';
import { checkSource } from '../../src/frontend/check.js';
import { formatProgram } from '../../src/frontend/format.js';
import { parseSource } from '../../src/frontend/parse.js';
import { formatSummary, summarizeModel } from '../../src/driver/summary.js';
import type { IrSample } from '../../src/ir/ir.js';
import { exprArbs, identifierArb, stripSpans } from './ast-arbitraries.js';

const SPAN: Span = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const id = (name: string): A.Identifier => ({ kind: 'Identifier', name, span: SPAN });
const call = (callee: string, args: A.Argument[]): A.CallExpr => ({ kind: 'Call', callee: id(callee), args, span: SPAN });
const positional = (value: A.Expr): A.Argument => ({ value, span: SPAN });
const named = (name: string, value: A.Expr): A.Argument => ({ name: id(name), value, span: SPAN });
const { expr } = exprArbs;

/** A layer group: planar(K), iaf(K, H[, context: e][, activation: a]) or coupling(K, H[, activation: a]), some arguments by name. */
const layerArb: fc.Arbitrary<A.CallExpr> = fc.oneof(
  fc.tuple(expr, fc.boolean()).map(([k, byName]) => call('planar', [byName ? named('layers', k) : positional(k)])),
  fc.tuple(expr, expr, fc.option(expr, { nil: undefined }), fc.option(fc.constantFrom('tanh', 'relu'), { nil: undefined })).map(([k, h, context, activation]) =>
    call('iaf', [positional(k), positional(h), ...(context ? [named('context', context)] : []), ...(activation ? [named('activation', { kind: 'Name' as const, name: id(activation), span: SPAN })] : [])])),
  fc.tuple(expr, expr).map(([k, h]) => call('coupling', [positional(k), named('hidden', h)])),
);

const baseArb: fc.Arbitrary<A.CallExpr> = fc.tuple(fc.constantFrom('Normal', 'Laplace', 'StudentT'), fc.array(exprArbs.argument, { minLength: 1, maxLength: 3 }))
  .map(([family, args]) => call(family, args.map((a) => ({ ...a, name: undefined })).map(({ value }) => positional(value))));

/** `target ~ Flow(base, layers...)`, `target: real[N] ~ VampPrior(q, K[, init: ...])` or `target ~ MixtureNormal(...)`. */
const statementArb: fc.Arbitrary<A.SampleStmt> = fc.oneof(
  fc.record({ target: identifierArb, base: baseArb, layers: fc.array(layerArb, { minLength: 1, maxLength: 3 }) }).map(({ target, base, layers }) => ({
    kind: 'Sample' as const, target, distribution: id('Flow'), args: [base, ...layers].map(positional), span: SPAN,
  })),
  fc.record({ target: identifierArb, guide: identifierArb, k: expr, init: fc.option(expr, { nil: undefined }), size: expr }).map(({ target, guide, k, init, size }) => ({
    kind: 'Sample' as const, target, type: { element: 'real' as const, dims: [size], span: SPAN }, distribution: id('VampPrior'),
    args: [positional({ kind: 'Name' as const, name: guide, span: SPAN }), positional(k), ...(init ? [named('init', init)] : [])], span: SPAN,
  })),
  fc.record({ target: identifierArb, args: fc.tuple(expr, expr, expr) }).map(({ target, args }) => ({
    kind: 'Sample' as const, target, distribution: id('MixtureNormal'), args: [named('logits', args[0]), named('locs', args[1]), named('scales', args[2])], span: SPAN,
  })),
);

const programArb: fc.Arbitrary<A.Program> = fc.record({
  model: fc.array(statementArb, { maxLength: 3 }),
  guide: fc.array(statementArb, { maxLength: 3 }),
}).map(({ model, guide }) => ({
  kind: 'Program' as const,
  items: [
    { kind: 'Model' as const, keyword: SPAN, body: model, span: SPAN },
    { kind: 'Guide' as const, name: id('q'), body: guide, span: SPAN },
  ],
  span: SPAN,
}));

/** What a program holds, for fc.statistics. */
function labels(program: A.Program): string[] {
  const out = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as { kind?: string; callee?: A.Identifier; distribution?: A.Identifier; name?: A.Identifier; value?: unknown };
    if (node.kind === 'Sample') out.add(node.distribution!.name);
    if (node.kind === 'Call' && ['planar', 'iaf', 'coupling'].includes(node.callee!.name)) out.add(node.callee!.name);
    if (node.kind === undefined && node.name !== undefined && node.value !== undefined) out.add(`named:${node.name.name}`);
    Object.entries(value).forEach(([key, child]) => key !== 'span' && visit(child));
  };
  visit(program);
  return [...out];
}

describe('formatting flows, VampPriors and mixtures', () => {
  it('covers each construct, layer and named argument (fc.statistics)', () => {
    const log: string[] = [];
    fc.statistics(programArb, labels, { numRuns: 2000, seed: 5, logger: (line) => log.push(line) });
    const share = new Map(log.flatMap((line) => {
      const m = /^(\S+?)\.*\s*(\d+(?:\.\d+)?)%/.exec(line.trim());
      return m ? [[m[1]!, Number(m[2])] as const] : [];
    }));
    for (const label of ['Flow', 'VampPrior', 'MixtureNormal', 'planar', 'iaf', 'coupling', 'named:context', 'named:activation', 'named:layers', 'named:hidden', 'named:init', 'named:locs']) {
      expect(share.get(label) ?? 0, `${label} in ${log.join('\n')}`).toBeGreaterThanOrEqual(5);
    }
  });

  it('print -> parse gives the same AST, and printing again gives the same text', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const text = formatProgram(program, []);
        const parsed = parseSource(text);
        expect(parsed.diagnostics).toEqual([]);
        expect(stripSpans(parsed.program)).toEqual(stripSpans(program));
        expect(formatProgram(parsed.program!, parsed.comments)).toBe(text);
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

/** A valid model over z: real[D] with the prior and the guide's distribution given as text. */
function program(prior: string, guide: string, d = 4): string {
  return `D = ${d}
K = 3
data x: real[6]

model {
  net decoder = linear(D -> 6)
  param mix_logits: real[K]
  param mix_locs: real[K * D] = normal(0, 1)
  z: real[D] ~ ${prior}
  x ~ Normal(decoder(z), 0.5 + 0 * softplus(mix_logits[0:1] + mix_locs[0:1]))
}

guide q {
  net encoder = linear(6 -> 2 * D)
  h = encoder(x)
  z ~ ${guide}
}
`;
}

const validLayerArb = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((k) => `planar(${k})`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.constantFrom('', ', activation: tanh')).map(([k, h, context, act]) => `iaf(${k}, ${h}${context ? ', context: h' : ''}${act})`),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 })).map(([k, h]) => `coupling(layers: ${k}, hidden: ${h})`),
);

describe('valid flow and prior programs', () => {
  it('check without diagnostics, and formatting them keeps their IR', () => {
    fc.assert(
      fc.property(
        fc.array(validLayerArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('Normal(0, 1)', 'VampPrior(q, 5)', 'MixtureNormal(mix_logits, mix_locs, 0.7)'),
        (layers, prior) => {
          const flowGuide = `Flow(Normal(h[0:D], exp(h[D:])), ${layers.join(', ')})`;
          // A VampPrior needs a guide without a flow: it then mixes the guide's Normal.
          const source = program(prior, prior.startsWith('VampPrior') ? 'Normal(h[0:D], exp(h[D:]))' : flowGuide);
          const checked = checkSource(source);
          expect(checked.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
          const parsed = parseSource(source);
          const formatted = formatProgram(parsed.program!, parsed.comments);
          expect(checkSource(formatted).ir).toEqual(checked.ir);
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });
});

describe('the bundled flow and VampPrior models', () => {
  for (const file of ['flow-vae-mnist.ppl', 'vampprior-vae-mnist.ppl']) {
    it(`${file} parses and checks without diagnostics`, () => {
      const result = checkSource(readFileSync(new URL(`../../models/${file}`, import.meta.url), 'utf8'));
      expect(result.diagnostics).toEqual([]);
      expect(result.ir).toBeDefined();
    });
  }
});

const sampleOf = (source: string, block: 'model' | string, name: string): IrSample => {
  const ir = checkSource(source).ir!;
  const statements = block === 'model' ? ir.model : ir.guides.find((g) => g.name === block)!.statements;
  return statements.find((s): s is IrSample => s.kind === 'sample' && s.name === name)!;
};

describe('the IR of a flow', () => {
  const source = program('Normal(0, 1)', 'Flow(Normal(h[0:D], exp(h[D:])), planar(2), iaf(2, 8, context: h), coupling(2, 5, activation: tanh))', 5);

  it('lists each layer with its tensors, alternating IAF orders and coupling halves', () => {
    const flow = sampleOf(source, 'q', 'z').flow!;
    expect(flow.map((l) => l.kind)).toEqual(['planar', 'planar', 'iaf', 'iaf', 'coupling', 'coupling']);
    expect(flow.map((l) => (l.kind === 'iaf' ? l.reverse : l.kind === 'coupling' ? l.flip : undefined))).toEqual([undefined, undefined, false, true, false, true]);
    const [iaf, coupling, flipped] = [flow[2]!, flow[4]!, flow[5]!];
    expect(iaf.kind === 'iaf' && iaf.context?.value).toEqual({ kind: 'variable', name: 'h', shape: [10] });
    expect(iaf.kind === 'iaf' && [iaf.activation, iaf.hidden, iaf.output]).toEqual(['relu',
      { inputs: 5, outputs: 8, weight: 'q.z.flow.2.hidden.weight', bias: 'q.z.flow.2.hidden.bias' },
      { inputs: 8, outputs: 10, weight: 'q.z.flow.2.output.weight', bias: 'q.z.flow.2.output.bias' }]);
    // d = 5 splits 3 + 2: the first layer keeps 3 and moves 2, the next keeps 2 and moves 3.
    expect(coupling.kind === 'coupling' && [coupling.activation, coupling.hidden.inputs, coupling.output.outputs]).toEqual(['tanh', 3, 4]);
    expect(flipped.kind === 'coupling' && [flipped.hidden.inputs, flipped.output.outputs]).toEqual([2, 6]);
  });

  it('makes its tensors parameters of the guide, with seeded initializers, after the guide\'s own', () => {
    const params = checkSource(source).ir!.parameters;
    const flowParams = params.filter((p) => p.name.startsWith('q.z.flow.'));
    expect(params.slice(-flowParams.length)).toEqual(flowParams);
    expect(flowParams.every((p) => p.owner.kind === 'guide' && p.owner.guide === 'q')).toBe(true);
    const byName = new Map(flowParams.map((p) => [p.name, p]));
    expect(byName.get('q.z.flow.0.u')).toMatchObject({ shape: [5], init: { kind: 'uniform', low: -1 / Math.sqrt(5), high: 1 / Math.sqrt(5) } });
    expect(byName.get('q.z.flow.1.b')).toMatchObject({ shape: [1], init: { kind: 'constant', value: 0 } });
    expect(byName.get('q.z.flow.3.context.weight')).toMatchObject({ shape: [10, 8], init: { kind: 'glorotUniform' } });
    expect(byName.get('q.z.flow.3.output.weight')).toMatchObject({ shape: [8, 10], init: { kind: 'constant', value: 0 } });
    expect(flowParams).toHaveLength(3 * 2 + 5 * 2 + 4 * 2);
  });

  it('counts a latent its IAF context reads as a parent', () => {
    const twoLevel = `data x: real[6]
model {
  z2: real[2] ~ Normal(0, 1)
  z: real[3] ~ Normal(0, 1)
  x ~ Normal(concat(z, z, z2[0:1] - z2[1:2] + 0.5 * z[0:1] - 0.5 * z[0:1])[0:6], 0.5)
}
guide q {
  param m: real[2]
  z2 ~ Normal(m, 1)
  z ~ Flow(Normal(0, 1), iaf(1, 4, context: z2))
}
`;
    expect(checkSource(twoLevel).diagnostics).toEqual([]);
    expect(sampleOf(twoLevel, 'q', 'z').parents).toEqual(['z2']);
  });

  it('summarizes as the base and its layer groups', () => {
    const text = formatSummary(summarizeModel(checkSource(source).ir!), 'x.ppl: ok');
    expect(text).toContain('(guide q: Flow(Normal; planar ×2, iaf ×2, coupling ×2))');
  });
});

describe('the IR of a VampPrior', () => {
  const source = program('VampPrior(q, 7, init: uniform(0, 1))', 'Normal(h[0:D], exp(h[D:]))');

  it('holds the guide\'s family and parameters, the definitions they read, and one pseudo-input tensor per data variable read', () => {
    const z = sampleOf(source, 'model', 'z');
    const guideZ = sampleOf(source, 'q', 'z');
    expect(z.family).toBe('Normal');
    expect(z.params).toEqual(guideZ.params);
    expect(z.parents).toEqual([]);
    expect(z.vampPrior).toEqual({
      guide: 'q', components: 7, pseudoInputs: { x: 'z.pseudo_inputs.x' },
      definitions: [checkSource(source).ir!.guides[0]!.statements[0]],
    });
    const pseudo = checkSource(source).ir!.parameters.find((p) => p.name === 'z.pseudo_inputs.x');
    expect(pseudo).toEqual({ name: 'z.pseudo_inputs.x', shape: [7, 6], init: { kind: 'uniform', low: 0, high: 1 }, owner: { kind: 'model' } });
  });

  it('initializes the pseudo-inputs with normal(0, 0.01) by default, and summarizes as VampPrior(q, K)', () => {
    const plain = program('VampPrior(posterior: q, components: 7)', 'Normal(h[0:D], exp(h[D:]))');
    expect(checkSource(plain).ir!.parameters.find((p) => p.name === 'z.pseudo_inputs.x')!.init).toEqual({ kind: 'normal', mean: 0, std: 0.01 });
    expect(formatSummary(summarizeModel(checkSource(plain).ir!), 'x.ppl: ok')).toContain('z  real[4]  VampPrior(q, 7)  (guide q: Normal)');
  });

  it('refuses wrong arguments with the distribution codes: names PPL2006, counts PPL2022', () => {
    const codes = (prior: string) => checkSource(program(prior, 'Normal(h[0:D], exp(h[D:]))')).diagnostics.map((d) => d.code);
    expect(codes('VampPrior(q, 7, pseudo: 3)')).toEqual(['PPL2006']);
    expect(codes('VampPrior(q)')).toEqual(['PPL2006']);
    expect(codes('VampPrior(q, 2.5)')).toEqual(['PPL2022']);
    expect(codes('VampPrior(2, 5)')).toEqual(['PPL2052']);
  });
});
