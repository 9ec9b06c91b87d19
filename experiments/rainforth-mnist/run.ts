/**
 * `npm run reproduce -- rainforth-mnist`: trains and evaluates every
 * configuration of a budget, each in its own run directory under the out
 * directory, skipping finished ones and resuming unfinished ones, then writes
 * results.json and results.md there. Data, training, the test bounds and the
 * progress display are shared with burda-mnist (../lib/).
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
import { defaultOut as defaultOutOf, runReproduction, selectConfigurations, type Reproduction, type ReproductionOptions } from '../lib/reproduction.js';
import { trainScheduled } from '../lib/scheduled-training.js';
import { meanBound } from '../lib/test-bound.js';
import { BUDGETS, describeBudget, labelOf, RAINFORTH_ADAM, samplesOf, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { collectResults, publishedFor, RESULT_FILE, resultsTable, type ConfigurationResult, type Results, type TestEstimate } from './results.js';

const EXPERIMENT = 'rainforth-mnist';

type RunContext = Parameters<Reproduction<Configuration, Budget, unknown>['runConfiguration']>[1];

export type RainforthMnistOptions = ReproductionOptions<BudgetName>;

/** The model: Burda et al.'s one-stochastic-layer MNIST model, the file burda-mnist trains (seed 002 uses the same). */
export const MODEL_PATH = (): string => join(repoRoot(), 'experiments', 'burda-mnist', 'one-layer.ppl');

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(budget: BudgetName, epochs?: number): string {
  return defaultOutOf(EXPERIMENT, budget, epochs);
}

/** The budget, with its epochs overridden when asked. */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  if (epochs === undefined) return BUDGETS[name];
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > BURDA_EPOCHS) throw new UserError(`${EXPERIMENT}: --epochs must be an integer from 1 to ${BURDA_EPOCHS} (the paper's schedule), but got ${epochs}`);
  return { ...BUDGETS[name], epochs };
}


/** What a run directory was started with; a re-run with another plan is refused. */
export function planOf(c: Configuration, budget: Budget) {
  return { configuration: c, budget: budget.name, epochs: budget.epochs, batchSize: budget.batchSize, trainRows: budget.trainRows ?? null, testRows: budget.testRows ?? null, adam: RAINFORTH_ADAM, seed: budget.seed };
}

/** Runs the reproduction; resolves with the results and whether it was stopped. */
export async function runRainforthMnist(options: RainforthMnistOptions): Promise<{ out: string; interrupted: boolean; results: Results }> {
  const budget = budgetFor(options.budget, options.epochs);
  const configurations = selectConfigurations(EXPERIMENT, budget, options.only);
  const dataDir = findMnistDirFor(EXPERIMENT, options.dataDir);
  const out = resolve(options.out ?? defaultOut(budget.name, options.epochs));
  return runReproduction(
    { experiment: EXPERIMENT, budget, describeBudget, runConfiguration: (c, context) => runConfiguration(c, budget, context), collectResults, resultsTable },
    configurations,
    dataDir,
    out,
    options,
  );
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

async function testEstimate(model: StrataModel, rows: Matrix, k: number, seed: number, label: string, progress: ReproduceProgress): Promise<TestEstimate> {
  progress.phase(label, rows.rows);
  const b = await meanBound(model, rows, { k, seed, onProgress: (done, m) => progress.update(done, `bound ${m.toFixed(2)}`) });
  return { ...b, ofRows: 10000, seed };
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, { out, dataDir, data, machine, progress, shouldStop }: RunContext): Promise<boolean> {
  const dir = join(out, c.name);
  const trained = await trainScheduled({
    experiment: EXPERIMENT, plan: planOf(c, budget), objective: c.objective, k: c.k,
    ...(c.m === undefined ? {} : { m: c.m }), ...(c.beta === undefined ? {} : { beta: c.beta }), ...(c.objective === 'vae' ? { analyticKl: false } : {}),
    epochs: budget.epochs, batchSize: budget.batchSize, seed: budget.seed, adam: RAINFORTH_ADAM, learningRateAt,
    ...(budget.trainRows === undefined ? {} : { trainRows: budget.trainRows }), ...(budget.testRows === undefined ? {} : { testRows: budget.testRows }),
  }, dir, MODEL_PATH(), data, dataDir, {
    onEpochStart: (epoch, epochs, steps, done) => progress.phase(`${c.name} epoch ${epoch + 1}/${epochs}`, steps, done),
    onStep: (step, bound) => progress.update(step, `bound ${bound.toFixed(2)}`),
    onEpoch: (r, lr) => progress.log(`${c.name}: epoch ${r.epoch}/${budget.epochs}  lr ${lr.toExponential(2)}  train bound ${r.bound.toFixed(2)}  (${r.seconds.toFixed(0)} s)`),
    ...(shouldStop ? { shouldStop } : {}),
  });
  const { model } = trained;
  try {
    if (trained.interrupted) {
      progress.log(`${c.name}: stopped at epoch ${model.position.epoch}, step ${model.position.step}; checkpoint in ${dir} (run the same command again to resume)`);
      return true;
    }
    const began = performance.now();
    const testIwae = await testEstimate(model, data.test, budget.iwaeK, budget.seed, `${c.name} test IWAE-${budget.iwaeK}`, progress);
    const logPHat = await testEstimate(model, budget.logPRows === undefined ? data.test : everyNthRow(data.test, budget.logPRows), budget.logPK, budget.seed, `${c.name} log p̂(x) (k=${budget.logPK})`, progress);
    const evalSeconds = (performance.now() - began) / 1000;
    const adam = (model.groupOptimizers?.model ?? model.optimizer)?.getConfig() as { beta1?: number; beta2?: number; epsilon?: number } | undefined;
    const result: ConfigurationResult = {
      name: c.name, label: labelOf(c), objective: c.objective, k: c.k, ...(c.m === undefined ? {} : { m: c.m }), ...(c.beta === undefined ? {} : { beta: c.beta }), samples: samplesOf(c),
      status: 'done', budget: budget.name, epochs: trained.epochsDone, schedule: schedulePrefix(trained.epochsDone), batchSize: budget.batchSize,
      adam: { beta1: adam?.beta1 ?? RAINFORTH_ADAM.beta1, beta2: adam?.beta2 ?? RAINFORTH_ADAM.beta2, epsilon: adam?.epsilon ?? NaN },
      trainRows: data.train.rows,
      trainBound: { value: trained.lastEpoch?.bound ?? NaN, kind: boundKind(c), epoch: trained.lastEpoch?.epoch ?? 0 },
      testIwae, logPHat,
      wallSeconds: { train: trained.trainSeconds, eval: evalSeconds },
      machine: { ...machine, loadAverageEnd: os.loadavg()[0]! }, published: publishedFor(c), runDir: c.name,
    };
    await writeFile(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    progress.log(`${c.name}: test IWAE-${budget.iwaeK} ${testIwae.mean.toFixed(2)} ± ${testIwae.se.toFixed(2)} (${testIwae.rows} rows; published ${result.published.iwae64})  log p̂(x) ${logPHat.mean.toFixed(2)} ± ${logPHat.se.toFixed(2)} (k=${budget.logPK}, ${logPHat.rows} rows; published ${result.published.logPHat})  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evalSeconds.toFixed(0)} s)`);
    return false;
  } finally {
    model.dispose();
  }
}
