/**
 * One row of the benchmark table: a named workload timed by `repeatTimed`.
 */
import { repeatTimed, type RepeatPlan, type Timing, type Workload } from './repeat.js';
import { formatNumber, formatSeconds } from './stats.js';

export type RowGroup = 'train-step' | 'objective' | 'matmul' | 'bound' | 'conv-vae';

export interface RowSpec {
  /** Stable across runs and backends, e.g. 'train-step k=10': rows with the same id are compared. */
  readonly id: string;
  readonly group: RowGroup;
  /** What the table prints, e.g. 'train step, k=10'. */
  readonly label: string;
  /** Unit of the rates, e.g. 'steps/s', 'GFLOP/s', 'points/s'. */
  readonly unit: string;
  /** The sizes that define the row. */
  readonly params: Readonly<Record<string, number | string | boolean>>;
}

export interface Measurement extends RowSpec {
  readonly timing: Timing;
}

/** Writes progress to stderr, so stdout carries only the table. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Times `work` under `plan` (the caller creates and disposes it) and reports progress on stderr. */
export async function measureRow(spec: RowSpec, work: Workload, plan: RepeatPlan, backend: string): Promise<Measurement> {
  progress(`[${backend}] ${spec.label} ...`);
  const timing = await repeatTimed(work, plan);
  if (timing.kind === 'skipped') progress(`[${backend}] ${spec.label}: skipped, ${timing.reason}`);
  else {
    progress(
      `[${backend}] ${spec.label}: median ${formatNumber(timing.rate.median)} ${spec.unit} ` +
        `(${timing.reps} reps x ${timing.callsPerRep} calls, ${formatSeconds(timing.secondsPerCall.median)}/call)`,
    );
    if (timing.tensorLeak !== 0) progress(`[${backend}] warning: ${spec.label} left ${timing.tensorLeak} tensors alive`);
  }
  return { ...spec, timing };
}
