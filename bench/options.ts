/**
 * Command-line options of `npm run bench`, parsed with `node:util` parseArgs
 * and checked with messages that say what to write instead.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Backends to run, each in its own process; undefined = the default set (see `run.ts`). */
  readonly backends?: readonly string[];
  /** Importance samples per data point for the training-step rows. */
  readonly ks: readonly number[];
  /** Timed repetitions per row (fewer when a row's time budget runs out). */
  readonly reps: number;
  /** Untimed calls before the timed repetitions. */
  readonly warmup: number;
  /** Each repetition runs whole calls until it lasts at least this long. */
  readonly minRepSeconds: number;
  /** Seconds of timed work allowed per row; a row whose single call exceeds it is skipped. */
  readonly budgetSeconds: number;
  /** Samples of the streamed bound row, and its chunk size. */
  readonly boundK: number;
  readonly chunk: number;
  /** Smoke-run sizes (see `QUICK`). */
  readonly quick: boolean;
  /** The objective × estimator rows (default on; off with --quick). */
  readonly objectives: boolean;
  /** Also print the kernels that dominate one training step per k (tf.profile). */
  readonly profile: boolean;
  /** Where the JSON results go. */
  readonly out: string;
  /**
   * PyTorch reference columns (bench/pytorch/tdvae_bench.py, two variants:
   * `pytorch` as a user writes the model, `pytorch-split` with head_z1 split
   * over its concat by hand as Strata's compiler does): 'auto' runs them
   * where a Python with torch is found, 'on' requires it, 'off' skips them.
   */
  readonly pytorch: 'auto' | 'on' | 'off';
  /** The Python for the PyTorch columns (default: $STRATA_BENCH_PYTHON, python3, /usr/bin/python3). */
  readonly python?: string;
  /**
   * The conv VAE rows (bench/conv-vae-bench.ts, models/conv-vae-mnist.ppl; in PyTorch
   * bench/pytorch/conv_vae_bench.py): 'on' with the other rows, 'off', or 'only' them.
   */
  readonly conv: 'on' | 'off' | 'only';
}

export const USAGE = `Usage: npm run bench -- [options]

Measures the TDVAE training step, large matmuls and the streamed k-sample
bound on each backend, prints a table and writes bench/results.json.

  --backend LIST       backends to run, comma-separated (node-gpu, node, native, wasm, cpu);
                       default: every available one (--quick: the automatic choice)
  --k LIST             k values of the training-step rows (default 1,10,50; --quick 1,10)
  --reps N             timed repetitions per row (default 5; --quick 3)
  --warmup N           untimed calls first (default 3; --quick 1)
  --min-rep-seconds S  a repetition repeats calls until it lasts S seconds (default 1; --quick 0.3)
  --budget S           seconds of timed work per row: fewer reps when it runs out, the row
                       skipped when one call is longer (default 300; --quick 20)
  --bound-k N          samples per data point of the bound row (default 5000; --quick 500)
  --chunk N            samples per streamed chunk of the bound row (default 100)
  --objectives on|off  the objective × estimator step rows at k = 10 (MIWAE 8x8, PIWAE 2x5)
                       (default on; --quick off)
  --quick              a smoke run with the smaller sizes above (well under a minute on wasm)
  --profile            also print the kernels that dominate one training step per k
  --out FILE           results file (default bench/results.json)
  --pytorch MODE       PyTorch reference columns pytorch (the model as written) and
                       pytorch-split (head_z1 split by hand, as Strata compiles it):
                       auto (default: where a Python with torch is found; off with
                       --quick), on (fail without it), off
  --python PATH        the Python with torch (default: $STRATA_BENCH_PYTHON, python3, /usr/bin/python3)
  --conv on|off|only   the conv VAE rows (models/conv-vae-mnist.ppl on 28x28 images, train steps at
                       k = 1, 10 and a bound): with the other rows, none, or only them (default on;
                       --quick off); the PyTorch column runs them too
  --help               this text`;

const FULL = { ks: [1, 10, 50], reps: 5, warmup: 3, minRepSeconds: 1, budgetSeconds: 300, boundK: 5000 };
const QUICK = { ks: [1, 10], reps: 3, warmup: 1, minRepSeconds: 0.3, budgetSeconds: 20, boundK: 500 };

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${flag} must be a positive integer, but got '${text}'`);
  return n;
}

function nonNegativeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new RangeError(`${flag} must be a number >= 0, but got '${text}'`);
  return n;
}

function list(text: string, flag: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new RangeError(`${flag} needs at least one value, e.g. ${flag} 1,10`);
  return items;
}

const PYTORCH_MODES = ['auto', 'on', 'off'] as const;
const CONV_MODES = ['on', 'off', 'only'] as const;

function convMode(text: string | undefined, quick: boolean): BenchOptions['conv'] {
  if (text === undefined) return quick ? 'off' : 'on';
  const mode = CONV_MODES.find((m) => m === text);
  if (mode === undefined) throw new RangeError(`--conv must be one of ${CONV_MODES.join(', ')}, but got '${text}'`);
  return mode;
}

function pytorchMode(text: string | undefined, quick: boolean): BenchOptions['pytorch'] {
  if (text === undefined) return quick ? 'off' : 'auto';
  const mode = PYTORCH_MODES.find((m) => m === text);
  if (mode === undefined) throw new RangeError(`--pytorch must be one of ${PYTORCH_MODES.join(', ')}, but got '${text}'`);
  return mode;
}

/**
 * Parses `argv` (without the node and script paths).
 * @returns the options, or 'help' when --help was given
 * @throws RangeError / TypeError naming the bad flag
 */
function onOff(text: string, flag: string): boolean {
  if (text !== 'on' && text !== 'off') throw new RangeError(`${flag} must be on or off, but got '${text}'`);
  return text === 'on';
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      backend: { type: 'string' },
      k: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      'min-rep-seconds': { type: 'string' },
      budget: { type: 'string' },
      'bound-k': { type: 'string' },
      chunk: { type: 'string' },
      quick: { type: 'boolean', default: false },
      objectives: { type: 'string' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      pytorch: { type: 'string' },
      python: { type: 'string' },
      conv: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const base = values.quick ? QUICK : FULL;
  const warmup = values.warmup === undefined ? base.warmup : nonNegativeNumber(values.warmup, '--warmup');
  if (!Number.isInteger(warmup)) throw new RangeError(`--warmup must be a whole number of calls, but got '${values.warmup}'`);
  return {
    backends: values.backend === undefined ? undefined : list(values.backend, '--backend'),
    ks: values.k === undefined ? base.ks : list(values.k, '--k').map((s) => positiveInteger(s, '--k')),
    reps: values.reps === undefined ? base.reps : positiveInteger(values.reps, '--reps'),
    warmup,
    minRepSeconds: values['min-rep-seconds'] === undefined ? base.minRepSeconds : nonNegativeNumber(values['min-rep-seconds'], '--min-rep-seconds'),
    budgetSeconds: values.budget === undefined ? base.budgetSeconds : nonNegativeNumber(values.budget, '--budget'),
    boundK: values['bound-k'] === undefined ? base.boundK : positiveInteger(values['bound-k'], '--bound-k'),
    chunk: values.chunk === undefined ? 100 : positiveInteger(values.chunk, '--chunk'),
    quick: values.quick === true,
    objectives: values.objectives === undefined ? values.quick !== true : onOff(values.objectives, '--objectives'),
    profile: values.profile === true,
    out: values.out ?? 'bench/results.json',
    pytorch: pytorchMode(values.pytorch, values.quick === true),
    python: values.python,
    conv: convMode(values.conv, values.quick === true),
  };
}

/** The options a backend worker process needs, as argv for `worker.js`. */
export function workerArgs(options: BenchOptions): string[] {
  return [
    `--k=${options.ks.join(',')}`,
    `--reps=${options.reps}`,
    `--warmup=${options.warmup}`,
    `--min-rep-seconds=${options.minRepSeconds}`,
    `--budget=${options.budgetSeconds}`,
    `--bound-k=${options.boundK}`,
    `--chunk=${options.chunk}`,
    ...(options.quick ? ['--quick'] : []),
    ...(options.profile ? ['--profile'] : []),
    `--objectives=${options.objectives ? 'on' : 'off'}`,
    `--conv=${options.conv}`,
  ];
}
