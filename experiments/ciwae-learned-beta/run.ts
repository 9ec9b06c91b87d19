/**
 * `npm run reproduce -- ciwae-learned-beta`: seed 002's learnable-β
 * experiment (sec. 4.3, Figure 4). CIWAE is trained with each β of the grid
 * fixed, then with β learned from each (β = σ(b), seed 002 sec. 3.7), each
 * configuration in its own run directory, skipping finished ones and
 * resuming unfinished ones, and results.json and results.md are written
 * with the spread of the test IWAE-64 across β in each group. The protocol
 * (model, Adam, schedule, training, the test estimate) is rainforth-mnist's.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochRecord, StrataModel } from '../../src/index.js';
import { RESULT_FILE, type ReproductionOptions } from '../lib/reproduction.js';
import { budgetWithEpochs, runFields, runSeed002Reproduction, testEstimate, trainingFields, trainThenEvaluate, type RunContext } from '../rainforth-mnist/run.js';
import { BUDGETS, describeBudget, labelOf, type Budget, type BudgetName, type Configuration } from './budgets.js';
import { collectResults, resultsTable, type ConfigurationResult, type LearnedBetaRecord, type Results } from './results.js';

const EXPERIMENT = 'ciwae-learned-beta';

export type CiwaeLearnedBetaOptions = ReproductionOptions<BudgetName>;

/** The budget, with its epochs overridden when asked (`--epochs N`, 1..3280). */
export function budgetFor(name: BudgetName, epochs?: number): Budget {
  return budgetWithEpochs(EXPERIMENT, BUDGETS[name], epochs);
}

/** Runs the reproduction into `options.out` (default experiments/ciwae-learned-beta/runs/BUDGET); resolves with the results and whether it was stopped. */
export async function runCiwaeLearnedBeta(options: CiwaeLearnedBetaOptions): Promise<{ out: string; interrupted: boolean; results: Results }> {
  return runSeed002Reproduction({ experiment: EXPERIMENT, budget: budgetFor(options.budget, options.epochs), describeBudget, runConfiguration, collectResults, resultsTable }, options);
}

/** The objective's options: `beta: b`, or `beta: 'learn'` from `betaInit: b`. */
function objectiveOf(c: Configuration) {
  return c.group === 'fixed' ? { objective: 'ciwae' as const, k: c.k, beta: c.beta } : { objective: 'ciwae' as const, k: c.k, beta: 'learn' as const, betaInit: c.beta };
}

/**
 * The learned β of a finished run: its final value on the model, and its
 * value at the end of every epoch from metrics.jsonl (exact across resumes:
 * each record is written at its epoch's end from the checkpointed state).
 * @throws Error when the model has no learned β or an epoch lacks one (a bug, not a user error)
 */
async function learnedBetaOf(model: StrataModel, dir: string, epochs: number): Promise<LearnedBetaRecord> {
  const learned = model.learnedBeta;
  const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const perEpoch = lines.map((l) => (JSON.parse(l) as EpochRecord).learned?.beta);
  if (!learned || perEpoch.length !== epochs || perEpoch.some((b) => b === undefined)) {
    throw new Error(`${EXPERIMENT}: ${dir}: expected a learned beta on the model and in each of ${epochs} epochs of metrics.jsonl, found ${learned ? 'one on the model' : 'none on the model'} and ${JSON.stringify(perEpoch)}`);
  }
  return { final: learned.value, perEpoch: perEpoch as number[], updates: learned.steps };
}

/** Trains (or resumes) and evaluates one configuration; true when stopped before finishing. */
async function runConfiguration(c: Configuration, budget: Budget, context: RunContext): Promise<boolean> {
  const { out, data, machine, progress } = context;
  const dir = join(out, c.name);
  return trainThenEvaluate({ experiment: EXPERIMENT, configuration: c, objective: objectiveOf(c) }, budget, context, async (trained) => {
    if (c.group === 'fixed' && trained.model.learnedBeta) throw new Error(`${EXPERIMENT}: ${dir}: a fixed-β run has a learned β`);
    const learnedBeta = c.group === 'learned' ? await learnedBetaOf(trained.model, dir, trained.epochsDone) : undefined;
    const began = performance.now();
    const testIwae = await testEstimate(trained.model, data.test, budget.iwaeK, budget.seed, `${c.name} test IWAE-${budget.iwaeK}`, progress);
    const evalSeconds = (performance.now() - began) / 1000;
    const kind = c.group === 'fixed' ? `CIWAE bound (β=${c.beta}, k=${c.k})` : `CIWAE bound (learned β, k=${c.k})`;
    const result: ConfigurationResult = {
      name: c.name, label: labelOf(c), group: c.group, k: c.k, ...(learnedBeta ? { betaInit: c.beta, learnedBeta } : { beta: c.beta }),
      ...trainingFields(trained, budget, data.train.rows, kind),
      testIwae,
      ...runFields(trained, evalSeconds, machine, c.name),
    };
    await writeFile(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    const beta = learnedBeta ? `β ${c.beta} → ${learnedBeta.final.toFixed(4)}` : `β ${c.beta} (fixed)`;
    progress.log(`${c.name}: ${beta}  test IWAE-${budget.iwaeK} ${testIwae.mean.toFixed(2)} ± ${testIwae.se.toFixed(2)} (${testIwae.rows} rows)  (train ${(trained.trainSeconds / 60).toFixed(1)} min, eval ${evalSeconds.toFixed(0)} s)`);
  });
}
