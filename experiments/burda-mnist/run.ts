/**
 * `npm run reproduce -- burda-mnist`: trains and evaluates every
 * configuration of a budget, each in its own run directory under the out
 * directory, skipping finished ones and resuming unfinished ones, then writes
 * results.json and results.md there.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../../src/util/user-error.js';
import { repoRoot } from '../../bench/paths.js';
import { defaultOut as defaultOutOf, runReproduction, selectConfigurations, type Reproduction, type ReproductionOptions } from '../lib/reproduction.js';
import { BUDGETS, describeBudget, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { findMnistDir } from './data.js';
import { evaluateConfiguration } from './evaluate-configuration.js';
import { collectResults, publishedFor, RESULT_FILE, resultsTable, type ConfigurationResult } from './results.js';
import { BURDA_ADAM, BURDA_EPOCHS, schedulePrefix } from './schedule.js';
import { trainConfiguration } from './train-configuration.js';

type RunContext = Parameters<Reproduction<Configuration, Budget, unknown>['runConfiguration']>[1];

export type BurdaMnistOptions = ReproductionOptions<BudgetName>;

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(budget: BudgetName, epochs?: number): string {
  return defaultOutOf('burda-mnist', budget, epochs);
}

/** The budget, with its epochs overridden when asked. */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  if (epochs === undefined) return BUDGETS[name];
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > BURDA_EPOCHS) throw new UserError(`burda-mnist: --epochs must be an integer from 1 to ${BURDA_EPOCHS} (the paper's schedule), but got ${epochs}`);
  return { ...BUDGETS[name], epochs };
}


/** Runs the reproduction; resolves with the results and whether it was stopped. */
export async function runBurdaMnist(options: BurdaMnistOptions): Promise<{ out: string; interrupted: boolean; results: Awaited<ReturnType<typeof collectResults>> }> {
  const budget = budgetFor(options.budget, options.epochs);
  const configurations = selectConfigurations('burda-mnist', budget, options.only);
  const dataDir = findMnistDir(options.dataDir);
  const out = resolve(options.out ?? defaultOut(budget.name, options.epochs));
  return runReproduction(
    { experiment: 'burda-mnist', budget, describeBudget, runConfiguration: (c, context) => runConfiguration(c, budget, context), collectResults, resultsTable },
    configurations,
    dataDir,
    out,
    options,
  );
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, { out, dataDir, data, machine, progress, shouldStop }: RunContext): Promise<boolean> {
  const dir = join(out, c.name);
  const modelPath = join(repoRoot(), 'experiments', 'burda-mnist', c.arch === '1layer' ? 'one-layer.ppl' : 'two-layer.ppl');
  const trained = await trainConfiguration(c, budget, dir, modelPath, data, dataDir, {
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
    progress.phase(`${c.name} test NLL (k=${budget.evalK})`, data.test.rows);
    const evaluation = await evaluateConfiguration(model, data.test, { k: budget.evalK, ofRows: 10000, activeSamples: budget.activeSamples, seed: budget.seed, onProgress: (done, status) => progress.update(done, status) });
    const adam = model.optimizer?.getConfig() as { beta1?: number; beta2?: number; epsilon?: number } | undefined;
    const result: ConfigurationResult = {
      name: c.name, arch: c.arch, objective: c.objective, k: c.k, status: 'done', budget: budget.name, epochs: trained.epochsDone, schedule: schedulePrefix(trained.epochsDone), batchSize: budget.batchSize,
      adam: { beta1: adam?.beta1 ?? BURDA_ADAM.beta1, beta2: adam?.beta2 ?? BURDA_ADAM.beta2, epsilon: adam?.epsilon ?? NaN },
      trainRows: data.train.rows,
      trainBound: { value: trained.lastEpoch?.bound ?? NaN, kind: c.objective === 'vae' ? `ELBO (mean over k=${c.k} samples)` : `IWAE bound (k=${c.k})`, epoch: trained.lastEpoch?.epoch ?? 0 },
      ...evaluation,
      wallSeconds: { train: trained.trainSeconds, eval: evaluation.evalSeconds },
      machine: { ...machine, loadAverageEnd: os.loadavg()[0]! }, published: publishedFor(c), runDir: c.name,
    };
    await writeFile(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    const au = Object.entries(evaluation.activeUnits).map(([l, a]) => `${l} ${a.active}/${a.units}`).join(', ');
    progress.log(`${c.name}: test NLL ${evaluation.testNll.mean.toFixed(2)} ± ${evaluation.testNll.se.toFixed(2)} (k=${budget.evalK}, ${data.test.rows} rows; published ${result.published.testNll})  active units ${au}  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evaluation.evalSeconds.toFixed(0)} s)`);
    return false;
  } finally {
    model.dispose();
  }
}
