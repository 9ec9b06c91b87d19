/**
 * What each budget runs: which models (TDVAE, TD-IWAE at k), on how many
 * whitened natural-image patches, for how many epochs with which optimizer
 * settings, and at which sizes the analyses of chapter 5 are run.
 */
import type { ThesisModel } from './published.js';

export type BudgetName = 'tiny' | 'quick' | 'full';
export const BUDGET_NAMES: readonly BudgetName[] = ['tiny', 'quick', 'full'];

/** One configuration; `name` is its run directory and the thesis's model name. */
export interface Configuration {
  readonly name: ThesisModel;
  /** TDVAE is trained with the ELBO ('vae'), TD-IWAE with 'tdiwae'. */
  readonly objective: 'vae' | 'tdiwae';
  readonly k: number;
}

/** Sizes of models/tdvae.ppl's constants; the thesis's are Z1 = 450, Z2 = 20 (sec. 5.1), hidden width 512. */
export interface ModelSize {
  readonly z1: number;
  readonly z2: number;
  readonly hidden: number;
}

/** The analyses' sizes (src/report's options of the same names). */
export interface AnalysisSizes {
  /** Natural test patches and texture test patches analysed. */
  readonly count: number;
  /** Texture training patches the regressions are fit on. */
  readonly textureTrain: number;
  /** k of the test bound. */
  readonly evalK: number;
  /** SIR draws per patch (1000 in the thesis) and how many highest-contrast patches (1000 / 500 in the thesis). */
  readonly sirN: number;
  readonly patches: number;
  /** Logistic-regression fits per feature set (5 in the thesis). */
  readonly repeats: number;
}

export interface Budget {
  readonly name: BudgetName;
  readonly configurations: readonly Configuration[];
  readonly model: ModelSize;
  /** The natural-image source of src/data/natural.ts. */
  readonly source: 'olshausen';
  readonly trainPatches: number;
  readonly testPatches: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Global gradient-norm clip (the thesis clips but gives no value). */
  readonly clipNorm: number;
  /** β of z2's terms rises linearly from `from` to 1 over `epochs` epochs (sec. 5.2). */
  readonly anneal: { readonly from: number; readonly epochs: number };
  readonly analysis: AnalysisSizes;
  readonly seed: number;
  /** Why this budget departs from the thesis's recipe, for the record. */
  readonly departures: readonly string[];
}

/** The configuration of a thesis model. */
export function configuration(name: ThesisModel): Configuration {
  return name === 'tdvae' ? { name, objective: 'vae', k: 1 } : { name, objective: 'tdiwae', k: Number(name.slice('tdiwae-k'.length)) };
}

/** The thesis's recipe (sec. 5.1-5.2). */
export const THESIS_RECIPE = { epochs: 5000, batchSize: 400, learningRate: 1e-4, anneal: { from: 0.1, epochs: 2500 }, trainPatches: 640000, testPatches: 64000 } as const;

const FULL_MODEL: ModelSize = { z1: 450, z2: 20, hidden: 512 };

export const BUDGETS: Readonly<Record<BudgetName, Budget>> = {
  tiny: {
    name: 'tiny',
    configurations: [configuration('tdvae'), configuration('tdiwae-k4')],
    model: { z1: 24, z2: 4, hidden: 16 },
    source: 'olshausen',
    trainPatches: 300,
    testPatches: 100,
    epochs: 2,
    batchSize: 100,
    learningRate: 3e-3,
    clipNorm: 100,
    anneal: { from: 0.1, epochs: 1 },
    analysis: { count: 100, textureTrain: 150, evalK: 4, sirN: 50, patches: 2, repeats: 1 },
    seed: 0,
    departures: ['a model with z1 = 24, z2 = 4, hidden width 16', '300 patches, 2 epochs, batch 100, learning rate 3e-3: a test of the plumbing, not of the thesis'],
  },
  quick: {
    name: 'quick',
    configurations: [configuration('tdvae'), configuration('tdiwae-k4')],
    model: FULL_MODEL,
    source: 'olshausen',
    trainPatches: 40000,
    testPatches: 4000,
    epochs: 12,
    batchSize: THESIS_RECIPE.batchSize,
    learningRate: 1e-3,
    clipNorm: 100,
    anneal: { from: 0.1, epochs: 6 },
    analysis: { count: 1000, textureTrain: 2500, evalK: 20, sirN: 1000, patches: 20, repeats: 5 },
    seed: 0,
    departures: [
      'TDVAE and TD-IWAE k = 4 only (the thesis also trains k = 1, 10, 50)',
      '12 epochs of 40,000 patches (1,200 steps) instead of 5,000 epochs of 640,000 (8 million steps)',
      'learning rate 1e-3 instead of 1e-4, so that 1,200 steps get somewhere (the demo\'s setting)',
      'β of z2 ramped over the first half of training (6 epochs), as the thesis ramps over 2,500 of 5,000',
      'analyses on 1,000 test patches, 20 highest-contrast patches for the correlations',
    ],
  },
  full: {
    name: 'full',
    configurations: (['tdvae', 'tdiwae-k1', 'tdiwae-k4', 'tdiwae-k10', 'tdiwae-k50'] as const).map(configuration),
    model: FULL_MODEL,
    source: 'olshausen',
    trainPatches: THESIS_RECIPE.trainPatches,
    testPatches: THESIS_RECIPE.testPatches,
    epochs: THESIS_RECIPE.epochs,
    batchSize: THESIS_RECIPE.batchSize,
    learningRate: THESIS_RECIPE.learningRate,
    clipNorm: 100,
    anneal: THESIS_RECIPE.anneal,
    analysis: { count: 5000, textureTrain: 20000, evalK: 100, sirN: 1000, patches: 500, repeats: 5 },
    seed: 0,
    departures: [
      'Olshausen\'s 10 whitened images instead of the van Hateren patches of Csikor et al. (not available; ../shared/data/README.md sec. 1)',
      'Brodatz stand-ins for the thesis\'s five texture families (straw, pressed calf leather, beach sand, woolen cloth, plastic bubbles)',
      'gradient clipping at global norm 100 (the thesis clips but does not say at what)',
    ],
  },
};

const count = (n: number) => n.toLocaleString('en-US');

/**
 * One line saying what a budget runs, built from its fields.
 *
 * @example describeBudget(BUDGETS.quick) // 'quick: TDVAE, TD-IWAE k=4; 12 of the thesis's 5,000 epochs ...'
 */
export function describeBudget(b: Budget): string {
  const models = b.configurations.map((c) => (c.objective === 'vae' ? 'TDVAE' : `TD-IWAE k=${c.k}`)).join(', ');
  const m = b.model;
  const size = m.z1 === FULL_MODEL.z1 && m.z2 === FULL_MODEL.z2 && m.hidden === FULL_MODEL.hidden ? 'the thesis\'s TDVAE (z1 450 Laplace, z2 20 Normal, hidden 512)' : `a reduced TDVAE (z1 ${m.z1}, z2 ${m.z2}, hidden ${m.hidden})`;
  const epochs = b.epochs === THESIS_RECIPE.epochs ? `the thesis's ${count(b.epochs)} epochs` : `${count(b.epochs)} of the thesis's ${count(THESIS_RECIPE.epochs)} epochs`;
  return `${b.name}: ${models}; ${size}; ${epochs} of ${count(b.trainPatches)} whitened ${b.source} 20x20 patches, batch ${b.batchSize}, Adam ${b.learningRate.toExponential(0)}, clip ${b.clipNorm}, β(z2) ${b.anneal.from} → 1 over ${count(b.anneal.epochs)} epoch${b.anneal.epochs === 1 ? '' : 's'}; analyses on ${count(b.analysis.count)} test patches`;
}
