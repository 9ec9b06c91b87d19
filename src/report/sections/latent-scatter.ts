/** Section 5: texture-test patches in the two most informative dimensions of the top latent. */
import type { Section } from '../html/index.js';
import { scatterChart } from '../plots/index.js';
import type { RunResults } from '../run-results.js';
import { round6, round6All } from '../stats/moments.js';
import { skippedJson, skippedNote, svg, warningNote } from './common.js';
import { collapsedWarning } from '../run-warnings.js';

const DESCRIPTION = `Each dot is one texture-test patch at its posterior mean in two dimensions of the top latent (z2 in TDVAE), coloured by its texture class (seed 000, Fig. 5.12). The two dimensions are those with the lowest posterior variance, the mean over these patches of the guide's scale², i.e. the dimensions the guide is most certain about.

Read: separate clouds per colour mean the latent groups patches by texture although the model never saw texture labels (or textures) in training. Overlapping clouds in these two dimensions do not rule out separation in others; section 4 measures it with all dimensions.`;

/** One scatter chart per run. */
export async function latentScatterSection(runs: readonly RunResults[]): Promise<Section> {
  const figures = [];
  const rows: (string | number)[][] = [];
  for (const r of runs) {
    const s = r.scatter;
    const classes = r.decoding?.classes;
    if (!s || !classes) continue;
    const [a, b] = s.dims;
    const chart = await scatterChart({
      title: `${r.run.name}: ${s.latent}[${a}] vs ${s.latent}[${b}]`,
      xLabel: `${s.latent}[${a}] posterior mean`,
      yLabel: `${s.latent}[${b}] posterior mean`,
      points: s.points.map((p) => ({ x: p.x, y: p.y, group: classes[p.label] ?? String(p.label) })),
    });
    figures.push(svg(chart, `${r.run.name}: ${s.points.length} texture-test patches; mean posterior variance ${s.posteriorVariance[a]!.toFixed(3)} and ${s.posteriorVariance[b]!.toFixed(3)} in the two dimensions shown.`));
    rows.push([r.run.name, s.latent, `${a}, ${b}`, s.posteriorVariance[a]!, s.posteriorVariance[b]!, s.points.length]);
  }
  return {
    id: 'latent-scatter',
    title: 'Texture classes in the top latent',
    description: DESCRIPTION + warningNote(runs.filter((r) => r.scatter).map(collapsedWarning)) + skippedNote(runs, 'latent-scatter'),
    figures,
    tables: rows.length === 0 ? [] : [{ caption: 'The dimensions plotted', columns: ['run', 'latent', 'dimensions', 'mean scale², first', 'mean scale², second', 'patches'], rows }],
  };
}

/** report.json: the dimensions, every dimension's mean scale², and the points. */
export function latentScatterJson(runs: readonly RunResults[]): unknown {
  return {
    runs: Object.fromEntries(
      runs.flatMap((r) =>
        r.scatter
          ? [[r.run.name, { latent: r.scatter.latent, dims: r.scatter.dims, posteriorVariance: round6All(r.scatter.posteriorVariance), points: r.scatter.points.map((p) => [round6(p.x), round6(p.y), p.label]) }]]
          : [],
      ),
    ),
    skipped: skippedJson(runs, 'latent-scatter'),
  };
}
