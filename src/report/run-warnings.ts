/**
 * What a reader of the report must know before trusting a figure, per run,
 * and the summary at the top of the page:
 *
 * - a collapsed latent (no dimension active: its posterior is the same for
 *   every input) makes its texture decoding and scatter show the prior;
 * - SIR correlations from a mean effective sample size below 2 are the
 *   correlations of a handful of guide particles, not of the posterior.
 */
import type { Table } from './html/index.js';
import type { RunResults } from './run-results.js';

/** Below this mean ESS over the patches, SIR correlations get a warning. */
export const LOW_ESS = 2;

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The latents of a run with no active dimension. */
export function collapsedLatents(r: RunResults): string[] {
  return r.activity.filter((a) => a.active.length === 0).map((a) => a.latent);
}

/** The collapsed-latent warning of a run, or undefined. */
export function collapsedWarning(r: RunResults): string | undefined {
  const collapsed = r.activity.filter((a) => a.active.length === 0);
  if (collapsed.length === 0) return undefined;
  const what = collapsed.map((a) => `${a.latent} (0 of ${a.d} dimensions active)`).join(', ');
  return `${r.run.name}: ${what} collapsed to the prior: the guide gives every input the same posterior, so ${collapsed.length === 1 ? 'its' : 'their'} texture decoding and scatter show the prior, not learned features`;
}

/** The low-ESS warning of a run's SIR correlations, or undefined. */
export function lowEssWarning(r: RunResults): string | undefined {
  const c = r.correlations;
  if (!c || c.k <= 1 || c.patches.length === 0) return undefined;
  const ess = mean(c.patches.map((p) => p.ess));
  if (ess >= LOW_ESS) return undefined;
  return `${r.run.name}: the SIR correlations of ${c.latent} rest on a mean effective sample size of ${ess.toFixed(1)} of k = ${c.k}: each draw is nearly always the same few particles, so the correlations are the guide's more than the posterior's`;
}

/** The warning when some patches' SIR weights have PSIS k̂ above the threshold (Vehtari et al. 2024), or undefined. */
export function highParetoKWarning(r: RunResults): string | undefined {
  const c = r.correlations;
  if (!c || c.patches.length === 0) return undefined;
  const high = c.patches.filter((p) => p.psisK > p.psisThreshold);
  if (high.length === 0) return undefined;
  return `${r.run.name}: on ${high.length} of ${c.patches.length} patches the SIR weights of ${c.latent} have PSIS k̂ above ${high[0]!.psisThreshold.toFixed(2)} (max ${Math.max(...high.map((p) => p.psisK)).toFixed(2)}): the guide misses posterior mass there, so those draws and bounds are unreliable`;
}

/** Every warning of a run, in report order. */
export function runWarnings(r: RunResults): string[] {
  return [collapsedWarning(r), lowEssWarning(r), highParetoKWarning(r)].filter((w): w is string => w !== undefined);
}

/** "mnist:dynamic test rows", "natural:olshausen test patches": the runs' own test sets, by name. */
export function testSetLabel(runs: readonly RunResults[]): string {
  const names = [...new Set(runs.map((r) => r.dataName))];
  const unit = runs.every((r) => r.dataName.startsWith('natural')) ? 'patches' : 'rows';
  return `${names.join(' / ')} test ${unit}`;
}

/** The summary table: per run its data, objective, test bound and active units, and how many warnings. */
export function summaryTable(runs: readonly RunResults[]): Table {
  return {
    caption: 'Summary: each run on its own test set (details in the sections below)',
    columns: ['run', 'data', 'objective', 'k', 'epochs', 'test bound', 'active units', 'warnings'],
    rows: runs.map((r) => {
      const b = r.bounds['natural'];
      const bound = b ? `${b.bound.mean.toFixed(2)} ± ${b.bound.se.toFixed(2)} (k = ${b.k})` : 'n/a';
      const active = r.activity.map((a) => `${a.latent} ${a.active.length}/${a.d}`).join(', ');
      return [r.run.name, r.dataName, r.run.objective, r.run.k, r.run.epochs, bound, active, runWarnings(r).length];
    }),
  };
}
