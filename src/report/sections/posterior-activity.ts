/** Section 3: posterior location and scale per latent dimension, and active units. */
import type { Figure, Section } from '../html/index.js';
import { barChart, lineChart } from '../plots/index.js';
import type { RunResults } from '../run-results.js';
import { meanStd, orderDescending, round6, round6All } from '../stats/moments.js';
import { svg } from './common.js';
import { testSetLabel } from '../run-warnings.js';

const DESCRIPTION = `For every test row of the run's dataset (natural patches in the thesis) the guide gives each latent dimension a posterior location (its mean) and scale. Over the test set we take, per dimension, the mean and the standard deviation of both (seed 000, Figs. 5.6-5.10 for z2 and 5.14-5.18 for z1). A dimension is active when its posterior mean varies across patches: Var over patches of the location > 0.01 (Burda et al. 2016); an inactive dimension's posterior is the same for every input, so it carries no information about x.

Read: for latents with few dimensions, bars show mean ± std per dimension; a large std of the location with a mean near 0 means the unit is used, with a sign that depends on the input, and a mean scale well below the prior's marks a unit that is confident about its value. For latents with many dimensions, the dimensions are sorted by the std of their location (most active first) and the flat line is the activity threshold √0.01 = 0.1; the second chart gives the mean scale in the same order, where active and inactive units usually separate into two groups.`;

/** Latents with at most this many dimensions get per-dimension bar charts. */
const BARS_UP_TO = 40;

async function barFigures(runs: readonly RunResults[], latent: string): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [what, mean, std] of [['location', 'locMean', 'locStd'], ['scale', 'scaleMean', 'scaleStd']] as const) {
    const bars = runs.flatMap((r) => {
      const a = r.activity.find((x) => x.latent === latent);
      const m = a?.[mean];
      const s = a?.[std];
      return m && s ? Array.from(m, (v, j) => ({ label: String(j), value: v, error: s[j]!, group: r.run.name })) : [];
    });
    if (bars.length === 0) continue;
    const title = `${latent}: posterior ${what} per dimension`;
    out.push(svg(await barChart({ title, xLabel: `${latent} dimension`, yLabel: `${what} (mean ± std over patches)`, bars }), `${title}: the bar is the mean over the ${testSetLabel(runs)}, the whisker ± one standard deviation.`));
  }
  return out;
}

async function spectrumFigures(runs: readonly RunResults[], latent: string): Promise<Figure[]> {
  const series = runs.flatMap((r) => {
    const a = r.activity.find((x) => x.latent === latent);
    return a ? [{ run: r.run.name, a, order: orderDescending(a.locStd) }] : [];
  });
  const d = Math.max(0, ...series.map((s) => s.a.d));
  const threshold = { name: 'threshold √0.01', points: [[1, 0.1], [d, 0.1]] as [number, number][] };
  const std = await lineChart({
    title: `${latent}: std over patches of the posterior location`,
    xLabel: 'dimension rank (most active first)',
    yLabel: 'std of location',
    series: [...series.map((s) => ({ name: s.run, points: s.order.map((j, i) => [i + 1, s.a.locStd[j]!] as [number, number]) })), threshold],
  });
  const figures = [svg(std, `Each run's ${latent} dimensions sorted by how much their posterior mean varies across the ${testSetLabel(runs)}; units above the threshold line are active.`)];
  if (series.some((s) => s.a.scaleMean)) {
    const scale = await lineChart({
      title: `${latent}: mean posterior scale, same order`,
      xLabel: 'dimension rank (most active first)',
      yLabel: 'mean scale',
      series: series.flatMap((s) => (s.a.scaleMean ? [{ name: s.run, points: s.order.map((j, i) => [i + 1, s.a.scaleMean![j]!] as [number, number]) }] : [])),
    });
    figures.push(svg(scale, `Mean over the ${testSetLabel(runs)} of the posterior scale of each ${latent} dimension, in the order of the chart above.`));
  }
  return figures;
}

/** Per latent a pair of charts, a bar chart of active-unit counts, and a table. */
export async function posteriorActivitySection(runs: readonly RunResults[]): Promise<Section> {
  const latents = [...new Set(runs.flatMap((r) => r.activity.map((a) => a.latent)))];
  const figures: Figure[] = [];
  for (const latent of latents) {
    const d = Math.max(...runs.flatMap((r) => r.activity.filter((a) => a.latent === latent).map((a) => a.d)));
    figures.push(...(d <= BARS_UP_TO ? await barFigures(runs, latent) : await spectrumFigures(runs, latent)));
  }
  const counts = runs.flatMap((r) => r.activity.map((a) => ({ label: a.latent, value: a.active.length, group: r.run.name })));
  figures.push(svg(await barChart({ title: 'Active units (Var of posterior mean > 0.01)', xLabel: 'latent', yLabel: 'active dimensions', bars: counts, integer: true }), 'Number of active dimensions per latent, one bar per run.'));
  const rows = runs.flatMap((r) =>
    r.activity.map((a) => {
      const scale = (dims: number[]) => (a.scaleMean && dims.length > 0 ? meanStd(dims.map((j) => a.scaleMean![j]!)).mean : '—');
      const inactive = Array.from({ length: a.d }, (_, j) => j).filter((j) => !a.active.includes(j));
      return [r.run.name, a.latent, a.d, a.active.length, `${((100 * a.active.length) / a.d).toFixed(0)}%`, scale(a.active), scale(inactive)];
    }),
  );
  return {
    id: 'posterior-activity',
    title: 'Posterior activity per latent dimension',
    description: DESCRIPTION,
    figures,
    tables: [{ caption: `Active units per latent (${testSetLabel(runs)})`, columns: ['run', 'latent', 'dimensions', 'active', 'share', 'mean scale, active', 'mean scale, inactive'], rows }],
  };
}

/** report.json: per run and latent, the per-dimension statistics and the active units. */
export function posteriorActivityJson(runs: readonly RunResults[]): unknown {
  return {
    threshold: runs[0]?.activity[0]?.threshold,
    runs: Object.fromEntries(
      runs.map((r) => [
        r.run.name,
        Object.fromEntries(
          r.activity.map((a) => [
            a.latent,
            {
              dimensions: a.d,
              activeCount: a.active.length,
              active: a.active,
              locMean: round6All(a.locMean),
              locStd: round6All(a.locStd),
              locVariance: round6All(a.locVariance),
              ...(a.scaleMean ? { scaleMean: round6All(a.scaleMean), scaleStd: round6All(a.scaleStd!) } : {}),
              meanScaleActive: a.scaleMean && a.active.length > 0 ? round6(meanStd(a.active.map((j) => a.scaleMean![j]!)).mean) : null,
            },
          ]),
        ),
      ]),
    ),
  };
}
