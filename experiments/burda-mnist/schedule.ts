/**
 * Burda et al.'s training schedule (2016, sec. 5): stages i = 0..7 of 3^i
 * epochs each at learning rate 1e-3 · 10^(-i/7), 3,280 epochs in all, with
 * Adam (β1 = 0.9, β2 = 0.999, ε = 1e-4) on minibatches of 20.
 */

/** Adam's hyperparameters in the paper. */
export const BURDA_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-4 } as const;

/** Minibatch size in the paper. */
export const BURDA_BATCH = 20;

/** Number of stages (i = 0, ..., 7). */
export const BURDA_STAGES = 8;

/** One stage of the schedule: `epochs` epochs at `learningRate`. */
export interface Stage {
  readonly stage: number;
  readonly epochs: number;
  readonly learningRate: number;
}

/** The paper's eight stages: 3^i epochs at 1e-3 · 10^(-i/7). */
export function burdaStages(): Stage[] {
  return Array.from({ length: BURDA_STAGES }, (_, i) => ({ stage: i, epochs: 3 ** i, learningRate: 1e-3 * 10 ** (-i / 7) }));
}

/** Total epochs of the full schedule: Σ 3^i = 3,280. */
export const BURDA_EPOCHS = burdaStages().reduce((n, s) => n + s.epochs, 0);

/**
 * The learning rate of epoch `epoch` (0-based) of the schedule.
 *
 * @example learningRateAt(0) === 1e-3; learningRateAt(1) === 1e-3 * 10 ** (-1 / 7) // epochs 1-3 are stage 1
 * @throws RangeError for an epoch outside [0, 3280)
 */
export function learningRateAt(epoch: number): number {
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`learningRateAt: epoch must be a non-negative integer, but got ${epoch}`);
  let end = 0;
  for (const s of burdaStages()) {
    end += s.epochs;
    if (epoch < end) return s.learningRate;
  }
  throw new RangeError(`learningRateAt: epoch ${epoch} is past the schedule's ${BURDA_EPOCHS} epochs`);
}

/** The first `epochs` epochs of the schedule as stages (the last one possibly cut short). */
export function schedulePrefix(epochs: number): Stage[] {
  const out: Stage[] = [];
  let left = epochs;
  for (const s of burdaStages()) {
    if (left <= 0) break;
    out.push({ ...s, epochs: Math.min(s.epochs, left) });
    left -= s.epochs;
  }
  return out;
}
