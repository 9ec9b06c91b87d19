/**
 * Golden files for diagnostics, as stanc3 keeps `test/integration/bad/*.expected`:
 * each `test/fixtures/bad/X.ppl` holds one kind of mistake, and `X.expected`
 * beside it is exactly what `renderDiagnostics` prints for it.
 *
 * To create or refresh the .expected files after a deliberate change:
 *
 *     UPDATE_GOLDEN=1 npx vitest run test/frontend/golden.test.ts
 *
 * then read the diff: every message, caret and hint is part of the contract.
 * The last tests tie the codes table to the fixtures and to docs/language.md:
 * every code has a fixture and a documented example.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { checkSource } from '../../src/frontend/check.js';

const BAD_DIR = new URL('../fixtures/bad/', import.meta.url);
const FIXTURES = readdirSync(BAD_DIR).filter((f) => f.endsWith('.ppl')).sort();
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** What `strata check` prints for a fixture (the path is relative to the repo root). */
function render(file: string): string {
  const source = readFileSync(new URL(file, BAD_DIR), 'utf8');
  return renderDiagnostics(checkSource(source).diagnostics, `test/fixtures/bad/${file}`, source);
}

function expectedPath(file: string): URL {
  return new URL(file.replace(/\.ppl$/, '.expected'), BAD_DIR);
}

describe('bad models render their golden diagnostics', () => {
  it('has fixtures', () => {
    expect(FIXTURES.length).toBeGreaterThan(0);
  });

  for (const file of FIXTURES) {
    it(file, () => {
      const actual = render(file);
      const path = expectedPath(file);
      if (UPDATE) writeFileSync(path, actual);
      expect(existsSync(path), `missing ${path.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('every fixture reports at least one diagnostic and produces no IR when it has errors', () => {
    for (const file of FIXTURES) {
      const result = checkSource(readFileSync(new URL(file, BAD_DIR), 'utf8'));
      expect(result.diagnostics.length, file).toBeGreaterThan(0);
      if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.ir, file).toBeUndefined();
    }
  });

  it('every .expected file has its .ppl', () => {
    const orphans = readdirSync(BAD_DIR)
      .filter((f) => f.endsWith('.expected'))
      .filter((f) => !FIXTURES.includes(f.replace(/\.expected$/, '.ppl')));
    expect(orphans).toEqual([]);
  });

  it('each fixture shows one kind of mistake: its diagnostics share one code (no cascades)', () => {
    for (const file of FIXTURES) {
      const codes = new Set(checkSource(readFileSync(new URL(file, BAD_DIR), 'utf8')).diagnostics.map((d) => d.code));
      expect([...codes], file).toHaveLength(1);
    }
  });
});

describe('the codes table, the golden files and the docs agree', () => {
  it('docs/language.md documents every code and copies the grammar of parser.ts exactly', () => {
    const docs = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !docs.includes(`### ${code}: `));
    expect(missing, 'codes without a section in docs/language.md').toEqual([]);
    const ebnf = (text: string) => /```ebnf\n([\s\S]*?)```/.exec(text)?.[1];
    const parser = readFileSync(new URL('../../src/frontend/parser.ts', import.meta.url), 'utf8');
    const fromParser = ebnf(parser)?.replace(/^ \* ?/gm, '').replace(/ \*\s*$/, '');
    expect(fromParser).toBeDefined();
    expect(ebnf(docs)?.trim()).toBe(fromParser!.trim());
  });

  it('the golden files cover every code in the codes table', () => {
    const seen = new Set<string>();
    for (const file of FIXTURES) {
      const path = expectedPath(file);
      if (!existsSync(path)) continue;
      for (const m of readFileSync(path, 'utf8').matchAll(/^\S+:\d+:\d+: (?:error|warning) (PPL\d{4}):/gm)) seen.add(m[1]!);
    }
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !seen.has(code));
    expect(missing, 'codes with no golden fixture').toEqual([]);
  });
});
