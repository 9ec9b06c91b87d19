/** A position in a source file: 0-based offset, 1-based line and column. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A half-open range [start, end) of source text. */
export interface Span {
  readonly start: Position;
  readonly end: Position;
}

/** The span that covers both `a` and `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return {
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** The position of `offset` in `text` (clamped to the text). */
export function positionAt(text: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const c = text.charCodeAt(i);
    // A line ends at \n, \r\n or a lone \r (as the lexer counts lines).
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

/** A span from two offsets into `text`. */
export function spanAt(text: string, start: number, end: number): Span {
  return { start: positionAt(text, start), end: positionAt(text, Math.max(start, end)) };
}
