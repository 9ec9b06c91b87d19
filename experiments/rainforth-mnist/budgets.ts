/**
 * What each budget runs: which objectives (with their sample budgets), how
 * many epochs of Burda et al.'s schedule, on how many rows, and how IWAE-64
 * and log p̂(x) are estimated on the test set.
 */
import { BURDA_BATCH, BURDA_EPOCHS, schedulePrefix } from '../burda-mnist/schedule.js';
import type { RainforthObjective } from './published.js';

export type BudgetName = 'tiny' | 'quick' | 'full';
export const BUDGET_NAMES: readonly BudgetName[] = ['tiny', 'quick', 'full'];

/**
 * Adam as seed 002 states it: "the Adam optimizer (with default parameters)",
 * i.e. PyTorch's β1 = 0.9, β2 = 0.999, ε = 1e-8 (Burda et al. used ε = 1e-4).
 */
export const RAINFORTH_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** One configuration; `name` is its run directory (`piwae-m8-k8`). */
export interface Configuration {
  readonly name: string;
  /** Which column of the published table it is. */
  readonly objective: RainforthObjective;
  /** Samples per bound (K; L for PIWAE; the k of IWAE, CIWAE and VAE). */
  readonly k: number;
  /** MIWAE and PIWAE: the number of bounds M. */
  readonly m?: number;
  /** CIWAE: the ELBO's weight β. */
  readonly beta?: number;
}

/** Samples per data point per step: M·K. */
export function samplesOf(c: Configuration): number {
  return (c.m ?? 1) * c.k;
}

/** The table's label (`PIWAE(8,8)`, `CIWAE(β=0.5, k=64)`). */
export function labelOf(c: Configuration): string {
  switch (c.objective) {
    case 'piwae':
    case 'miwae':
      return `${c.objective.toUpperCase()}(${c.m},${c.k})`;
    case 'ciwae':
      return `CIWAE(β=${c.beta}, k=${c.k})`;
    default:
      return `${c.objective.toUpperCase()}(${c.k})`;
  }
}

/**
 * The table's five configurations at a budget of T = M·K samples per data
 * point, split as the paper does: IWAE(T), PIWAE(M, K), MIWAE(M, K),
 * CIWAE(β = 0.5) with T samples, and the VAE as the ELBO averaged over T
 * samples (MIWAE(T, 1) in Rainforth et al.'s terms).
 */
export function configurationsAt(m: number, k: number): Configuration[] {
  const t = m * k;
  return [
    { name: `iwae-k${t}`, objective: 'iwae', k: t },
    { name: `piwae-m${m}-k${k}`, objective: 'piwae', k, m },
    { name: `miwae-m${m}-k${k}`, objective: 'miwae', k, m },
    { name: `ciwae-beta0.5-k${t}`, objective: 'ciwae', k: t, beta: 0.5 },
    { name: `vae-k${t}`, objective: 'vae', k: t },
  ];
}

export interface Budget {
  readonly name: BudgetName;
  readonly configurations: readonly Configuration[];
  /** Epochs: the first `epochs` of Burda et al.'s schedule (3,280 for full). */
  readonly epochs: number;
  readonly batchSize: number;
  /** Training rows: a seeded random subset of MNIST's 60,000, or all (undefined). */
  readonly trainRows?: number;
  /** Test rows IWAE-64 is measured on: a seeded random subset of the 10,000, or all. */
  readonly testRows?: number;
  /** The k of the "IWAE-64" metric (64). */
  readonly iwaeK: number;
  /** The k of log p̂(x) (5000). */
  readonly logPK: number;
  /** Test rows of log p̂(x): every (testRows / logPRows)-th of the IWAE-64 rows, or all of them (undefined). */
  readonly logPRows?: number;
  readonly seed: number;
}

export const BUDGETS: Readonly<Record<BudgetName, Budget>> = {
  tiny: { name: 'tiny', configurations: configurationsAt(2, 2), epochs: 2, batchSize: BURDA_BATCH, trainRows: 100, testRows: 20, iwaeK: 64, logPK: 200, logPRows: 10, seed: 0 },
  quick: { name: 'quick', configurations: configurationsAt(8, 8), epochs: 1, batchSize: BURDA_BATCH, iwaeK: 64, logPK: 5000, logPRows: 500, seed: 0 },
  full: { name: 'full', configurations: configurationsAt(8, 8), epochs: BURDA_EPOCHS, batchSize: BURDA_BATCH, iwaeK: 64, logPK: 5000, seed: 0 },
};

const count = (n: number) => n.toLocaleString('en-US');

/** One line saying what a budget runs, built from its fields (so an `--epochs` override is described as what it is). */
export function describeBudget(b: Budget): string {
  const configs = b.configurations.map(labelOf).join(', ');
  const stages = schedulePrefix(b.epochs).map((s) => `${count(s.epochs)} at ${s.learningRate.toExponential(1)}`).join(', ');
  const epochs = b.epochs === BURDA_EPOCHS ? `Burda et al.'s ${count(BURDA_EPOCHS)} epochs` : `the first ${count(b.epochs)} of Burda et al.'s ${count(BURDA_EPOCHS)} epochs`;
  const train = b.trainRows === undefined ? 'all 60,000 training images' : `a seeded random ${count(b.trainRows)} of the 60,000 training images`;
  const testRows = b.testRows ?? 10000;
  const test = b.testRows === undefined ? 'all 10,000 test images' : `a seeded random ${count(b.testRows)} of the 10,000 test images`;
  const logP = b.logPRows === undefined || b.logPRows >= testRows ? 'the same images' : `1 in ${Math.floor(testRows / b.logPRows)} of them (${count(b.logPRows)} images)`;
  return `${b.name}: ${configs}; ${epochs} (${stages}), batch ${b.batchSize}, Adam ε=${RAINFORTH_ADAM.epsilon.toExponential(0)}, ${train}; IWAE-${b.iwaeK} on ${test}, log p̂(x) with k=${count(b.logPK)} on ${logP}`;
}
