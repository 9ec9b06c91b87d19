/**
 * What each budget runs: which configurations (architecture × objective × k),
 * how many epochs of the paper's schedule, on how many rows, and how the test
 * NLL and the active units are estimated.
 */
import { BURDA_ADAM, BURDA_BATCH, BURDA_EPOCHS, schedulePrefix } from './schedule.js';
import type { Arch, BurdaK, BurdaObjective } from './published.js';

export type BudgetName = 'tiny' | 'quick' | 'full';
export const BUDGET_NAMES: readonly BudgetName[] = ['tiny', 'quick', 'full'];

/** One configuration; `name` is its run directory (`1layer-iwae-k50`). */
export interface Configuration {
  readonly name: string;
  readonly arch: Arch;
  readonly objective: BurdaObjective;
  readonly k: BurdaK;
}

export interface Budget {
  readonly name: BudgetName;
  readonly configurations: readonly Configuration[];
  /** Epochs: the first `epochs` of the paper's schedule (3,280 for full). */
  readonly epochs: number;
  readonly batchSize: number;
  /** Training rows: a seeded random subset of MNIST's 60,000, or all (undefined). */
  readonly trainRows?: number;
  /** Test rows the NLL and active units are measured on: a seeded random subset of the 10,000, or all. */
  readonly testRows?: number;
  /** Importance samples of the test NLL estimate (5000 in the paper). */
  readonly evalK: number;
  /** Guide draws per row for E_q[u | x] in the active-units statistic. */
  readonly activeSamples: number;
  readonly seed: number;
}

/** The configuration named `${arch}-${objective}-k${k}`. */
export function configuration(arch: Arch, objective: BurdaObjective, k: BurdaK): Configuration {
  return { name: `${arch}-${objective}-k${k}`, arch, objective, k };
}

/**
 * The configurations of one architecture. IWAE at k = 1 is the VAE at k = 1
 * (the same objective, as the paper notes and reports one number for both):
 * it is not trained twice; results.json reports it from the VAE run.
 */
function configurationsOf(arch: Arch, ks: readonly BurdaK[]): Configuration[] {
  return [...ks.map((k) => configuration(arch, 'vae', k)), ...ks.filter((k) => k > 1).map((k) => configuration(arch, 'iwae', k))];
}

export const BUDGETS: Readonly<Record<BudgetName, Budget>> = {
  tiny: {
    name: 'tiny',
    configurations: [configuration('1layer', 'vae', 1), configuration('1layer', 'iwae', 5)],
    epochs: 2,
    batchSize: BURDA_BATCH,
    trainRows: 200,
    testRows: 40,
    evalK: 50,
    activeSamples: 10,
    seed: 0,
  },
  quick: {
    name: 'quick',
    configurations: configurationsOf('1layer', [1, 5, 50]),
    epochs: 2,
    batchSize: BURDA_BATCH,
    testRows: 1000,
    evalK: 5000,
    activeSamples: 100,
    seed: 0,
  },
  full: {
    name: 'full',
    configurations: [...configurationsOf('1layer', [1, 5, 50]), ...configurationsOf('2layer', [1, 5, 50])],
    epochs: BURDA_EPOCHS,
    batchSize: BURDA_BATCH,
    evalK: 5000,
    activeSamples: 100,
    seed: 0,
  },
};

const count = (n: number) => n.toLocaleString('en-US');

/**
 * One line saying what a budget runs, built from its fields (so an
 * `--epochs` override is described as what it is).
 *
 * @example describeBudget(BUDGETS.tiny) // 'tiny: 1layer VAE k=1, IWAE k=5; the first 2 of the paper's 3,280 epochs (...)...'
 */
export function describeBudget(b: Budget): string {
  const byArch = new Map<string, string[]>();
  for (const c of b.configurations) byArch.set(c.arch, [...(byArch.get(c.arch) ?? []), `${c.objective.toUpperCase()} k=${c.k}`]);
  const configs = [...byArch].map(([arch, cs]) => `${arch.replace('layer', '-layer')} ${cs.join(', ')}`).join('; ');
  const stages = schedulePrefix(b.epochs).map((s) => `${count(s.epochs)} at ${s.learningRate.toExponential(1)}`).join(', ');
  const epochs = b.epochs === BURDA_EPOCHS ? `the paper's ${count(BURDA_EPOCHS)} epochs` : `the first ${count(b.epochs)} of the paper's ${count(BURDA_EPOCHS)} epochs`;
  const train = b.trainRows === undefined ? 'all 60,000 training images' : `a seeded random ${count(b.trainRows)} of the 60,000 training images`;
  const test = b.testRows === undefined ? 'all 10,000 test images' : `a seeded random ${count(b.testRows)} of the 10,000 test images`;
  return `${b.name}: ${configs} (IWAE k=1 = VAE k=1); ${epochs} (${stages}), batch ${b.batchSize}, Adam ε=${BURDA_ADAM.epsilon.toExponential(0)}, ${train}; test NLL with k=${b.evalK} on ${test}`;
}
