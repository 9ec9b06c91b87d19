/**
 * The comments of a file in source order, handed out to the formatter by
 * position: those before an offset (printed on their own lines) and the one
 * that ends the line of a statement (printed after it).
 */
import type { Comment } from './ast.js';

export class CommentQueue {
  private readonly comments: readonly Comment[];
  private next = 0;

  constructor(comments: readonly Comment[]) {
    this.comments = [...comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
  }

  /** Takes every remaining comment that starts before `offset`. */
  takeBefore(offset: number): Comment[] {
    const taken: Comment[] = [];
    while (this.next < this.comments.length && this.comments[this.next]!.span.start.offset < offset) {
      taken.push(this.comments[this.next++]!);
    }
    return taken;
  }

  /**
   * Takes the next comment if it starts on source line `line` before offset
   * `limit` (where the next statement or the closing brace begins): an
   * end-of-line comment of the element that ends on that line.
   */
  takeTrailing(line: number, limit: number): Comment | undefined {
    const comment = this.comments[this.next];
    if (comment === undefined || comment.span.start.line !== line || comment.span.start.offset >= limit) return undefined;
    this.next++;
    return comment;
  }

  /** Where the next comment starts (infinity when none is left). */
  peekOffset(): number {
    return this.comments[this.next]?.span.start.offset ?? Infinity;
  }

  /** Takes every comment not handed out yet. */
  takeRest(): Comment[] {
    return this.takeBefore(Infinity);
  }
}
