/** Section 1: training curves from metrics.jsonl, all runs on one chart per quantity. */
import type { Section } from '../html/index.js';
import { lineChart } from '../plots/index.js';
import type { RunResults } from '../run-results.js';
import { round6All } from '../stats/moments.js';
import { svg } from './common.js';

const DESCRIPTION = `What each run recorded per epoch while training (metrics.jsonl): the loss that was minimized, the training bound (the objective's estimate of log p(x), averaged over the epoch's minibatches), the reconstruction term log p(x | ·) and, per latent, the mean of log p(z | ·) − log q(z | ·) over the guide's samples (its negative is the usual KL term; seed 000, Figs. 5.2-5.3).

Read: a bound that still rises at the last epoch means the run has not converged. A latent term stuck near 0 means the guide copies the prior for that latent (posterior collapse); with β-annealing the latent term first dips far below 0 and then comes back as β reaches 1. A CIWAE run with a learned β (--beta learn) also shows β per epoch: it only falls, at a rate set by the gap between its IWAE and ELBO terms. The training bound of an importance-weighted objective (IWAE, TD-IWAE) with k samples is not comparable with the ELBO of a VAE: compare runs on the test bound of the next section instead.`;

type Quantity = { title: string; yLabel: string; pick: (r: RunResults) => number[] | undefined };

function quantities(runs: readonly RunResults[]): Quantity[] {
  const names = (pick: (r: RunResults) => Record<string, number[]>) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))];
  return [
    { title: 'Training loss', yLabel: 'loss (nats)', pick: (r) => r.curves.loss },
    { title: 'Training bound', yLabel: 'bound (nats)', pick: (r) => r.curves.bound },
    ...names((r) => r.curves.observed).map((n) => ({ title: `Reconstruction log p(${n} | ·)`, yLabel: 'nats', pick: (r: RunResults) => r.curves.observed[n] })),
    ...names((r) => r.curves.terms).map((n) => ({ title: `${n}: log p − log q`, yLabel: 'nats', pick: (r: RunResults) => r.curves.terms[n] })),
    ...names((r) => r.curves.betas).map((n) => ({ title: `β of ${n} (annealing)`, yLabel: 'β', pick: (r: RunResults) => r.curves.betas[n] })),
    ...names((r) => r.curves.learned).map((n) => ({ title: n === 'beta' ? "CIWAE's learned β (the ELBO's weight)" : `learned ${n}`, yLabel: n, pick: (r: RunResults) => r.curves.learned[n] })),
  ];
}

/** The section: one line chart per quantity, a series per run, and a table of the last epoch. */
export async function trainingCurvesSection(runs: readonly RunResults[]): Promise<Section> {
  const figures = await Promise.all(
    quantities(runs).map(async (q) =>
      svg(
        await lineChart({
          title: q.title,
          xLabel: 'epoch',
          yLabel: q.yLabel,
          series: runs.map((r) => ({ name: r.run.name, points: (q.pick(r) ?? []).map((y, i) => [r.curves.epochs[i]!, y] as [number, number]) })),
        }),
        `${q.title} per epoch, one line per run.`,
      ),
    ),
  );
  const observed = [...new Set(runs.flatMap((r) => Object.keys(r.curves.observed)))];
  const latents = [...new Set(runs.flatMap((r) => Object.keys(r.curves.terms)))];
  const last = (xs: number[] | undefined) => xs?.at(-1) ?? NaN;
  const rows = runs.map((r) => [
    r.run.name,
    r.curves.epochs.at(-1) ?? 0,
    last(r.curves.loss),
    last(r.curves.bound),
    ...observed.map((n) => last(r.curves.observed[n])),
    ...latents.map((n) => last(r.curves.terms[n])),
    r.curves.seconds.reduce((a, b) => a + b, 0),
  ]);
  const columns = ['run', 'epochs', 'loss', 'bound', ...observed.map((n) => `log p(${n}|·)`), ...latents.map((n) => `${n}: log p − log q`), 'training time (s)'];
  return {
    id: 'training-curves',
    title: 'Training curves',
    description: DESCRIPTION,
    figures,
    tables: [{ caption: 'Last epoch of each run', columns, rows }],
  };
}

/** report.json: the curves of every run. */
export function trainingCurvesJson(runs: readonly RunResults[]): unknown {
  const record = (m: Record<string, number[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round6All(v)]));
  return {
    runs: Object.fromEntries(
      runs.map((r) => [
        r.run.name,
        { epochs: r.curves.epochs, loss: round6All(r.curves.loss), bound: round6All(r.curves.bound), observed: record(r.curves.observed), terms: record(r.curves.terms), betas: record(r.curves.betas), learned: record(r.curves.learned), seconds: round6All(r.curves.seconds) },
      ]),
    ),
  };
}
