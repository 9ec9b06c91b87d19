/**
 * The checker on inline sources: shapes through networks, slices, concat and
 * broadcasting; which scales are provably positive; the IR of the
 * linear-Gaussian fixture (parameter names, owners, topological order); the
 * `default_guide` option; "did you mean" hints; and never throwing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { checkSource, type CheckResult } from '../../src/frontend/check.js';
import { Identifier, LParen, pplLexer } from '../../src/frontend/tokens.js';
import type { IrExpr, IrModel, IrStatement } from '../../src/ir/ir.js';

const MODELS_DIR = new URL('../../models/', import.meta.url);

function readModel(name: string): string {
  return readFileSync(new URL(name, MODELS_DIR), 'utf8');
}

function errorsOf(result: CheckResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

/** Checks a source that must have no errors (warnings allowed) and returns its IR. */
function irOf(source: string): IrModel {
  const result = checkSource(source);
  expect(errorsOf(result).map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
  expect(result.ir).toBeDefined();
  return result.ir!;
}

/** The codes of the errors of a source, in order. */
function errorCodes(source: string): string[] {
  return errorsOf(checkSource(source)).map((d) => d.code);
}

/** The one error of a source. */
function onlyError(source: string): Diagnostic {
  const errors = errorsOf(checkSource(source));
  expect(errors.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
  return errors[0]!;
}

/** A model statement of the IR by name. */
function statement(ir: IrModel, name: string): IrStatement {
  const found = ir.model.find((s) => s.name === name);
  expect(found, `no statement '${name}'`).toBeDefined();
  return found!;
}

function letValue(ir: IrModel, name: string): IrExpr {
  const s = statement(ir, name);
  if (s.kind !== 'let') throw new Error(`'${name}' is not a definition`);
  return s.value;
}

/** A model with one latent z: real[4], data x: real[X], a trivial guide, and `body` in the model block. */
function withLatent(body: string, x = 6): string {
  return `data x: real[${x}]\nmodel {\n  z: real[4] ~ Normal(0, 1)\n${body}\n}\nguide q {\n  z ~ Normal(0, 1)\n}\n`;
}

describe('shapes', () => {
  it('follows a vector through networks, slices, concat and arithmetic', () => {
    const ir = irOf(withLatent(`
  net f = mlp(4 -> 8 -> 12, softplus)
  net g = linear(10 -> 6)
  h = f(z)
  loc = h[0:6]
  rest = h[6:]
  head = h[:3]
  both = concat(loc, z)
  shifted = z + 1
  scaled = 2 * z - z / 3
  negated = -z
  x ~ Normal(g(both) + head[0:1] + shifted[0:1] + scaled[0:1] + negated[0:1], softplus(rest) + 1e-3)`));
    expect(letValue(ir, 'h').shape).toEqual([12]);
    expect(letValue(ir, 'loc').shape).toEqual([6]);
    expect(letValue(ir, 'rest').shape).toEqual([6]);
    expect(letValue(ir, 'head').shape).toEqual([3]);
    expect(letValue(ir, 'both').shape).toEqual([10]);
    expect(letValue(ir, 'shifted').shape).toEqual([4]);
    expect(letValue(ir, 'scaled').shape).toEqual([4]);
    expect(letValue(ir, 'negated').shape).toEqual([4]);
    const slice = letValue(ir, 'rest');
    expect(slice).toMatchObject({ kind: 'slice', start: 6, end: 12 });
  });

  it('takes slice bounds from constants and constant expressions', () => {
    const ir = irOf(`Z = 3\ndata x: real[Z]\nmodel {\n  z: real[2 * Z] ~ Normal(0, 1)\n  x ~ Normal(z[0:Z], exp(z[Z:2 * Z]))\n}\nguide q {\n  z ~ Normal(0, 1)\n}\n`);
    const sample = statement(ir, 'x');
    expect(sample.kind === 'sample' && sample.params['loc']).toMatchObject({ kind: 'slice', start: 0, end: 3, shape: [3] });
    expect(ir.latents).toEqual([{ name: 'z', shape: [6], element: 'real' }]);
  });

  it('broadcasts scalars with vectors and length-1 vectors with longer ones', () => {
    const ir = irOf(withLatent(`
  one = z[0:1]
  a = one + z
  b = z * one
  x ~ Normal(0, 1)`, 6));
    expect(letValue(ir, 'a').shape).toEqual([4]);
    expect(letValue(ir, 'b').shape).toEqual([4]);
  });

  it('accepts scalar or full-length distribution parameters', () => {
    irOf(withLatent('  x ~ Normal(loc: 0, scale: 1)'));
    expect(onlyError(withLatent('  x ~ Normal(z, 1)')).code).toBe('PPL2007');
  });

  it('rejects a network input of the wrong length, with the declared size in the hint', () => {
    const d = onlyError(withLatent('  net decoder = linear(450 -> 6)\n  x ~ Normal(decoder(z), 1)'));
    expect(d.code).toBe('PPL2003');
    expect(d.message).toBe("network 'decoder' expects an input of shape [450] but got [4]");
    expect(d.hint).toContain('450 inputs');
  });

  it('rejects vectors of different lengths and slices out of range', () => {
    expect(errorCodes(withLatent('  x ~ Normal(x + z, 1)'))).toEqual(['PPL2004']);
    expect(errorCodes(withLatent('  x ~ Normal(z[2:8], 1)', 6))).toEqual(['PPL2019']);
    expect(errorCodes(withLatent('  x ~ Normal(z[3:1], 1)', 6))).toEqual(['PPL2019']);
  });

  it('accepts a data type with several sizes (an image); a latent must be a vector (PPL2042)', () => {
    expect(errorCodes('data x: binary[28, 28]\nmodel {\n  x ~ Bernoulli(logits: 0)\n}\n')).toEqual([]);
    expect(errorCodes('model {\n  z: real[2, 2] ~ Normal(0, 1)\n}\nguide q {\n  z ~ Normal(0, 1)\n}\n')).toEqual(['PPL2042']);
  });
});

describe('positivity of scales', () => {
  /** Errors when `scale` is the scale of x, with e a raw network output and p a parameter. */
  function scaleErrors(scale: string): Diagnostic[] {
    const source = withLatent(`
  net f = linear(4 -> 4)
  param p: real[4]
  e = f(z)
  x ~ Normal(0 * e + 0 * p, ${scale})`, 4);
    return errorsOf(checkSource(source));
  }

  it.each([
    'softplus(e)',
    'exp(e)',
    'sigmoid(e)',
    'softplus(e) + 1e-3',
    'abs(e) + 1e-3',
    'relu(e) + 1',
    'square(e) + 0.1',
    '1e-3 + abs(e)',
    '0.5',
    '2 * 0.25',
    'exp(p)',
    'softplus(p) + 1e-3',
    '2 * exp(e)',
    'exp(e) / softplus(e)',
    'sqrt(exp(e))',
    'exp(e)[0:4]',
  ])('%s is provably positive', (scale) => {
    expect(scaleErrors(scale).map((d) => d.message)).toEqual([]);
  });

  it.each([
    ['e', 'wrap it in softplus(...) or exp(...)'],
    ['p', 'wrap it in softplus(...) or exp(...)'],
    ['tanh(e)', 'wrap it in softplus(...) or exp(...)'],
    ['log(exp(e))', 'wrap it in softplus(...) or exp(...)'],
    ['-exp(e)', 'wrap it in softplus(...) or exp(...)'],
    ['exp(e) - 1e-3', 'wrap it in softplus(...) or exp(...)'],
    ['abs(e)', 'it can be zero: add a small constant, e.g. softplus(...) + 1e-3'],
    ['relu(e)', 'it can be zero: add a small constant, e.g. softplus(...) + 1e-3'],
    ['square(e)', 'it can be zero: add a small constant, e.g. softplus(...) + 1e-3'],
  ])('%s is not provably positive', (scale, hint) => {
    const errors = scaleErrors(scale);
    expect(errors.map((d) => d.code)).toEqual(['PPL2008']);
    expect(errors[0]!.message).toBe('scale is not provably positive');
    expect(errors[0]!.hint).toBe(hint);
  });

  it.each(['0', '-1', '1 - 1'])('constant %s is rejected with its value', (scale) => {
    const errors = scaleErrors(scale);
    expect(errors.map((d) => d.code)).toEqual(['PPL2008']);
    expect(errors[0]!.message).toMatch(/^scale must be positive, but it is -?\d/);
  });

  it('carries positivity through definitions', () => {
    irOf(withLatent('  s = softplus(z[0:1]) + 1e-3\n  x ~ Laplace(0, s)'));
    expect(onlyError(withLatent('  s = z[0:1]\n  x ~ Laplace(0, s)')).code).toBe('PPL2008');
  });
});

describe('the IR of models/linear-gaussian.ppl', () => {
  const ir = irOf(readModel('linear-gaussian.ppl'));

  it('names and shapes every learned tensor, with its owner', () => {
    expect(ir.parameters.map((p) => [p.name, p.shape, p.owner])).toEqual([
      ['decoder.weight', [4, 6], { kind: 'model' }],
      ['decoder.bias', [6], { kind: 'model' }],
      ['encoder.weight', [6, 4], { kind: 'guide', guide: 'q' }],
      ['encoder.bias', [4], { kind: 'guide', guide: 'q' }],
      ['guide_log_scale', [4], { kind: 'guide', guide: 'q' }],
    ]);
    expect(ir.parameters.find((p) => p.name === 'decoder.weight')!.init).toEqual({ kind: 'glorotUniform' });
    expect(ir.parameters.find((p) => p.name === 'decoder.bias')!.init).toEqual({ kind: 'constant', value: 0 });
    expect(ir.parameters.find((p) => p.name === 'guide_log_scale')!.init).toEqual({ kind: 'constant', value: 0 });
  });

  it('lists data, latents, nets and the guide', () => {
    expect(ir.data).toEqual([{ name: 'x', shape: [6], element: 'real' }]);
    expect(ir.latents).toEqual([{ name: 'z', shape: [4], element: 'real' }]);
    expect(ir.nets.map((n) => [n.name, n.owner.kind, n.activation, n.layers.length])).toEqual([
      ['decoder', 'model', 'identity', 1],
      ['encoder', 'guide', 'identity', 1],
    ]);
    expect(ir.nets[0]!.layers[0]).toEqual({ kind: 'dense', inputs: 4, outputs: 6, weight: 'decoder.weight', bias: 'decoder.bias' });
    expect(ir.nets[0]).toMatchObject({ inputShape: [4], outputShape: [6] });
    expect(ir.guides.map((g) => g.name)).toEqual(['q']);
    expect(ir.guides[0]!.statements.map((s) => `${s.kind} ${s.name}`)).toEqual(['sample z']);
    expect(ir.defaultGuide).toBe('q');
  });

  it('has the model statements in dependency order with their parents', () => {
    expect(ir.model.map((s) => s.kind === 'sample' ? `${s.name} ${s.observed ? 'observed' : 'latent'} [${s.parents.join(',')}]` : s.name)).toEqual([
      'z latent []',
      'x observed [z]',
    ]);
  });

  it('keeps the same IR when the model block lists its statements in reverse', () => {
    const source = readModel('linear-gaussian.ppl').replace(
      /model \{[^}]*\}/,
      'model {\n  x ~ Normal(decoder(z), 0.5)\n  z: real[Z] ~ Normal(0, 1)\n  net decoder = linear(Z -> X)\n}',
    );
    expect(source).not.toBe(readModel('linear-gaussian.ppl'));
    expect(irOf(source)).toEqual(ir);
  });
});

describe('topological order of the model', () => {
  it('puts parents first even when the source lists them last', () => {
    const ir = irOf(`data x: real[6]
model {
  x ~ Normal(decoder(h), 0.5)
  h = 2 * z1
  z1: real[4] ~ Normal(prior(z2), 1)
  z2: real[3] ~ Normal(0, 1)
  net decoder = linear(4 -> 6)
  net prior = linear(3 -> 4)
}
guide q {
  z2 ~ Normal(0, 1)
  z1 ~ Normal(0, 1)
}
`);
    expect(ir.model.map((s) => s.name)).toEqual(['z2', 'z1', 'h', 'x']);
    expect(ir.latents.map((l) => l.name)).toEqual(['z2', 'z1']);
    const x = statement(ir, 'x');
    expect(x.kind === 'sample' && x.parents).toEqual(['z1']);
  });

  it('keeps source order between independent statements', () => {
    const ir = irOf(withLatent('  w: real[2] ~ Normal(0, 1)\n  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'z ~ Normal(0, 1)\n  w ~ Normal(0, 1)'));
    expect(ir.model.map((s) => s.name)).toEqual(['z', 'w', 'x']);
  });

  it('reports a cycle once, naming the variables around it', () => {
    const d = onlyError(`data x: real[4]
model {
  a: real[4] ~ Normal(c, 1)
  b: real[4] ~ Normal(a, 1)
  c: real[4] ~ Normal(b, 1)
  x ~ Normal(a, 1)
}
guide q {
  a ~ Normal(0, 1)
  b ~ Normal(0, 1)
  c ~ Normal(0, 1)
}
`);
    expect(d.code).toBe('PPL2009');
    expect(d.message).toBe('the model graph has a cycle: a -> c -> b -> a');
  });
});

describe('networks and parameters', () => {
  it('names mlp layers N.0.weight, N.0.bias, N.1.weight, ...', () => {
    const ir = irOf(withLatent('  net prior = mlp(4 -> 5 -> 7 -> 6, tanh)\n  x ~ Normal(prior(z), 1)'));
    expect(ir.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['prior.0.weight', [4, 5]],
      ['prior.0.bias', [5]],
      ['prior.1.weight', [5, 7]],
      ['prior.1.bias', [7]],
      ['prior.2.weight', [7, 6]],
      ['prior.2.bias', [6]],
    ]);
    expect(ir.nets[0]).toMatchObject({ name: 'prior', activation: 'tanh' });
    expect(ir.nets[0]!.layers.map((l) => (l.kind === 'dense' ? [l.inputs, l.outputs] : l.kind))).toEqual([[4, 5], [5, 7], [7, 6]]);
  });

  it('shares weights when one network is applied twice', () => {
    const ir = irOf(withLatent('  net f = linear(4 -> 3)\n  x ~ Normal(concat(f(z), f(2 * z)), 1)'));
    expect(ir.nets.map((n) => n.name)).toEqual(['f']);
    expect(ir.parameters.map((p) => p.name)).toEqual(['f.weight', 'f.bias']);
  });

  it.each([
    ['', { kind: 'constant', value: 0 }],
    [' = 0', { kind: 'constant', value: 0 }],
    [' = -2.5', { kind: 'constant', value: -2.5 }],
    [' = normal(0, 0.01)', { kind: 'normal', mean: 0, std: 0.01 }],
    [' = normal(mean: 1, std: 2)', { kind: 'normal', mean: 1, std: 2 }],
    [' = uniform(-1, 1)', { kind: 'uniform', low: -1, high: 1 }],
  ])('param p: real[6]%s initializes as %o', (init, expected) => {
    const ir = irOf(`data x: real[6]\nmodel {\n  param p: real[6]${init}\n  x ~ Normal(p, 1)\n}\n`);
    expect(ir.parameters).toEqual([{ name: 'p', shape: [6], init: expected, owner: { kind: 'model' } }]);
  });

  it.each([' = normal(0, 0)', ' = uniform(1, 1)', ' = normal(0)', ' = gaussian(0, 1)', ' = x'])('rejects the initializer%s', (init) => {
    expect(errorCodes(`data x: real[6]\nmodel {\n  param p: real[6]${init}\n  x ~ Normal(p, 1)\n}\n`)[0]).toMatch(/^PPL202[26]$/);
  });

  it('rejects a network or parameter name used twice in the file', () => {
    const d = onlyError(withLatent('  param s: real[6]\n  x ~ Normal(s, 1)').replace('guide q {', 'guide q {\n  param s: real[4]\n  w = s'));
    expect(d.code).toBe('PPL2002');
    expect(d.message).toBe("'s' is already declared as a parameter of the model at line 4");
  });
});

describe('the default_guide option', () => {
  const twoGuides = `data x: real[6]
model {
  z: real[6] ~ Normal(0, 1)
  x ~ Normal(z, 1)
}
guide first {
  z ~ Normal(x, 1)
}
guide second {
  z ~ Normal(0, 1)
}
`;

  it('defaults to the first guide', () => {
    expect(irOf(twoGuides).defaultGuide).toBe('first');
  });

  it('names the guide to use', () => {
    expect(irOf(`${twoGuides}options {\n  default_guide = second\n}\n`).defaultGuide).toBe('second');
    expect(irOf(readModel('tdvae.ppl')).defaultGuide).toBe('topdown');
  });

  it('must name a guide of the file', () => {
    const d = onlyError(`${twoGuides}options {\n  default_guide = third\n}\n`);
    expect(d.code).toBe('PPL2024');
    expect(d.hint).toBe('guides: first, second');
  });
});

describe('"did you mean" hints', () => {
  it.each([
    ['an undefined name', withLatent('  x ~ Normal(0 * zz, 1)'), 'PPL2001', "did you mean 'z'?"],
    ['a function', withLatent('  x ~ Normal(0, softpluss(z[0:1]))'), 'PPL2020', "did you mean 'softplus'?"],
    ['a distribution', withLatent('  x ~ Laplce(0, 1)'), 'PPL2005', "did you mean 'Laplace'?"],
    ['a distribution parameter', withLatent('  x ~ Normal(locc: 0, scale: 1)'), 'PPL2006', "did you mean 'loc'?"],
    ['an activation', withLatent('  net f = mlp(4 -> 5 -> 6, relux)\n  x ~ Normal(f(z), 1)'), 'PPL2018', "did you mean 'relu'?"],
    ['an architecture', withLatent('  net f = lineer(4 -> 6)\n  x ~ Normal(f(z), 1)'), 'PPL2018', "did you mean 'linear'?"],
    ['an option', `${withLatent('  x ~ Normal(0, 1)')}options {\n  defualt_guide = q\n}\n`, 'PPL2024', "did you mean 'default_guide'?"],
  ])('for %s', (_what, source, code, hint) => {
    const d = onlyError(source);
    expect(d.code).toBe(code);
    expect(d.hint).toBe(hint);
  });

  it('gives no suggestion when nothing is close', () => {
    const d = onlyError(withLatent('  x ~ Normal(0 * completely_unrelated, 1)'));
    expect(d.code).toBe('PPL2001');
    expect(d.hint).toBeUndefined();
  });
});

describe('guides', () => {
  it('may sample latents in any order that respects their uses', () => {
    const ir = irOf(readModel('hvae2-mnist.ppl'));
    expect(ir.guides[0]!.statements.map((s) => s.name)).toEqual(['u1', 'z1', 'u2', 'z2']);
    const z2 = ir.guides[0]!.statements[3]!;
    expect(z2.kind === 'sample' && z2.parents).toEqual(['z1']);
  });

  it('see the data and constants, not the model\'s definitions', () => {
    const d = onlyError(withLatent('  h = 2 * z\n  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'z ~ Normal(h, 1)'));
    expect(d.code).toBe('PPL2001');
    expect(d.message).toBe("'h' is a definition of the model, which guides cannot see");
  });
});

describe('one mistake, one diagnostic', () => {
  it.each([
    ['a parameter with a bad initializer, used in concat', withLatent('  param b: real[2] = gaussian(0, 1)\n  x ~ Normal(concat(z, b), 1)'), 'PPL2026'],
    ['data with a size that is not constant, used by a network', `data x: real[Y]\nmodel {\n  net f = linear(4 -> 4)\n  x ~ Normal(f(x), 1)\n}\n`, 'PPL2001'],
    ['a latent without a type, used in the model and the guide', `data x: real[4]\nmodel {\n  z ~ Normal(0, 1)\n  x ~ Normal(z, 1)\n}\nguide q {\n  z ~ Normal(x, 1)\n}\n`, 'PPL2015'],
    ['a guide network that reuses a model name, used in the guide', withLatent('  net f = linear(4 -> 6)\n  x ~ Normal(f(z), 1)').replace('z ~ Normal(0, 1)', 'net f = linear(6 -> 4)\n  z ~ Normal(f(x), 1)'), 'PPL2002'],
    ['a definition named like a built-in function', withLatent('  relu = 2\n  x ~ Normal(0, relu)'), 'PPL2002'],
    ['a latent named like a constant', `z = 4\n${withLatent('  x ~ Normal(0, 1)')}`, 'PPL2002'],
    ['a binary latent with a continuous prior, and a continuous guide', withLatent('  x ~ Normal(z, 1)').replace('z: real[4] ~ Normal(0, 1)', 'z: binary[4] ~ Normal(0, 1)'), 'PPL2017'],
    ['a Categorical latent of several indices, used in the model and the guide', withLatent('  param l: real[3]\n  x ~ Normal(z, 1)').replace('z: real[4] ~ Normal(0, 1)', 'z: int[4] ~ Categorical(logits: l)').replace('z ~ Normal(0, 1)', 'z ~ Categorical(logits: x[0:3])'), 'PPL2007'],
    ['data defined with = instead of ~', 'data x: real[4]\nmodel {\n  x = Normal(0, 1)\n}\n', 'PPL2002'],
    ['a constant used above its declaration', 'A = B\nB = 2\ndata x: real[4]\nmodel {\n  x ~ Normal(0, A)\n}\n', 'PPL2001'],
    // No "never used" warning follows from an error (src/frontend/checker/mark-used.ts): the names of a statement in error count as used ...
    ['an unknown function around a network', withLatent('  net f = linear(4 -> 6)\n  x ~ Normal(sigmod(f(z)), 1)'), 'PPL2020'],
    ['a function given two arguments, one a network', withLatent('  net f = linear(4 -> 6)\n  x ~ Normal(exp(f(z), 1), 1)'), 'PPL2021'],
    ['data called as a function on a network', `data y: real[4]\n${withLatent('  net f = linear(4 -> 4)\n  y ~ Normal(0, 1)\n  x ~ Normal(y(f(z)), 1)')}`, 'PPL2020'],
    ['a definition in error that reads a later definition', withLatent('  a = sigmod(b)\n  b = 2 * z\n  x ~ Normal(0, 1)'), 'PPL2020'],
    ['a slice of an undefined name, bounded by a constant', `K = 2\n${withLatent('  x ~ Normal(concat(zz[0:K], z), 1)')}`, 'PPL2001'],
    ['data sampled twice, the second time through a network', withLatent('  net f = linear(4 -> 6)\n  x ~ Normal(0, 1)\n  x ~ Normal(f(z), 1)'), 'PPL2011'],
    ['data given a type sized by a constant', `D = 6\n${withLatent('  x: real[D] ~ Normal(0, 1)')}`, 'PPL2029'],
    ['an initializer with three arguments, one a constant', `S = 0.1\n${withLatent('  param b: real[2] = normal(0, S, 3)\n  x ~ Normal(concat(z, b), 1)')}`, 'PPL2026'],
    ['a network with an unknown architecture, sized by a constant', `H = 6\n${withLatent('  net f = lineer(4 -> H)\n  x ~ Normal(f(z), 1)')}`, 'PPL2018'],
    ['a constant defined by a call, reading another constant', `A = 2\nB = sqrt(A)\n${withLatent('  x ~ Normal(0, B)')}`, 'PPL2022'],
    ['a guide sampling a name that is not a latent, through its network', withLatent('  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'net g = linear(6 -> 4)\n  z ~ Normal(0, 1)\n  w ~ Normal(g(x), 1)'), 'PPL2025'],
    ['a guide definition in error, read later', withLatent('  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'net g = linear(6 -> 4)\n  h = sigmod(g(x))\n  z ~ Normal(h[0:4], 1)'), 'PPL2020'],
    ['a guide latent given a type sized by a constant', `D = 4\n${withLatent('  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'z: real[D] ~ Normal(0, 1)')}`, 'PPL2029'],
    // ... a name an error's hint suggests counts as used ...
    ['a misspelled use of a network', withLatent('  net decoder = linear(4 -> 6)\n  x ~ Normal(decodr(z), 1)'), 'PPL2020'],
    ['a misspelled use of a constant', `Hidden = 6\n${withLatent('  net f = linear(4 -> Hiden)\n  x ~ Normal(f(z), 1)')}`, 'PPL2001'],
    // ... and a model's network read in a guide counts as used in the model.
    ['a model network read only in the guide', withLatent('  net g = linear(6 -> 4)\n  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'z ~ Normal(g(x), 1)'), 'PPL2001'],
  ])('%s', (_what, source, code) => {
    expect(checkSource(source).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(new RegExp(`^${code} `))]);
  });

  it('an error elsewhere leaves a real "never used" warning in place', () => {
    const source = withLatent('  net unused_net = linear(4 -> 6)\n  x ~ Normal(0, softpuls(z[0:1]))');
    expect(checkSource(source).diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      "warning PPL2016 network 'unused_net' is never used in the model",
      "error PPL2020 unknown function 'softpuls'",
    ]);
  });

  it('misspelling any call of a bundled model (distribution, network, function, initializer) gives one error and no warning', () => {
    let calls = 0;
    for (const name of ['vae-mnist.ppl', 'hvae2-mnist.ppl', 'tdvae.ppl', 'linear-gaussian-2level.ppl']) {
      const source = readModel(name);
      expect(checkSource(source).diagnostics, name).toEqual([]);
      const tokens = pplLexer.tokenize(source).tokens;
      tokens.forEach((callee, i) => {
        if (callee.tokenType !== Identifier || tokens[i + 1]?.tokenType !== LParen) return;
        const damaged = `${source.slice(0, callee.endOffset! + 1)}q${source.slice(callee.endOffset! + 1)}`;
        const found = checkSource(damaged).diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`);
        expect(found, `${name}:${callee.startLine} ${callee.image}q(...)`).toEqual([expect.stringMatching(/^error /)]);
        calls++;
      });
    }
    expect(calls).toBeGreaterThan(20);
  });

  it('names a self-dependency plainly', () => {
    expect(onlyError('data x: real[4]\nmodel {\n  x ~ Normal(x, 1)\n}\n').message).toBe("the distribution of 'x' depends on 'x' itself");
  });

  it('explains a latent read in its own distribution in a guide', () => {
    expect(onlyError(withLatent('  x ~ Normal(0, 1)').replace('z ~ Normal(0, 1)', 'z ~ Normal(z, 1)')).message).toBe("'z' is used in its own distribution in guide 'q'");
  });
});

describe('robustness', () => {
  const weird = [
    '',
    '   \n\t  ',
    '// only a comment',
    'model',
    'model {',
    '}}}}',
    'data',
    'data x: real[0]\nmodel { x ~ Normal(0, 1) }',
    'data x: real[-3]\nmodel { x ~ Normal(0, 1) }',
    'data x: real[1e400]\nmodel { x ~ Normal(0, 1) }',
    'X = 1 / 0\ndata x: real[X]\nmodel { x ~ Normal(0, 1) }',
    'X = X\nmodel {}',
    'model { x ~ Normal(0, 1) }',
    'model { x: real[2] ~ Normal(0, 1) }',
    'data x: real[2]\nmodel { x ~ Normal() }',
    'data x: real[2]\nmodel { x ~ Normal(scale: 1, loc: 0, loc: 1) }',
    'data x: real[2]\nmodel { x ~ Normal(loc: 0, 1) }',
    'data x: real[2]\nmodel { x ~ Normal(0, 1)[0:1] }',
    'data x: real[2]\nmodel { net f = linear(2 -> 2)\n net f = mlp(2)\n x ~ Normal(f(f), f) }',
    'data x: real[2]\nmodel { concat = 1\n x ~ Normal(concat(x, x)[0:2], 1) }',
    'data x: real[2]\nmodel { x ~ Normal(x[:], 1) }\noptions { default_guide = 1 + 2 }\noptions {}',
    'guide q { z ~ Normal(0, 1) }\nguide q {}',
    '\u0000\u0001\uFFFF 🎲 λ',
    'model { z: real[2] ~ Normal(z, 1) }\nguide q { z ~ Normal(z, z) }',
  ];

  it.each(weird.map((s) => [JSON.stringify(s).slice(0, 60), s]))('never throws on %s', (_label, source) => {
    const result = checkSource(source);
    expect(Array.isArray(result.diagnostics)).toBe(true);
  });

  it('never throws on any prefix of a real model, and reports an error for each incomplete one', () => {
    const source = readModel('linear-gaussian-2level.ppl');
    for (let end = 0; end < source.length; end += 3) {
      const result = checkSource(source.slice(0, end));
      if (result.ir === undefined) expect(errorsOf(result).length, `prefix of length ${end}`).toBeGreaterThan(0);
    }
  });

  it('never throws when a model loses one line', () => {
    const lines = readModel('tdvae.ppl').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const result = checkSource([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
      if (result.ir === undefined) expect(errorsOf(result).length, `without line ${i + 1}`).toBeGreaterThan(0);
    }
  });

  it('handles moderately nested expressions', () => {
    expect(errorCodes(`X = ${'('.repeat(50)}4${')'.repeat(50)}\ndata x: real[X]\nmodel {\n  x ~ Normal(${'-'.repeat(50)}1, 1)\n}\n`)).toEqual([]);
  });

  it('never throws on deeply nested or huge input: a located diagnostic instead', () => {
    const deepParens = `X = ${'('.repeat(400)}1${')'.repeat(400)}`;
    const manyMinus = `X = ${'-'.repeat(5000)}1`;
    const hugeSum = `X = ${Array(30000).fill('1').join(' + ')}`;
    for (const source of [deepParens, manyMinus, hugeSum]) {
      const result = checkSource(source);
      expect(result.diagnostics.length).toBeGreaterThan(0);
      expect(result.diagnostics[0]!.severity).toBe('error');
      expect(result.diagnostics[0]!.span.end.offset).toBeLessThanOrEqual(source.length);
    }
  });
});
