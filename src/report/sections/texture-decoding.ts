/** Section 4: decoding texture classes from posterior locations with logistic regression. */
import type { Figure, Section, Table } from '../html/index.js';
import { barChart, heatmap, lineChart } from '../plots/index.js';
import type { DecodingScore, TextureDecoding } from '../analyses/texture-decoding.js';
import type { RunResults } from '../run-results.js';
import { round6, round6All } from '../stats/moments.js';
import { pm, skippedJson, skippedNote, svg, warningNote } from './common.js';
import { collapsedWarning } from '../run-warnings.js';

const DESCRIPTION = `How much each latent knows about texture class, although no run saw a texture in training (seed 000, sec. 5.3-5.4). A multinomial logistic regression with an L2 penalty (λ = 1/n on the mean loss, scikit-learn's C = 1) maps a patch's posterior locations to its texture class; it is fit on texture-train patches and scored on texture-test patches. The fit is repeated with different seeds (each fit sees a random 80% of texture-train and starts from its own small random weights); accuracy is the mean ± std over fits, and the confusion matrices sum the fits and normalize each true class's row to 1.

Texture-selective dimensions (Tables 5.2-5.3): starting from none, greedy forward selection adds the dimension of the top latent that most increases accuracy on a validation fifth of texture-train (the test set is not used to choose), counting a dimension as selective while each step gains at least one percentage point. The selective and the remaining dimensions are then scored on the test set like the full latent.

Read: chance is 1 / (number of classes). The thesis found z2 decodes textures well (about 0.77 for five classes) from a handful of dimensions while the rest are near chance, and z1 much worse. A confusion matrix shows which textures the representation confuses with which.`;

function scoreRows(runName: string, name: string, score: DecodingScore, chance: number): (string | number)[] {
  return [runName, name, score.features, pm(score.accuracy.mean, score.accuracy.std), score.accuracy.values.map((v) => v.toFixed(3)).join(' '), chance];
}

function normalizedRows(confusion: number[][]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : NaN));
  });
}

async function confusionFigure(run: string, name: string, d: TextureDecoding, score: DecodingScore): Promise<Figure> {
  const chart = await heatmap({
    title: `${run}: ${name} → texture class`,
    matrix: normalizedRows(score.confusion),
    rowLabels: [...d.classes],
    colLabels: [...d.classes],
    scheme: 'sequential',
    domain: [0, 1],
  });
  return svg(chart, `Confusion matrix of ${run}'s regression from ${name} (rows: true class, columns: predicted; each row sums to 1 over ${score.accuracy.n} fits). Accuracy ${pm(score.accuracy.mean, score.accuracy.std)}.`);
}

/** Accuracy bars, confusion matrices, the forward-selection path, and tables. */
export async function textureDecodingSection(runs: readonly RunResults[]): Promise<Section> {
  const decoded = runs.flatMap((r) => (r.decoding ? [{ run: r.run.name, d: r.decoding }] : []));
  const figures: Figure[] = [];
  const tables: Table[] = [];
  if (decoded.length > 0) {
    const scores = (d: TextureDecoding) => [...Object.entries(d.latents).map(([n, s]) => [`${n} (all)`, s] as const), ...Object.entries(d.subsets)];
    const bars = decoded.flatMap(({ run, d }) => scores(d).map(([name, s]) => ({ label: name, value: s.accuracy.mean, error: s.accuracy.std, group: run })));
    const chance = decoded[0]!.d.chance;
    figures.push(svg(await barChart({ title: 'Texture-class accuracy on texture-test', xLabel: 'features', yLabel: 'accuracy', bars, yDomain: [0, 1] }), `Mean ± std over fits; chance is ${chance.toFixed(2)}.`));
    for (const { run, d } of decoded) for (const [name, s] of Object.entries(d.latents)) figures.push(await confusionFigure(run, name, d, s));
    const withPath = decoded.filter(({ d }) => d.selection && d.selection.steps.length > 0);
    if (withPath.length > 0) {
      const latent = withPath[0]!.d.selection!.latent;
      const series = withPath.map(({ run, d }) => ({ name: run, points: d.selection!.steps.map((s, i) => [i + 1, s.score] as [number, number]) }));
      figures.push(svg(await lineChart({ title: `Forward selection of ${latent} dimensions`, xLabel: 'dimensions chosen', yLabel: 'validation accuracy', series }), `Validation accuracy after each greedy step (the dimension added at each step is in the table below).`));
    }
    tables.push({
      caption: 'Accuracy on texture-test: mean ± std over fits, and each fit',
      columns: ['run', 'features', 'dimensions', 'accuracy', 'per fit', 'chance'],
      rows: decoded.flatMap(({ run, d }) => scores(d).map(([name, s]) => scoreRows(run, name, s, d.chance))),
    });
    tables.push({
      caption: 'Texture-selective dimensions by forward selection',
      columns: ['run', 'latent', 'greedy path: dimension (validation accuracy)', 'selective', 'accuracy, selective', 'accuracy, the rest'],
      rows: decoded.flatMap(({ run, d }) => {
        const s = d.selection;
        if (!s) return [];
        const path = s.steps.map((x) => `${x.feature} (${x.score.toFixed(3)})`).join(', ');
        const acc = (x?: DecodingScore) => (x ? pm(x.accuracy.mean, x.accuracy.std) : 'n/a');
        return [[run, s.latent, path, `[${s.selective.join(', ')}]`, acc(s.selectiveScore), acc(s.nonSelectiveScore)]];
      }),
    });
  }
  return { id: 'texture-decoding', title: 'Texture decoding with logistic regression', description: DESCRIPTION + warningNote(runs.filter((r) => r.decoding).map(collapsedWarning)) + skippedNote(runs, 'texture-decoding'), figures, tables };
}

function scoreJson(s: DecodingScore): unknown {
  return { features: s.features, accuracyMean: round6(s.accuracy.mean), accuracyStd: round6(s.accuracy.std), accuracies: round6All(s.accuracy.values), confusion: s.confusion };
}

/** report.json: per run, accuracies (each fit), confusion counts and the selection path. */
export function textureDecodingJson(runs: readonly RunResults[]): unknown {
  return {
    runs: Object.fromEntries(
      runs.flatMap((r) => {
        const d = r.decoding;
        if (!d) return [];
        const s = d.selection;
        return [
          [
            r.run.name,
            {
              classes: d.classes,
              chance: round6(d.chance),
              trainRows: d.trainRows,
              testRows: d.testRows,
              latents: Object.fromEntries(Object.entries(d.latents).map(([n, x]) => [n, scoreJson(x)])),
              subsets: Object.fromEntries(Object.entries(d.subsets).map(([n, x]) => [n, { latent: x.latent, dims: x.dims, ...(scoreJson(x) as object) }])),
              selection: s
                ? {
                    latent: s.latent,
                    steps: s.steps.map((x) => ({ dim: x.feature, validationAccuracy: round6(x.score), gain: round6(x.gain) })),
                    selective: s.selective,
                    selectiveScore: s.selectiveScore ? scoreJson(s.selectiveScore) : null,
                    nonSelectiveScore: s.nonSelectiveScore ? scoreJson(s.nonSelectiveScore) : null,
                  }
                : null,
            },
          ],
        ];
      }),
    ),
    skipped: skippedJson(runs, 'texture-decoding'),
  };
}
