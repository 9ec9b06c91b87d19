/**
 * A float64 reference for the fused log-densities (not a test file): the
 * Normal and Laplace log-densities summed over the last axis of the operands'
 * broadcast shape, their gradients reduced to each operand's shape, and the
 * sums of absolute values of every term (the scale a float32 result's
 * rounding error is measured against). Shared by test/backend and test/native.
 */

export type Family = 'Normal' | 'Laplace';

export interface Operand {
  readonly shape: readonly number[];
  readonly values: ArrayLike<number>;
}

export interface Reference {
  /** The broadcast shape of x, loc and scale. */
  readonly shape: number[];
  /** Σ_last log p: the broadcast shape without its last axis. */
  readonly value: Float64Array;
  /** Σ_last |each term of log p|, per output. */
  readonly valueMagnitude: Float64Array;
  /** Gradients of Σ dy · value for x, loc and scale, at their shapes. */
  readonly grads: readonly Float64Array[];
  /** Σ |each contribution| to those gradients. */
  readonly gradMagnitudes: readonly Float64Array[];
}

/** tfjs's right-aligned broadcast shape (assumes the shapes are compatible). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, d) => Math.max(...shapes.map((s) => s[d - rank + s.length] ?? 1)));
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Maps a flat index of `out` to the flat index of an operand of `shape` broadcast to it. */
function indexer(shape: readonly number[], out: readonly number[]): (i: number) => number {
  const offset = out.length - shape.length;
  const strides = out.map(() => 0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1) strides[d + offset] = s;
    s *= shape[d]!;
  }
  return (i) => {
    let flat = 0;
    for (let d = out.length - 1; d >= 0; d--) {
      flat += (i % out[d]!) * strides[d]!;
      i = Math.floor(i / out[d]!);
    }
    return flat;
  };
}

/** The operand's values repeated to the broadcast shape `out`. */
export function expandTo(operand: Operand, out: readonly number[]): Float64Array {
  const at = indexer(operand.shape, out);
  return Float64Array.from({ length: sizeOf(out) }, (_, i) => operand.values[at(i)]!);
}

/** One element: [log p, |terms|, ∂/∂x, ∂/∂loc, ∂/∂scale, |∂/∂scale terms|] for dy = 1. */
function element(family: Family, x: number, loc: number, scale: number): number[] {
  if (family === 'Normal') {
    const z = (x - loc) / scale;
    const offset = Math.log(scale) + 0.5 * Math.log(2 * Math.PI);
    return [-0.5 * z * z - offset, 0.5 * z * z + Math.abs(Math.log(scale)) + 0.92, -z / scale, z / scale, (z * z - 1) / scale, (z * z + 1) / scale];
  }
  const r = x - loc;
  const s = r > 0 ? 1 : -1; // tfjs's Abs gradient at 0: step(r, -1)
  return [-Math.abs(r) / scale - Math.log(2 * scale), Math.abs(r) / scale + Math.abs(Math.log(2 * scale)), -s / scale, s / scale, (Math.abs(r) / scale - 1) / scale, (Math.abs(r) / scale + 1) / scale];
}

/**
 * The reference log-density and gradients of Σ_r dy[r] · value[r].
 * @param dy upstream gradient, shaped like the value (the broadcast shape without its last axis)
 */
export function logDensityReference(family: Family, x: Operand, loc: Operand, scale: Operand, dy: ArrayLike<number>): Reference {
  const shape = broadcastShape(x.shape, loc.shape, scale.shape);
  const n = shape[shape.length - 1]!;
  const rows = sizeOf(shape) / n;
  const operands = [x, loc, scale];
  const index = operands.map((o) => indexer(o.shape, shape));
  const value = new Float64Array(rows);
  const valueMagnitude = new Float64Array(rows);
  const grads = operands.map((o) => new Float64Array(sizeOf(o.shape)));
  const gradMagnitudes = operands.map((o) => new Float64Array(sizeOf(o.shape)));
  for (let i = 0; i < rows * n; i++) {
    const r = Math.floor(i / n);
    const at = index.map((f) => f(i));
    const [v, mag, gx, gloc, gscale, gscaleMag] = element(family, x.values[at[0]!]!, loc.values[at[1]!]!, scale.values[at[2]!]!) as [number, number, number, number, number, number];
    value[r] += v;
    valueMagnitude[r] += mag;
    const g = dy[r]!;
    [gx, gloc, gscale].forEach((d, k) => (grads[k]![at[k]!] += g * d));
    [Math.abs(gx), Math.abs(gloc), gscaleMag].forEach((d, k) => (gradMagnitudes[k]![at[k]!] += Math.abs(g) * d));
  }
  return { shape, value, valueMagnitude, grads, gradMagnitudes };
}
