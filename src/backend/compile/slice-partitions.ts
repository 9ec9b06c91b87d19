/**
 * Slices that partition a value: `p[0:450]` and `p[450:]` together cover
 * `p` exactly, so they can be computed as one `tf.split(p, [450, 450], -1)`.
 * The forward values are the same, but the gradient differs in cost: each
 * `tf.slice` contributes a zero-padded full-size copy of its gradient, and
 * tfjs adds them (two pads and an add over `[k, batch, 900]` for the
 * benchmark's `p`), where split's gradient is one concat. Exact either way:
 * the padding adds zeros, x + 0 = x.
 */
import type { IrExpr, IrModel, IrStatement } from '../../ir/ir.js';

/** Last-axis ranges [start, end) sliced from each named value anywhere in the model or its guides. */
function collectSlices(expr: IrExpr, into: Map<string, Set<string>>): void {
  switch (expr.kind) {
    case 'slice':
      if (expr.target.kind === 'variable') {
        const ranges = into.get(expr.target.name) ?? new Set<string>();
        ranges.add(`${expr.start}:${expr.end}`);
        into.set(expr.target.name, ranges);
      }
      collectSlices(expr.target, into);
      return;
    case 'apply':
      return collectSlices(expr.input, into);
    case 'unary':
    case 'negate':
      return collectSlices(expr.operand, into);
    case 'binary':
      collectSlices(expr.left, into);
      return collectSlices(expr.right, into);
    case 'concat':
      return expr.parts.forEach((p) => collectSlices(p, into));
    case 'constant':
    case 'variable':
    case 'parameter':
      return;
  }
}

function statementExprs(s: IrStatement): IrExpr[] {
  return s.kind === 'let' ? [s.value] : Object.values(s.params);
}

/**
 * For each name whose slices (two or more distinct ranges, over all blocks)
 * tile [0, end) without gaps or overlaps: the part sizes in order. A value
 * bound to such a name is split once where its last axis is that long; any
 * other value of the name is sliced as usual (see `evaluateExpr`).
 */
export function slicePartitions(ir: IrModel): Map<string, number[]> {
  const slices = new Map<string, Set<string>>();
  for (const s of [...ir.model, ...ir.guides.flatMap((g) => g.statements)]) statementExprs(s).forEach((e) => collectSlices(e, slices));
  const partitions = new Map<string, number[]>();
  for (const [name, set] of slices) {
    const ranges = [...set].map((r) => r.split(':').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
    const tiles = ranges.length >= 2 && ranges.every(([start, end], i) => end > start && start === (i === 0 ? 0 : ranges[i - 1]![1]));
    if (tiles) partitions.set(name, ranges.map(([start, end]) => end - start));
  }
  return partitions;
}
