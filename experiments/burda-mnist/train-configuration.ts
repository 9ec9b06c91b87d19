/**
 * Trains one configuration into its run directory, resumably, with the
 * paper's learning-rate schedule and Adam settings: the shared trainer
 * ../lib/scheduled-training.ts (a checkpoint after every epoch and on a stop,
 * resumed mid-epoch included) with this reproduction's plan.
 */
import type { LoadedDataset } from '../../src/data/index.js';
import { checkPlan as checkPlanOf, trainScheduled, type TrainHooks, type TrainOutcome } from '../lib/scheduled-training.js';
import type { Budget, Configuration } from './budgets.js';
import { BURDA_ADAM, learningRateAt } from './schedule.js';

export type { TrainHooks, TrainOutcome } from '../lib/scheduled-training.js';

/** What a run directory was started with; a re-run with another plan is refused. */
export interface RunPlan {
  readonly configuration: Configuration;
  readonly budget: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly trainRows: number | null;
  readonly testRows: number | null;
  readonly seed: number;
}

export function planOf(configuration: Configuration, budget: Budget): RunPlan {
  return { configuration, budget: budget.name, epochs: budget.epochs, batchSize: budget.batchSize, trainRows: budget.trainRows ?? null, testRows: budget.testRows ?? null, seed: budget.seed };
}

/** Refuses a run directory started with another plan (another budget, say). */
export async function checkPlan(dir: string, plan: RunPlan): Promise<void> {
  await checkPlanOf('burda-mnist', dir, plan);
}

/**
 * Trains `configuration` for the budget's epochs in `dir` (created, or
 * resumed from its checkpoint), a checkpoint after every epoch and on a stop.
 * VAE-k is the mean of the k log-weights with the KL term sampled
 * (`analyticKl: false`), as in the paper's estimator.
 *
 * @param modelPath the configuration's .ppl file
 * @param data mnist:dynamic with `intensities` (the training images are redrawn per epoch)
 * @param dataDir recorded in run.json for `strata eval`
 */
export async function trainConfiguration(configuration: Configuration, budget: Budget, dir: string, modelPath: string, data: LoadedDataset, dataDir: string, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  return trainScheduled({
    experiment: 'burda-mnist', plan: planOf(configuration, budget), objective: configuration.objective, k: configuration.k,
    ...(configuration.objective === 'vae' ? { analyticKl: false } : {}),
    epochs: budget.epochs, batchSize: budget.batchSize, seed: budget.seed, adam: BURDA_ADAM, learningRateAt,
    ...(budget.trainRows === undefined ? {} : { trainRows: budget.trainRows }), ...(budget.testRows === undefined ? {} : { testRows: budget.testRows }),
  }, dir, modelPath, data, dataDir, hooks);
}
