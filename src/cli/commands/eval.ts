/**
 * `strata eval runs/NAME --k 5000`: the test bound per data point (mean and
 * standard error) and the per-term averages as a table; `--json` for machines.
 */
import { Option } from 'commander';
import { alignColumns } from '../../util/columns.js';
import type { CommandModule } from '../command.js';
import { integer, positiveInteger } from '../parse-options.js';
import { createCountProgress } from '../count-progress.js';

export const command: CommandModule = {
  name: 'eval',
  define: (command) =>
    command
      .description("evaluate a trained run's IWAE-k bound and per-term averages on test data")
      .argument('<run>', 'run directory (from strata train --out)')
      .option('--data <spec>', "dataset (default: the run's own, with its split; another one, e.g. file:test.npy, ignores the run's --train/--test sizes)")
      .option('--data-dir <dir>', 'where the data files are')
      .option('--k <n>', 'importance samples for the bound', positiveInteger, 5000)
      .option('--count <n>', 'evaluate n rows drawn at random (seeded by --seed), not the first n', positiveInteger)
      .addOption(new Option('--split <name>', "rows to evaluate: the dataset's test split, its training split, or all its rows").choices(['test', 'train', 'all']).default('test'))
      .option('--seed <n>', 'seed of the importance samples', integer, 0)
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu')
      .option('--psis', "also fit PSIS k̂ to each row's k importance weights (Vehtari et al. 2024): how reliable the bound is")
      .option('--json', 'print the results as JSON'),
  async run({ operands, options, io }) {
    const { evaluateRun } = await import('../../driver/evaluate-run.js');
    const json = options['json'] === true;
    const progress = createCountProgress(io, 'evaluated');
    const result = await evaluateRun(operands[0]!, {
      k: options['k'] as number,
      seed: options['seed'] as number,
      ...(options['count'] ? { count: options['count'] as number } : {}),
      split: options['split'] as 'test' | 'train' | 'all',
      ...(options['psis'] ? { psis: true } : {}),
      ...(options['backend'] ? { backend: options['backend'] as string } : {}),
      data: { ...(options['data'] ? { spec: options['data'] as string } : {}), ...(options['dataDir'] ? { dataDir: options['dataDir'] as string } : {}) },
      ...(json ? {} : { onProgress: (done: number, total: number) => progress.update(done, total) }),
    });
    progress.stop();
    if (json) {
      const { perPoint, psis, ...rest } = result;
      // JSON has no Infinity: a row whose tail could not be fitted has k̂ null.
      const psisJson = psis && { ...psis, k: Array.from(psis.k, (v) => (Number.isFinite(v) ? v : null)), max: Number.isFinite(psis.max) ? psis.max : null };
      io.stdout(`${JSON.stringify({ ...rest, perPoint: Array.from(perPoint), ...(psisJson ? { psis: psisJson } : {}) }, null, 2)}\n`);
      return 0;
    }
    const rows = [
      ['quantity', 'mean', 'std. error', 'n'],
      [`IWAE bound (k=${result.k})`, result.bound.mean.toFixed(3), result.bound.se.toFixed(3), String(result.bound.n)],
      ...Object.entries(result.terms).map(([name, s]) => [name, s.mean.toFixed(3), s.se.toFixed(3), String(s.n)]),
    ];
    const psis = result.psis;
    const psisLine = psis
      ? `\nPSIS k̂ (S = ${psis.samples}): max ${psis.max.toFixed(2)}; ${psis.above} of ${psis.k.length} rows above ${psis.threshold.toFixed(2)}${psis.above > 0 ? ' (their bound is unreliable at this k: the guide misses posterior mass there)' : ''}\n`
      : '';
    io.stdout(`run: ${result.run}\ndata: ${result.dataset}\n\n${alignColumns(rows).join('\n')}\n${psisLine}`);
    return 0;
  },
};
