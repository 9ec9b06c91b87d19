/**
 * `strata fmt`: random ASTs print and parse back to themselves, comments
 * survive wherever they sit, every model in models/ is a fixed point of the
 * formatter, and golden strings pin the canonical layout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/frontend/ast.js';
import { formatExpr, formatNumber, formatProgram } from '../../src/frontend/format.js';
import { parseSource } from '../../src/frontend/parse.js';
import { pplLexer } from '../../src/frontend/tokens.js';
import { exprArbs, nodeLabels, programArb, stripSpans } from './ast-arbitraries.js';

const MODELS_DIR = new URL('../../models/', import.meta.url);
const MODEL_FILES = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.ppl')).sort();

/** Parses text that must be valid, returning the program and comments. */
function parseValid(text: string): { program: Program; comments: ReturnType<typeof parseSource>['comments'] } {
  const result = parseSource(text);
  expect(result.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([]);
  return { program: result.program!, comments: result.comments };
}

/** Formats source text that must be valid. */
function fmt(text: string): string {
  const { program, comments } = parseValid(text);
  return formatProgram(program, comments);
}

describe('formatProgram round trip on random ASTs', () => {
  it('covers every expression, statement and item kind (fc.statistics)', () => {
    const log: string[] = [];
    fc.statistics(programArb, (p) => [...nodeLabels(p)], { numRuns: 2000, seed: 42, logger: (line) => log.push(line) });
    const share = new Map(log.flatMap((line) => {
      const m = /^(\S+?)\.*\s*(\d+(?:\.\d+)?)%/.exec(line.trim());
      return m ? [[m[1]!, Number(m[2])] as const] : [];
    }));
    const expected = ['Number', 'Name', 'Call', 'Binary', 'Negate', 'Slice', 'Net', 'Param', 'Let', 'Sample',
      'Const', 'Data', 'Model', 'Guide', 'Options', 'parens:right-assoc', 'parens:negate-binary', 'parens:slice-target', 'named-argument', 'net-input-shape'];
    for (const label of expected) expect(share.get(label) ?? 0, `${label} in ${log.join('\n')}`).toBeGreaterThanOrEqual(5);
  });

  it('print -> parse gives the same AST, and printing again gives the same text', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const text = formatProgram(program, []);
        const parsed = parseValid(text);
        expect(stripSpans(parsed.program)).toEqual(stripSpans(program));
        expect(formatProgram(parsed.program, parsed.comments)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers print in a form the lexer reads back as the same value', () => {
    fc.assert(
      fc.property(exprArbs.number, (literal) => {
        const text = formatNumber(literal.value);
        expect(text).toMatch(/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/);
        expect(Number(text)).toBe(literal.value);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Token end offsets of `text`, plus 0: the places a comment can go without changing the tokens. */
function tokenBoundaries(text: string): number[] {
  return [0, ...pplLexer.tokenize(text).tokens.map((t) => (t.endOffset ?? t.startOffset) + 1)];
}

describe('formatProgram keeps comments', () => {
  const withComments = programArb.chain((program) => {
    const text = formatProgram(program, []);
    const places = tokenBoundaries(text);
    const comment = fc.record({ at: fc.constantFrom(...places), ownLine: fc.boolean(), body: fc.constantFrom('', ' note', ' }', '//x', ' model {') });
    return fc.tuple(fc.constant(program), fc.constant(text), fc.array(comment, { maxLength: 6 }));
  });

  it('comments inserted anywhere keep their order, leave the AST alone, and fmt is idempotent', () => {
    fc.assert(
      fc.property(withComments, ([program, text, inserts]) => {
        const sorted = [...inserts].sort((a, b) => a.at - b.at);
        let source = '';
        let from = 0;
        sorted.forEach((c, i) => {
          source += `${text.slice(from, c.at)}${c.ownLine ? '\n' : ' '}//${i}${c.body}\n`;
          from = c.at;
        });
        source += text.slice(from);
        const texts = sorted.map((c, i) => `//${i}${c.body}`);
        const parsed = parseValid(source);
        expect(stripSpans(parsed.program)).toEqual(stripSpans(program));
        const f1 = formatProgram(parsed.program, parsed.comments);
        const reparsed = parseValid(f1);
        expect(reparsed.comments.map((c) => c.text)).toEqual(texts);
        expect(stripSpans(reparsed.program)).toEqual(stripSpans(program));
        expect(formatProgram(reparsed.program, reparsed.comments)).toBe(f1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fmt on models/', () => {
  it('finds the models', () => {
    expect(MODEL_FILES.length).toBeGreaterThan(0);
  });

  it.each(MODEL_FILES)('%s: fmt is idempotent, keeps the AST and every comment', (file) => {
    const source = readFileSync(new URL(file, MODELS_DIR), 'utf8');
    const original = parseValid(source);
    const f1 = formatProgram(original.program, original.comments);
    const once = parseValid(f1);
    expect(formatProgram(once.program, once.comments)).toBe(f1);
    expect(stripSpans(once.program)).toEqual(stripSpans(original.program));
    for (const comment of original.comments) expect(f1).toContain(comment.text.trimEnd());
    expect(once.comments.map((c) => c.text.trimEnd())).toEqual(original.comments.map((c) => c.text.trimEnd()));
  });
});

describe('canonical layout (golden)', () => {
  it('spaces operators, arrows and named arguments; indents blocks; separates blocks by one blank line', () => {
    const source = 'X=4\nY  =  X*2\ndata x:real[X,Y]\nmodel{net d=mlp(X->Y->2,softplus,hidden:3)\nz:real[X]~Normal(loc:0,scale:1)\nx~Bernoulli(logits:d(z)[0:X])}\n\n\n\nguide q{z~Normal(0,1)}options{particles=10}';
    expect(fmt(source)).toBe(
      [
        'X = 4',
        'Y = X * 2',
        'data x: real[X, Y]',
        '',
        'model {',
        '  net d = mlp(X -> Y -> 2, softplus, hidden: 3)',
        '  z: real[X] ~ Normal(loc: 0, scale: 1)',
        '  x ~ Bernoulli(logits: d(z)[0:X])',
        '}',
        '',
        'guide q {',
        '  z ~ Normal(0, 1)',
        '}',
        '',
        'options {',
        '  particles = 10',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('prints a network on images on one line: its input shape, layers with named arguments, flatten', () => {
    const source = 'model {\n net e = cnn( [ 28,28 , 1 ]\n   -> conv2d(16,3,stride:2)\n   -> maxpool2d(2) -> flatten\n   -> 2*Z , relu )\n net d = cnn(Z->7*7*8->reshape(7,7,8)->deconv2d(1,3,stride:4,padding:same))\n}';
    expect(fmt(source)).toBe(
      [
        'model {',
        '  net e = cnn([28, 28, 1] -> conv2d(16, 3, stride: 2) -> maxpool2d(2) -> flatten -> 2 * Z, relu)',
        '  net d = cnn(Z -> 7 * 7 * 8 -> reshape(7, 7, 8) -> deconv2d(1, 3, stride: 4, padding: same))',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps one blank line where the source had some, and none after { or before }', () => {
    expect(fmt('A = 1\n\n\n\nB = 2\nC = 3\nmodel {\n\n  a = 1\n\n\n  b = 2\n\n}\n\n\n')).toBe(
      'A = 1\n\nB = 2\nC = 3\n\nmodel {\n  a = 1\n\n  b = 2\n}\n',
    );
  });

  it('prints the fewest parentheses that keep the tree', () => {
    const cases: [string, string][] = [
      ['(a - b) - c', 'a - b - c'],
      ['a - (b - c)', 'a - (b - c)'],
      ['a / (b * c)', 'a / (b * c)'],
      ['(a * b) / c', 'a * b / c'],
      ['(a + b) * -(c)', '(a + b) * -c'],
      ['-(a + b)', '-(a + b)'],
      ['- - a', '--a'],
      ['(a + b)[1:]', '(a + b)[1:]'],
      ['(-a)[:2]', '(-a)[:2]'],
      ['-a[(1):(x + 1)]', '-a[1:x + 1]'],
      ['((f((x))))', 'f(x)'],
      ['0.0000001 + 1e21 + 1.50 + .5 + 007', '1e-7 + 1e21 + 1.5 + 0.5 + 7'],
      ['0.001 + 0.01 + 1000 + 1e3 + 2.5E-3 + 1.0e+2', '1e-3 + 0.01 + 1000 + 1000 + 0.0025 + 100'],
    ];
    for (const [input, expected] of cases) {
      const { program } = parseValid(`V = ${input}`);
      const item = program.items[0]!;
      expect(item.kind === 'Const' ? formatExpr(item.value) : '').toBe(expected);
    }
  });

  it('places comments: own line before the next statement, end of line, before }, at end of file', () => {
    const source = [
      '// file header',
      '',
      'X = 4 // four',
      '// before the model',
      'model { // model header',
      '  // before z',
      '     z ~ Normal(0,',
      '   // inside a call',
      '   1) // after z',
      '',
      '       // before the closing brace',
      '} // after the model',
      '// end of file',
    ].join('\n');
    expect(fmt(source)).toBe(
      [
        '// file header',
        '',
        'X = 4  // four',
        '',
        '// before the model',
        'model {  // model header',
        '  // before z',
        '  // inside a call',
        '  z ~ Normal(0, 1)  // after z',
        '',
        '  // before the closing brace',
        '}  // after the model',
        '// end of file',
        '',
      ].join('\n'),
    );
  });

  it('aligns end-of-line comments of consecutive lines, and gives each its own statement', () => {
    const source = 'A = 1 // one\nLONGER = 2 // two   \nC = 3\nmodel { a = 1 b = 2 // of b\n  c = f(a, b) // of c\n}';
    expect(fmt(source)).toBe(
      [
        'A = 1       // one',
        'LONGER = 2  // two',
        'C = 3',
        '',
        'model {',
        '  a = 1',
        '  b = 2        // of b',
        '  c = f(a, b)  // of c',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('prints a sum of thousands of terms and a long run of slices without exhausting the stack', () => {
    const sum = `X = ${Array.from({ length: 5000 }, (_, i) => `a${i % 7} * 2`).join(' + ')} - (b - c)\n`;
    expect(fmt(sum)).toBe(sum);
    const slices = `X = x${'[1:]'.repeat(1000)}\n`;
    expect(fmt(slices)).toBe(slices);
  });

  it('prints empty blocks on one line unless they hold a comment', () => {
    expect(fmt('model { }\nguide q {\n// todo\n}\noptions{}')).toBe('model {}\n\nguide q {\n  // todo\n}\n\noptions {}\n');
  });

  it('prints an empty file as nothing and a comment-only file as its comments', () => {
    expect(fmt('')).toBe('');
    expect(fmt('  \n// a\n\n\n// b')).toBe('// a\n\n// b\n');
  });
});
