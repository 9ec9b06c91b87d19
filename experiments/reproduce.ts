/**
 * `npm run reproduce -- NAME [--budget tiny|quick|full] [--data DIR] [--out DIR]`:
 * runs one reproduction of a published result (see experiments/README.md).
 * Ctrl-C (or SIGTERM) stops after the current step with a checkpoint; the
 * same command resumes. Exit codes: 0 done or stopped cleanly, 1 an error,
 * 2 a usage error, 130 a second Ctrl-C.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorMessage, UserError } from '../src/util/user-error.js';
import { BUDGET_NAMES, type BudgetName } from './burda-mnist/budgets.js';
import { runBurdaMnist } from './burda-mnist/run.js';
import { runCiwaeLearnedBeta } from './ciwae-learned-beta/run.js';
import { runRainforthMnist } from './rainforth-mnist/run.js';
import { runThesisCh5 } from './thesis-ch5/run.js';

interface ReproduceOptions {
  readonly budget: BudgetName;
  readonly data?: string;
  readonly out?: string;
  readonly only?: string;
  readonly backend?: string;
  readonly epochs?: number;
}

/** The options every runner takes, from the command line's. */
function runnerOptions(o: ReproduceOptions, shouldStop: () => boolean) {
  return { budget: o.budget, shouldStop, ...(o.out ? { out: o.out } : {}), ...(o.data ? { dataDir: o.data } : {}), ...(o.backend ? { backend: o.backend } : {}), ...(o.epochs === undefined ? {} : { epochs: o.epochs }), ...(o.only ? { only: o.only.split(',') } : {}) };
}

/** The reproductions by name. */
const EXPERIMENTS: Readonly<Record<string, (o: ReproduceOptions, shouldStop: () => boolean) => Promise<{ out: string; interrupted: boolean }>>> = {
  'burda-mnist': (o, shouldStop) => runBurdaMnist(runnerOptions(o, shouldStop)),
  'ciwae-learned-beta': (o, shouldStop) => runCiwaeLearnedBeta(runnerOptions(o, shouldStop)),
  'rainforth-mnist': (o, shouldStop) => runRainforthMnist(runnerOptions(o, shouldStop)),
  'thesis-ch5': (o, shouldStop) => runThesisCh5(runnerOptions(o, shouldStop)),
};

async function main(argv: readonly string[]): Promise<number> {
  let stops = 0;
  const onSignal = () => {
    if (++stops > 1) process.exit(130);
    process.stderr.write('\nstopping after the current step (a checkpoint is saved; Ctrl-C again quits at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const program = new Command('reproduce')
    .description('Reproduce a published result; resumable: re-running skips finished configurations and resumes the others.')
    .argument('<name>', `the reproduction: ${Object.keys(EXPERIMENTS).join(', ')}`)
    .addOption(new Option('--budget <budget>', 'tiny (seconds, for tests), quick (about 20 min on 2 cores, native backend) or full (the paper\'s schedule)').choices(BUDGET_NAMES).default('quick'))
    .option('--data <dir>', 'the data directory holding mnist/, natural_images/, textures/ (default: $STRATA_DATA, else ../shared/data)')
    .option('--out <dir>', 'where the run directories and results.json go (default: experiments/<name>/runs/<budget>)')
    .option('--epochs <n>', "train the first n epochs of the paper's schedule instead of the budget's (default out: experiments/<name>/runs/<budget>-<n>ep)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${v}'`);
      return n;
    })
    .option('--only <names>', 'only these configurations, comma-separated (e.g. 1layer-iwae-k50, piwae-m8-k8)')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: $STRATA_BACKEND, else the fastest that loads)')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    return e instanceof CommanderError ? (e.exitCode === 0 ? 0 : 2) : 2;
  }
  const name = program.args[0]!;
  const run = EXPERIMENTS[name];
  if (!run) {
    process.stderr.write(`reproduce: unknown reproduction '${name}'; known: ${Object.keys(EXPERIMENTS).join(', ')}\n`);
    return 2;
  }
  try {
    const { out, interrupted } = await run(program.opts<ReproduceOptions>(), () => stops > 0);
    process.stdout.write(`${interrupted ? 'stopped' : 'done'}: ${out}/results.json\n`);
    return 0;
  } catch (e) {
    const internal = !(e instanceof UserError);
    process.stderr.write(`reproduce: ${internal ? 'internal error: ' : ''}${errorMessage(e)}\n`);
    if (internal && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
