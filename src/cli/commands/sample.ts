/**
 * `strata sample runs/NAME --k 50 --n 1000 --latents z1 --out FILE`: SIR
 * samples from the importance-weighted posterior for test rows, saved as
 * safetensors or .npy, with the effective sample size per data point.
 */
import type { CommandModule } from '../command.js';
import { integer, nameList, positiveInteger } from '../parse-options.js';

export const command: CommandModule = {
  name: 'sample',
  define: (command) =>
    command
      .description('draw SIR posterior samples of latents for test rows of a run')
      .argument('<run>', 'run directory (from strata train --out)')
      .option('--data <spec>', "dataset (default: the run's own, with its test split)")
      .option('--data-dir <dir>', 'where the data files are')
      .option('--k <n>', 'particles per draw', positiveInteger, 50)
      .option('--n <n>', 'draws per data point', positiveInteger, 1000)
      .option('--latents <names>', 'latents to keep, comma-separated (default: all)', nameList)
      .option('--count <n>', 'number of test rows', positiveInteger, 10)
      .option('--seed <n>', 'seed', integer, 0)
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu')
      .requiredOption('--out <file>', 'output file: .safetensors or .npy'),
  async run({ operands, options, io }) {
    const { sampleRun } = await import('../../driver/sample-run.js');
    const result = await sampleRun(operands[0]!, {
      k: options['k'] as number,
      n: options['n'] as number,
      count: options['count'] as number,
      seed: options['seed'] as number,
      out: options['out'] as string,
      ...(options['latents'] ? { latents: options['latents'] as string[] } : {}),
      ...(options['backend'] ? { backend: options['backend'] as string } : {}),
      data: { ...(options['data'] ? { spec: options['data'] as string } : {}), ...(options['dataDir'] ? { dataDir: options['dataDir'] as string } : {}) },
    });
    const ess = Array.from(result.ess);
    const shapes = Object.entries(result.shapes).map(([n, s]) => `${n} [${s.join(', ')}]`).join(', ');
    const k = Array.from(result.psisK);
    const above = k.filter((v) => v > result.psisThreshold).length;
    const psisLine = `PSIS k̂ per data point (S = ${result.psisSamples} pooled weights): ${k.map((v) => (Number.isFinite(v) ? v.toFixed(2) : 'inf')).join(' ')}; ${above} of ${k.length} above ${result.psisThreshold.toFixed(2)}${above > 0 ? ' (there the guide misses posterior mass: the draws and the bound are unreliable)' : ''}`;
    io.stdout(`wrote ${result.files.join(', ')}: ${shapes}\nESS per data point: ${ess.map((e) => e.toFixed(1)).join(' ')} (mean ${(ess.reduce((a, b) => a + b, 0) / ess.length).toFixed(2)} of k = ${options['k']})\n${psisLine}\n`);
    return 0;
  },
};
