/**
 * `npm run reproduce -- thesis-ch5`: trains TDVAE and TD-IWAE on whitened
 * natural-image patches and runs chapter 5's analyses on each, every
 * configuration in its own run directory under the out directory (finished
 * ones skipped, unfinished ones resumed), then writes results.json and
 * results.md there.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { loadDataset, type LoadedDataset } from '../../src/data/index.js';
import { NATURAL_FILES } from '../../src/data/natural.js';
import { TEXTURE_FILES } from '../../src/data/textures.js';
import { UserError } from '../../src/util/user-error.js';
import { repoRoot } from '../../bench/paths.js';
import { findDataFilesFor } from '../lib/data-files.js';
import { defaultOut as defaultOutOf, runReproduction, selectConfigurations, type Reproduction, type ReproductionOptions } from '../lib/reproduction.js';
import { BUDGETS, describeBudget, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { evaluateConfiguration } from './evaluate-configuration.js';
import { collectResults, publishedFor, RESULT_FILE, resultsTable, type ConfigurationResult, type Results } from './results.js';
import { modelFileFor, trainConfiguration } from './train-configuration.js';

type RunContext = Parameters<Reproduction<Configuration, Budget, unknown>['runConfiguration']>[1];

export type ThesisCh5Options = ReproductionOptions<BudgetName>;

/** The files the reproduction reads, relative to the data directory (with their JSON headers). */
export const THESIS_CH5_PATHS: readonly string[] = [NATURAL_FILES.olshausen.path, TEXTURE_FILES.brodatz].flatMap((p) => [p, `${p}.json`]);

/** The default out directory of a budget (with its epochs when overridden). */
export function defaultOut(budget: BudgetName, epochs?: number): string {
  return defaultOutOf('thesis-ch5', budget, epochs);
}

/** The budget, with its epochs overridden when asked (the β ramp keeps its length, capped at the epochs). */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  if (epochs === undefined) return BUDGETS[name];
  if (!Number.isInteger(epochs) || epochs < 1) throw new UserError(`thesis-ch5: --epochs must be a positive integer, but got ${epochs}`);
  const b = BUDGETS[name];
  return { ...b, epochs, anneal: { ...b.anneal, epochs: Math.min(b.anneal.epochs, epochs) }, departures: [...b.departures, `--epochs ${epochs} instead of the budget's ${b.epochs}`] };
}

/** The natural patches every configuration trains on (runTraining loads its own copy by the same spec). */
function loadNatural(dataDir: string, budget: Budget): Promise<LoadedDataset> {
  return loadDataset(`natural:${budget.source}`, { seed: budget.seed, dataDir, train: budget.trainPatches, test: budget.testPatches });
}

/** Runs the reproduction; resolves with the results and whether it was stopped. */
export async function runThesisCh5(options: ThesisCh5Options): Promise<{ out: string; interrupted: boolean; results: Results }> {
  const budget = budgetFor(options.budget, options.epochs);
  const configurations = selectConfigurations('thesis-ch5', budget, options.only);
  const dataDir = findDataFilesFor('thesis-ch5', THESIS_CH5_PATHS, options.dataDir);
  const out = resolve(options.out ?? defaultOut(budget.name, options.epochs));
  return runReproduction(
    { experiment: 'thesis-ch5', budget, describeBudget, loadData: loadNatural, runConfiguration: (c, context) => runConfiguration(c, budget, options.backend, context), collectResults, resultsTable },
    configurations,
    dataDir,
    out,
    options,
  );
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, backend: string | undefined, { out, dataDir, data, machine, progress, shouldStop }: RunContext): Promise<boolean> {
  const dir = join(out, c.name);
  const modelPath = await modelFileFor(budget, join(repoRoot(), 'experiments', 'thesis-ch5', 'tdvae.ppl'), out);
  progress.log(`${c.name}: ${data.description}`);
  const trained = await trainConfiguration(c, budget, dir, modelPath, dataDir, backend ?? machine.backend, {
    onStart: (epoch, epochs, steps) => progress.phase(`${c.name} epoch ${epoch + 1}/${epochs}`, steps),
    onStep: (step, bound) => progress.update(step, `bound ${bound.toFixed(1)}`),
    onEpoch: (r) => {
      progress.log(`${c.name}: epoch ${r.epoch}/${budget.epochs}  train bound ${r.bound.toFixed(2)}  (${r.seconds.toFixed(0)} s)`);
      if (r.epoch < budget.epochs) progress.phase(`${c.name} epoch ${r.epoch + 1}/${budget.epochs}`, Math.ceil(budget.trainPatches / budget.batchSize));
    },
    ...(shouldStop ? { shouldStop } : {}),
  });
  if (trained.interrupted) {
    progress.log(`${c.name}: stopped at epoch ${trained.epochsDone}; checkpoint in ${dir} (run the same command again to resume)`);
    return true;
  }
  progress.log(`${c.name}: analyses (test bound k=${budget.analysis.evalK}, fields, SIR correlations n=${budget.analysis.sirN} on ${budget.analysis.patches} patches, texture decoding)`);
  let stageNow = '';
  const evaluation = await evaluateConfiguration(dir, c.name, budget, dataDir, backend ?? machine.backend, ({ stage, done, total }) => {
    if (stage !== stageNow) progress.phase(`${c.name} ${stage}`, total ?? 1);
    stageNow = stage;
    if (done !== undefined) progress.update(done);
  });
  const result: ConfigurationResult = {
    name: c.name, objective: c.objective, k: c.k, status: 'done', budget: budget.name, epochs: trained.epochsDone, steps: trained.epochsDone * Math.ceil(budget.trainPatches / budget.batchSize),
    batchSize: budget.batchSize, learningRate: budget.learningRate, clipNorm: budget.clipNorm, anneal: budget.anneal, model: budget.model, trainPatches: budget.trainPatches,
    trainBound: { value: trained.lastEpoch?.bound ?? NaN, kind: c.objective === 'vae' ? 'ELBO (β-weighted z2 terms while annealing)' : `TD-IWAE bound (k=${c.k}, β-weighted z2 terms while annealing)`, epoch: trained.lastEpoch?.epoch ?? 0 },
    ...evaluation,
    wallSeconds: { train: trained.trainSeconds, eval: evaluation.evalSeconds },
    machine: { ...machine, loadAverageEnd: os.loadavg()[0]! }, published: publishedFor(c), runDir: c.name,
  };
  await writeFile(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  const fields = evaluation.projectiveFields;
  const dec = evaluation.textureDecoding;
  progress.log(`${c.name}: test bound ${evaluation.testBound['natural']?.mean.toFixed(1)}  localized ${fields ? `${fields.localized}/${fields.active}` : '—'} (thesis ${result.published.localizedFields}/${result.published.activeZ1})  texture z2 ${dec?.latents['z2']?.mean.toFixed(3) ?? '—'} (thesis ${result.published.z2Accuracy})  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evaluation.evalSeconds.toFixed(0)} s)`);
  return false;
}
