/**
 * The published numbers: Burda, Grosse & Salakhutdinov (2016), "Importance
 * weighted autoencoders", ICLR, Table 1, MNIST (dynamically binarized), test
 * negative log-likelihood in nats estimated with k = 5000 samples. The poster
 * of seed 003 reproduced the same table (its own numbers are kept beside).
 */

export type Arch = '1layer' | '2layer';
export type BurdaObjective = 'vae' | 'iwae';
export type BurdaK = 1 | 5 | 50;

/** Test NLL (nats) by architecture, objective and k: Burda et al. 2016, Table 1. */
export const PUBLISHED_NLL: Readonly<Record<Arch, Record<BurdaObjective, Record<BurdaK, number>>>> = {
  '1layer': { vae: { 1: 86.76, 5: 86.47, 50: 86.35 }, iwae: { 1: 86.76, 5: 85.54, 50: 84.78 } },
  '2layer': { vae: { 1: 85.33, 5: 85.01, 50: 84.78 }, iwae: { 1: 85.33, 5: 83.89, 50: 82.90 } },
};

/** The same table as reproduced in seed 003 (a student poster; their budget is not stated). */
export const SEED_003_NLL: Readonly<Record<Arch, Record<BurdaObjective, Record<BurdaK, number>>>> = {
  '1layer': { vae: { 1: 87.68, 5: 87.51, 50: 87.54 }, iwae: { 1: 87.68, 5: 85.98, 50: 85.37 } },
  '2layer': { vae: { 1: 87.18, 5: 86.87, 50: 86.93 }, iwae: { 1: 87.18, 5: 85.03, 50: 84.42 } },
};

/** Where the published numbers come from, for results.json. */
export const REFERENCE = 'Burda, Grosse & Salakhutdinov (2016), Importance Weighted Autoencoders, ICLR, Table 1 (MNIST, test NLL with k = 5000)';
