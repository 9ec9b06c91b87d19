/**
 * `strata train MODEL.ppl --data SPEC --out runs/NAME ...`: trains with a
 * progress bar, appends per-epoch metrics to runs/NAME/metrics.jsonl and
 * checkpoints every N epochs and at the end; `--resume runs/NAME` continues a
 * run; Ctrl-C saves a checkpoint and exits cleanly.
 */
import { Option } from 'commander';
import type { CommandModule } from '../command.js';
import { betaOption, freeBitsList, integer, openUnitInterval, positiveInteger, positiveNumber } from '../parse-options.js';
import { createProgress } from '../progress.js';
import { resolve } from 'node:path';
import type { TrainRunOptions } from '../../driver/training-run.js';
import { OBJECTIVE_NAMES, type ObjectiveName } from '../../inference/objectives/names.js';
import type { GradientEstimator } from '../../inference/objectives/objective.js';
import type { TemperatureSpec } from '../../inference/temperature.js';
import { UserError } from '../../util/user-error.js';

function epochLine(r: { epoch: number; loss: number; bound: number; terms: Record<string, number>; learned?: Record<string, number>; seconds: number }, total: number): string {
  const terms = Object.entries(r.terms).map(([n, v]) => `${n} ${v.toFixed(2)}`).join('  ');
  const learned = Object.entries(r.learned ?? {}).map(([n, v]) => `  ${n} ${v.toPrecision(4)}`).join('');
  return `epoch ${r.epoch}/${total}  loss ${r.loss.toFixed(3)}  bound ${r.bound.toFixed(3)}  ${terms}${learned}  (${r.seconds.toFixed(1)} s)`;
}

function positionText(epoch: number, step: number): string {
  return `epoch ${epoch}${step > 0 ? `, step ${step}` : ''}`;
}

/** k when --k is not given: one sample for the ELBO (what Pyro's Trace_ELBO and a plain VAE use), 10 for the importance-weighted bounds. */
export function defaultK(objective: string): number {
  return objective === 'vae' ? 1 : 10;
}

/**
 * The options given with --resume that the run's own recorded values
 * override, as `--k 50 (the run's: 10)`; an option given with the run's own
 * value is not listed.
 */
function ignoredOnResume(options: Readonly<Record<string, unknown>>, given: ReadonlySet<string>, used: TrainRunOptions): string[] {
  const recorded: Record<string, [flag: string, value: unknown]> = {
    data: ['--data', used.data.spec], train: ['--train', used.data.train], test: ['--test', used.data.test], objective: ['--objective', used.objective],
    k: ['--k', used.k], m: ['--m', used.m], beta: ['--beta', used.beta], betaInit: ['--beta-init', used.betaInit], freeBits: ['--free-bits', used.freeBits], estimator: ['--estimator', used.estimator], batch: ['--batch', used.batchSize], lr: ['--lr', used.learningRate],
    seed: ['--seed', used.seed], guide: ['--guide', used.guide], discrete: ['--discrete', used.discrete], temperature: ['--temperature', used.temperature],
  };
  return Object.entries(recorded).flatMap(([name, [flag, value]]) => {
    if (!given.has(name) || JSON.stringify(options[name]) === JSON.stringify(value)) return [];
    if (name === 'data' && typeof value === 'string' && value.startsWith('file:') && String(options[name]).startsWith('file:') && resolve(String(options[name]).slice(5)) === value.slice(5)) return [];
    return [`${flag} ${optionText(options[name])} (the run's: ${optionText(value)})`];
  });
}

/** An option's value as the command line writes it: `h:relaxed,c:score`, `z:1->0.5@5000`, `z1:0.5`. */
function optionText(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value).map(([latent, v]) => `${latent}:${isTemperature(v) ? temperatureText(v) : String(v)}`).join(',');
}

function isTemperature(value: unknown): value is TemperatureSpec {
  return typeof value === 'object' && value !== null && 'from' in value;
}

function temperatureText(t: TemperatureSpec): string {
  if (t.to === undefined) return String(t.from);
  return `${t.from}->${t.to}@${t.steps ?? `${t.epochs}ep`}`;
}

export const command: CommandModule = {
  name: 'train',
  define: (command) =>
    command
      .description('train a model on a dataset, writing checkpoints and metrics to a run directory')
      .argument('[model]', '.ppl model file (omit with --resume)')
      .option('--data <spec>', "dataset: natural[:olshausen|hyvarinen|shouval|deadleaves], textures:brodatz, mnist:binarized, mnist:dynamic, file:PATH", 'natural')
      .option('--data-dir <dir>', 'where the data files are (default: $STRATA_DATA or ../shared/data)')
      .option('--train <n>', 'number of training rows (patches: default 20000)', positiveInteger)
      .option('--test <n>', 'number of test rows (patches: default 2000)', positiveInteger)
      .addOption(new Option('--objective <name>', 'inference objective').choices([...OBJECTIVE_NAMES]).default('iwae'))
      .option('--m <n>', 'miwae, piwae: the number M of independent IWAE-k bounds averaged (M·k samples per data point; piwae trains its model on IWAE over all M·k)', positiveInteger)
      .option('--free-bits <specs>', 'vae: free bits, λ nats per latent below which its KL term is not pushed down: z1:0.5,z2:0.25 (Kingma et al. 2016)', freeBitsList)
      .option('--beta <b>', "ciwae: the ELBO's weight β in β·ELBO + (1 − β)·IWAE, in [0, 1] (default 0.5), or 'learn': β = sigmoid(b) trained with the network (seed 002 sec. 3.7)", betaOption)
      .option('--beta-init <b>', "ciwae with --beta learn: β's initial value, in (0, 1) (default 0.5)", openUnitInterval)
      .option('--k <n>', 'importance samples per data point (default: 1 for vae, as Pyro\'s Trace_ELBO; 10 otherwise)', positiveInteger)
      .addOption(new Option('--estimator <name>', 'gradient estimator: reparam, stl (sticking the landing) or dreg (doubly reparameterized; iwae family)').choices(['reparam', 'stl', 'dreg']).default('reparam'))
      .option('--epochs <n>', "epochs to train in total (default: 10; with --resume, the run's own)", positiveInteger)
      .option('--batch <n>', 'minibatch size', positiveInteger, 100)
      .option('--lr <rate>', 'Adam learning rate', positiveNumber, 1e-3)
      .option('--clip <norm>', 'clip the global gradient norm', positiveNumber)
      .option('--anneal <specs>', 'beta-annealing per latent: z2:0.1@2500 (steps) or z2:0.1@3ep (epochs), comma-separated')
      .option('--discrete <specs>', 'how discrete latents train: z:score (default; REINFORCE under vae, VIMCO under vimco), z:relaxed (Concrete) or z:straight-through (biased), comma-separated')
      .option('--temperature <specs>', 'temperature of relaxed latents: z:1.0->0.5@5000 (geometric over steps), z:1.0->0.5@3ep (epochs) or z:0.5, comma-separated')
      .option('--seed <n>', 'seed of initialization, data split, batches and noise', integer, 0)
      .option('--guide <name>', 'guide to train (default: the model\'s default guide)')
      .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the fastest that loads)')
      .option('--checkpoint-every <n>', 'save a checkpoint every n epochs', positiveInteger, 1)
      .option('--out <dir>', 'run directory: new or empty (a run in it is refused; see --force)', 'runs/latest')
      .option('--force', 'if --out holds a run, move it aside to OUT.old-<time> and start afresh')
      .option('--overwrite', 'the same as --force (the old run is moved aside, not deleted)')
      .option('--resume <dir>', 'continue the run in this directory where it stopped'),
  async run({ operands, options, given, io }) {
    const { runTraining } = await import('../../driver/training-run.js');
    const { parseAnnealSpec } = await import('../../driver/anneal-spec.js');
    const { parseDiscreteSpec, parseTemperatureSpec } = await import('../../driver/discrete-spec.js');
    const specs = {
      ...(options['discrete'] ? { discrete: parseDiscreteSpec(options['discrete'] as string) } : {}),
      ...(options['temperature'] ? { temperature: parseTemperatureSpec(options['temperature'] as string) } : {}),
    };
    const resume = options['resume'] as string | undefined;
    const modelPath = operands[0];
    if (!resume && !modelPath) throw new UserError("train: give a model file, or --resume runs/NAME");
    const { activeBackendName } = await import('../../backend/backend.js');
    const { NonFiniteError } = await import('../../inference/train-step.js');
    const progress = createProgress(io);
    let barEpoch = -1;
    let totalEpochs_ = (options['epochs'] as number | undefined) ?? 10;
    let lastCheckpoint: string | undefined;
    let stopRequested = false;
    const onSigint = () => {
      if (stopRequested) process.exit(130);
      stopRequested = true;
      progress.stop();
      io.stderr('\nstopping after this step and saving a checkpoint (Ctrl-C again to quit now)\n');
    };
    process.on('SIGINT', onSigint);
    try {
      const out = resume ?? (options['out'] as string);
      const result = await runTraining(
        {
          ...(modelPath ? { modelPath } : {}),
          out,
          data: {
            spec: options['data'] as string,
            seed: options['seed'] as number,
            ...(options['dataDir'] ? { dataDir: options['dataDir'] as string } : {}),
            ...(options['train'] ? { train: options['train'] as number } : {}),
            ...(options['test'] ? { test: options['test'] as number } : {}),
          },
          objective: options['objective'] as ObjectiveName,
          ...(options['m'] === undefined ? {} : { m: options['m'] as number }),
          ...(options['beta'] === undefined ? {} : { beta: options['beta'] as number | 'learn' }),
          ...(options['betaInit'] === undefined ? {} : { betaInit: options['betaInit'] as number }),
          ...(options['freeBits'] === undefined ? {} : { freeBits: options['freeBits'] as Record<string, number> }),
          k: (options['k'] as number | undefined) ?? defaultK(options['objective'] as string),
          estimator: options['estimator'] as GradientEstimator,
          // 0 on --resume without --epochs: the run's own total.
          epochs: (options['epochs'] as number | undefined) ?? (resume ? 0 : 10),
          batchSize: options['batch'] as number,
          learningRate: options['lr'] as number,
          ...(options['clip'] ? { clipNorm: options['clip'] as number } : {}),
          ...(options['anneal'] ? { anneal: parseAnnealSpec(options['anneal'] as string) } : {}),
          ...(specs.discrete === undefined ? {} : { discrete: specs.discrete }),
          ...(specs.temperature === undefined ? {} : { temperature: specs.temperature }),
          seed: options['seed'] as number,
          ...(options['guide'] ? { guide: options['guide'] as string } : {}),
          ...(options['backend'] ? { backend: options['backend'] as string } : {}),
          checkpointEvery: options['checkpointEvery'] as number,
          resume: resume !== undefined,
          ...(options['force'] || options['overwrite'] ? { force: true } : {}),
        },
        {
          onStart: ({ model, description, startEpoch, totalEpochs, options: used }) => {
            totalEpochs_ = totalEpochs;
            if (resume) lastCheckpoint = positionText(model.position.epoch, model.position.step);
            const ignored = resume ? ignoredOnResume({ ...options, ...specs }, given, used) : [];
            if (ignored.length > 0) io.stderr(`warning: --resume continues the run with its own options; ignored ${ignored.join(', ')} (start a new run with --out to change them)\n`);
            const freeBits = used.freeBits === undefined ? '' : `, free bits ${Object.entries(used.freeBits).map(([l, v]) => `${l}:${v}`).join(',')}`;
            const discrete = used.discrete === undefined ? '' : `, discrete ${Object.entries(used.discrete).map(([l, v]) => `${l}:${v}${v === 'straight-through' ? ' (biased)' : ''}`).join(',')}`;
            const extra = `${used.m === undefined ? '' : `, m = ${used.m}`}${used.beta === undefined ? '' : `, beta = ${used.beta}`}${used.betaInit === undefined ? '' : ` (from ${used.betaInit})`}${freeBits}${discrete}`;
            io.stderr(`data: ${description}\nbackend: ${activeBackendName() ?? 'none'}\nobjective: ${used.objective}, k = ${used.k}${extra}, estimator ${used.estimator}\n${startEpoch > 0 ? `resuming at epoch ${startEpoch + 1} of ${totalEpochs}\n` : ''}`);
          },
          onStep: ({ epoch, step, stepsPerEpoch, loss, bound }) => {
            if (epoch !== barEpoch) progress.startEpoch(epoch + 1, totalEpochs_, stepsPerEpoch, step);
            barEpoch = epoch;
            progress.step(step + 1, loss, bound);
          },
          onEpoch: (record, total) => progress.endEpoch(epochLine(record, total)),
          onCheckpoint: (dir, epoch, step) => {
            lastCheckpoint = positionText(epoch, step);
            io.stderr(`checkpoint: ${dir} (${lastCheckpoint})\n`);
          },
          shouldStop: () => stopRequested,
          onNotice: (message) => io.stderr(message),
        },
      ).catch((error: unknown) => {
        if (error instanceof NonFiniteError) {
          throw new UserError(`${error.message}; ${lastCheckpoint === undefined ? `no checkpoint was saved in ${out}` : `the last good checkpoint is in ${out} (${lastCheckpoint})`}`);
        }
        throw error;
      });
      progress.stop();
      const last = result.history.at(-1);
      io.stdout(`${result.interrupted ? 'stopped' : 'done'}: ${result.out}${last ? `  (epoch ${last.epoch}, bound ${last.bound.toFixed(3)})` : ''}\n`);
      return 0;
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
  },
};
