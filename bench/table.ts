/**
 * The printed report: a header naming the machine, then one aligned row per
 * benchmark and backend with median, min and max rates (over repetitions)
 * and the speed relative to the fastest backend.
 */
import { isFailure, rowsById, type BenchResults } from './results.js';
import type { Measurement } from './row.js';
import { formatNumber, formatSeconds } from './stats.js';

/** Pads each column to its widest cell; numeric columns are right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** The notes column: time per call, log-weights per second, and warnings. */
function notes(m: Measurement): string {
  const t = m.timing;
  if (t.kind === 'skipped') return `skipped: ~${formatSeconds(t.estimatedSecondsPerCall)}/call, over the --budget`;
  const parts: string[] = [];
  if (m.group === 'train-step' || m.group === 'objective') parts.push(`${formatSeconds(t.secondsPerCall.median)}/step`);
  else parts.push(`${formatSeconds(t.secondsPerCall.median)}/call`);
  if (m.group === 'bound') parts.push(`${formatNumber(Number(m.params['k']) * t.rate.median)} log-weights/s`);
  if (t.cpuPerWall.median < 0.8) {
    parts.push(`busy machine: cpu/wall ${t.cpuPerWall.median.toFixed(2)}, cpu ${formatSeconds(t.cpuSecondsPerCall.median)}/call`);
  }
  if (t.budgetCut) parts.push('reps cut by --budget');
  if (t.tensorLeak !== 0) parts.push(`LEAKED ${t.tensorLeak} tensors`);
  return parts.join(', ');
}

/** The whole report as lines of text. */
export function formatReport(results: BenchResults): string[] {
  const { machine } = results;
  const lines = [
    `Strata benchmark, ${results.date}`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.platform}; Node ${machine.node}; tfjs ${machine.tfjs}` +
      (machine.commit ? `; commit ${machine.commit}` : ''),
    `load average ${machine.loadAverageStart.toFixed(2)} at start, ${machine.loadAverageEnd.toFixed(2)} at end` +
      (machine.loadAverageStart > machine.cores ? ' (busy machine: expect noise; max, the fastest repetition, is the least disturbed)' : ''),
    '',
  ];
  const relative = new Map(results.comparisons.map((c) => [c.id, c]));
  const header = ['backend', 'benchmark', 'median', 'min', 'max', 'unit', 'reps', 'vs fastest', 'notes'];
  const cells = rowsById(results.backends).map(({ backend, measurement: m }) => {
    const t = m.timing;
    const comparison = relative.get(m.id);
    const shared = comparison !== undefined && Object.keys(comparison.relative).length > 1;
    const vs = t.kind === 'measured' && shared ? comparison.relative[backend]!.toFixed(comparison.relative[backend]! >= 0.1 ? 2 : 3) : '-';
    if (t.kind === 'skipped') return [backend, m.label, '-', '-', '-', m.unit, '-', vs, notes(m)];
    const rate = t.rate;
    return [backend, m.label, formatNumber(rate.median), formatNumber(rate.min), formatNumber(rate.max), m.unit, `${t.reps}x${t.callsPerRep}`, vs, notes(m)];
  });
  lines.push(...alignColumns([header, ...cells], [false, false, true, true, true, false, true, true, false]));
  for (const run of results.backends) {
    if (isFailure(run)) lines.push(`${run.backend}: failed: ${run.error}`);
  }
  return lines;
}
