/** Section 7: posterior correlations of the decoder's latent from SIR draws on high-contrast patches. */
import type { Figure, Section, Table } from '../html/index.js';
import { barChart, heatmap, histogram, imageGrid, scatterChart } from '../plots/index.js';
import { fieldOf } from '../analyses/projective-fields.js';
import type { RunResults } from '../run-results.js';
import { round6 } from '../stats/moments.js';
import { png, pm, skippedJson, skippedNote, svg, warningNote } from './common.js';
import { highParetoKWarning, lowEssWarning, testSetLabel } from '../run-warnings.js';

/** Strongest pairs whose fields are drawn per run. */
const PAIRS_SHOWN = 3;

const DESCRIPTION = `How the units of the latent that feeds the decoder (z1) co-vary in the posterior of a single patch (seed 000, sec. 5.4.1). For each of the natural test patches with the highest contrast (standard deviation of the pixels), n draws from the importance-weighted posterior q_EW by sampling-importance-resampling with the run's own k (what strata sample draws; with k = 1 plain guide samples), then the Pearson correlation between every pair of units over the draws. A factorized guide has no correlations of its own, so with k = 1 correlations come only through the hierarchy (the draw of z2 that z1's guide depends on); importance resampling with k > 1 can add more.

Read: the matrix image shows one patch (the highest-contrast one; red positive, blue negative, every unit in index order, the colours spanning the largest |r| off the diagonal). The histogram pools |r| over all pairs of active units and all patches. The bars give, over patches, the mean ± std of the r-th strongest |r| between distinct active units (Fig. 5.27); the table has the mean of the 5 and 10 strongest (Table 5.7) per patch averaged over patches. The field pairs show which projective fields the strongest correlations connect (Figs. 5.28-5.30), and the scatter the draws of the strongest pair.`;

/** Matrix images, the |r| histogram, strongest-rank bars, field pairs, a pair scatter and tables. */
export async function posteriorCorrelationsSection(runs: readonly RunResults[]): Promise<Section> {
  const withCorr = runs.flatMap((r) => (r.correlations ? [{ r, c: r.correlations }] : []));
  const figures: Figure[] = [];
  const tables: Table[] = [];
  const first = withCorr[0];
  if (first && first.r.imageShape) {
    const [h, w] = first.r.imageShape;
    const patches = first.c.patches;
    figures.push(png(imageGrid({ images: patches.map((p) => p.image), height: h, width: w, columns: Math.min(10, patches.length), scale: 4, symmetric: true, labels: patches.map((p) => `#${p.row}`) }), `The ${patches.length} highest-contrast ${testSetLabel(runs)} of ${first.r.run.name} (label: test row), highest first; runs trained on the same data use the same patches.`, 'high-contrast patches'));
  }
  for (const { r, c } of withCorr) {
    if (c.example.matrix.length === 0) continue;
    // The diagonal (r = 1) is left blank so that the colour scale, ±max |r| off the diagonal, shows the structure.
    const matrix = Array.from({ length: c.d }, (_, i) => Float64Array.from(c.example.matrix.subarray(i * c.d, (i + 1) * c.d), (v, j) => (i === j ? NaN : v)));
    const max = Math.max(1e-6, ...matrix.map((row) => Math.max(...Array.from(row, (v) => (Number.isNaN(v) ? 0 : Math.abs(v))))));
    const chart = await heatmap({ title: `${r.run.name}: correlations of ${c.latent} on test patch #${c.example.row}`, matrix, scheme: 'diverging', domain: [-max, max], xLabel: `${c.latent} unit`, yLabel: `${c.latent} unit`, legendTitle: 'r' });
    figures.push(svg(chart, `${r.run.name}: correlation matrix of all ${c.d} ${c.latent} units over ${c.n} SIR draws (k = ${c.k}) on the highest-contrast patch; colours span ±${max.toFixed(2)}, the diagonal is left blank.`));
  }
  if (withCorr.length > 0) {
    figures.push(svg(await histogram({ title: '|r| between distinct active units', xLabel: '|correlation|', groups: withCorr.map(({ r, c }) => ({ name: r.run.name, values: c.absValues })), bins: 40, normalize: true }), 'All pairs of active units on all patches, as a fraction of each run\'s pairs.'));
    const ranks = withCorr.flatMap(({ r, c }) => c.rank.slice(0, 5).map((s, i) => ({ label: `${i + 1}`, value: s.mean, error: s.std, group: r.run.name })));
    figures.push(svg(await barChart({ title: 'The 5 strongest |r| per patch', xLabel: 'rank', yLabel: '|r| (mean ± std over patches)', bars: ranks, yDomain: [0, 1] }), 'For each rank, the mean over patches of the r-th strongest absolute correlation, ± its std over patches.'));
  }
  for (const { r, c } of withCorr) {
    const f = r.fields;
    const pairs = c.patches[0]?.top.slice(0, PAIRS_SHOWN) ?? [];
    if (f && f.latent === c.latent && pairs.length > 0) {
      const images = pairs.flatMap((p) => [fieldOf(f, p.i), fieldOf(f, p.j)]);
      const labels = pairs.flatMap((p) => [`${p.i}`, `${p.j} r=${p.r.toFixed(2)}`]);
      figures.push(png(imageGrid({ images, height: f.height, width: f.width, columns: 2, scale: 4, symmetric: true, labels }), `${r.run.name}: projective fields of the ${pairs.length} most strongly correlated unit pairs on patch #${c.example.row}, one pair per row (label: unit index, r).`, `${r.run.name} correlated field pairs`));
    }
    const pair = c.example.pair;
    if (pair) {
      const points = Array.from(pair.x, (x, s) => ({ x, y: pair.y[s]!, group: r.run.name }));
      figures.push(svg(await scatterChart({ title: `${r.run.name}: ${c.latent}[${pair.i}] vs ${c.latent}[${pair.j}]`, xLabel: `${c.latent}[${pair.i}]`, yLabel: `${c.latent}[${pair.j}]`, points }), `${r.run.name}: the ${c.n} SIR draws of the most strongly correlated pair on patch #${c.example.row}.`));
    }
  }
  if (withCorr.length > 0) {
    tables.push({
      caption: 'Strongest |r| between distinct units, over patches (mean ± std)',
      columns: ['run', 'latent', 'units', 'patches', 'draws', 'k', 'mean of 5 strongest', 'mean of 10 strongest', 'strongest', 'mean |r|', 'mean ESS', 'patches with PSIS k̂ above threshold'],
      rows: withCorr.map(({ r, c }) => {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
        return [r.run.name, c.latent, c.units.length, c.patches.length, c.n, c.k, pm(c.top5.mean, c.top5.std), pm(c.top10.mean, c.top10.std), pm(c.rank[0]?.mean ?? NaN, c.rank[0]?.std ?? NaN), mean(c.patches.map((p) => p.meanAbs)), mean(c.patches.map((p) => p.ess)), `${c.patches.filter((p) => p.psisK > p.psisThreshold).length} of ${c.patches.length}`];
      }),
    });
    tables.push({
      caption: 'Per patch: the three strongest pairs (units i, j: r)',
      columns: ['run', 'test row', 'contrast', 'ESS', 'PSIS k̂', 'strongest pairs', 'mean of 5 strongest', 'mean of 10 strongest'],
      rows: withCorr.flatMap(({ r, c }) => c.patches.map((p) => [r.run.name, p.row, p.contrast, p.ess, Number.isFinite(p.psisK) ? p.psisK : String(p.psisK), p.top.slice(0, 3).map((x) => `${x.i}, ${x.j}: ${x.r.toFixed(2)}`).join('; '), p.top5Mean, p.top10Mean])),
    });
  }
  return { id: 'posterior-correlations', title: `Posterior correlations of ${withCorr[0]?.c.latent ?? 'z1'}`, description: DESCRIPTION + warningNote(runs.flatMap((r) => [lowEssWarning(r), highParetoKWarning(r)])) + skippedNote(runs, 'posterior-correlations'), figures, tables };
}

/** report.json: per run and patch, the strongest pairs; over patches, the rank statistics. The example matrix is in correlation-RUN.npy. */
export function posteriorCorrelationsJson(runs: readonly RunResults[], files: Readonly<Record<string, string>>): unknown {
  const ms = (s: { mean: number; std: number; n: number }) => ({ mean: round6(s.mean), std: round6(s.std), n: s.n });
  return {
    runs: Object.fromEntries(
      runs.flatMap((r) => {
        const c = r.correlations;
        if (!c) return [];
        return [
          [
            r.run.name,
            {
              latent: c.latent, k: c.k, draws: c.n, dimensions: c.d, units: c.units, top5: ms(c.top5), top10: ms(c.top10), rank: c.rank.map(ms),
              patches: c.patches.map((p) => ({ row: p.row, contrast: round6(p.contrast), ess: round6(p.ess), psisK: Number.isFinite(p.psisK) ? round6(p.psisK) : null, top5Mean: round6(p.top5Mean), top10Mean: round6(p.top10Mean), meanAbs: round6(p.meanAbs), top: p.top.map((x) => ({ i: x.i, j: x.j, r: round6(x.r) })) })),
              example: { row: c.example.row, matrixFile: files[r.run.name] ?? null },
              absHistogram: absHistogram(c.absValues),
            },
          ],
        ];
      }),
    ),
    skipped: skippedJson(runs, 'posterior-correlations'),
  };
}

/** Counts of |r| in 40 bins of width 0.025 on [0, 1] (the histogram's numbers). */
function absHistogram(values: Float64Array): { binWidth: number; counts: number[] } {
  const counts = new Array<number>(40).fill(0);
  for (const v of values) counts[Math.min(39, Math.floor(v * 40))]! += 1;
  return { binWidth: 0.025, counts };
}
