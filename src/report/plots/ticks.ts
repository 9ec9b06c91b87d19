/**
 * Which row or column indices of a heatmap get a tick label: all of them when
 * there are at most `max`, else multiples of a 1-2-5 step (0, 50, 100, ...).
 *
 * @example tickIndices(450, 10) // [0, 50, 100, ..., 400]
 */
export function tickIndices(count: number, max = 12): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(count / s) <= max);
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
}
