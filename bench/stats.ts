/**
 * Summaries of repeated timings: min, median and max, with the raw samples
 * kept so a reader can judge the spread.
 */

export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** In the order measured. */
  readonly samples: readonly number[];
}

/**
 * min, median (mean of the middle two for an even count) and max of `samples`.
 * @throws RangeError for an empty list
 * @example summarize([3, 1, 2]) // { min: 1, median: 2, max: 3, samples: [3, 1, 2] }
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, samples: [...samples] };
}

/** Formats a rate or time with 3 significant digits and a k/M/G suffix from 10^3 up. */
export function formatNumber(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e9) return `${(x / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return x.toPrecision(3);
}

/** A duration for people: '73.3 ms', '2.87 s', '4700 s'. */
export function formatSeconds(s: number): string {
  if (s >= 100) return `${Math.round(s)} s`;
  return s >= 1 ? `${s.toPrecision(3)} s` : `${(s * 1000).toPrecision(3)} ms`;
}
