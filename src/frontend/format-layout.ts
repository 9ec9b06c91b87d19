/**
 * The formatter's output buffer: lines with their end-of-line comments, the
 * rule for blank lines, and the alignment of end-of-line comments.
 */
import type { Comment } from './ast.js';
import type { Span } from '../diagnostics/span.js';
import type { CommentQueue } from './format-comments.js';

/** Text that goes on one output line, and the source it came from. */
export interface Printable {
  readonly text: string;
  readonly span: Span;
}

interface Line {
  readonly indent: string;
  readonly code: string;
  trailing?: string;
}

/** Spaces between code and an end-of-line comment at the least. */
const TRAILING_GAP = 2;

/**
 * Collects output lines. A blank line goes where the source had one or more
 * between two printed elements, or where `requestBlank` asks for one; never at
 * the top of the file or of a block, or before `}`.
 */
export class Layout {
  private readonly lines: (Line | undefined)[] = [];
  /** The source line where the last printed element ended; undefined at the top of a file or block. */
  private lastLine: number | undefined;
  private blankRequested = false;

  constructor(readonly comments: CommentQueue) {}

  /** Asks for a blank line before the next line (around top-level blocks). */
  requestBlank(): void {
    this.blankRequested = true;
  }

  /**
   * Prints an element on its own line, after a blank line where the source had
   * one before `startLine` (by default the element's first line; `undefined`
   * for none).
   */
  print(indent: string, element: Printable, startLine: number | undefined = element.span.start.line): void {
    const gap = startLine !== undefined && this.lastLine !== undefined && startLine - this.lastLine >= 2;
    if (this.lines.length > 0 && (this.blankRequested || gap)) this.lines.push(undefined);
    this.blankRequested = false;
    this.lines.push({ indent, code: element.text });
    this.lastLine = Math.max(element.span.end.line, this.lastLine ?? 0);
  }

  /** Prints comments on their own lines. */
  printComments(indent: string, comments: readonly Comment[]): void {
    for (const comment of comments) this.print(indent, { text: comment.text.trimEnd(), span: comment.span });
  }

  /** Puts the end-of-line comment of source line `line`, if any, after the last printed line. */
  printTrailing(line: number, limit: number): void {
    const comment = this.comments.takeTrailing(line, limit);
    const last = this.lines[this.lines.length - 1];
    if (comment === undefined || last === undefined) return;
    last.trailing = comment.text.trimEnd();
    this.lastLine = comment.span.end.line;
  }

  /** Starts a block body: no blank line after `{`. */
  openBlock(): void {
    this.lastLine = undefined;
  }

  /** Prints the `}` of a block, which ends on source line `endLine`: no blank line before it. */
  closeBlock(endLine: number): void {
    this.lines.push({ indent: '', code: '}' });
    this.lastLine = endLine;
  }

  /**
   * The text, ending with one newline (empty when nothing was printed).
   * End-of-line comments on consecutive lines of one indentation start in one
   * column, two spaces after the longest code among them (as gofmt does).
   */
  render(): string {
    const out: string[] = [];
    let run: Line[] = [];
    const flush = (): void => {
      const width = Math.max(...run.map((l) => l.code.length)) + TRAILING_GAP;
      for (const l of run) out.push(`${l.indent}${l.code.padEnd(width)}${l.trailing}`);
      run = [];
    };
    for (const line of this.lines) {
      if (line?.trailing !== undefined && (run.length === 0 || run[0]!.indent === line.indent)) {
        run.push(line);
        continue;
      }
      if (run.length > 0) flush();
      if (line?.trailing !== undefined) run.push(line);
      else out.push(line === undefined ? '' : line.indent + line.code);
    }
    if (run.length > 0) flush();
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}
