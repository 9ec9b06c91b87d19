/**
 * fast-check arbitraries for well-formed Strata ASTs (every span a dummy), and
 * helpers to compare ASTs without their spans and to list the node kinds a
 * tree contains. Names come from a small pool, so the same name shows up in
 * several places (collisions), and the pool holds near-keywords (`models`,
 * `data_`) that must lex as names.
 */
import fc from 'fast-check';
import type * as A from '../../src/frontend/ast.js';
import type { Span } from '../../src/diagnostics/span.js';

const SPAN: Span = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const span = fc.constant(SPAN);

/** Names that are not keywords (data model guide options net param real binary int). */
export const NAME_POOL = ['x', 'y', 'z', 'mu', 'h1', 'Normal', 'exp', 'models', 'data_', 'netX', '_', 'e', 'E2', 'reals'] as const;

export const identifierArb: fc.Arbitrary<A.Identifier> = fc
  .constantFrom(...NAME_POOL)
  .map((name) => ({ kind: 'Identifier' as const, name, span: SPAN }));

/** Non-negative finite numbers (the parser makes `-1` a Negate node), including extremes of the float range. */
export const numberValueArb: fc.Arbitrary<number> = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.constantFrom(0, 0.5, 1e-7, 2.5e-8, 5e-324, 1e21, 1.7976931348623157e308, 123.456),
  fc.double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v)),
);

type ExprArbs = {
  expr: A.Expr;
  number: A.NumberLiteral;
  name: A.NameExpr;
  call: A.CallExpr;
  binary: A.BinaryExpr;
  negate: A.NegateExpr;
  slice: A.SliceExpr;
  argument: A.Argument;
};

/** Random expressions of every kind, built with `fc.letrec`; depth is kept small. */
export const exprArbs = fc.letrec<ExprArbs>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('number'),
    tie('name'),
    tie('call'),
    tie('binary'),
    tie('negate'),
    tie('slice'),
  ),
  number: fc.record({ kind: fc.constant('Number' as const), value: numberValueArb, span }),
  name: fc.record({ kind: fc.constant('Name' as const), name: identifierArb, span }),
  call: fc.record({
    kind: fc.constant('Call' as const),
    callee: identifierArb,
    args: fc.array(tie('argument'), { maxLength: 3, depthIdentifier: 'expr' }),
    span,
  }),
  binary: fc.record({
    kind: fc.constant('Binary' as const),
    operator: fc.constantFrom<A.BinaryOperator>('+', '-', '*', '/'),
    left: tie('expr'),
    right: tie('expr'),
    span,
  }),
  negate: fc.record({ kind: fc.constant('Negate' as const), operand: tie('expr'), span }),
  slice: fc.record(
    { kind: fc.constant('Slice' as const), target: tie('expr'), start: tie('expr'), end: tie('expr'), span },
    { requiredKeys: ['kind', 'target', 'span'] },
  ),
  argument: fc.record({ name: identifierArb, value: tie('expr'), span }, { requiredKeys: ['value', 'span'] }),
}));

const { expr, argument } = exprArbs;

const typeSpecArb: fc.Arbitrary<A.TypeSpec> = fc.record({
  element: fc.constantFrom<A.ElementType>('real', 'binary', 'int'),
  dims: fc.array(expr, { minLength: 1, maxLength: 3 }),
  span,
});

export const statementArb: fc.Arbitrary<A.Statement> = fc.oneof(
  fc.record({
    kind: fc.constant('Net' as const),
    name: identifierArb,
    architecture: identifierArb,
    sizes: fc.array(expr, { minLength: 1, maxLength: 4 }),
    options: fc.array(argument, { maxLength: 2 }),
    span,
  }),
  // A network on images: an input shape `[a, b, c]` first, then layers (`conv2d(16, 3)`, `flatten`) or sizes.
  fc.record({
    kind: fc.constant('Net' as const),
    name: identifierArb,
    architecture: identifierArb,
    input: fc.record({ dims: fc.array(expr, { minLength: 1, maxLength: 3 }), span }),
    sizes: fc.array(expr, { maxLength: 4 }),
    options: fc.array(argument, { maxLength: 2 }),
    span,
  }),
  fc.record(
    { kind: fc.constant('Param' as const), name: identifierArb, type: typeSpecArb, init: expr, span },
    { requiredKeys: ['kind', 'name', 'type', 'span'] },
  ),
  fc.record({ kind: fc.constant('Let' as const), name: identifierArb, value: expr, span }),
  fc.record(
    {
      kind: fc.constant('Sample' as const),
      target: identifierArb,
      type: typeSpecArb,
      distribution: identifierArb,
      args: fc.array(argument, { maxLength: 3 }),
      span,
    },
    { requiredKeys: ['kind', 'target', 'distribution', 'args', 'span'] },
  ),
);

const bodyArb = fc.array(statementArb, { maxLength: 4 });

export const topLevelItemArb: fc.Arbitrary<A.TopLevelItem> = fc.oneof(
  fc.record({ kind: fc.constant('Const' as const), name: identifierArb, value: expr, span }),
  fc.record({ kind: fc.constant('Data' as const), name: identifierArb, type: typeSpecArb, span }),
  fc.record({ kind: fc.constant('Model' as const), keyword: span, body: bodyArb, span }),
  fc.record({ kind: fc.constant('Guide' as const), name: identifierArb, body: bodyArb, span }),
  fc.record({
    kind: fc.constant('Options' as const),
    entries: fc.array(fc.record({ key: identifierArb, value: expr, span }), { maxLength: 3 }),
    span,
  }),
);

export const programArb: fc.Arbitrary<A.Program> = fc.record({
  kind: fc.constant('Program' as const),
  items: fc.array(topLevelItemArb, { maxLength: 6 }),
  span,
});

/** A copy of an AST (or any value) without its `span` fields and the model block's `keyword` span. */
export function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'span' || key === 'keyword' || child === undefined) continue;
    out[key] = stripSpans(child);
  }
  return out;
}

/**
 * The node kinds a tree contains (`Binary`, `Sample`, ...), plus labels for the
 * cases the printer must get right: `parens:right-assoc` (a binary right operand
 * of the same precedence, as in `a - (b - c)`), `parens:negate-binary`
 * (`-(a + b)`), `parens:slice-target` (`(a + b)[1:]`), `named-argument` and
 * `net-input-shape` (`cnn([28, 28, 1] -> ...)`).
 */
export function nodeLabels(value: unknown, labels = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const child of value) nodeLabels(child, labels);
    return labels;
  }
  if (value === null || typeof value !== 'object') return labels;
  const node = value as {
    kind?: string;
    operator?: A.BinaryOperator;
    right?: A.Expr;
    operand?: A.Expr;
    target?: A.Expr;
    name?: unknown;
    value?: unknown;
  };
  if (typeof node.kind === 'string' && node.kind !== 'Identifier') labels.add(node.kind);
  if (node.kind === 'Binary' && node.right?.kind === 'Binary' && samePrecedence(node.operator!, node.right.operator)) {
    labels.add('parens:right-assoc');
  }
  if (node.kind === 'Negate' && node.operand?.kind === 'Binary') labels.add('parens:negate-binary');
  if (node.kind === 'Net' && (node as { input?: unknown }).input !== undefined) labels.add('net-input-shape');
  if (node.kind === 'Slice' && (node.target?.kind === 'Binary' || node.target?.kind === 'Negate')) labels.add('parens:slice-target');
  if (node.kind === undefined && node.value !== undefined && node.name !== undefined) labels.add('named-argument');
  for (const [key, child] of Object.entries(value)) if (key !== 'span' && key !== 'keyword') nodeLabels(child, labels);
  return labels;
}

function samePrecedence(a: A.BinaryOperator, b: A.BinaryOperator): boolean {
  return (a === '+' || a === '-') === (b === '+' || b === '-');
}
