/** Section 2: test bound and per-term averages on the run's own test set and the texture test set. */
import type { Section, Table } from '../html/index.js';
import { barChart } from '../plots/index.js';
import type { RunResults } from '../run-results.js';
import { round6 } from '../stats/moments.js';
import { pm, skippedJson, skippedNote, svg } from './common.js';
import { testSetLabel } from '../run-warnings.js';

const DESCRIPTION = `Each run evaluated on held-out patches: the IWAE bound with k importance samples per patch (log of the mean of k importance weights; k is the same for every run, so the runs are compared on one yardstick), and the averages of its terms over the same guide samples: log p(x | ·), and log p(z | ·) − log q(z | ·) per latent (seed 000, Figs. 5.4-5.5). Error bars and ± are standard errors of the mean over patches.

Read: higher is better for every quantity. The run's own test set comes from its training dataset (for natural images: other regions of the same images); the texture set (Brodatz) was never seen in training, so its bound shows how well the model generalizes to other image statistics. A run whose bound is higher with a lower reconstruction term spends fewer nats on its latents.`;

/** Test sets in display order with their labels (the runs' own set named by its dataset). */
const setsFor = (runs: readonly RunResults[]): readonly (readonly [string, string])[] => [
  ['natural', testSetLabel(runs)],
  ['textures', 'texture test patches'],
];

/** One bar chart per quantity (x: test set, bars: runs), and a table per set. */
export async function testBoundsSection(runs: readonly RunResults[]): Promise<Section> {
  const sets = setsFor(runs).filter(([name]) => runs.some((r) => r.bounds[name]));
  const quantities = ['bound', ...new Set(runs.flatMap((r) => Object.values(r.bounds).flatMap((b) => Object.keys(b.terms))))];
  const figures = await Promise.all(
    quantities.map(async (q) => {
      const bars = sets.flatMap(([set, label]) =>
        runs.flatMap((r) => {
          const b = r.bounds[set];
          const s = b ? (q === 'bound' ? b.bound : b.terms[q]) : undefined;
          return s ? [{ label, value: s.mean, error: s.se, group: r.run.name }] : [];
        }),
      );
      const k = runs.flatMap((r) => Object.values(r.bounds).map((b) => b.k))[0];
      const title = q === 'bound' ? `IWAE bound (k = ${k})` : q;
      return svg(await barChart({ title, xLabel: 'test set', yLabel: 'nats per patch', bars }), `${title}: mean over patches ± standard error, one bar per run.`);
    }),
  );
  const tables: Table[] = sets.map(([set, label]) => ({
    caption: `Means ± standard errors on the ${label}`,
    columns: ['run', 'patches', 'k', ...quantities],
    rows: runs.flatMap((r) => {
      const b = r.bounds[set];
      if (!b) return [];
      return [[r.run.name, b.bound.n, b.k, ...quantities.map((q) => (q === 'bound' ? pm(b.bound.mean, b.bound.se, 2) : b.terms[q] ? pm(b.terms[q].mean, b.terms[q].se, 2) : 'n/a'))]];
    }),
  }));
  return { id: 'test-bounds', title: 'Test bound and its terms', description: DESCRIPTION + skippedNote(runs, 'test-bounds'), figures, tables };
}

/** report.json: per run and set, mean, standard error and n of the bound and each term. */
export function testBoundsJson(runs: readonly RunResults[]): unknown {
  const summary = (s: { mean: number; se: number; n: number }) => ({ mean: round6(s.mean), se: round6(s.se), n: s.n });
  return {
    runs: Object.fromEntries(
      runs.map((r) => [
        r.run.name,
        Object.fromEntries(Object.entries(r.bounds).map(([set, b]) => [set, { k: b.k, bound: summary(b.bound), terms: Object.fromEntries(Object.entries(b.terms).map(([t, s]) => [t, summary(s)])) }])),
      ]),
    ),
    skipped: skippedJson(runs, 'test-bounds'),
  };
}
