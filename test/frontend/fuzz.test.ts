/**
 * Fuzzing the front end with damaged versions of every model in models/: the
 * parser and the checker never throw, every diagnostic is well formed and
 * points inside the file at a line and column that match its offset, every
 * diagnostic renders, and whatever still parses formats idempotently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { positionAt, type Position } from '../../src/diagnostics/span.js';
import { checkSource } from '../../src/frontend/check.js';
import { formatProgram } from '../../src/frontend/format.js';
import { parseSource } from '../../src/frontend/parse.js';
import { pplLexer } from '../../src/frontend/tokens.js';
import { stripSpans } from './ast-arbitraries.js';
import { applyMutations, mutationArb, mutationKinds, type Mutation } from './source-mutations.js';

const MODELS_DIR = new URL('../../models/', import.meta.url);
const MODELS = readdirSync(MODELS_DIR)
  .filter((f) => f.endsWith('.ppl'))
  .sort()
  .map((file) => ({ file, source: readFileSync(new URL(file, MODELS_DIR), 'utf8') }));
const SOURCES = new Map(MODELS.map((m) => [m.file, m.source]));

/** Runs across all models together. */
const NUM_RUNS = 1000;

function expectPositionMatches(source: string, position: Position, what: string): void {
  expect(position.offset, what).toBeGreaterThanOrEqual(0);
  expect(position.offset, what).toBeLessThanOrEqual(source.length);
  expect({ line: position.line, column: position.column }, `${what}: line and column of offset ${position.offset}`).toEqual({
    line: positionAt(source, position.offset).line,
    column: positionAt(source, position.offset).column,
  });
}

/** A diagnostic is data: a known code and severity, a message, and a span inside the file. */
function expectWellFormed(source: string, d: Diagnostic): void {
  const what = `${d.code} '${d.message}'`;
  expect(d.code, what).toMatch(/^PPL[12]\d{3}$/);
  expect(['error', 'warning'], what).toContain(d.severity);
  expect(d.message.length, what).toBeGreaterThan(0);
  expect(d.message, what).not.toMatch(/\n/);
  if (d.hint !== undefined) expect(d.hint.length, what).toBeGreaterThan(0);
  expectPositionMatches(source, d.span.start, `${what} start`);
  expectPositionMatches(source, d.span.end, `${what} end`);
  expect(d.span.start.offset, what).toBeLessThanOrEqual(d.span.end.offset);
}

function expectRenders(source: string, diagnostics: readonly Diagnostic[]): void {
  const text = renderDiagnostics(diagnostics, 'fuzz.ppl', source);
  expect(text.endsWith('\n')).toBe(true);
  for (const d of diagnostics) expect(text).toContain(`fuzz.ppl:${d.span.start.line}:${d.span.start.column}: ${d.severity} ${d.code}: `);
}

/** Everything the front end promises about any text at all. */
function checkFrontEnd(source: string): void {
  const parsed = parseSource(source);
  for (const d of parsed.diagnostics) expectWellFormed(source, d);
  expectRenders(source, parsed.diagnostics);
  expect(parsed.program === undefined, 'a program exactly when there is no syntax error').toBe(parsed.diagnostics.length > 0);
  for (const c of parsed.comments) expectPositionMatches(source, c.span.start, `comment ${c.text}`);

  const checked = checkSource(source);
  for (const d of checked.diagnostics) expectWellFormed(source, d);
  expectRenders(source, checked.diagnostics);
  if (parsed.program === undefined) {
    expect(checked.diagnostics.some((d) => d.code.startsWith('PPL1'))).toBe(true);
    return;
  }
  const f1 = formatProgram(parsed.program, parsed.comments);
  const again = parseSource(f1);
  expect(again.diagnostics).toEqual([]);
  expect(stripSpans(again.program)).toEqual(stripSpans(parsed.program));
  expect(formatProgram(again.program!, again.comments)).toBe(f1);
}

/** A model of models/ (by file name, so counterexamples stay short) and the damage done to it. */
const damagedModel = fc.record({
  file: fc.constantFrom(...MODELS.map((m) => m.file)),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
});

function damagedSource({ file, mutations }: { file: string; mutations: readonly Mutation[] }): string {
  return applyMutations(SOURCES.get(file)!, mutations);
}

/** Inputs the fuzzer once broke the front end with, kept as plain cases (first, while the parser's code is cold and its stack frames largest). */
describe('regressions found by fuzzing', () => {
  it.each([
    ['a lone \\r ends a line for tokens, comments and diagnostics alike', 'X = 4\rY = Q // c\r model {}\r'],
    ['\\r\\n line endings', 'X = 4\r\nY = Q\r\n\r\nmodel {\r\n  z ~ Normal(0, 1) // c\r\n}\r\n'],
    ['calls nested 99 deep and never closed (error recovery overflowed the stack)', `X = ${'f('.repeat(99)}`],
    ['calls nested 98 deep and never closed, in a sample', `model {\n  z ~ Normal(${'f('.repeat(98)}x)\n}\n`],
    ['slices and calls nested 80 deep and never closed', `X = ${'x[1:f('.repeat(40)}`],
  ])('%s', (_, source) => {
    checkFrontEnd(source);
  });
});

describe('front end on damaged models', () => {
  it('the damage covers every kind of mutation and many invalid files (fc.statistics)', () => {
    const log: string[] = [];
    fc.statistics(damagedModel, ({ mutations }) => mutationKinds(mutations), { numRuns: 1000, seed: 1, logger: (l) => log.push(l) });
    fc.statistics(
      damagedModel,
      (c) => {
        try {
          return parseSource(damagedSource(c)).program ? 'still parses' : 'syntax error';
        } catch {
          return 'parser threw'; // the next test reports it
        }
      },
      { numRuns: 300, seed: 1, logger: (l) => log.push(l) },
    );
    const share = new Map(log.flatMap((line) => {
      const m = /^(\S.*?)\.*\s*(\d+(?:\.\d+)?)%/.exec(line.trim());
      return m ? [[m[1]!, Number(m[2])] as const] : [];
    }));
    for (const kind of ['truncate', 'delete-chars', 'insert-text', 'replace-char', 'insert-token', 'replace-token', 'delete-token', 'duplicate-line', 'line-ending', 'repeat-token']) {
      expect(share.get(kind) ?? 0, `${kind} in\n${log.join('\n')}`).toBeGreaterThanOrEqual(5);
    }
    expect(share.get('syntax error') ?? 0, log.join('\n')).toBeGreaterThanOrEqual(30);
    expect(share.get('still parses') ?? 0, log.join('\n')).toBeGreaterThanOrEqual(5);
  });

  it('parseSource and checkSource never throw and report well-formed, located diagnostics', () => {
    fc.assert(
      fc.property(damagedModel, (c) => {
        const source = damagedSource(c);
        try {
          checkFrontEnd(source);
        } catch (e) {
          throw new Error(`damaged source ${JSON.stringify(source)}: ${String(e)}`, { cause: e });
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each(MODELS)('$file: every prefix ending at a token boundary', ({ source }) => {
    const ends = pplLexer.tokenize(source).tokens.map((t) => (t.endOffset ?? t.startOffset) + 1);
    for (const end of [0, ...ends]) checkFrontEnd(source.slice(0, end));
  });

  it.each(MODELS)('$file: the model itself checks without errors', ({ source }) => {
    checkFrontEnd(source);
    expect(checkSource(source).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
