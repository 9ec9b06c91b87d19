/**
 * Random damage to .ppl source text for fuzzing the front end: truncation,
 * deletion, insertion and replacement of characters and of tokens (drawn from
 * the language's punctuation and keywords, plus odd characters), duplicated
 * lines, `\r` or `\r\n` line endings, and deep nesting (a bracket or minus
 * repeated up to 150 times). Positions are drawn as naturals and taken modulo the
 * length of the text at the time, so a list of mutations always applies.
 */
import fc from 'fast-check';
import { pplLexer } from '../../src/frontend/tokens.js';

/** The language's punctuation and keywords. */
export const LANGUAGE_TOKENS = [
  '(', ')', '{', '}', '[', ']', ',', ':', '=', '~', '->', '-', '+', '*', '/',
  'data', 'model', 'guide', 'options', 'net', 'param', 'real', 'binary',
] as const;

/** Other text worth inserting: comments, line breaks, bad characters, odd numbers and names. */
export const ODD_TEXT = [
  '//', '// c', '\n', '\r\n', '\r', '\t', ' ', '#', '@', '"', '\u00e9', '\u{1F600}', '\u0000',
  '0', '1e', '1e-', '.5', '.', '1e999', '0.0', 'x', 'z1', 'Normal', 'softplus', 'linear', 'mlp', '_',
] as const;

export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'delete-chars'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert-text'; readonly at: number; readonly text: string }
  | { readonly kind: 'replace-char'; readonly at: number; readonly text: string }
  | { readonly kind: 'insert-token'; readonly token: number; readonly text: string }
  | { readonly kind: 'replace-token'; readonly token: number; readonly text: string }
  | { readonly kind: 'delete-token'; readonly token: number }
  | { readonly kind: 'duplicate-line'; readonly line: number }
  | { readonly kind: 'line-ending'; readonly line: number; readonly ending: '\r' | '\r\n' }
  | { readonly kind: 'repeat-token'; readonly token: number; readonly text: string; readonly times: number };

const textArb = fc.oneof(fc.constantFrom(...LANGUAGE_TOKENS, ...ODD_TEXT), fc.string({ maxLength: 3 }));
const tokenTextArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...LANGUAGE_TOKENS) }, fc.constantFrom(...ODD_TEXT));
const at = fc.nat();

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('delete-chars' as const), at, length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert-text' as const), at, text: textArb }),
  fc.record({ kind: fc.constant('replace-char' as const), at, text: textArb }),
  fc.record({ kind: fc.constant('insert-token' as const), token: fc.nat(), text: tokenTextArb }),
  fc.record({ kind: fc.constant('replace-token' as const), token: fc.nat(), text: tokenTextArb }),
  fc.record({ kind: fc.constant('delete-token' as const), token: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('line-ending' as const), line: fc.nat(), ending: fc.constantFrom<'\r' | '\r\n'>('\r', '\r\n') }),
  fc.record({
    kind: fc.constant('repeat-token' as const),
    token: fc.nat(),
    text: fc.constantFrom('(', '[', '-', 'x[', 'f(', '{'),
    times: fc.integer({ min: 2, max: 150 }),
  }),
);

/** [start, end) of each token of `text` (comments included). */
function tokenRanges(text: string): [number, number][] {
  const lexed = pplLexer.tokenize(text);
  const all = [...lexed.tokens, ...(lexed.groups['comments'] ?? [])];
  return all.map((t) => [t.startOffset, (t.endOffset ?? t.startOffset) + 1]);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Applies one mutation to `text`, returning the new text. */
export function applyMutation(text: string, m: Mutation): string {
  const pos = (n: number) => n % (text.length + 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'delete-chars':
      return splice(text, pos(m.at), pos(m.at) + m.length, '');
    case 'insert-text':
      return splice(text, pos(m.at), pos(m.at), m.text);
    case 'replace-char':
      return splice(text, pos(m.at), pos(m.at) + 1, m.text);
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
    }
    case 'line-ending': {
      const lines = text.split('\n');
      if (lines.length < 2) return text;
      const i = m.line % (lines.length - 1);
      return [...lines.slice(0, i), lines[i] + m.ending + lines[i + 1], ...lines.slice(i + 2)].join('\n');
    }
    default: {
      const ranges = tokenRanges(text);
      if (ranges.length === 0) return text + (m.kind === 'delete-token' ? '' : m.text.repeat(m.kind === 'repeat-token' ? m.times : 1));
      const [start, end] = ranges[m.token % ranges.length]!;
      if (m.kind === 'insert-token') return splice(text, start, start, `${m.text} `);
      if (m.kind === 'repeat-token') return splice(text, start, start, m.text.repeat(m.times));
      if (m.kind === 'replace-token') return splice(text, start, end, m.text);
      return splice(text, start, end, '');
    }
  }
}

/** Applies mutations in order. */
export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}

/** The label of a mutation list for `fc.statistics`. */
export function mutationKinds(mutations: readonly Mutation[]): string[] {
  return [...new Set(mutations.map((m) => m.kind))];
}
