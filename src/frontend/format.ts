/**
 * The canonical pretty-printer behind `strata fmt`.
 *
 * Layout: one declaration or statement per line, two-space indentation inside
 * blocks, exactly one blank line around every `model`, `guide` and `options`
 * block, and elsewhere one blank line wherever the source had one or more
 * (never right after `{` or before `}`). The text ends with one newline.
 *
 * Comments keep their order and are placed by their source position: a comment
 * that shares the last line of a statement (or of a block's `{` or `}`) stays
 * at the end of that line; any other comment goes on its own line before the
 * next statement at that statement's indentation, or before the `}` of its
 * block, or at the end of the file. A comment inside a statement (a call split
 * over lines) moves to its own line before the statement, since every
 * statement prints on one line. End-of-line comments of consecutive lines
 * line up, two spaces after the longest code (as gofmt aligns them); trailing
 * spaces are dropped.
 */
import type * as A from './ast.js';
import { CommentQueue } from './format-comments.js';
import { formatDeclaration, formatOptionEntry, formatStatement } from './format-expr.js';
import { Layout, type Printable } from './format-layout.js';

export { formatExpr, formatNumber, formatStatement } from './format-expr.js';

const INDENT = '  ';

type Block = A.ModelBlock | A.GuideBlock | A.OptionsBlock;

function isBlock(item: A.TopLevelItem): item is Block {
  return item.kind === 'Model' || item.kind === 'Guide' || item.kind === 'Options';
}

function blockHeader(block: Block): string {
  if (block.kind === 'Guide') return `guide ${block.name.name}`;
  return block.kind === 'Model' ? 'model' : 'options';
}

function blockChildren(block: Block): Printable[] {
  if (block.kind === 'Options') return block.entries.map((e) => ({ text: formatOptionEntry(e), span: e.span }));
  return block.body.map((s) => ({ text: formatStatement(s), span: s.span }));
}

/** Prints one line-sized element with the comments before and inside it, then its end-of-line comment. */
function printElement(layout: Layout, indent: string, element: Printable, limit: number): void {
  layout.printComments(indent, layout.comments.takeBefore(element.span.start.offset));
  const inside = layout.comments.takeBefore(element.span.end.offset);
  // Comments inside the element move before it, where the element itself would have gone.
  inside.forEach((comment, i) => layout.print(indent, comment, i === 0 ? element.span.start.line : undefined));
  layout.print(indent, element);
  layout.printTrailing(element.span.end.line, limit);
}

/** Prints a block; `limit` is where the next top-level item starts. */
function printBlock(layout: Layout, block: Block, limit: number): void {
  const { comments } = layout;
  const header = blockHeader(block);
  const children = blockChildren(block);
  const close = block.span.end.offset - 1;
  const headerSpan = { start: block.span.start, end: block.span.start };
  layout.printComments('', comments.takeBefore(block.span.start.offset));
  if (children.length === 0 && comments.peekOffset() >= close) {
    layout.print('', { text: `${header} {}`, span: { start: block.span.start, end: block.span.end } });
    layout.printTrailing(block.span.end.line, limit);
    return;
  }
  layout.print('', { text: `${header} {`, span: headerSpan });
  layout.printTrailing(block.span.start.line, children[0]?.span.start.offset ?? close);
  layout.openBlock();
  children.forEach((child, i) => printElement(layout, INDENT, child, children[i + 1]?.span.start.offset ?? close));
  layout.printComments(INDENT, comments.takeBefore(close));
  layout.closeBlock(block.span.end.line);
  layout.printTrailing(block.span.end.line, limit);
}

/**
 * Prints a program in the canonical layout, keeping its comments.
 * `formatProgram(parse(formatProgram(p, c)))` gives the same text back, and
 * parsing the output gives `p` again (up to spans).
 *
 * @param program the AST, with the spans of the source it came from
 * @param comments the comments of that source (`parseSource(...).comments`)
 * @returns the formatted text, ending with one newline (empty for an empty file)
 * @example formatProgram(parseSource('X=4 model{x~Normal(0,X)}').program!, [])
 *   === 'X = 4\n\nmodel {\n  x ~ Normal(0, X)\n}\n'
 */
export function formatProgram(program: A.Program, comments: readonly A.Comment[]): string {
  const layout = new Layout(new CommentQueue(comments));
  program.items.forEach((item, i) => {
    const previous = program.items[i - 1];
    const limit = program.items[i + 1]?.span.start.offset ?? Infinity;
    if (previous !== undefined && (isBlock(item) || isBlock(previous))) layout.requestBlank();
    if (isBlock(item)) printBlock(layout, item, limit);
    else printElement(layout, '', { text: formatDeclaration(item), span: item.span }, limit);
  });
  layout.printComments('', layout.comments.takeRest());
  return layout.render();
}
