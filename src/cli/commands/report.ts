/**
 * `strata report runs/A [runs/B ...] --data natural --textures brodatz --out
 * reports/NAME`: the analyses of the thesis's chapter 5 for each run, side by
 * side, as reports/NAME/index.html (self-contained) and report.json.
 */
import type { CommandModule } from '../command.js';
import { integer, positiveInteger, positiveNumber } from '../parse-options.js';
import { createStageProgress } from '../stage-progress.js';
import { REPORT_DEFAULTS as D } from '../../report/report-options.js';

export const command: CommandModule = {
  name: 'report',
  define: (command) =>
    command
      .description('analyse trained runs side by side (curves, bounds, active units, texture decoding, projective fields, posterior correlations) into an HTML report and report.json')
      .argument('<runs...>', 'run directories (from strata train --out)')
      .requiredOption('--out <dir>', 'output directory for index.html, report.json and data/*.npy')
      .option('--data <spec>', "natural-image dataset for the test set (default: each run's own, with its seed, so test patches are held out)")
      .option('--textures <name>', "texture dataset: brodatz, brodatz1024, or 'none' to leave out the texture analyses", D.textures)
      .option('--data-dir <dir>', 'where the data files are (default: $STRATA_DATA or ../shared/data)')
      .option('--count <n>', 'test patches per dataset (natural and texture)', positiveInteger, D.count)
      .option('--texture-train <n>', 'texture-train patches for the logistic regressions', positiveInteger, D.textureTrain)
      .option('--eval-k <n>', 'importance samples for the test bound and its terms', positiveInteger, D.evalK)
      .option('--sir-n <n>', 'SIR draws per patch for the posterior correlations', positiveInteger, D.sirN)
      .option('--patches <n>', 'highest-contrast natural test patches for the correlations', positiveInteger, D.patches)
      .option('--repeats <n>', 'logistic-regression fits per feature set (different seeds)', positiveInteger, D.repeats)
      .option('--select <n>', 'most dimensions forward selection adds', positiveInteger, D.select)
      .option('--traversal <c>', 'latent traversal half-width c for projective fields', positiveNumber, D.traversal)
      .option('--localized <share>', 'energy concentration at or above which a projective field is localized', positiveNumber, D.localizedThreshold)
      .option('--seed <n>', 'seed of every random choice in the report', integer, D.seed)
      .option('--title <text>', 'report title')
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu'),
  async run({ operands, options, io }) {
    const { buildReport } = await import('../../report/build-report.js');
    const progress = createStageProgress(io);
    const textures = options['textures'] as string;
    const built = await buildReport(
      {
        runs: operands,
        out: options['out'] as string,
        ...(options['data'] ? { data: options['data'] as string } : {}),
        ...(options['dataDir'] ? { dataDir: options['dataDir'] as string } : {}),
        textures: textures === 'none' ? null : textures,
        count: options['count'] as number,
        textureTrain: options['textureTrain'] as number,
        evalK: options['evalK'] as number,
        sirN: options['sirN'] as number,
        patches: options['patches'] as number,
        repeats: options['repeats'] as number,
        select: options['select'] as number,
        traversal: options['traversal'] as number,
        localizedThreshold: options['localized'] as number,
        seed: options['seed'] as number,
        ...(options['backend'] ? { backend: options['backend'] as string } : {}),
        ...(options['title'] ? { title: options['title'] as string } : {}),
      },
      ({ run, stage, done, total }) => progress.update(run === '' ? stage : `[${run}] ${stage}`, done, total),
    );
    progress.stop();
    const { SECTION_IDS } = await import('../../report/run-results.js');
    const skipped = built.runs.flatMap((r) => SECTION_IDS.flatMap((id) => (r.skipped[id] ? [`  ${r.run.name} ${id}: ${r.skipped[id]}`] : [])));
    io.stdout(`wrote ${built.files.html}\n      ${built.files.json}\n${built.files.arrays.map((f) => `      ${f}\n`).join('')}`);
    if (skipped.length > 0) io.stdout(`left out:\n${skipped.join('\n')}\n`);
    return 0;
  },
};
