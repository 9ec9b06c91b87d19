import { SeededRandom } from '../backend/random.js';

/**
 * A seeded permutation of 0..n-1 split into batches (the last may be short).
 * Fisher–Yates with the given stream, so the same seed gives the same batches.
 */
export function shuffledBatches(n: number, batchSize: number, rng: SeededRandom): Int32Array[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) batches.push(order.slice(start, Math.min(n, start + batchSize)));
  return batches;
}
