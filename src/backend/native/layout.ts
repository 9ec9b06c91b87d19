/**
 * Shapes and strides for the native kernels: every strided kernel gets its
 * operands as (shape, strides per operand), simplified first by dropping
 * size-1 axes and merging neighbouring axes that are contiguous in every
 * operand, so a broadcast add of `[k, batch, d] + [batch, d]` reaches C as
 * the 2-D loop `[k, batch·d]` with strides `[batch·d, 1]` and `[0, 1]`.
 */

/** Row-major strides of a contiguous array of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** Strides of an operand of `shape` broadcast to `outShape` (0 on broadcast axes), right-aligned. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, d) => (d < offset || shape[d - offset] === 1 ? 0 : own[d - offset]!));
}

export interface Simplified {
  readonly shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  readonly strides: number[][];
}

/**
 * Drops size-1 axes and merges axis d into d-1 wherever, for every operand,
 * stride[d-1] = stride[d] · shape[d]. Never returns rank 0: a single element is `[1]`.
 */
export function simplify(shape: readonly number[], strides: readonly (readonly number[])[]): Simplified {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, i) => outStrides[i]![last] === s[d]! * n)) {
      outShape[last] = outShape[last]! * n;
      strides.forEach((s, i) => (outStrides[i]![last] = s[d]!));
    } else {
      outShape.push(n);
      strides.forEach((s, i) => outStrides[i]!.push(s[d]!));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** Encodes `[rank, shape..., strides of operand 0..., strides of operand 1...]` for the addon. */
export function encodeDims(layout: Simplified): Int32Array {
  const rank = layout.shape.length;
  const dims = new Int32Array(1 + rank * (1 + layout.strides.length));
  dims[0] = rank;
  dims.set(layout.shape, 1);
  layout.strides.forEach((s, i) => dims.set(s, 1 + rank * (1 + i)));
  return dims;
}

/** Number of elements of `shape` (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
