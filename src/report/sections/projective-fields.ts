/** Section 6: projective fields of the decoder's latent, sorted by activity, and their localization. */
import type { Figure, Section } from '../html/index.js';
import { histogram, imageGrid } from '../plots/index.js';
import { fieldOf } from '../analyses/projective-fields.js';
import type { RunResults } from '../run-results.js';
import { round6All } from '../stats/moments.js';
import { png, skippedJson, skippedNote, svg } from './common.js';

/** Most tiles in the grid of active fields. */
export const MAX_TILES = 100;
/** Tiles in each of the localized / non-localized example grids. */
const EXAMPLES = 20;

const description = (window: string, threshold: string) => `What each active unit of the latent that feeds the decoder (z1 in TDVAE) draws into the image: its projective field by latent traversal, decode(z = +c·e_j) − decode(z = −c·e_j) with every other unit at 0 (seed 000, sec. 5.4; for TDVAE's linear decoder this is 2c times row j of the decoder's weights). Fields are shown for active units only (section 3), most active first (largest variance of the posterior mean), at most ${MAX_TILES}; grey is 0 and each tile has its own symmetric grey scale.

Localization: a field's energy concentration is the largest share of its energy Σ f² that one ${window} square window can hold. Gabor-like fields, whose envelope is small next to the patch, score 0.7-1 (σ up to 3.5 px on 20×20 patches); white noise and gratings that fill the patch score 0.1-0.25. A field is counted localized when its concentration is at least ${threshold} (Table 5.5 counts the non-localized, "more structured" fields).

Read: the thesis found mostly localized, oriented, Gabor-like fields, a few non-localized ones (about as many as z2 has dimensions), and nearly equal counts across models. A run trained for a few epochs shows noisy fields.`;

/** Grids of fields, example grids of each class, the histogram of concentration, and a table of counts. */
export async function projectiveFieldsSection(runs: readonly RunResults[]): Promise<Section> {
  const withFields = runs.flatMap((r) => (r.fields ? [{ run: r.run.name, f: r.fields }] : []));
  const figures: Figure[] = [];
  for (const { run, f } of withFields) {
    if (f.order.length === 0) continue;
    const shown = f.order.slice(0, MAX_TILES);
    const labels = shown.map((j, i) => `${j}${f.concentration[i]! >= f.threshold ? '' : '*'}`);
    const grid = imageGrid({ images: shown.map((j) => fieldOf(f, j)), height: f.height, width: f.width, columns: 10, scale: 3, symmetric: true, labels });
    figures.push(png(grid, `${run}: projective fields of the ${shown.length} most active of ${f.order.length} active ${f.latent} units (label: unit index; * marks a non-localized field).`, `${run} projective fields`));
    for (const [kind, units] of [['localized', f.localized], ['non-localized', f.nonLocalized]] as const) {
      if (units.length === 0) continue;
      const some = units.slice(0, EXAMPLES);
      const examples = imageGrid({ images: some.map((j) => fieldOf(f, j)), height: f.height, width: f.width, columns: 10, scale: 3, symmetric: true, labels: some.map(String) });
      figures.push(png(examples, `${run}: ${kind} fields, most active first (${some.length} of ${units.length}).`, `${run} ${kind} fields`));
    }
  }
  if (withFields.length > 0) {
    const f0 = withFields[0]!.f;
    const chart = await histogram({ title: 'Energy concentration of the active fields', xLabel: `largest share of energy in a ${f0.window}×${f0.window} window`, groups: withFields.map(({ run, f }) => ({ name: run, values: f.concentration })), bins: 20 });
    figures.push(svg(chart, `Fields at or above ${f0.threshold} count as localized.`));
  }
  const rows = withFields.map(({ run, f }) => [run, f.latent, f.order.length, f.localized.length, f.nonLocalized.length, f.c, `${f.window}×${f.window}`, f.threshold]);
  const f0 = withFields[0]?.f;
  return {
    id: 'projective-fields',
    title: 'Projective fields and their localization',
    description: description(f0 ? `${f0.window}×${f0.window}` : 'w×w', f0 ? String(f0.threshold) : '0.5') + skippedNote(runs, 'projective-fields'),
    figures,
    tables: rows.length === 0 ? [] : [{ caption: 'Active units and their fields', columns: ['run', 'latent', 'active', 'localized', 'non-localized', 'c', 'window', 'threshold'], rows }],
  };
}

/** report.json: the units in activity order with their concentration and class; the fields themselves are in fields-RUN.npy. */
export function projectiveFieldsJson(runs: readonly RunResults[], files: Readonly<Record<string, string>>): unknown {
  return {
    runs: Object.fromEntries(
      runs.flatMap((r) => {
        const f = r.fields;
        if (!f) return [];
        return [[r.run.name, { latent: f.latent, c: f.c, window: f.window, threshold: f.threshold, active: f.order.length, localizedCount: f.localized.length, nonLocalizedCount: f.nonLocalized.length, order: f.order, concentration: round6All(f.concentration), localized: f.localized, nonLocalized: f.nonLocalized, fieldsFile: files[r.run.name] ?? null }]];
      }),
    ),
    skipped: skippedJson(runs, 'projective-fields'),
  };
}
