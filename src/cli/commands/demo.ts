/**
 * `strata demo` (what `npm start` runs): trains the thesis's TDVAE with the
 * TD-IWAE objective (k = 10) on natural-image patches for a few minutes,
 * evaluates its bound on held-out patches and says where everything is.
 * Uses ../shared/data when present, else the embedded dead-leaves images.
 */
import { join } from 'node:path';
import { alignColumns } from '../../util/columns.js';
import type { CommandModule } from '../command.js';
import { positiveInteger } from '../parse-options.js';
import { createProgress } from '../progress.js';

/**
 * The demo's last lines: what to run next on the run in `out`, one command a
 * line so each can be pasted into a shell. Spelled `npx strata` because
 * `npm ci` in a checkout puts no `strata` on PATH (npx finds the package's own
 * bin there, and in a project that installed it).
 * @example nextSteps('runs/demo', 5) // 'next:\n  npx strata eval runs/demo --k 5000\n  ...'
 */
export function nextSteps(out: string, epochs: number): string {
  const commands = [`eval ${out} --k 5000`, `sample ${out} --latents z1 --out z1.safetensors`, `train --resume ${out} --epochs ${epochs + 5}`];
  return `next:\n${commands.map((c) => `  npx strata ${c}\n`).join('')}`;
}

export const command: CommandModule = {
  name: 'demo',
  define: (command) =>
    command
      .description('train TD-IWAE (k = 10) on natural patches for a few minutes, evaluate, and write runs/demo')
      .option('--epochs <n>', 'epochs', positiveInteger, 5)
      .option('--train <n>', 'training patches', positiveInteger, 4000)
      .option('--test <n>', 'test patches to evaluate', positiveInteger, 500)
      .option('--k <n>', 'importance samples per patch in training', positiveInteger, 10)
      .option('--eval-k <n>', 'importance samples for the test bound', positiveInteger, 100)
      .option('--out <dir>', 'run directory (one holding a run is refused; see --force)', 'runs/demo')
      .option('--force', 'if --out holds a run (an earlier demo), move it aside to OUT.old-<time> first')
      .option('--overwrite', 'the same as --force')
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu'),
  async run({ options, io }) {
    const { runTraining } = await import('../../driver/training-run.js');
    const { bundledModel } = await import('../../driver/bundled-model.js');
    const { evaluateRun } = await import('../../driver/evaluate-run.js');
    const { activeBackendName } = await import('../../backend/backend.js');
    const out = options['out'] as string;
    const backend = options['backend'] as string | undefined;
    const progress = createProgress(io);
    let barEpoch = -1;
    io.stdout(`Strata demo: TDVAE (models/tdvae.ppl) trained with TD-IWAE, k = ${options['k']}\n`);
    await runTraining(
      {
        modelPath: bundledModel('tdvae'), out, // the package's own copy: works from any directory
        data: { spec: 'natural', seed: 1, train: options['train'] as number, test: options['test'] as number },
        objective: 'tdiwae', k: options['k'] as number, estimator: 'reparam', epochs: options['epochs'] as number, batchSize: 100,
        learningRate: 1e-3, clipNorm: 100, anneal: { z2: { from: 0.1, epochs: Math.max(1, Math.floor((options['epochs'] as number) / 2)) } },
        seed: 1, checkpointEvery: 1, resume: false, ...(backend ? { backend } : {}),
        ...(options['force'] || options['overwrite'] ? { force: true } : {}),
      },
      {
        onStart: ({ description }) => io.stdout(`data: ${description}\nbackend: ${activeBackendName()}\n`),
        onNotice: (message) => io.stderr(message),
        onStep: ({ epoch, step, stepsPerEpoch, loss, bound }) => {
          if (epoch !== barEpoch) progress.startEpoch(epoch + 1, options['epochs'] as number, stepsPerEpoch, step);
          barEpoch = epoch;
          progress.step(step + 1, loss, bound);
        },
        onEpoch: (r, total) => progress.endEpoch(`epoch ${r.epoch}/${total}  bound ${r.bound.toFixed(2)}  log p(x|z1) ${Object.values(r.observed)[0]?.toFixed(2)}  ${Object.entries(r.terms).map(([n, v]) => `${n} ${v.toFixed(2)}`).join('  ')}  (${r.seconds.toFixed(0)} s)`),
      },
    );
    progress.stop();
    io.stdout(`evaluating the IWAE bound (k = ${options['evalK']}) on ${options['test']} test patches...\n`);
    const result = await evaluateRun(out, { k: options['evalK'] as number, ...(backend ? { backend } : {}) });
    const rows = [
      ['quantity', 'mean', 'std. error'],
      [`test bound (k=${result.k})`, result.bound.mean.toFixed(2), result.bound.se.toFixed(2)],
      ...Object.entries(result.terms).map(([n, s]) => [n, s.mean.toFixed(2), s.se.toFixed(2)]),
    ];
    io.stdout(`${alignColumns(rows).join('\n')}\n\n`);
    io.stdout(`results in ${out}/:\n  ${join(out, 'run.json')}          run record (options, position, backend)\n  ${join(out, 'metrics.jsonl')}     per-epoch metrics\n  ${join(out, 'params-*.safetensors')}  parameters (readable with Python's safetensors)\n`);
    io.stdout(nextSteps(out, options['epochs'] as number));
    return 0;
  },
};
