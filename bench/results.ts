/**
 * The shape of bench/results.json and the side-by-side comparison of
 * backends: for each row, every backend's median rate relative to the
 * fastest backend's.
 */
import type { MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import type { Measurement } from './row.js';
import type { BackendRun } from './worker.js';

/** A backend whose process failed (not installed, crashed, out of memory). */
export interface BackendFailure {
  readonly backend: string;
  readonly error: string;
}

export interface Comparison {
  readonly id: string;
  readonly unit: string;
  /** The backend with the highest median rate. */
  readonly fastest: string;
  /** Median rate / the fastest median rate, per backend (1 for the fastest). */
  readonly relative: Readonly<Record<string, number>>;
}

export interface BenchResults {
  readonly schema: 1;
  /** ISO time the run started. */
  readonly date: string;
  readonly machine: MachineInfo & { readonly loadAverageEnd: number };
  readonly options: BenchOptions;
  readonly backends: readonly (BackendRun | BackendFailure)[];
  readonly comparisons: readonly Comparison[];
}

export function isFailure(run: BackendRun | BackendFailure): run is BackendFailure {
  return 'error' in run;
}

/** Compares the measured rows of the same id across backends (skipped rows take no part). */
export function compareBackends(runs: readonly (BackendRun | BackendFailure)[]): Comparison[] {
  const byId = new Map<string, { unit: string; medians: Map<string, number> }>();
  for (const run of runs) {
    if (isFailure(run)) continue;
    for (const m of run.measurements) {
      if (m.timing.kind !== 'measured') continue;
      const entry = byId.get(m.id) ?? { unit: m.unit, medians: new Map<string, number>() };
      entry.medians.set(run.backend, m.timing.rate.median);
      byId.set(m.id, entry);
    }
  }
  return [...byId].map(([id, { unit, medians }]) => {
    const [fastest, best] = [...medians].reduce((a, b) => (b[1] > a[1] ? b : a));
    return { id, unit, fastest, relative: Object.fromEntries([...medians].map(([backend, median]) => [backend, median / best])) };
  });
}

/** Every measurement with its backend, grouped by row id in first-seen order. */
export function rowsById(runs: readonly (BackendRun | BackendFailure)[]): { backend: string; measurement: Measurement }[] {
  const order: string[] = [];
  const rows = new Map<string, { backend: string; measurement: Measurement }[]>();
  for (const run of runs) {
    if (isFailure(run)) continue;
    for (const measurement of run.measurements) {
      if (!rows.has(measurement.id)) {
        order.push(measurement.id);
        rows.set(measurement.id, []);
      }
      rows.get(measurement.id)!.push({ backend: run.backend, measurement });
    }
  }
  return order.flatMap((id) => rows.get(id)!);
}
