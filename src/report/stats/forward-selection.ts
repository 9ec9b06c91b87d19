/**
 * Greedy forward selection of features (seed 000, Tables 5.2-5.3): start from
 * no features; at each step add the candidate whose addition gives the best
 * held-out score, up to `maxFeatures` steps. The selected features are the
 * steps up to the first one that gains less than `minGain`.
 */

export interface SelectionStep {
  /** The feature added at this step. */
  readonly feature: number;
  /** The held-out score with every feature added so far. */
  readonly score: number;
  /** Score gained over the previous step (over `baseline` for the first). */
  readonly gain: number;
}

export interface SelectionResult {
  /** The whole greedy path, `maxFeatures` steps (fewer when candidates run out). */
  readonly steps: readonly SelectionStep[];
  /** The features of the steps before the first that gains less than `minGain`, in the order added. */
  readonly chosen: readonly number[];
}

export interface SelectionOptions {
  readonly maxFeatures: number;
  /** Smallest gain for a step to count as selecting its feature (default 0). */
  readonly minGain?: number;
  /** Score of the empty set (e.g. chance accuracy; default −Infinity, so the first step always counts). */
  readonly baseline?: number;
}

/**
 * Runs the greedy search. Ties go to the lower candidate, so the path is deterministic.
 *
 * @param candidates features to choose from
 * @param score held-out score (higher is better) of a set of features
 * @returns the greedy path and the selected prefix
 * @example forwardSelection([0, 1, 2], (dims) => accuracyWith(dims), { maxFeatures: 2, minGain: 0.01, baseline: 1 / 3 })
 */
export function forwardSelection(candidates: readonly number[], score: (features: readonly number[]) => number, options: SelectionOptions): SelectionResult {
  const minGain = options.minGain ?? 0;
  const left = [...new Set(candidates)].sort((a, b) => a - b);
  const added: number[] = [];
  const steps: SelectionStep[] = [];
  let previous = options.baseline ?? -Infinity;
  while (steps.length < options.maxFeatures && left.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    left.forEach((feature, i) => {
      const s = score([...added, feature]);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    const [feature] = left.splice(best, 1) as [number];
    added.push(feature);
    steps.push({ feature, score: bestScore, gain: bestScore - previous });
    previous = bestScore;
  }
  const stop = steps.findIndex((s) => !(s.gain >= minGain));
  return { steps, chosen: (stop < 0 ? steps : steps.slice(0, stop)).map((s) => s.feature) };
}
