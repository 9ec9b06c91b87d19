/**
 * The timing harness every row shares: warm up, size the repetitions from
 * the warm-up, then time R repetitions of whole calls, recording wall time
 * and the process's CPU time (on a busy shared machine the CPU time shows how
 * much of the wall time the benchmark actually ran).
 */
import * as tf from '@tensorflow/tfjs';
import { summarize, type Summary } from './stats.js';

export interface RepeatPlan {
  /** Untimed calls first (at least one always runs, to size the repetitions). */
  readonly warmup: number;
  /** Timed repetitions wanted. */
  readonly reps: number;
  /** A repetition repeats calls until it is at least this long. */
  readonly minRepSeconds: number;
  /** Seconds of timed work allowed; fewer reps when it runs out, skipped when one call exceeds it. */
  readonly budgetSeconds: number;
}

export interface Workload {
  /** One measured call; resolves once its results are read back (`await t.data()`). */
  call(): Promise<void>;
  /** Work done by one call in the row's unit (1 step, 2mnk / 1e9 GFLOP, 100 data points). */
  readonly workPerCall: number;
  /**
   * A cheaper warm-up for long calls, returning the estimated seconds of one
   * call (the bound row warms up on a few chunks); by default `call` is timed.
   */
  warm?(): Promise<number>;
}

export type Timing =
  | {
      readonly kind: 'measured';
      /** Work per second, one sample per repetition. */
      readonly rate: Summary;
      /** Wall seconds per call, one sample per repetition. */
      readonly secondsPerCall: Summary;
      /**
       * Process CPU seconds per call, one sample per repetition: for a
       * single-threaded backend (wasm under Node, cpu) the time the call
       * would take on an idle machine, give or take cache contention.
       */
      readonly cpuSecondsPerCall: Summary;
      /** CPU seconds / wall seconds of each repetition (about 1 for one busy thread; less when the machine is shared). */
      readonly cpuPerWall: Summary;
      readonly reps: number;
      readonly callsPerRep: number;
      /** Seconds of the warm-up calls (or the estimate a custom warm-up returned). */
      readonly warmupSeconds: readonly number[];
      /** True when the budget stopped the repetitions before `reps`. */
      readonly budgetCut: boolean;
      /**
       * Tensors alive after the timed repetitions minus after the warm-up
       * (0: nothing leaked; state created once, such as Adam's moments, is
       * made during the warm-up and not counted).
       */
      readonly tensorLeak: number;
    }
  | { readonly kind: 'skipped'; readonly reason: string; readonly estimatedSecondsPerCall: number };

const seconds = (startMs: number) => (performance.now() - startMs) / 1000;
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function warmUp(work: Workload, plan: RepeatPlan): Promise<number[]> {
  if (work.warm) return [await work.warm()];
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, plan.warmup); i++) {
    const start = performance.now();
    await work.call();
    times.push(seconds(start));
    // A slow backend stops warming up early rather than spend its budget here.
    if (times.reduce((a, b) => a + b, 0) > plan.budgetSeconds / 4) break;
  }
  return times;
}

/**
 * Warms up, then times up to `plan.reps` repetitions of `callsPerRep` calls
 * each, `callsPerRep = ceil(minRepSeconds / estimated seconds per call)`.
 *
 * @returns rates (work per second) and seconds per call, min/median/max with
 *   the raw samples; or 'skipped' when one call would exceed the budget
 */
export async function repeatTimed(work: Workload, plan: RepeatPlan): Promise<Timing> {
  const warmupSeconds = await warmUp(work, plan);
  const estimate = warmupSeconds[warmupSeconds.length - 1]!;
  if (estimate > plan.budgetSeconds) {
    return {
      kind: 'skipped',
      reason: `one call takes ~${estimate.toPrecision(3)} s, over the ${plan.budgetSeconds} s budget per row (raise --budget to run it)`,
      estimatedSecondsPerCall: estimate,
    };
  }
  const tensorsBefore = tf.memory().numTensors;
  const callsPerRep = Math.max(1, Math.ceil(plan.minRepSeconds / Math.max(estimate, 1e-6)));
  const rates: number[] = [];
  const perCall: number[] = [];
  const cpuPerCall: number[] = [];
  const cpuPerWall: number[] = [];
  let spent = 0;
  while (rates.length < plan.reps && (rates.length === 0 || spent + callsPerRep * estimate <= plan.budgetSeconds)) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < callsPerRep; i++) await work.call();
    const wall = seconds(start);
    rates.push((work.workPerCall * callsPerRep) / wall);
    perCall.push(wall / callsPerRep);
    const cpu = cpuSeconds(cpuStart);
    cpuPerCall.push(cpu / callsPerRep);
    cpuPerWall.push(cpu / wall);
    spent += wall;
  }
  return {
    kind: 'measured',
    rate: summarize(rates),
    secondsPerCall: summarize(perCall),
    cpuSecondsPerCall: summarize(cpuPerCall),
    cpuPerWall: summarize(cpuPerWall),
    reps: rates.length,
    callsPerRep,
    warmupSeconds,
    budgetCut: rates.length < plan.reps,
    tensorLeak: tf.memory().numTensors - tensorsBefore,
  };
}
