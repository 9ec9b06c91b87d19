import type { Shape } from '../../ir/ir.js';

/** `[400]`, `[]` for a scalar. */
export function formatShape(shape: Shape): string {
  return shape.length === 0 ? 'scalar' : `[${shape.join(', ')}]`;
}

/** A shape as a noun phrase: 'a scalar', 'of shape [4, 2]'. */
export function describeShape(shape: Shape): string {
  return shape.length === 0 ? 'a scalar' : `of shape ${formatShape(shape)}`;
}

/** Broadcasts two event shapes: a scalar combines with anything, vectors must have equal length (or length 1). */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  if (a.length !== b.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}
