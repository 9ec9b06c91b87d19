/**
 * `npm run reproduce -- rainforth-mnist`: trains and evaluates every
 * configuration of a budget, each in its own run directory under the out
 * directory, skipping finished ones and resuming unfinished ones, then writes
 * results.json and results.md there. Data, training, the test bounds and the
 * progress display are shared with burda-mnist (../lib/); seed 002's protocol
 * (model, Adam, schedule, training loop, test estimates) is exported here for
 * ciwae-learned-beta, which trains on the same protocol.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { StrataModel } from '../../src/index.js';
import type { Matrix } from '../../src/data/index.js';
import { UserError } from '../../src/util/user-error.js';
import { repoRoot } from '../../bench/paths.js';
import { BURDA_EPOCHS, learningRateAt, schedulePrefix } from '../burda-mnist/schedule.js';
import { everyNthRow, findMnistDirFor } from '../lib/mnist-data.js';
import type { ReproduceProgress } from '../lib/progress.js';
import { defaultOut as defaultOutOf, runReproduction, selectConfigurations, type LoopBudget, type Reproduction, type ReproductionOptions } from '../lib/reproduction.js';
import { trainScheduled, type TrainingSpec, type TrainOutcome } from '../lib/scheduled-training.js';
import { meanBound } from '../lib/test-bound.js';
import { BUDGETS, describeBudget, labelOf, RAINFORTH_ADAM, samplesOf, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { collectResults, publishedFor, RESULT_FILE, resultsTable, type ConfigurationResult, type Results, type RunFields, type TestEstimate, type TrainingFields } from './results.js';

const EXPERIMENT = 'rainforth-mnist';

/** What the reproduction loop hands each configuration (out directory, data, machine, progress, stop flag). */
export type RunContext = Parameters<Reproduction<Configuration, Budget, unknown>['runConfiguration']>[1];

/** The part of a budget that fixes how a configuration trains on seed 002's protocol. */
export type ScheduleBudget = Pick<Budget, 'name' | 'epochs' | 'batchSize' | 'trainRows' | 'testRows' | 'seed'>;

export type RainforthMnistOptions = ReproductionOptions<BudgetName>;

/** The model: Burda et al.'s one-stochastic-layer MNIST model, the file burda-mnist trains (seed 002 uses the same). */
export const MODEL_PATH = (): string => join(repoRoot(), 'experiments', 'burda-mnist', 'one-layer.ppl');

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(budget: BudgetName, epochs?: number): string {
  return defaultOutOf(EXPERIMENT, budget, epochs);
}

/**
 * A budget with its epochs overridden (`--epochs N`: the first N of Burda et al.'s 3,280), or as it is.
 * @throws UserError, naming `experiment`, for an N outside 1..3280
 */
export function budgetWithEpochs<B extends { readonly epochs: number }>(experiment: string, budget: B, epochs?: number): B {
  if (epochs === undefined) return budget;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > BURDA_EPOCHS) throw new UserError(`${experiment}: --epochs must be an integer from 1 to ${BURDA_EPOCHS} (the paper's schedule), but got ${epochs}`);
  return { ...budget, epochs };
}

/** The budget, with its epochs overridden when asked. */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  return budgetWithEpochs(EXPERIMENT, BUDGETS[name], epochs);
}

/** What a run directory was started with; a re-run with another plan is refused. */
export function planOf(c: object, budget: ScheduleBudget) {
  return { configuration: c, budget: budget.name, epochs: budget.epochs, batchSize: budget.batchSize, trainRows: budget.trainRows ?? null, testRows: budget.testRows ?? null, adam: RAINFORTH_ADAM, seed: budget.seed };
}

/** Runs the reproduction; resolves with the results and whether it was stopped. */
export async function runRainforthMnist(options: RainforthMnistOptions): Promise<{ out: string; interrupted: boolean; results: Results }> {
  return runSeed002Reproduction({ experiment: EXPERIMENT, budget: budgetFor(options.budget, options.epochs), describeBudget, runConfiguration, collectResults, resultsTable }, options);
}

/** A reproduction on seed 002's protocol, as its runner gives it: like the loop's, but `runConfiguration` is also handed the budget. */
export type Seed002Reproduction<C extends { readonly name: string }, B extends LoopBudget<C> & { readonly name: string }, R> =
  Omit<Reproduction<C, B, R>, 'runConfiguration'> & { readonly runConfiguration: (c: C, budget: B, context: RunContext) => Promise<boolean> };

/**
 * Runs a reproduction on MNIST from its command's options: the `--only`
 * configurations (an unknown name is an error), the data directory checked
 * (a missing file is an error naming it) before anything trains, the out
 * directory (default experiments/NAME/runs/BUDGET), then the loop.
 */
export async function runSeed002Reproduction<C extends { readonly name: string }, B extends LoopBudget<C> & { readonly name: string }, R>(r: Seed002Reproduction<C, B, R>, options: ReproductionOptions<string>): Promise<{ out: string; interrupted: boolean; results: R }> {
  const configurations = selectConfigurations(r.experiment, r.budget, options.only);
  const dataDir = findMnistDirFor(r.experiment, options.dataDir);
  const out = resolve(options.out ?? defaultOutOf(r.experiment, r.budget.name, options.epochs));
  return runReproduction({ ...r, runConfiguration: (c, context) => r.runConfiguration(c, r.budget, context) }, configurations, dataDir, out, options);
}

/** What the training bound of each objective is (infer's reported bound). */
function boundKind(c: Configuration): string {
  switch (c.objective) {
    case 'iwae': return `IWAE bound (k=${c.k})`;
    case 'piwae': return `the model's IWAE bound (k=${samplesOf(c)})`;
    case 'miwae': return `MIWAE bound (M=${c.m}, K=${c.k})`;
    case 'ciwae': return `CIWAE bound (β=${c.beta}, k=${c.k})`;
    case 'vae': return `ELBO (mean over k=${c.k} samples)`;
  }
}

/**
 * The mean IWAE-k bound over `rows` of the 10,000 MNIST test images, with its standard error, shown as a phase.
 * @param seed row chunk i is bounded with seed `seed + i·20` (test-bound.ts), the same for every configuration
 */
export async function testEstimate(model: StrataModel, rows: Matrix, k: number, seed: number, label: string, progress: ReproduceProgress): Promise<TestEstimate> {
  progress.phase(label, rows.rows);
  const b = await meanBound(model, rows, { k, seed, onProgress: (done, m) => progress.update(done, `bound ${m.toFixed(2)}`) });
  return { ...b, ofRows: 10000, seed };
}

/** One configuration as seed 002's protocol trains it: the reproduction's name, the configuration (its `name` is the run directory) and the objective's options. */
export interface Seed002Run {
  readonly experiment: string;
  readonly configuration: { readonly name: string };
  readonly objective: Pick<TrainingSpec, 'objective' | 'k' | 'm' | 'beta' | 'betaInit' | 'analyticKl'>;
}

/**
 * Trains (or resumes) one configuration on seed 002's protocol (Burda et al.'s
 * one-layer model and 3,280-epoch schedule cut to `budget.epochs`, batch 20,
 * PyTorch's Adam), logging every epoch, then hands the finished training to
 * `evaluate`, which writes the run directory's RESULT_FILE. The model is
 * disposed afterwards.
 *
 * @returns true when stopped before finishing (the checkpoint is in the run directory)
 */
export async function trainThenEvaluate(run: Seed002Run, budget: ScheduleBudget, context: RunContext, evaluate: (trained: TrainOutcome) => Promise<void>): Promise<boolean> {
  const { out, dataDir, data, progress, shouldStop } = context;
  const { name } = run.configuration;
  const dir = join(out, name);
  const trained = await trainScheduled({
    experiment: run.experiment, plan: planOf(run.configuration, budget), ...run.objective,
    epochs: budget.epochs, batchSize: budget.batchSize, seed: budget.seed, adam: RAINFORTH_ADAM, learningRateAt,
    ...(budget.trainRows === undefined ? {} : { trainRows: budget.trainRows }), ...(budget.testRows === undefined ? {} : { testRows: budget.testRows }),
  }, dir, MODEL_PATH(), data, dataDir, {
    onEpochStart: (epoch, epochs, steps, done) => progress.phase(`${name} epoch ${epoch + 1}/${epochs}`, steps, done),
    onStep: (step, bound) => progress.update(step, `bound ${bound.toFixed(2)}`),
    onEpoch: (r, lr) => progress.log(`${name}: epoch ${r.epoch}/${budget.epochs}  lr ${lr.toExponential(2)}  train bound ${r.bound.toFixed(2)}${r.learned?.beta === undefined ? '' : `  β ${r.learned.beta.toFixed(4)}`}  (${r.seconds.toFixed(0)} s)`),
    ...(shouldStop ? { shouldStop } : {}),
  });
  try {
    if (trained.interrupted) {
      progress.log(`${name}: stopped at epoch ${trained.model.position.epoch}, step ${trained.model.position.step}; checkpoint in ${dir} (run the same command again to resume)`);
      return true;
    }
    await evaluate(trained);
    return false;
  } finally {
    trained.model.dispose();
  }
}

/** How a finished configuration was trained, for its result.json: budget, schedule, the Adam it used, rows and the last epoch's training bound (`boundKind` says which bound). */
export function trainingFields(trained: TrainOutcome, budget: ScheduleBudget, trainRows: number, boundKind: string): TrainingFields {
  const adam = (trained.model.groupOptimizers?.model ?? trained.model.optimizer)?.getConfig() as { beta1?: number; beta2?: number; epsilon?: number } | undefined;
  return {
    status: 'done', budget: budget.name, epochs: trained.epochsDone, schedule: schedulePrefix(trained.epochsDone), batchSize: budget.batchSize,
    adam: { beta1: adam?.beta1 ?? RAINFORTH_ADAM.beta1, beta2: adam?.beta2 ?? RAINFORTH_ADAM.beta2, epsilon: adam?.epsilon ?? NaN },
    trainRows,
    trainBound: { value: trained.lastEpoch?.bound ?? NaN, kind: boundKind, epoch: trained.lastEpoch?.epoch ?? 0 },
  };
}

/** The wall times, the machine (with the load average now) and the run directory, for result.json. */
export function runFields(trained: TrainOutcome, evalSeconds: number, machine: RunContext['machine'], runDir: string): RunFields {
  return { wallSeconds: { train: trained.trainSeconds, eval: evalSeconds }, machine: { ...machine, loadAverageEnd: os.loadavg()[0]! }, runDir };
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, context: RunContext): Promise<boolean> {
  const objective = { objective: c.objective, k: c.k, ...(c.m === undefined ? {} : { m: c.m }), ...(c.beta === undefined ? {} : { beta: c.beta }), ...(c.objective === 'vae' ? { analyticKl: false } : {}) };
  const { out, data, machine, progress } = context;
  return trainThenEvaluate({ experiment: EXPERIMENT, configuration: c, objective }, budget, context, async (trained) => {
    const began = performance.now();
    const testIwae = await testEstimate(trained.model, data.test, budget.iwaeK, budget.seed, `${c.name} test IWAE-${budget.iwaeK}`, progress);
    const logPHat = await testEstimate(trained.model, budget.logPRows === undefined ? data.test : everyNthRow(data.test, budget.logPRows), budget.logPK, budget.seed, `${c.name} log p̂(x) (k=${budget.logPK})`, progress);
    const evalSeconds = (performance.now() - began) / 1000;
    const result: ConfigurationResult = {
      name: c.name, label: labelOf(c), objective: c.objective, k: c.k, ...(c.m === undefined ? {} : { m: c.m }), ...(c.beta === undefined ? {} : { beta: c.beta }), samples: samplesOf(c),
      ...trainingFields(trained, budget, data.train.rows, boundKind(c)),
      testIwae, logPHat, published: publishedFor(c),
      ...runFields(trained, evalSeconds, machine, c.name),
    };
    await writeFile(join(out, c.name, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    progress.log(`${c.name}: test IWAE-${budget.iwaeK} ${testIwae.mean.toFixed(2)} ± ${testIwae.se.toFixed(2)} (${testIwae.rows} rows; published ${result.published.iwae64})  log p̂(x) ${logPHat.mean.toFixed(2)} ± ${logPHat.se.toFixed(2)} (k=${budget.logPK}, ${logPHat.rows} rows; published ${result.published.logPHat})  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evalSeconds.toFixed(0)} s)`);
  });
}
