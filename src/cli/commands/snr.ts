/**
 * `strata snr RUN_OR_MODEL --objective iwae,miwae --estimator reparam,dreg
 * --k 1,4,16,64 --reps 100`: the signal-to-noise ratio of the gradient
 * estimators per parameter group against K, as a table, fitted exponents and
 * a log-log SVG plot (Rainforth et al. 2018; seed 002 eqs. 8-10).
 */
import { InvalidArgumentError } from 'commander';
import { alignColumns } from '../../util/columns.js';
import type { CommandModule } from '../command.js';
import { createCountProgress } from '../count-progress.js';
import { integer, nameList, positiveInteger, unitInterval } from '../parse-options.js';
import { OBJECTIVE_NAMES, type ObjectiveName } from '../../inference/objectives/names.js';
import type { GradientEstimator } from '../../inference/objectives/objective.js';
import { UserError } from '../../util/user-error.js';

const ESTIMATORS = ['reparam', 'stl', 'dreg'] as const;

/** `1,4,16,64` as positive integers. */
function integerList(value: string): number[] {
  return value.split(',').map((part) => {
    try {
      return positiveInteger(part.trim());
    } catch {
      throw new InvalidArgumentError(`expected positive integers, comma-separated (e.g. 1,4,16,64), got '${value}'`);
    }
  });
}

export const command: CommandModule = {
  name: 'snr',
  define: (command) =>
    command
      .description("measure the gradient estimators' signal-to-noise ratio per parameter group against K, and plot it")
      .argument('<target>', 'run directory (its trained parameters and data) or .ppl model file (its initial parameters)')
      .option('--objective <names>', `objectives, comma-separated (${OBJECTIVE_NAMES.filter((o) => o !== 'vae').join(', ')})`, nameList, ['iwae'])
      .option('--estimator <names>', 'gradient estimators, comma-separated (reparam, stl, dreg)', nameList, ['reparam', 'dreg'])
      .option('--k <list>', 'values of K, comma-separated', integerList, [1, 4, 16, 64])
      .option('--m <n>', 'miwae, piwae: M bounds of K samples', positiveInteger)
      .option('--beta <b>', "ciwae: the ELBO's weight β", unitInterval)
      .option('--reps <n>', 'independent draws of each estimator (SNR below 1/√reps is noise)', positiveInteger, 100)
      .option('--batch <n>', 'rows in the fixed minibatch (a seeded random subset of the training split)', positiveInteger, 32)
      .option('--data <spec>', "dataset (default: the run's own; for a model file: natural)")
      .option('--data-dir <dir>', 'where the data files are')
      .option('--seed <n>', 'seed of the minibatch, the noise and (for a model file) the initialization', integer, 0)
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu')
      .option('--plot <file>', 'write the log-log SNR plot here (SVG)', 'snr.svg')
      .option('--json', 'print the results as JSON'),
  async run({ operands, options, io }) {
    const objectives = options['objective'] as string[];
    const unknown = objectives.filter((o) => !(OBJECTIVE_NAMES as readonly string[]).includes(o));
    if (unknown.length > 0) throw new UserError(`snr: unknown objective ${unknown.map((u) => `'${u}'`).join(', ')}; use ${OBJECTIVE_NAMES.join(', ')}`);
    const estimators = options['estimator'] as string[];
    const bad = estimators.filter((e) => !(ESTIMATORS as readonly string[]).includes(e));
    if (bad.length > 0) throw new UserError(`snr: unknown estimator ${bad.map((b) => `'${b}'`).join(', ')}; use ${ESTIMATORS.join(', ')}`);
    const m = options['m'] as number | undefined;
    const beta = options['beta'] as number | undefined;
    // Every objective × estimator that applies: dreg is skipped on vae (it is stl there), m only where owned.
    const series = objectives.flatMap((objective) =>
      estimators
        .filter((estimator) => !(objective === 'vae' && estimator === 'dreg'))
        .map((estimator) => ({
          objective: objective as ObjectiveName,
          estimator: estimator as GradientEstimator,
          ...(m !== undefined && (objective === 'miwae' || objective === 'piwae') ? { m } : {}),
          ...(beta !== undefined && objective === 'ciwae' ? { beta } : {}),
        })),
    );
    const { snrRun } = await import('../../driver/snr-run.js');
    const { snrChart } = await import('../../report/snr-chart.js');
    const { writeFileAtomic } = await import('../../util/atomic-write.js');
    const json = options['json'] === true;
    const progress = createCountProgress(io, 'draws');
    const result = await snrRun(operands[0]!, {
      series,
      ks: options['k'] as number[],
      reps: options['reps'] as number,
      batch: options['batch'] as number,
      seed: options['seed'] as number,
      ...(options['backend'] ? { backend: options['backend'] as string } : {}),
      data: { ...(options['data'] ? { spec: options['data'] as string } : {}), ...(options['dataDir'] ? { dataDir: options['dataDir'] as string } : {}) },
      ...(json ? {} : { onProgress: (done: number, total: number) => progress.update(done, total) }),
    });
    progress.stop();
    const plot = options['plot'] as string;
    await writeFileAtomic(plot, await snrChart(result));
    if (json) {
      io.stdout(`${JSON.stringify({ ...result, plot }, null, 2)}\n`);
      return 0;
    }
    const f = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '–');
    const rows = [['series', 'K', 'model SNR (mean)', 'model (median)', 'guide SNR (mean)', 'guide (median)'], ...result.points.map((p) => [p.series, String(p.k), f(p.model.mean), f(p.model.median), f(p.guide.mean), f(p.guide.median)])];
    const slopes = result.slopes.map((s) => `  ${s.series} · ${s.group}: SNR ∝ K^${Number.isFinite(s.slope) ? s.slope.toFixed(2) : '?'}`).join('\n');
    io.stdout(
      `${result.target}\ndata: ${result.dataset}\ndraws: ${result.reps} per point (an SNR below ${result.noiseFloor.toFixed(3)} = 1/√draws cannot be told from zero)\n\n${alignColumns(rows).join('\n')}\n\nfitted exponents (published: IWAE guide −0.5, model +0.5; DReG guide not falling):\n${slopes}\n\nplot: ${plot}\n`,
    );
    return 0;
  },
};
