/**
 * Which row or column indices of a heatmap get a tick label: all of them when
 * there are at most `max`, else multiples of a 1-2-5 step (0, 50, 100, ...).
 *
 * @example tickIndices(450, 10) // [0, 50, 100, ..., 400]
 */
export function tickIndices(count: number, max = 12): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = niceStep(count / max, 'up');
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
}

/**
 * Round tick values inside [lo, hi] with a 1-2-5 step, about `count` of them,
 * each with the decimals its step needs and a true minus sign as vega's
 * axes write it: [-1, 1] -> −1.0, −0.5, 0.0, 0.5, 1.0.
 */
export function niceTicks(lo: number, hi: number, count = 5): { value: number; label: string }[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [{ value: lo, label: String(lo) }];
  const step = niceStep((hi - lo) / count, 'nearest');
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: { value: number; label: string }[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    const value = k * step;
    const label = value.toFixed(Math.min(20, decimals));
    ticks.push({ value, label: /^-[0.]*$/.test(label) ? label.slice(1) : label.replace('-', '\u2212') });
  }
  return ticks;
}

/** A step of 1, 2 or 5 times a power of ten: the smallest at least `raw` ('up'), or the closest ('nearest'). */
function niceStep(raw: number, mode: 'up' | 'nearest'): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const candidates = [1, 2, 5, 10].map((m) => m * magnitude);
  if (mode === 'up') return candidates.find((s) => s >= raw - 1e-12)!;
  return candidates.reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
}
