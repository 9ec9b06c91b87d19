/**
 * What each budget runs: CIWAE at each β of a grid with β fixed, then the
 * same grid as the initial values of a learned β (seed 002 sec. 4.3), on
 * how many epochs of Burda et al.'s schedule and rows, and where IWAE-64 is
 * measured. Seed 002 does not give its grid; the one chosen here is stated
 * in the README.
 */
import { BURDA_BATCH, BURDA_EPOCHS, schedulePrefix } from '../burda-mnist/schedule.js';
import { RAINFORTH_ADAM } from '../rainforth-mnist/budgets.js';

export type BudgetName = 'tiny' | 'quick' | 'full';

/** The two arms of Figure 4. */
export type BetaGroup = 'fixed' | 'learned';
export const BETA_GROUPS: readonly BetaGroup[] = ['fixed', 'learned'];

/** One configuration; `name` is its run directory (`ciwae-beta0.3-k64`, `ciwae-learn-from0.3-k64`). */
export interface Configuration {
  readonly name: string;
  readonly group: BetaGroup;
  /** β itself (`fixed`), or its initial value (`learned`), in (0, 1). */
  readonly beta: number;
  /** Samples per data point per step. */
  readonly k: number;
}

/** The table's label (`CIWAE(β=0.3, k=64)`, `CIWAE(β learned from 0.3, k=64)`). */
export function labelOf(c: Configuration): string {
  return c.group === 'fixed' ? `CIWAE(β=${c.beta}, k=${c.k})` : `CIWAE(β learned from ${c.beta}, k=${c.k})`;
}

/** Every β of the grid fixed, then every β as a learned β's start, all with k samples. */
export function configurationsFor(betas: readonly number[], k: number): Configuration[] {
  return BETA_GROUPS.flatMap((group) => betas.map((beta) => ({ name: group === 'fixed' ? `ciwae-beta${beta}-k${k}` : `ciwae-learn-from${beta}-k${k}`, group, beta, k })));
}

export interface Budget {
  readonly name: BudgetName;
  /** The β grid: the fixed values, and the learned β's initial values. */
  readonly betas: readonly number[];
  readonly k: number;
  readonly configurations: readonly Configuration[];
  /** Epochs: the first `epochs` of Burda et al.'s schedule (3,280 for full). */
  readonly epochs: number;
  readonly batchSize: number;
  /** Training rows: a seeded random subset of MNIST's 60,000, or all (undefined). */
  readonly trainRows?: number;
  /** Test rows IWAE-64 is measured on: a seeded random subset of the 10,000, or all (undefined). */
  readonly testRows?: number;
  /** The k of the "IWAE-64" metric (64). */
  readonly iwaeK: number;
  readonly seed: number;
}

function budget(name: BudgetName, betas: readonly number[], k: number, rest: Omit<Budget, 'name' | 'betas' | 'k' | 'configurations' | 'batchSize' | 'iwaeK' | 'seed'>): Budget {
  return { name, betas, k, configurations: configurationsFor(betas, k), batchSize: BURDA_BATCH, iwaeK: 64, seed: 0, ...rest };
}

/** The β grids: five evenly spread inside (0, 1) for full, every other one of them for quick, two for the test. */
export const BETA_GRIDS: Readonly<Record<BudgetName, readonly number[]>> = {
  tiny: [0.3, 0.7],
  quick: [0.1, 0.5, 0.9],
  full: [0.1, 0.3, 0.5, 0.7, 0.9],
};

export const BUDGETS: Readonly<Record<BudgetName, Budget>> = {
  tiny: budget('tiny', BETA_GRIDS.tiny, 4, { epochs: 2, trainRows: 100, testRows: 20 }),
  quick: budget('quick', BETA_GRIDS.quick, 64, { epochs: 1 }),
  full: budget('full', BETA_GRIDS.full, 64, { epochs: BURDA_EPOCHS }),
};

const count = (n: number) => n.toLocaleString('en-US');

/** One line saying what a budget runs, built from its fields (so an `--epochs` override is described as what it is). */
export function describeBudget(b: Budget): string {
  const stages = schedulePrefix(b.epochs).map((s) => `${count(s.epochs)} at ${s.learningRate.toExponential(1)}`).join(', ');
  const epochs = b.epochs === BURDA_EPOCHS ? `Burda et al.'s ${count(BURDA_EPOCHS)} epochs` : `the first ${count(b.epochs)} of Burda et al.'s ${count(BURDA_EPOCHS)} epochs`;
  const train = b.trainRows === undefined ? 'all 60,000 training images' : `a seeded random ${count(b.trainRows)} of the 60,000 training images`;
  const test = b.testRows === undefined ? 'all 10,000 test images' : `a seeded random ${count(b.testRows)} of the 10,000 test images`;
  return `${b.name}: CIWAE (k=${b.k}) with β fixed at ${b.betas.join(', ')} and with β learned from each of them; ${epochs} (${stages}), batch ${b.batchSize}, Adam ε=${RAINFORTH_ADAM.epsilon.toExponential(0)}, ${train}; IWAE-${b.iwaeK} on ${test}`;
}
