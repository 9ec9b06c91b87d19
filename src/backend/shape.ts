/**
 * Shape arithmetic on plain number arrays (no tensors are created), used to
 * work out sample and parameter shapes before any op runs.
 */

/** `[2, 3]` -> `'[2, 3]'` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** True when the two shapes are identical. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The NumPy broadcast of two shapes: right-align, and each pair of
 * dimensions must be equal or contain a 1.
 *
 * @param a first shape
 * @param b second shape
 * @param context what is being broadcast, for the error message
 * @returns the broadcast shape, of rank max(rank a, rank b)
 * @example broadcastShapes([3, 1], [4], 'Normal') -> [3, 4]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], context: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${context}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Product of the dimensions (1 for a scalar shape). */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
